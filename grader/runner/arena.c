/* arena.c: the child's result arena (arena.h). The header's index moves
 * only after a frame is copied whole, so a child that dies mid-copy leaves
 * the frames before it intact. Everything in the mapping, the header
 * included, is writable by submission code: the parent clamps and parses
 * it like any untrusted input. */
#include "runner/arena.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "vg_error.h"

typedef struct arena_header {
    size_t used;    /* bytes of frames after the header */
    int overflow;   /* a frame did not fit */
} arena_header_t;

/* The frames start one cache line in, past the header. */
#define ARENA_DATA_OFFSET 64

static unsigned char *arena;

int arena_create(void)
{
    void *p = mmap(NULL, RUNNER_ARENA_BYTES, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return vg_error_set("cannot map the %u-byte result arena: %s",
                            RUNNER_ARENA_BYTES, strerror(errno));
    arena = p;
    return VG_OK;
}

static arena_header_t *header(void)
{
    return (arena_header_t *)(void *)arena;
}

int arena_put(proto_kind_t kind, const char *name, const void *payload,
              size_t payload_len)
{
    if (!arena)
        return -1;
    arena_header_t *h = header();
    const size_t cap = RUNNER_ARENA_BYTES - ARENA_DATA_OFFSET;
    size_t name_len = 0;
    while (name[name_len])
        name_len++;
    size_t used = h->used;
    /* The protocol's layout (protocol.h): name and payload each padded
     * with zeros to 8 bytes, so the parent can parse doubles in place. */
    if (used > cap || payload_len > cap || name_len > cap ||
        proto_frame_size(name_len, payload_len) > cap - used) {
        h->overflow = 1;
        return -1;
    }
    size_t name_padded = proto_frame_size(name_len, 0) - sizeof(proto_header_t);
    size_t frame = proto_frame_size(name_len, payload_len);
    proto_header_t f;
    memcpy(f.magic, PROTO_MAGIC, 4);
    f.kind = (uint32_t)kind;
    f.name_len = (uint32_t)name_len;
    f.reserved = 0;
    f.payload_len = payload_len;
    unsigned char *at = arena + ARENA_DATA_OFFSET + used;
    memcpy(at, &f, sizeof f);
    memcpy(at + sizeof f, name, name_len);
    memset(at + sizeof f + name_len, 0, name_padded - name_len);
    unsigned char *body = at + sizeof f + name_padded;
    if (payload_len)
        memcpy(body, payload, payload_len);
    memset(body + payload_len, 0, frame - sizeof f - name_padded - payload_len);
    h->used = used + frame;
    return 0;
}

int arena_put_event(const char *name, unsigned long long value)
{
    char digits[PROTO_DECIMAL_MAX];
    const char *start;
    size_t n = proto_decimal(digits, value, &start);
    return arena_put(PROTO_EVENT, name, start, n);
}

const unsigned char *arena_contents(size_t *len, int *overflow)
{
    const size_t cap = RUNNER_ARENA_BYTES - ARENA_DATA_OFFSET;
    /* Read once: the child is gone, but its last word is not trusted. */
    size_t used = header()->used;
    *overflow = header()->overflow != 0 || used > cap;
    *len = used > cap ? cap : used;
    return arena + ARENA_DATA_OFFSET;
}
