/* The C ABI tested from C, built with AddressSanitizer and UndefinedBehaviorSanitizer by
 * `make -C ffi test`: every shared vector and real capture, every prefix of each, every
 * single-bit flip, and every function's NULL and short-buffer answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amt_hello.h"
#include "json.h"
#include "vectors.h"

static unsigned long checks, failures, parses, frames, encodes;

#define CHECK(cond, ...) do {                                                    \
        checks++;                                                                \
        if (!(cond)) {                                                           \
            failures++;                                                          \
            fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
        }                                                                        \
    } while (0)

/* A sink that renders into a fixed buffer. */
struct text { char buf[40000]; size_t len; };

static int append(void *ctx, const char *s, size_t n) {
    struct text *t = (struct text *)ctx;
    if (t->len + n >= sizeof t->buf) return -1;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
    return 0;
}

static AmtHelloStatus parse(const uint8_t *bytes, size_t len, bool lenient, AmtHelloView *view,
                            AmtHelloError *error) {
    parses++;
    return amt_hello_parse(bytes, len, lenient, view, error);
}

/* The message a view describes, as an AmtHelloMessage, encoded again: must give the bytes.
 * `by_index`: also fetch every hash by its index and compare it with the walk's. */
static void check_round_trip(const char *name, const AmtHelloView *view, bool by_index) {
    static AmtHelloCertHash hashes[255];
    AmtHelloMessage m;
    memset(&m, 0, sizeof m);
    m.version = view->version;
    m.admin_credentials_set = view->admin_credentials_set;
    m.retry_count = view->retry_count;
    CHECK(amt_hello_uuid(view, m.uuid) == AMT_HELLO_STATUS_OK, "%s", name);
    if (view->version == 2) {
        CHECK(amt_hello_pid(view, m.pid) == AMT_HELLO_STATUS_OK, "%s", name);
    } else {
        CHECK(amt_hello_pid(view, m.pid) == AMT_HELLO_STATUS_OUT_OF_RANGE, "%s", name);
        AmtHelloHashIter it;
        CHECK(amt_hello_hashes(view, &it) == AMT_HELLO_STATUS_OK, "%s", name);
        while (amt_hello_hashes_next(&it, &hashes[m.hash_count])) {
            AmtHelloCertHash indexed;
            if (by_index) {
                CHECK(amt_hello_cert_hash(view, m.hash_count, &indexed) == AMT_HELLO_STATUS_OK, "%s", name);
                CHECK(indexed.digest == hashes[m.hash_count].digest && indexed.code == hashes[m.hash_count].code,
                      "%s: hash %zu by index differs from the walk", name, m.hash_count);
            }
            m.hash_count++;
        }
        CHECK(m.hash_count == view->hash_count, "%s: walked %zu of %u", name, m.hash_count, view->hash_count);
        AmtHelloCertHash past;
        CHECK(amt_hello_cert_hash(view, m.hash_count, &past) == AMT_HELLO_STATUS_OUT_OF_RANGE, "%s", name);
    }
    m.hashes = hashes;
    uint8_t *out = (uint8_t *)malloc(view->len);
    size_t written = 0;
    AmtHelloError error;
    encodes++;
    /* Too short by one: nothing written, the length needed reported. */
    CHECK(amt_hello_encode(&m, out, view->len - 1, &written, &error) == AMT_HELLO_STATUS_BUFFER_TOO_SMALL
              && error.needed == view->len && written == 0, "%s", name);
    CHECK(amt_hello_encode(&m, NULL, 0, NULL, &error) == AMT_HELLO_STATUS_BUFFER_TOO_SMALL
              && error.needed == view->len, "%s", name);
    CHECK(amt_hello_encode(&m, out, view->len, &written, &error) == AMT_HELLO_STATUS_OK, "%s", name);
    CHECK(written == view->len && memcmp(out, view->bytes, view->len) == 0, "%s: re-encoding differs", name);
    free(out);
}

/* amt_hello_texts: each digest's hex, in order, with its code and length; then the GUID, the
 * UUID's hex and (PSK) the PID text, each as the one-value functions write it. Without infos,
 * the same text without the digests. */
