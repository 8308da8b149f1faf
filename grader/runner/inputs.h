/* inputs.h: the inputs a task feeds an implementation, drawn from the
 * runner's input stream so that runner-ref and runner-sub see the same
 * numbers for the same seed. Not the implementation's randomness: that is
 * ctx->rng, which inputs never touch. */
#ifndef VG_RUNNER_INPUTS_H
#define VG_RUNNER_INPUTS_H

#include <stddef.h>
#include "rng.h"

/* x (n) uniform in [lo, hi). */
void inputs_uniform(rng_t *r, double *x, size_t n, double lo, double hi);
/* x (n) log-uniform in [lo, hi): variances spread over decades. */
void inputs_log_uniform(rng_t *r, double *x, size_t n, double lo, double hi);
/* x (n) = mean + sd * N(0,1). */
void inputs_normal(rng_t *r, double *x, size_t n, double mean, double sd);
/* x (n) = NaN: an output the implementation never wrote stays visible. */
void inputs_poison(double *x, size_t n);
/* One allocation of doubles, zeroed, for a task's whole state; NULL with a
 * message in ctx when refused. Freed by process exit. */
struct runner_ctx;
double *inputs_block(struct runner_ctx *ctx, size_t n);

#endif
