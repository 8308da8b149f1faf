/* rng.h: the one source of randomness, xoshiro256** seeded through
 * splitmix64, so that a seed fixes every sample on every machine.
 * Not cryptographic; not thread-safe per generator (give each thread one). */
#ifndef VG_RNG_H
#define VG_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
    int has_spare;   /* the polar method makes normals in pairs */
    double spare;
} rng_t;

void rng_seed(rng_t *rng, uint64_t seed);
uint64_t rng_u64(rng_t *rng);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform(rng_t *rng);
/* Uniform integer in [0, n), without modulo bias; n > 0. */
uint64_t rng_below(rng_t *rng, uint64_t n);
/* Standard normal (Marsaglia's polar method; uses only log and sqrt). */
double rng_normal(rng_t *rng);
void rng_normal_fill(rng_t *rng, double *out, size_t n);
/* Fisher-Yates shuffle of idx[0..n). */
void rng_shuffle(rng_t *rng, size_t *idx, size_t n);

#endif