static void check_texts(const char *name, const AmtHelloView *view) {
    static AmtHelloDigestInfo infos[255];
    static char out[2 * 65560 + AMT_HELLO_TEXTS_EXTRA], hex[2 * 255 + 1];
    size_t size = 0, len = 0, at = 0;
    CHECK(amt_hello_texts(view, NULL, 0, NULL, 0, &size) == AMT_HELLO_STATUS_BUFFER_TOO_SMALL, "%s", name);
    size++; /* the NUL */
    CHECK(size == 2 * view->len + AMT_HELLO_TEXTS_EXTRA && size <= sizeof out, "%s", name);
    CHECK(amt_hello_texts(view, infos, 255, out, size - 1, &len) == AMT_HELLO_STATUS_BUFFER_TOO_SMALL
              && len == size - 1, "%s", name);
    CHECK(amt_hello_texts(view, infos, 255, out, size, &len) == AMT_HELLO_STATUS_OK, "%s", name);
    AmtHelloHashIter it;
    AmtHelloCertHash hash;
    amt_hello_hashes(view, &it);
    for (size_t i = 0; amt_hello_hashes_next(&it, &hash); i++) {
        amt_hello_digest_hex(hash.digest, hash.len, hex, sizeof hex, NULL);
        CHECK(infos[i].code == hash.code && infos[i].len == hash.len, "%s: entry %zu", name, i);
        CHECK(strncmp(out + at, hex, 2u * hash.len) == 0, "%s: entry %zu", name, i);
        at += 2u * hash.len;
    }
    char guid[AMT_HELLO_UUID_TEXT_SIZE], pid_text[AMT_HELLO_PID_TEXT_SIZE] = "";
    uint8_t uuid[16], pid[8];
    amt_hello_uuid(view, uuid);
    amt_hello_uuid_text(uuid, guid, sizeof guid, NULL);
    amt_hello_digest_hex(uuid, sizeof uuid, hex, sizeof hex, NULL);
    if (amt_hello_pid(view, pid) == AMT_HELLO_STATUS_OK) amt_hello_pid_text(pid, pid_text, sizeof pid_text, NULL);
    size_t guid_len = strlen(guid), uuid_hex_len = strlen(hex);
    CHECK(strncmp(out + at, guid, guid_len) == 0 && strncmp(out + at + guid_len, hex, uuid_hex_len) == 0, "%s", name);
    at += guid_len + uuid_hex_len;
    CHECK(strcmp(out + at, pid_text) == 0 && len == at + strlen(pid_text), "%s", name);
    at -= guid_len + uuid_hex_len;
    /* Without infos: the rest alone. */
    char rest[AMT_HELLO_TEXTS_EXTRA];
    memcpy(rest, out + at, len - at + 1);
    CHECK(amt_hello_texts(view, NULL, 0, out, size, &len) == AMT_HELLO_STATUS_OK
              && strcmp(out, rest) == 0, "%s", name);
}

/* A message the vectors say is valid: its JSON, its framing, every prefix, the round trip. */
static void check_valid(const struct vector *v) {
    AmtHelloView view;
    AmtHelloError error;
    struct text json = {{0}, 0};
    CHECK(parse(v->bytes, v->len, false, &view, &error) == AMT_HELLO_STATUS_OK, "%s: kind %u", v->name, error.kind);
    CHECK(view.bytes == v->bytes && view.len == v->len, "%s", v->name);
    CHECK(json_write_hello(&view, append, &json) == 0, "%s", v->name);
    CHECK(strcmp(json.buf, v->json) == 0, "%s:\n got  %s\n want %s", v->name, json.buf, v->json);
    check_round_trip(v->name, &view, true);
    check_texts(v->name, &view);

    /* Followed by more bytes, the frame is the message alone. */
    uint8_t *longer = (uint8_t *)malloc(v->len + 7);
    memcpy(longer, v->bytes, v->len);
    memset(longer + v->len, 0xee, 7);
    frames++;
    CHECK(amt_hello_frame(longer, v->len + 7, false, &view, &error) == AMT_HELLO_STATUS_OK
              && view.len == v->len, "%s", v->name);
    CHECK(parse(longer, v->len + 7, false, &view, &error) == AMT_HELLO_STATUS_TRAILING_BYTES
              && error.offset == v->len && error.found == 7, "%s", v->name);

    /* Every prefix is truncated, and the framer asks for more, never less than it has. */
    for (size_t n = 0; n < v->len; n++) {
        CHECK(parse(longer, n, false, &view, &error) == AMT_HELLO_STATUS_TRUNCATED
                  && error.found == n && error.needed > n, "%s[..%zu]", v->name, n);
        frames++;
        CHECK(amt_hello_frame(longer, n, false, &view, &error) == AMT_HELLO_STATUS_INCOMPLETE
                  && error.needed > n && error.needed <= v->len
                  && (!error.needed_is_exact || error.needed == v->len), "%s[..%zu]", v->name, n);
    }
    free(longer);
}

