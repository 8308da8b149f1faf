/* inputs.c: input generators for tasks (inputs.h). */
#include "runner/inputs.h"

#include <math.h>
#include <stdlib.h>

#include "runner/runner.h"

void inputs_uniform(rng_t *r, double *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * rng_uniform(r);
}

void inputs_log_uniform(rng_t *r, double *x, size_t n, double lo, double hi)
{
    double a = log(lo), b = log(hi);
    for (size_t i = 0; i < n; i++)
        x[i] = exp(a + (b - a) * rng_uniform(r));
}

void inputs_normal(rng_t *r, double *x, size_t n, double mean, double sd)
{
    for (size_t i = 0; i < n; i++)
        x[i] = mean + sd * rng_normal(r);
}

void inputs_poison(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

double *inputs_block(runner_ctx_t *ctx, size_t n)
{
    double *p = calloc(n ? n : 1, sizeof *p);
    if (!p)
        runner_fail(ctx, "no memory for %zu doubles of inputs", n);
    return p;
}
