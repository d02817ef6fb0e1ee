/* amt_hello_decode: the C twin of `amt-hello decode` (cli/), written against the C ABI.
 *
 *     amt_hello_decode [--lenient] [HEX]...
 *
 * Decodes Intel AMT Hello messages given as hex (the arguments, or one per line on stdin when
 * there are none) and prints one JSON object per message on stdout, byte for byte what
 * `amt-hello decode` prints. An invalid message prints `error: <message>` on stderr; the exit
 * status is 1 if any message was invalid, 2 for a usage error. The certificate options of
 * `amt-hello decode` (--ca-bundle, --provisioning-chain) need an X.509 parser and are not
 * offered here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt_hello.h"
#include "json.h"

static int write_stdout(void *ctx, const char *text, size_t len) {
    (void)ctx;
    return fwrite(text, 1, len, stdout) == len ? 0 : -1;
}

/* The length of the UTF-8 sequence at s (n bytes left), or 0 if it is not valid UTF-8. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 && s[0] < 0xf0 ? 3
               : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
    if (len == 0 || len > n) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (len == 3) {
        unsigned cp = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
        if (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000)) return 0;
    }
    if (len == 4) {
        unsigned long cp = (s[0] & 0x07ul) << 18 | (s[1] & 0x3ful) << 12 | (s[2] & 0x3ful) << 6 | (s[3] & 0x3ful);
        if (cp < 0x10000 || cp > 0x10ffff) return 0;
    }
    return len;
}

static int valid_utf8(const char *s, size_t n) {
    for (size_t i = 0, len; i < n; i += len)
        if ((len = utf8_len((const unsigned char *)s + i, n - i)) == 0) return 0;
    return 1;
}

/* Rust's char::is_ascii_whitespace. */
static int ascii_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

static int hex_value(unsigned char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Appends Rust's Debug form of a two-byte string (valid UTF-8) to msg. */
static void debug_str(char *msg, size_t size, const unsigned char *pair) {
    size_t at = strlen(msg);
    at += (size_t)snprintf(msg + at, size - at, "\"");
    if (pair[0] < 0x80) {
        for (int i = 0; i < 2; i++) {
            unsigned char c = pair[i];
            if (c == '"' || c == '\\') at += (size_t)snprintf(msg + at, size - at, "\\%c", c);
            else if (c == 0) at += (size_t)snprintf(msg + at, size - at, "\\0");
            else if (c < 0x20 || c == 0x7f) at += (size_t)snprintf(msg + at, size - at, "\\u{%x}", c);
            else at += (size_t)snprintf(msg + at, size - at, "%c", c);
        }
    } else {
        unsigned cp = (pair[0] & 0x1fu) << 6 | (pair[1] & 0x3fu);
        if (cp < 0xa0 || cp == 0xad || (cp >= 0x300 && cp < 0x370))
            at += (size_t)snprintf(msg + at, size - at, "\\u{%x}", cp);
        else
            at += (size_t)snprintf(msg + at, size - at, "%c%c", pair[0], pair[1]);
    }
    snprintf(msg + at, size - at, "\"");
}

/* Bytes from hex, whitespace ignored, with `amt-hello decode`'s error messages. Returns the
 * byte count, or -1 with msg filled. */
static long hex_to_bytes(const char *text, unsigned char *out, char *msg, size_t msg_size) {
    size_t n = strlen(text), digits = 0;
    unsigned char *d = (unsigned char *)malloc(n + 1);
    if (d == NULL) { snprintf(msg, msg_size, "out of memory"); return -1; }
    for (size_t i = 0; i < n; i++)
        if (!ascii_space((unsigned char)text[i])) d[digits++] = (unsigned char)text[i];
    long count = 0;
    if (digits % 2 != 0) {
        snprintf(msg, msg_size, "odd number of hex digits (%zu)", digits);
        count = -1;
    }
    for (size_t i = 0; count >= 0 && i < digits; i += 2) {
        int hi = hex_value(d[i]), lo = hex_value(d[i + 1]);
        if (hi >= 0 && lo >= 0) {
            out[count++] = (unsigned char)(hi << 4 | lo);
        } else if (!((d[i] < 0x80 && d[i + 1] < 0x80) || utf8_len(d + i, 2) == 2)) {
            snprintf(msg, msg_size, "non-ASCII input");
            count = -1;
        } else {
            snprintf(msg, msg_size, "not a hex byte: ");
            debug_str(msg, msg_size, d + i);
            count = -1;
        }
    }
    free(d);
    return count;
}

/* Decodes one message; returns 0 if it was valid. */
static int decode(const char *text, bool lenient) {
    char msg[AMT_HELLO_MESSAGE_SIZE + 64];
    unsigned char *bytes = (unsigned char *)malloc(strlen(text) / 2 + 1);
    if (bytes == NULL) return 1;
    long len = hex_to_bytes(text, bytes, msg, sizeof msg);
    int rc = 1;
    if (len >= 0) {
        AmtHelloView view;
        AmtHelloError error;
        if (amt_hello_parse(bytes, (size_t)len, lenient, &view, &error) == AMT_HELLO_STATUS_OK) {
            rc = json_write_hello(&view, write_stdout, NULL);
            fputc('\n', stdout);
            /* Each result as it is produced: with stdout and stderr in one pipe, in input order. */
            fflush(stdout);
        } else {
            amt_hello_error_message(&error, msg, sizeof msg, NULL);
        }
    }
    if (rc != 0) fprintf(stderr, "error: %s\n", msg);
    free(bytes);
    return rc;
}

/* Reads stdin's lines as Rust's BufRead::lines does ("\n" or "\r\n" ends a line), stopping at
 * the first line that is not UTF-8, and decodes the ones with more than whitespace. */
static int decode_stdin(bool lenient) {
    int status = 0;
    size_t cap = 0;
    char *line = NULL;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;
        if (len > 0 && line[len - 1] == '\n') {
            line[--len] = '\0';
            if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
        }
        if (!valid_utf8(line, len)) break;
        size_t i = 0;
        while (i < len && (ascii_space((unsigned char)line[i]) || line[i] == '\v')) i++;
        if (i < len && decode(line, lenient) != 0) status = 1;
    }
    free(line);
    return status;
}

int main(int argc, char **argv) {
    bool lenient = false, options = true;
    const char **hex = (const char **)calloc((size_t)argc, sizeof *hex);
    int count = 0, status = 0;
    if (hex == NULL) return 2;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!valid_utf8(arg, strlen(arg))) {
            fprintf(stderr, "error: invalid UTF-8 was detected in one or more arguments\n");
            return 2;
        }
        if (options && strcmp(arg, "--") == 0) {
            options = false;
        } else if (options && strcmp(arg, "--lenient") == 0) {
            lenient = true;
        } else if (options && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            printf("Decodes Intel AMT Hello messages given as hex and prints one JSON object per message.\n\n"
                   "Usage: amt_hello_decode [--lenient] [HEX]...\n");
            return 0;
        } else if (options && arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "error: unexpected argument '%s' found (the C decoder takes --lenient and hex)\n", arg);
            return 2;
        } else {
            hex[count++] = arg;
        }
    }
    if (count == 0) status = decode_stdin(lenient);
    for (int i = 0; i < count; i++)
        if (decode(hex[i], lenient) != 0) status = 1;
    free(hex);
    return status;
}
