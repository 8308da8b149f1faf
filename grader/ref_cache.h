/* ref_cache.h: runner-ref's results kept on disk between gradings. What
 * runner-ref reports for a task, seed, parameters and data (public or
 * hidden) is the same for every submission, so it is computed once per
 * reference build: the key hashes the runner's arguments with the bytes of
 * runner-ref and of every file under fixtures/. Runs fed with the
 * submission's outputs (trained weights) are never cached. Not a
 * correctness device: with the cache off (--no-cache) every grade is the
 * same, only slower. */
#ifndef VG_REF_CACHE_H
#define VG_REF_CACHE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "env.h"

typedef struct ref_cache {
    int enabled;
    char dir[PATH_MAX];     /* <build>/rel/ref-cache */
    uint64_t build[2];      /* hash of runner-ref and fixtures/ */
} ref_cache_t;

/* Sets the cache up under env->rel (enabled 0 leaves it off). A cache that
 * cannot be set up is left off: grading never depends on it. */
void ref_cache_init(ref_cache_t *c, const grade_env_t *env, int enabled);

/* The result bytes of a run of runner-ref with argv (argv[0] aside), or
 * NULL (a miss); malloc'd, *len its length. */
unsigned char *ref_cache_get(const ref_cache_t *c, char *const argv[],
                             size_t *len);
/* Stores a finished run's result bytes (atomically: temporary file, then
 * rename; two threads storing one key both write the same bytes). */
void ref_cache_put(const ref_cache_t *c, char *const argv[],
                   const unsigned char *bytes, size_t len);

#endif
