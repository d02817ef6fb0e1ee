/* The C ABI in firmware: the static library built for thumbv7m-none-eabi, linked by Debian's
 * arm-none-eabi-gcc into this program, run on QEMU's lm3s6965evb (Cortex-M3). It decodes every
 * shared vector and real capture, compares the JSON and the errors with the vectors', encodes
 * each valid one back, frames a prefix, walks the retry schedule, and exits non-zero on any
 * mismatch. No libc: text goes out over semihosting. */
#include <stddef.h>
#include <stdint.h>

#include "amt_hello.h"
#include "json.h"
#include "vectors.h"

void semihost_write(const char *text);

static unsigned failures;

static void say(const char *a, const char *b) {
    semihost_write(a);
    semihost_write(b);
    semihost_write("\n");
}

static void fail(const char *name, const char *what) {
    failures++;
    semihost_write("FAIL ");
    say(name, what);
}

static const char *number(unsigned long n) {
    static char digits[21];
    char *p = digits + sizeof digits - 1;
    *p = '\0';
    do { *--p = (char)('0' + n % 10); n /= 10; } while (n != 0);
    return p;
}

/* A sink that compares the JSON with the expected text as it is written. */
struct expect { const char *next; int mismatch; };

static int compare(void *ctx, const char *text, size_t len) {
    struct expect *e = (struct expect *)ctx;
    for (size_t i = 0; i < len; i++, e->next++)
        if (*e->next != text[i]) { e->mismatch = 1; return 1; }
    return 0;
}

static int same(const uint8_t *a, const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return 0;
    return 1;
}

static AmtHelloCertHash hashes[255];
static uint8_t encoded[13000];

static void check_valid(const struct vector *v) {
    AmtHelloView view;
    AmtHelloError error;
    if (amt_hello_parse(v->bytes, v->len, false, &view, &error) != AMT_HELLO_STATUS_OK) {
        fail(v->name, ": does not parse");
        return;
    }
    struct expect e = {v->json, 0};
    if (json_write_hello(&view, compare, &e) != 0 || e.mismatch || *e.next != '\0') fail(v->name, ": JSON differs");

    AmtHelloMessage m = {0};
    m.version = view.version;
    m.admin_credentials_set = view.admin_credentials_set;
    m.retry_count = view.retry_count;
    amt_hello_uuid(&view, m.uuid);
    if (view.version == 2) amt_hello_pid(&view, m.pid);
    AmtHelloHashIter it;
    amt_hello_hashes(&view, &it);
    while (m.hash_count < 255 && amt_hello_hashes_next(&it, &hashes[m.hash_count])) m.hash_count++;
    m.hashes = hashes;
    size_t written = 0;
    if (amt_hello_encode(&m, encoded, sizeof encoded, &written, &error) != AMT_HELLO_STATUS_OK
        || written != v->len || !same(encoded, v->bytes, v->len))
        fail(v->name, ": encodes differently");
    if (v->len > 1 && amt_hello_frame(v->bytes, v->len - 1, false, &view, &error) != AMT_HELLO_STATUS_INCOMPLETE)
        fail(v->name, ": a prefix is not incomplete");
}

static void check_invalid(const struct vector *v) {
    AmtHelloView view;
    AmtHelloError error;
    char message[AMT_HELLO_MESSAGE_SIZE];
    if (amt_hello_parse(v->bytes, v->len, false, &view, &error) != v->kind || error.offset != v->offset)
        fail(v->name, ": wrong error");
    if (amt_hello_error_message(&error, message, sizeof message, NULL) != AMT_HELLO_STATUS_OK)
        fail(v->name, ": no message");
    AmtHelloStatus lenient = amt_hello_parse(v->bytes, v->len, true, &view, &error);
    if ((lenient == AMT_HELLO_STATUS_OK) != v->lenient_ok) fail(v->name, ": lenient policy differs");
}

int main(void) {
    unsigned valid = 0, invalid = 0, attempts = 0;
    for (size_t i = 0; i < VECTOR_COUNT; i++) {
        if (VECTORS[i].json != NULL) { check_valid(&VECTORS[i]); valid++; }
        else { check_invalid(&VECTORS[i]); invalid++; }
    }
    AmtHelloSchedule s;
    AmtHelloAttempt a;
    amt_hello_schedule_first_window(&s);
    while (amt_hello_schedule_next(&s, &a)) attempts++;
    if (attempts != 39 || a.at_ms != 23ul * 3600 * 1000 || a.retry_count != 14) fail("schedule", ": first window");

    semihost_write("C firmware (thumbv7m, amt_hello_ffi.a): ");
    semihost_write(number(valid));
    semihost_write(" valid and ");
    semihost_write(number(invalid));
    semihost_write(" invalid messages, ");
    semihost_write(number(attempts));
    say(" attempts; failures: ", number(failures));
    return failures == 0 ? 0 : 1;
}
