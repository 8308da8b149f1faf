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

/* One xoshiro256** step on a bare state: rng_u64 is this on rng->s. A hot
 * loop (binarise) copies rng->s into a local array, steps that, and copies
 * it back, so that the compiler keeps the four words in registers rather
 * than calling out and going through memory for every draw. */
static inline uint64_t rng_xoshiro_next(uint64_t s[4])
{
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9; /* rotl(s[1] * 5, 7) * 9 */
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19); /* rotl(s[3], 45) */
    return result;
}
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