static void check_invalid(const struct vector *v) {
    AmtHelloView view;
    AmtHelloError error;
    char message[AMT_HELLO_MESSAGE_SIZE];
    size_t len = 0;
    CHECK(parse(v->bytes, v->len, false, &view, &error) == v->kind && error.kind == v->kind
              && error.offset == v->offset, "%s: kind %u offset %zu", v->name, error.kind, error.offset);
    if (v->needed >= 0) CHECK(error.needed == (size_t)v->needed, "%s: needed %zu", v->name, error.needed);
    CHECK(amt_hello_error_message(&error, message, sizeof message, &len) == AMT_HELLO_STATUS_OK
              && len == strlen(message) && len > 20, "%s", v->name);
    CHECK(strcmp(amt_hello_status_name(error.kind), "truncated") == 0 || v->kind != AMT_HELLO_STATUS_TRUNCATED,
          "%s", v->name);
    AmtHelloStatus lenient = parse(v->bytes, v->len, true, &view, &error);
    CHECK(v->lenient_ok ? lenient == AMT_HELLO_STATUS_OK : lenient == v->kind, "%s: lenient %u", v->name, lenient);
    frames++;
    AmtHelloStatus framed = amt_hello_frame(v->bytes, v->len, false, &view, &error);
    CHECK(v->kind == AMT_HELLO_STATUS_TRUNCATED ? framed == AMT_HELLO_STATUS_INCOMPLETE
          : v->kind == AMT_HELLO_STATUS_TRAILING_BYTES ? framed == AMT_HELLO_STATUS_OK
          : framed == v->kind, "%s: framed %u", v->name, framed);
}

/* Every single-bit flip of a valid message: an answer, never a crash; a valid answer is one
 * that encodes back to the same bytes, an error one that has a message. */
static void check_bit_flips(const struct vector *v) {
    static struct text json; /* 40 KB: reused, not cleared for each flip */
    uint8_t *bytes = (uint8_t *)malloc(v->len);
    for (size_t bit = 0; bit < v->len * 8; bit++) {
        memcpy(bytes, v->bytes, v->len);
        bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        for (int lenient = 0; lenient < 2; lenient++) {
            AmtHelloView view;
            AmtHelloError error;
            if (parse(bytes, v->len, lenient, &view, &error) == AMT_HELLO_STATUS_OK) {
                /* The text forms of odd bytes too (escaped PIDs, unknown algorithms), but not
                 * for the 100 000 flips of the 255-hash message: 33 KB of JSON each. */
                json.len = 0;
                if (v->len <= 1024)
                    CHECK(json_write_hello(&view, append, &json) == 0, "%s bit %zu", v->name, bit);
                check_round_trip(v->name, &view, false);
            } else {
                char message[AMT_HELLO_MESSAGE_SIZE];
                CHECK(amt_hello_error_message(&error, message, sizeof message, NULL) == AMT_HELLO_STATUS_OK,
                      "%s bit %zu", v->name, bit);
                CHECK(amt_hello_status_name(error.kind) != NULL, "%s bit %zu", v->name, bit);
            }
            frames++;
            (void)amt_hello_frame(bytes, v->len, lenient, &view, &error);
        }
    }
    free(bytes);
}

/* Text functions: exact size works, one byte less is BUFFER_TOO_SMALL with an empty string and
 * the length needed, NULL is NULL_POINTER. */
