/* test_bernoulli_fast.c: the fast Bernoulli log-likelihood and its
 * backward (framework/bernoulli_fast.c, used by the reference bounds) against
 * prob.h's plain loops, on rows wide enough to flush its running products
 * (D = 1101 > 1024, not a multiple of 4), logits far beyond +-40 and up to
 * the exp clamp, pixels at 0, 1 and between, and NaN.
 * Not a test of the plain loops (the framework suite has those).
 * Shapes: B batch, D data dimension. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "bernoulli_fast.h"
#include "numcheck/compare.h"
#include "prob.h"
#include "rng.h"

enum { B = 3, D = 1101 };

/* x (B,D): a third exactly 0 or 1; logits (B,D) in +-scale, with a few
 * beyond the exp clamp (-708) and at 0. */
static void inputs(double *x, double *logits, double scale, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < B * D; i++) {
        x[i] = i % 3 == 0 ? (double)(i % 2) : rng_uniform(&rng);
        logits[i] = scale * (2.0 * rng_uniform(&rng) - 1.0);
    }
    logits[5] = -800.0;
    logits[6] = 800.0;
    logits[7] = 0.0;
    logits[D + 11] = -708.5;
}

/* Every per-pixel term x l - softplus(l) and each part the fast path sums
 * (x l - max(l, 0), and -log(1 + e^-|l|)) is <= 0, so neither sum
 * cancels: each is within D eps = 1.2e-13 relative of the exact one, and
 * 1 + e^-|l| loses < 1.1e-16 per pixel. 1e-12 relative is >5x over the
 * worst case. */
static void check_forward(double scale, uint64_t seed)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    cr_assert(x && l);
    inputs(x, l, scale, seed);
    double want[B], got[B];
    log_bernoulli_with_logits(want, x, l, B, D);
    bernoulli_fast_log_lik(got, x, l, B, D);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, B, (cmp_bound_t){ 0, 1e-12 },
                             "fast vs plain log-likelihood"), "%s",
              r.message);
    free(x);
    free(l);
}

Test(bernoulli_fast, forward_small_logits) { check_forward(3.0, 1); }
Test(bernoulli_fast, forward_large_logits) { check_forward(60.0, 2); }

/* Elementwise dout (x - sigmoid(l)), accumulated onto a nonzero start;
 * sigmoid by the same formula as the plain one, exp to 4e-18 relative:
 * each element within a few eps of |dout| (1e-15 absolute) or of itself
 * (1e-13 relative). A backward that assigned instead of adding misses
 * the start (O(1)). */
static void check_backward(double scale, uint64_t seed)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double *want = malloc(B * D * sizeof *want);
    double *got = malloc(B * D * sizeof *got);
    cr_assert(x && l && want && got);
    inputs(x, l, scale, seed);
    const double dout[B] = { 0.7, -1.3, 0.01 };
    for (size_t i = 0; i < B * D; i++)
        want[i] = got[i] = 0.5 - (double)(i % 7) / 7.0;
    log_bernoulli_with_logits_backward(want, dout, x, l, B, D);
    bernoulli_fast_log_lik_backward(got, dout, x, l, B, D);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, B * D,
                             (cmp_bound_t){ 1e-15, 1e-13 },
                             "fast vs plain d log-likelihood / d logits"),
              "%s", r.message);
    free(x);
    free(l);
    free(want);
    free(got);
}

Test(bernoulli_fast, backward_small_logits) { check_backward(3.0, 3); }
Test(bernoulli_fast, backward_large_logits) { check_backward(60.0, 4); }

/* A NaN logit (a model that diverged) must show in the row's value and in
 * its own gradient, not vanish into a clamp. */
Test(bernoulli_fast, nan_propagates)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double *g = calloc(B * D, sizeof *g);
    cr_assert(x && l && g);
    inputs(x, l, 3.0, 5);
    l[D + 40] = NAN;
    double out[B];
    const double dout[B] = { 1, 1, 1 };
    bernoulli_fast_log_lik(out, x, l, B, D);
    bernoulli_fast_log_lik_backward(g, dout, x, l, B, D);
    cr_assert(isfinite(out[0]) && isnan(out[1]) && isfinite(out[2]),
              "rows: %g %g %g", out[0], out[1], out[2]);
    cr_assert(isnan(g[D + 40]) && isfinite(g[D + 39]) && isfinite(g[D + 41]),
              "gradients around the NaN: %g %g %g", g[D + 39], g[D + 40],
              g[D + 41]);
    free(x);
    free(l);
    free(g);
}
