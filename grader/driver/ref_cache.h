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

#include "driver/env.h"

typedef struct ref_cache {
    int enabled;            /* the directory is there and keyed */
    int results;            /* results are kept (off with --no-cache) */
    int release;            /* keyed the release's way (below) */
    int read_only;          /* a release's data: never written */
    int record_all;         /* measure every case's calibration */
    char dir[PATH_MAX];     /* <build>/rel/ref-cache */
    uint64_t build[2];      /* hash of runner-ref and fixtures/ */
    uint64_t machine[2];    /* ... and of this machine's CPU model */
} ref_cache_t;

/* Sets the cache up under env->rel (results 0: runner-ref's results are
 * neither read nor kept; calibrations still are). A cache that cannot be
 * set up is left off: grading never depends on it. */
void ref_cache_init(ref_cache_t *c, const grade_env_t *env, int results);

/* The release's keying, for the reference data a student release ships
 * (grader/README.md, "Release mode"): a key hashes the runner's arguments
 * without the binary and the --fixtures path, and the bytes of the public
 * fixtures the runners read (REF_CACHE_PUBLIC_FIXTURES), never runner-ref
 * or fixtures/hidden, so it is the same in the full tree that made the
 * data and in an unpacked release anywhere. Calibrations are keyed alike,
 * without the CPU model: they were measured on the machine that made the
 * data. writable: `--write-reference-data` (make release-data) fills dir,
 * measuring every case's calibration; otherwise dir is only read, and it
 * must say it was made for these fixtures (its KEY file). */
#define REF_CACHE_PUBLIC_FIXTURES { "mnist", "mnist-full", "pretrained", "thresholds.json", NULL }
int ref_cache_init_release(ref_cache_t *c, const grade_env_t *env, const char *dir,
                           int writable);

/* Whether a result is kept for argv, without reading it. */
int ref_cache_has(const ref_cache_t *c, char *const argv[]);

/* The result bytes of a run of runner-ref with argv (argv[0] aside), or
 * NULL (a miss); malloc'd, *len its length. */
unsigned char *ref_cache_get(const ref_cache_t *c, char *const argv[],
                             size_t *len);
/* Stores a finished run's result bytes (atomically: temporary file, then
 * rename; two threads storing one key both write the same bytes). */
void ref_cache_put(const ref_cache_t *c, char *const argv[],
                   const unsigned char *bytes, size_t len);

/* What the reference's runner costs on one case: runner-ref run with
 * --role sub (the reference doing exactly what a submission's runner
 * does) on the case's arguments, measured on this machine. A check's time
 * budget and its result cap follow from it (grade.c). */
typedef struct ref_calib {
    double cpu_s;           /* user + system, from wait4 */
    size_t result_len;      /* bytes it wrote on the result pipe */
} ref_calib_t;

/* A calibration kept for argv (runner-ref's --role sub arguments), keyed
 * like the results plus the CPU model: 1 and *cal set, or 0. */
int ref_cache_get_calib(const ref_cache_t *c, char *const argv[], ref_calib_t *cal);
void ref_cache_put_calib(const ref_cache_t *c, char *const argv[],
                         const ref_calib_t *cal);

/* The cache's hash pair (two 64-bit FNV-1a from its offsets) of n bytes,
 * as 32 lowercase hex digits and a NUL: names a file's bytes elsewhere
 * too (the profile's hash in results), one hash in the tree. */
void ref_cache_hash_hex(char out[33], const void *p, size_t n);

#endif