static void check_text(void) {
    static const uint8_t uuid[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    const char *want = "33221100-5544-7766-8899-aabbccddeeff";
    char buf[AMT_HELLO_UUID_TEXT_SIZE];
    size_t len = 0;
    CHECK(amt_hello_uuid_text(uuid, buf, sizeof buf, &len) == AMT_HELLO_STATUS_OK && strcmp(buf, want) == 0
              && len == 36, "%s", buf);
    for (size_t size = 0; size < sizeof buf; size++) {
        memset(buf, 'x', sizeof buf);
        CHECK(amt_hello_uuid_text(uuid, buf, size, &len) == AMT_HELLO_STATUS_BUFFER_TOO_SMALL && len == 36
                  && (size == 0 || buf[0] == '\0'), "size %zu", size);
    }
    CHECK(amt_hello_uuid_text(NULL, buf, sizeof buf, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "null uuid");
    CHECK(amt_hello_uuid_text(uuid, NULL, 37, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "null out");

    char pid[AMT_HELLO_PID_TEXT_SIZE];
    CHECK(amt_hello_pid_text((const uint8_t *)"ABCD1234", pid, sizeof pid, NULL) == AMT_HELLO_STATUS_OK
              && strcmp(pid, "ABCD-1234") == 0, "%s", pid);
    CHECK(amt_hello_pid_text((const uint8_t *)"AB-D\\\"\001 ", pid, sizeof pid, &len) == AMT_HELLO_STATUS_OK
              && strcmp(pid, "AB\\x2dD-\\x5c\"\\x01\\x20") == 0 && len == strlen(pid), "%s", pid);
    static const uint8_t worst[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    CHECK(amt_hello_pid_text(worst, pid, sizeof pid, &len) == AMT_HELLO_STATUS_OK && len == sizeof pid - 1, "%zu", len);

    char hex[9];
    CHECK(amt_hello_digest_hex((const uint8_t *)"\x01\xab\xff\x00", 4, hex, sizeof hex, NULL) == AMT_HELLO_STATUS_OK
              && strcmp(hex, "01abff00") == 0, "%s", hex);
    CHECK(amt_hello_digest_hex(NULL, 0, hex, 1, &len) == AMT_HELLO_STATUS_OK && hex[0] == '\0' && len == 0, "empty");
    CHECK(amt_hello_digest_hex(NULL, 4, hex, sizeof hex, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "null digest");

    char name[16];
    const struct { uint8_t code, len; const char *name; } names[] = {
        {1, 20, "sha1"}, {2, 32, "sha256"}, {3, 48, "sha384"}, {3, 64, "sha512"}, {0, 7, "unknown(0)"}, {9, 0, "unknown(9)"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(amt_hello_algorithm_name(names[i].code, names[i].len, name, sizeof name, NULL) == AMT_HELLO_STATUS_OK
                  && strcmp(name, names[i].name) == 0, "%s", names[i].name);
    CHECK(amt_hello_algorithm_name(2, 20, name, sizeof name, NULL) == AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH, "2/20");

    for (uint32_t s = 0; s <= AMT_HELLO_STATUS_INVALID; s++) CHECK(amt_hello_status_name(s) != NULL, "%u", s);
    CHECK(amt_hello_status_name(AMT_HELLO_STATUS_INVALID + 1) == NULL, "past the last");
    CHECK(strcmp(amt_hello_status_name(AMT_HELLO_STATUS_INVALID_PID), "invalid_pid") == 0, "name");

    AmtHelloError e;
    memset(&e, 0, sizeof e);
    e.kind = AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH;
    e.offset = 26;
    e.found = 20;
    e.code = 3;
    char msg[AMT_HELLO_MESSAGE_SIZE];
    CHECK(amt_hello_error_message(&e, msg, sizeof msg, NULL) == AMT_HELLO_STATUS_OK
              && strcmp(msg, "hash length 20 at byte 26 does not match algorithm code 3 (expected 48 or 64)") == 0, "%s", msg);
    e.kind = 0xdead; /* not a status: still a message */
    CHECK(amt_hello_error_message(&e, msg, sizeof msg, NULL) == AMT_HELLO_STATUS_OK && strcmp(msg, "invalid Hello") == 0, "%s", msg);
    CHECK(amt_hello_error_message(NULL, msg, sizeof msg, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "null error");
}

/* NULL in every pointer argument: a status, never a crash. */
static void check_null_pointers(void) {
    const struct vector *pki = &VECTORS[0];
    for (size_t i = 0; i < VECTOR_COUNT; i++)
        if (VECTORS[i].json != NULL && VECTORS[i].bytes[2] == 3 && VECTORS[i].len > 25) { pki = &VECTORS[i]; break; }
    AmtHelloView view;
    AmtHelloError error;
    CHECK(amt_hello_parse(NULL, 5, false, &view, &error) == AMT_HELLO_STATUS_NULL_POINTER
              && error.kind == AMT_HELLO_STATUS_NULL_POINTER, "parse NULL bytes");
    CHECK(amt_hello_parse(NULL, 0, false, &view, NULL) == AMT_HELLO_STATUS_TRUNCATED, "NULL, 0 is empty");
    CHECK(amt_hello_parse(pki->bytes, pki->len, false, NULL, &error) == AMT_HELLO_STATUS_NULL_POINTER, "NULL view");
    CHECK(amt_hello_parse(pki->bytes, (size_t)-1, false, &view, NULL) == AMT_HELLO_STATUS_OUT_OF_RANGE, "huge len");
    CHECK(amt_hello_frame(NULL, 1, false, &view, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "frame NULL");
    CHECK(amt_hello_frame(pki->bytes, pki->len, false, NULL, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "frame NULL view");
    CHECK(amt_hello_parse(pki->bytes, pki->len, false, &view, NULL) == AMT_HELLO_STATUS_OK, "%s", pki->name);
    uint8_t raw[16];
    AmtHelloCertHash hash;
    AmtHelloHashIter it;
    CHECK(amt_hello_uuid(NULL, raw) == AMT_HELLO_STATUS_NULL_POINTER, "uuid");
    CHECK(amt_hello_uuid(&view, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "uuid out");
    CHECK(amt_hello_pid(NULL, raw) == AMT_HELLO_STATUS_NULL_POINTER, "pid");
    CHECK(amt_hello_cert_hash(NULL, 0, &hash) == AMT_HELLO_STATUS_NULL_POINTER, "hash");
    CHECK(amt_hello_cert_hash(&view, 0, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "hash out");
    CHECK(amt_hello_hashes(NULL, &it) == AMT_HELLO_STATUS_NULL_POINTER, "hashes");
    CHECK(amt_hello_hashes(&view, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "hashes out");
    CHECK(!amt_hello_hashes_next(NULL, &hash), "next NULL");
    CHECK(amt_hello_hashes(&view, &it) == AMT_HELLO_STATUS_OK && !amt_hello_hashes_next(&it, NULL), "next NULL out");
    /* A view whose length was cut after parsing: refused, not read past. */
    AmtHelloView cut = view;
    cut.len = 30;
    CHECK(amt_hello_cert_hash(&cut, 1, &hash) == AMT_HELLO_STATUS_INVALID_VIEW, "cut view");
    cut.uniform_digest_len = 0;
    CHECK(amt_hello_cert_hash(&cut, 1, &hash) == AMT_HELLO_STATUS_INVALID_VIEW, "cut view, walked");
    CHECK(amt_hello_hashes(&cut, &it) == AMT_HELLO_STATUS_OK && !amt_hello_hashes_next(&it, &hash), "cut walk");
    cut.len = 10;
    CHECK(amt_hello_uuid(&cut, raw) == AMT_HELLO_STATUS_INVALID_VIEW, "cut uuid");

    AmtHelloMessage m;
    memset(&m, 0, sizeof m);
    size_t written;
    uint8_t out[64];
    CHECK(amt_hello_encode(NULL, out, sizeof out, &written, &error) == AMT_HELLO_STATUS_NULL_POINTER, "encode NULL");
    m.version = 3;
    m.hash_count = 1;
    CHECK(amt_hello_encode(&m, out, sizeof out, &written, &error) == AMT_HELLO_STATUS_NULL_POINTER, "NULL hashes");
    AmtHelloCertHash bad = {2, 32, NULL};
    m.hashes = &bad;
    CHECK(amt_hello_encode(&m, out, sizeof out, &written, &error) == AMT_HELLO_STATUS_NULL_POINTER, "NULL digest");
    m.version = 2;
    CHECK(amt_hello_encode(&m, out, sizeof out, NULL, NULL) == AMT_HELLO_STATUS_OK, "PSK ignores hashes");
    CHECK(amt_hello_encode(&m, NULL, 32, NULL, NULL) == AMT_HELLO_STATUS_NULL_POINTER, "NULL out");

    AmtHelloSchedule s;
    AmtHelloAttempt a;
    CHECK(amt_hello_schedule_first_window(NULL) == AMT_HELLO_STATUS_NULL_POINTER, "schedule NULL");
    CHECK(amt_hello_schedule_len(NULL) == 0 && !amt_hello_schedule_next(NULL, &a), "schedule NULL");
    CHECK(amt_hello_schedule_first_window(&s) == AMT_HELLO_STATUS_OK && !amt_hello_schedule_next(&s, NULL)
              && s.next == 0, "no attempt lost to a NULL output");
}

static void check_encode_errors(void) {
    AmtHelloMessage m;
    AmtHelloError e;
    char msg[AMT_HELLO_MESSAGE_SIZE];
    uint8_t out[100];
    uint8_t digest[32] = {0};
    AmtHelloCertHash hashes[2] = {{2, 32, digest}, {2, 20, digest}};
    memset(&m, 0, sizeof m);
    m.version = 4;
    CHECK(amt_hello_encode(&m, out, sizeof out, NULL, &e) == AMT_HELLO_STATUS_UNSUPPORTED_VERSION
              && e.offset == 2 && e.found == 4, "version");
    m.version = 3;
    m.hashes = hashes;
    m.hash_count = 2;
    CHECK(amt_hello_encode(&m, out, sizeof out, NULL, &e) == AMT_HELLO_STATUS_HASH_LENGTH_MISMATCH
              && e.offset == 25 + 34 + 1 && e.code == 2 && e.found == 20, "mismatch at %zu", e.offset);
    CHECK(amt_hello_error_message(&e, msg, sizeof msg, NULL) == AMT_HELLO_STATUS_OK
              && strcmp(msg, "hash length 20 at byte 60 does not match algorithm code 2 (expected 32)") == 0, "%s", msg);
    m.hash_count = 256;
    CHECK(amt_hello_encode(&m, out, sizeof out, NULL, &e) == AMT_HELLO_STATUS_TOO_MANY_HASHES && e.found == 256, "256");
    CHECK(amt_hello_error_message(&e, msg, sizeof msg, NULL) == AMT_HELLO_STATUS_OK
              && strcmp(msg, "256 certificate hashes do not fit the one-byte count (at most 255)") == 0, "%s", msg);
    m.hash_count = 1;
    m.retry_count = 99; /* any value encodes; only a lenient reader takes it back */
    size_t written = 0;
    CHECK(amt_hello_encode(&m, out, sizeof out, &written, &e) == AMT_HELLO_STATUS_OK && written == 59, "%zu", written);
    AmtHelloView view;
    CHECK(parse(out, written, false, &view, &e) == AMT_HELLO_STATUS_RETRY_COUNT_OUT_OF_RANGE && e.found == 99, "strict");
    CHECK(parse(out, written, true, &view, &e) == AMT_HELLO_STATUS_OK && view.retry_count == 99, "lenient");
}

static void check_schedule(void) {
    AmtHelloSchedule s;
    AmtHelloAttempt a;
    uint32_t n = 0;
    uint64_t last = 0;
    CHECK(amt_hello_schedule_first_window(&s) == AMT_HELLO_STATUS_OK && amt_hello_schedule_len(&s) == 39, "39");
    while (amt_hello_schedule_next(&s, &a)) {
        CHECK(a.number == n && a.retry_count == (n < 14 ? n : 14) && a.at_ms >= last
                  && a.delay_ms == a.at_ms - last && a.is_last == (n == 38), "attempt %u", n);
        last = a.at_ms;
        n++;
    }
    CHECK(n == 39 && last == 23 * 3600 * 1000ull, "%u attempts, the last at %llu ms", n, (unsigned long long)last);
    CHECK(amt_hello_schedule_reopened_window(&s) == AMT_HELLO_STATUS_OK && amt_hello_schedule_len(&s) == 21, "21");
    CHECK(amt_hello_schedule_init(&s, 255ull * 3600 * 1000 + 1) == AMT_HELLO_STATUS_OUT_OF_RANGE, "too long");
    CHECK(amt_hello_schedule_init(&s, 255ull * 3600 * 1000) == AMT_HELLO_STATUS_OK, "255 h");
    CHECK(amt_hello_schedule_init(&s, 0) == AMT_HELLO_STATUS_OK && amt_hello_schedule_len(&s) == 0
              && !amt_hello_schedule_next(&s, &a), "a closed window sends nothing");
}

int main(void) {
    size_t valid = 0, invalid = 0;
    for (size_t i = 0; i < VECTOR_COUNT; i++) {
        const struct vector *v = &VECTORS[i];
        if (v->json != NULL) {
            check_valid(v);
            check_bit_flips(v);
            valid++;
        } else {
            check_invalid(v);
            invalid++;
        }
    }
    check_text();
    check_null_pointers();
    check_encode_errors();
    check_schedule();
    printf("C tests: %zu valid messages (vectors and captures) and %zu invalid ones; "
           "%lu parses, %lu frames, %lu encodes; %lu checks, %lu failed\n",
           valid, invalid, parses, frames, encodes, checks, failures);
    return failures == 0 ? 0 : 1;
}
