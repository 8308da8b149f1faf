/* rng.c: xoshiro256** (Blackman & Vigna; its step is inline in rng.h)
 * seeded through splitmix64, with uniforms, unbiased bounded integers,
 * polar-method normals and shuffles.
 * Integer arithmetic plus log and sqrt only, so a seed gives the same
 * numbers on every machine. Not cryptographic. */
#include "rng.h"

#include <math.h>

/* splitmix64 spreads a small seed (0, 1, 2, ...) over the whole state, and
 * never yields four zero words from one seed in practice. */
static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_seed(rng_t *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
    rng->has_spare = 0;
    rng->spare = 0.0;
}

uint64_t rng_u64(rng_t *rng)
{
    return rng_xoshiro_next(rng->s);
}

/* The top 53 bits, since the low bits of any generator are its weakest and
 * a double holds exactly 53. */
double rng_uniform(rng_t *rng)
{
    return (double)(rng_u64(rng) >> 11) * 0x1.0p-53;
}

/* Rejects the lowest 2^64 mod n values so that every residue is hit by the
 * same number of u64s; at most half the draws are rejected, for n > 2^63. */
uint64_t rng_below(rng_t *rng, uint64_t n)
{
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t r = rng_u64(rng);
        if (r >= threshold)
            return r % n;
    }
}

/* Marsaglia's polar method rather than Box-Muller: it needs no sin/cos,
 * whose last bits differ between libms. The second normal of each pair is
 * kept so no draws are wasted. */
double rng_normal(rng_t *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * rng_uniform(rng) - 1.0;
        v = 2.0 * rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    rng->spare = v * f;
    rng->has_spare = 1;
    return u * f;
}

/* Same numbers as n calls of rng_normal, in index order. */
void rng_normal_fill(rng_t *rng, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = rng_normal(rng);
}

void rng_shuffle(rng_t *rng, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)rng_below(rng, (uint64_t)i);
        size_t tmp = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = tmp;
    }
}
