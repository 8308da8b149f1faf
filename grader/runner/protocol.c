/* protocol.c: frames on the result pipe (protocol.h). The writer uses only
 * write(2), so it is safe inside a signal handler and after a seccomp filter
 * that allows nothing else; the reader trusts nothing it is given. */
#include "runner/protocol.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg_error.h"

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

size_t proto_frame_size(size_t name_len, size_t payload_len)
{
    return sizeof(proto_header_t) + pad8(name_len + 1) + pad8(payload_len);
}

static const char zeros[8];

int proto_write_frame(int fd, proto_kind_t kind, const char *name,
                      const void *payload, size_t payload_len)
{
    proto_header_t h;
    size_t name_len = 0;
    while (name[name_len])
        name_len++;
    memcpy(h.magic, PROTO_MAGIC, 4);
    h.kind = (uint32_t)kind;
    h.name_len = (uint32_t)name_len;
    h.reserved = 0;
    h.payload_len = payload_len;
    size_t name_pad = pad8(name_len + 1) - name_len;
    if (write_all(fd, &h, sizeof h) || write_all(fd, name, name_len) ||
        write_all(fd, zeros, name_pad))
        return -1;
    if (payload_len && write_all(fd, payload, payload_len))
        return -1;
    return write_all(fd, zeros, pad8(payload_len) - payload_len);
}

size_t proto_decimal(char digits[PROTO_DECIMAL_MAX], unsigned long long value,
                     const char **start)
{
    size_t n = 0;
    /* Written backwards by hand: snprintf is not async-signal-safe. */
    do {
        digits[PROTO_DECIMAL_MAX - 1 - n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value && n < PROTO_DECIMAL_MAX);
    *start = digits + PROTO_DECIMAL_MAX - n;
    return n;
}

int proto_write_event(int fd, const char *name, unsigned long long value)
{
    char digits[PROTO_DECIMAL_MAX];
    const char *start;
    size_t n = proto_decimal(digits, value, &start);
    return proto_write_frame(fd, PROTO_EVENT, name, start, n);
}

static unsigned long long parse_decimal(const unsigned char *p, size_t n)
{
    unsigned long long v = 0;
    for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '9'; i++)
        v = v * 10 + (unsigned long long)(p[i] - '0');
    return v;
}

static int add_array(proto_result_t *r, size_t *cap, const proto_array_t *a)
{
    if (r->n_arrays == *cap) {
        size_t want = *cap ? 2 * *cap : 16;
        proto_array_t *grown = realloc(r->arrays, want * sizeof *grown);
        if (!grown)
            return vg_error_set("protocol: no memory for array %zu", r->n_arrays);
        r->arrays = grown;
        *cap = want;
    }
    r->arrays[r->n_arrays++] = *a;
    return VG_OK;
}

static int has_array(const proto_result_t *r, const char *name, size_t name_len)
{
    for (size_t i = 0; i < r->n_arrays; i++)
        if (strlen(r->arrays[i].name) == name_len &&
            memcmp(r->arrays[i].name, name, name_len) == 0)
            return 1;
    return 0;
}

/* A frame's name is in place when no NUL is inside it and its padding is
 * all NUL: then it is a C string where it lies. */
static int name_ok(const unsigned char *name, size_t len, size_t padded)
{
    if (memchr(name, 0, len))
        return 0;
    for (size_t i = len; i < padded; i++)
        if (name[i])
            return 0;
    return 1;
}

int proto_parse(proto_result_t *r, const unsigned char *bytes, size_t len)
{
    memset(r, 0, sizeof *r);
    size_t pos = 0, cap = 0;
    /* In-place doubles need an aligned start (malloc's always is). */
    if (len && ((uintptr_t)bytes & 7u)) {
        r->garbled = 1;
        return VG_OK;
    }
    while (pos < len) {
        proto_header_t h;
        if (len - pos < sizeof h) {
            r->garbled = 1;
            break;
        }
        memcpy(&h, bytes + pos, sizeof h);
        size_t left = len - pos - sizeof h;
        size_t name_padded = pad8((size_t)h.name_len + 1);
        if (memcmp(h.magic, PROTO_MAGIC, 4) != 0 || h.name_len > 256 ||
            name_padded > left || h.payload_len > left - name_padded ||
            pad8((size_t)h.payload_len) > left - name_padded ||
            !name_ok(bytes + pos + sizeof h, h.name_len, name_padded)) {
            r->garbled = 1;
            break;
        }
        const unsigned char *frame = bytes + pos;
        const char *name = (const char *)frame + sizeof h;
        const unsigned char *payload = frame + sizeof h + name_padded;
        size_t plen = (size_t)h.payload_len;
        size_t frame_len = sizeof h + name_padded + pad8(plen);
        pos += frame_len;
        if (h.kind == PROTO_ARRAY) {
            /* A name seen twice: one of the frames is not the runner's,
             * and no rule could tell which to believe. */
            if (plen % sizeof(double) || has_array(r, name, h.name_len)) {
                r->garbled = 1;
                break;
            }
            proto_array_t a = { name, plen / sizeof(double),
                                (const double *)(const void *)payload, frame, frame_len };
            if (add_array(r, &cap, &a))
                return VG_ERR;
        } else if (h.kind == PROTO_EVENT) {
            if (h.name_len == 6 && memcmp(name, "sigsys", 6) == 0) {
                r->has_sigsys = 1;
                r->sigsys_nr = (long)parse_decimal(payload, plen);
            } else if (h.name_len == 11 && memcmp(name, "over_memory", 11) == 0) {
                r->has_over_memory = 1;
                r->over_memory_bytes = parse_decimal(payload, plen);
            }
        } else if (h.kind == PROTO_STATUS) {
            /* A second status, or one bigger than the runner's few KiB,
             * is not the runner's. */
            if (r->status_json || plen > PROTO_STATUS_MAX) {
                r->garbled = 1;
                break;
            }
            r->status_json = malloc(plen + 1);
            if (!r->status_json)
                return vg_error_set("protocol: no memory for status");
            memcpy(r->status_json, payload, plen);
            r->status_json[plen] = '\0';
        } else {
            r->garbled = 1;
            break;
        }
    }
    return VG_OK;
}

const proto_array_t *proto_find(const proto_result_t *r, const char *name)
{
    for (size_t i = 0; i < r->n_arrays; i++)
        if (strcmp(r->arrays[i].name, name) == 0)
            return &r->arrays[i];
    return NULL;
}

void proto_result_free(proto_result_t *r)
{
    free(r->arrays);
    free(r->status_json);
    free(r->owned);
    memset(r, 0, sizeof *r);
}
