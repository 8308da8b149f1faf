/* utils_inputs.h: seeded inputs for the utils tests (header-only so each
 * test file stays self-contained). Not a test itself.
 * Shapes: B batch, D dimension, K mixture components. */
#ifndef VG_TEST_UTILS_INPUTS_H
#define VG_TEST_UTILS_INPUTS_H

#include <stddef.h>
#include "rng.h"

/* x (n) uniform in [lo, hi). */
static inline void fill_uniform(rng_t *rng, double *x, size_t n, double lo,
                                double hi)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * rng_uniform(rng);
}

static inline double dot(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

#endif
