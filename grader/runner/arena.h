/* arena.h: the result arena, the only place the runner's child (the
 * process that calls submission code) can put results. A MAP_SHARED
 * anonymous mapping made by the trusted parent before it forks: the child
 * appends protocol.h frames to it, and after the child has ended the parent
 * reads it back as untrusted bytes (supervise.c) and alone writes the
 * result pipe. Not a channel the driver sees: the child has no fd 3. */
#ifndef VG_RUNNER_ARENA_H
#define VG_RUNNER_ARENA_H

#include <stddef.h>

#include "runner/protocol.h"

/* The largest legitimate result is the ssvae backward contract's: two
 * arrays (first, second) of the model's 1,044,922 parameters (float64
 * copy; config.h's defaults: x 784, y 10, z 64, hidden 300), 2 x 8 x
 * 1,044,922 = 16.7 MB, plus a few frames of scalars; a short run's
 * trained weights are half that. 24 MiB leaves 7 MiB of margin. The
 * mapping counts against the child's RLIMIT_AS, but only the pages
 * written take memory. */
#define RUNNER_ARENA_BYTES (24u << 20)

/* Maps the arena (parent, before fork). VG_ERR with a message. */
int arena_create(void);

/* Appends one frame (child). Async-signal-safe: memcpy and an index, no
 * system call, so the SIGSYS handler and the allocation guard use it too.
 * A frame that does not fit sets the overflow mark and returns -1. */
int arena_put(proto_kind_t kind, const char *name, const void *payload,
              size_t payload_len);
/* An event whose payload is the decimal form of value. */
int arena_put_event(const char *name, unsigned long long value);

/* What the child left (parent, after it ended): the frames' bytes and
 * their length (at most the capacity, whatever the child wrote in the
 * header), and whether a frame did not fit. */
const unsigned char *arena_contents(size_t *len, int *overflow);

#endif
