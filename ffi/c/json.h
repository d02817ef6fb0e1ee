/* `amt-hello decode`'s JSON object for a parsed Hello, written through the C ABI alone.
 * Shared by the C decoder, the C tests and the firmware, so it uses no libc. */
#ifndef AMT_HELLO_JSON_H
#define AMT_HELLO_JSON_H

#include "amt_hello.h"

/* Receives the JSON text piece by piece; returns 0 to go on, non-zero to stop. */
typedef int (*json_sink)(void *ctx, const char *text, size_t len);

/* Writes `view` as one JSON object (no newline), with the keys and order of the Rust decode
 * example: len, version, admin_credentials_set, retry_count, uuid, uuid_raw, pid,
 * cert_hashes. Returns 0, a sink's non-zero answer, or an AmtHelloStatus from the ABI. */
int json_write_hello(const AmtHelloView *view, json_sink sink, void *ctx);

#endif
