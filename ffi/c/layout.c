/* layout: the C ABI's layouts and constants as the header gives them, for the bindings' layout
 * tests (ffi/go, ffi/dotnet) to compare theirs with. One line each:
 *
 *     AmtHelloView.size 40              a struct's size
 *     AmtHelloView.len 8 8              a field's offset and size
 *     AMT_HELLO_MESSAGE_SIZE 160        a #define or a status code
 *
 * A binding checks every line of the structs it declares, in both directions (a field added to
 * the header is a line it has no field for), so a change of the header fails each binding's
 * test at once. Build: cc $(pkg-config --cflags amt-hello) ffi/c/layout.c -o layout
 */
#include <stddef.h>
#include <stdio.h>

#include "amt_hello.h"

#define STRUCT(type) printf(#type ".size %zu\n", sizeof(type))
#define FIELD(type, field) printf(#type "." #field " %zu %zu\n", offsetof(type, field), sizeof(((type *)0)->field))
#define CONSTANT(name) printf(#name " %llu\n", (unsigned long long)(name))

int main(void) {
    STRUCT(AmtHelloCertHash);
    FIELD(AmtHelloCertHash, code);
    FIELD(AmtHelloCertHash, len);
    FIELD(AmtHelloCertHash, digest);

    STRUCT(AmtHelloMessage);
    FIELD(AmtHelloMessage, version);
    FIELD(AmtHelloMessage, admin_credentials_set);
    FIELD(AmtHelloMessage, retry_count);
    FIELD(AmtHelloMessage, uuid);
    FIELD(AmtHelloMessage, pid);
    FIELD(AmtHelloMessage, hashes);
    FIELD(AmtHelloMessage, hash_count);

    STRUCT(AmtHelloError);
    FIELD(AmtHelloError, kind);
    FIELD(AmtHelloError, offset);
    FIELD(AmtHelloError, found);
    FIELD(AmtHelloError, needed);
    FIELD(AmtHelloError, needed_is_exact);
    FIELD(AmtHelloError, code);

    STRUCT(AmtHelloSchedule);
    FIELD(AmtHelloSchedule, window_ms);
    FIELD(AmtHelloSchedule, next);

    STRUCT(AmtHelloAttempt);
    FIELD(AmtHelloAttempt, number);
    FIELD(AmtHelloAttempt, at_ms);
    FIELD(AmtHelloAttempt, delay_ms);
    FIELD(AmtHelloAttempt, retry_count);
    FIELD(AmtHelloAttempt, is_last);

    STRUCT(AmtHelloView);
    FIELD(AmtHelloView, bytes);
    FIELD(AmtHelloView, len);
    FIELD(AmtHelloView, version);
    FIELD(AmtHelloView, admin_credentials_set);
    FIELD(AmtHelloView, retry_count);
    FIELD(AmtHelloView, hash_count);
    FIELD(AmtHelloView, uniform_digest_len);

    STRUCT(AmtHelloHashIter);
    FIELD(AmtHelloHashIter, bytes);
    FIELD(AmtHelloHashIter, len);
    FIELD(AmtHelloHashIter, offset);
    FIELD(AmtHelloHashIter, remaining);

    STRUCT(AmtHelloDigestInfo);
    FIELD(AmtHelloDigestInfo, code);
    FIELD(AmtHelloDigestInfo, len);

    CONSTANT(AMT_HELLO_VERSION_MAJOR);
    CONSTANT(AMT_HELLO_VERSION_MINOR);
    CONSTANT(AMT_HELLO_VERSION_PATCH);
    CONSTANT(AMT_HELLO_UUID_TEXT_SIZE);
    CONSTANT(AMT_HELLO_PID_TEXT_SIZE);
    CONSTANT(AMT_HELLO_MESSAGE_SIZE);
    CONSTANT(AMT_HELLO_TEXTS_EXTRA);

    CONSTANT(AMT_HELLO_STATUS_OK);
    CONSTANT(AMT_HELLO_STATUS_INCOMPLETE);
    CONSTANT(AMT_HELLO_STATUS_TRUNCATED);
    CONSTANT(AMT_HELLO_STATUS_INVALID_ADMIN_CREDENTIALS);
    CONSTANT(AMT_HELLO_STATUS_UNSUPPORTED_VERSION);
    CONSTANT(AMT_HELLO_STATUS_RETRY_COUNT_OUT_OF_RANGE);
    CONSTANT(AMT_HELLO_STATUS_INVALID_PID);
    CONSTANT(AMT_HELLO_STATUS_UNKNOWN_HASH_ALGORITHM);
    CONSTANT(AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH);
    CONSTANT(AMT_HELLO_STATUS_TRAILING_BYTES);
    CONSTANT(AMT_HELLO_STATUS_TOO_MANY_HASHES);
    CONSTANT(AMT_HELLO_STATUS_BUFFER_TOO_SMALL);
    CONSTANT(AMT_HELLO_STATUS_NULL_POINTER);
    CONSTANT(AMT_HELLO_STATUS_OUT_OF_RANGE);
    CONSTANT(AMT_HELLO_STATUS_INVALID_VIEW);
    CONSTANT(AMT_HELLO_STATUS_INVALID);
    return 0;
}
