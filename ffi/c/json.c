#include "json.h"

static size_t text_len(const char *s) {
    size_t n = 0;
    while (s[n] != '\0') n++;
    return n;
}

static int put(json_sink sink, void *ctx, const char *s) { return sink(ctx, s, text_len(s)); }

static int put_unsigned(json_sink sink, void *ctx, uint64_t value) {
    char digits[21];
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    return sink(ctx, digits + i, sizeof digits - i);
}

/* A JSON string: the crate's text forms are printable ASCII, so only '"' and '\' need escapes. */
static int put_string(json_sink sink, void *ctx, const char *s) {
    int rc = put(sink, ctx, "\"");
    for (; rc == 0 && *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') rc = sink(ctx, "\\", 1);
        if (rc == 0) rc = sink(ctx, s, 1);
    }
    return rc != 0 ? rc : put(sink, ctx, "\"");
}

#define TRY(expr) do { int rc_ = (expr); if (rc_ != 0) return rc_; } while (0)

int json_write_hello(const AmtHelloView *view, json_sink sink, void *ctx) {
    uint8_t raw[16];
    char text[2 * 255 + 1]; /* the longest digest a lenient parse accepts, as hex */
    TRY((int)amt_hello_uuid(view, raw));

    TRY(put(sink, ctx, "{\"len\":"));
    TRY(put_unsigned(sink, ctx, view->len));
    TRY(put(sink, ctx, ",\"version\":"));
    TRY(put_unsigned(sink, ctx, view->version));
    TRY(put(sink, ctx, ",\"admin_credentials_set\":"));
    TRY(put(sink, ctx, view->admin_credentials_set ? "true" : "false"));
    TRY(put(sink, ctx, ",\"retry_count\":"));
    TRY(put_unsigned(sink, ctx, view->retry_count));
    TRY(put(sink, ctx, ",\"uuid\":"));
    TRY((int)amt_hello_uuid_text(raw, text, sizeof text, NULL));
    TRY(put_string(sink, ctx, text));
    TRY(put(sink, ctx, ",\"uuid_raw\":"));
    TRY((int)amt_hello_digest_hex(raw, sizeof raw, text, sizeof text, NULL));
    TRY(put_string(sink, ctx, text));
    TRY(put(sink, ctx, ",\"pid\":"));
    if (view->version == 2) {
        uint8_t pid[8];
        TRY((int)amt_hello_pid(view, pid));
        TRY((int)amt_hello_pid_text(pid, text, sizeof text, NULL));
        TRY(put_string(sink, ctx, text));
    } else {
        TRY(put(sink, ctx, "null"));
    }
    TRY(put(sink, ctx, ",\"cert_hashes\":["));
    AmtHelloHashIter it;
    AmtHelloCertHash hash;
    TRY((int)amt_hello_hashes(view, &it));
    for (int first = 1; amt_hello_hashes_next(&it, &hash); first = 0) {
        TRY(put(sink, ctx, first ? "{\"algorithm\":" : ",{\"algorithm\":"));
        TRY((int)amt_hello_algorithm_name(hash.code, hash.len, text, sizeof text, NULL));
        TRY(put_string(sink, ctx, text));
        TRY(put(sink, ctx, ",\"digest\":"));
        TRY((int)amt_hello_digest_hex(hash.digest, hash.len, text, sizeof text, NULL));
        TRY(put_string(sink, ctx, text));
        TRY(put(sink, ctx, "}"));
    }
    return put(sink, ctx, "]}");
}
