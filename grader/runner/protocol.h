/* protocol.h: what a runner writes on its result pipe and how the driver
 * reads it back. A result is a sequence of frames: arrays of doubles in
 * binary (exact, NaN and Inf kept, megabytes of trained weights cheap),
 * events raised from a signal handler or the allocation guard, and last a
 * JSON status document; a stream without that last frame means the runner
 * died before finishing. Not a verdict: a runner reports outputs only, the
 * driver decides what they are worth. */
#ifndef VG_PROTOCOL_H
#define VG_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_MAGIC "VGR2"
/* A frame: 24-byte header, then the name, NUL-padded to a multiple of 8
 * bytes (at least one NUL), then the payload, zero-padded to a multiple of
 * 8. Every frame starts 8-byte aligned in a stream that does, so the reader
 * hands out names and arrays in place: no copy of a received buffer. */
typedef struct proto_header {
    char magic[4];
    uint32_t kind;        /* proto_kind_t */
    uint32_t name_len;
    uint32_t reserved;
    uint64_t payload_len; /* bytes */
} proto_header_t;

/* A status document longer than this is not the runner's (garbled). */
#define PROTO_STATUS_MAX (1u << 20)

typedef enum {
    PROTO_ARRAY = 1,  /* payload: doubles, host byte order */
    PROTO_EVENT = 2,  /* name: "sigsys" or "over_memory"; payload: decimal */
    PROTO_STATUS = 3, /* name: "status"; payload: JSON object, the last frame */
} proto_kind_t;

/* Writing (runner side); fd is the result pipe. All are async-signal-safe
 * (write(2) only), so the SIGSYS handler and the allocation guard use them.
 * Return 0, or -1 when the pipe is gone. */
int proto_write_frame(int fd, proto_kind_t kind, const char *name,
                      const void *payload, size_t payload_len);
/* An event whose payload is the decimal form of value. */
int proto_write_event(int fd, const char *name, unsigned long long value);
/* An event's payload: value in decimal, written at the end of digits;
 * *start is where it begins, the length is returned. Async-signal-safe. */
#define PROTO_DECIMAL_MAX 24
size_t proto_decimal(char digits[PROTO_DECIMAL_MAX], unsigned long long value,
                     const char **start);

/* The bytes a frame of name_len and payload_len takes on the pipe. */
size_t proto_frame_size(size_t name_len, size_t payload_len);

/* Reading (driver side): the frames of one result stream. Names and data
 * point into the parsed bytes, which must outlive the result (or be handed
 * to it: owned). */
typedef struct proto_array {
    const char *name;         /* NUL-terminated (the frame's padding) */
    size_t n;
    const double *data;       /* (n) */
    const unsigned char *frame; /* the whole frame, to pass it on as is */
    size_t frame_len;
} proto_array_t;

typedef struct proto_result {
    void *owned;              /* freed with the result (NULL: the caller's) */
    size_t n_arrays;
    proto_array_t *arrays;
    int has_sigsys;           /* the seccomp trap fired */
    long sigsys_nr;           /* its system call number */
    int has_over_memory;
    unsigned long long over_memory_bytes; /* the refused request */
    char *status_json;        /* NULL when the runner never finished (a
                               * copy: short, and NUL-terminated) */
    int garbled;              /* bytes that are not a frame were found */
} proto_result_t;

/* Parses bytes (len, 8-byte aligned) into r; the arrays point into bytes.
 * Never fails on bad input (sets garbled and stops), only on no memory
 * (VG_ERR). An array name given twice, or a second status, is bad input:
 * no frame of a stream wins over another. */
int proto_parse(proto_result_t *r, const unsigned char *bytes, size_t len);
/* The array called name, or NULL. */
const proto_array_t *proto_find(const proto_result_t *r, const char *name);
void proto_result_free(proto_result_t *r);

#endif
