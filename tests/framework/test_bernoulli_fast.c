/* test_bernoulli_fast.c: the fast Bernoulli log-likelihood, its backward
 * and the two fused (framework/bernoulli_fast.c, used by the reference
 * bounds) against prob.h's plain loops, on rows wide enough to flush its
 * running products (D = 1101 > 1024, not a multiple of 4), rows of only a
 * tail, logits far beyond +-40 and up to the exp clamp, pixels at 0, 1
 * and between, and NaN; and the fallback a CPU without AVX2 takes.
 * Not a test of the plain loops (the framework suite has those).
 * Shapes: B batch, D data dimension. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "bernoulli_fast.h"
#include "bernoulli_fast_plain.h"
#include "numcheck/compare.h"
#include "prob.h"
#include "rng.h"

enum { B = 3, D = 1101 };

/* x (B,d): a third exactly 0 or 1; logits (B,d) in +-scale, with a few
 * beyond the exp clamp (-708) and at 0. */
static void inputs_d(double *x, double *logits, size_t d, double scale,
                     uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < B * d; i++) {
        x[i] = i % 3 == 0 ? (double)(i % 2) : rng_uniform(&rng);
        logits[i] = scale * (2.0 * rng_uniform(&rng) - 1.0);
    }
    logits[5] = -800.0;
    logits[6] = 800.0;
    logits[7] = 0.0;
    logits[d + 3] = -708.5;
}

/* The same for d = D. */
static void inputs(double *x, double *logits, double scale, uint64_t seed)
{
    inputs_d(x, logits, D, scale, seed);
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

/* The exp inside, seen through the sigmoid the backward takes (x = 0,
 * dout = -1, so dlogits = sigmoid(l)): within 1e-15 relative of the exact
 * one (long double: 64-bit mantissa), over logits down to -700. e^-|l|
 * is good to 2.5e-16 relative and 1 + e and the division round once
 * each: 4.7e-16 at worst (2.9e-16 measured, as the plain sigmoid's), so
 * the bound has 2x headroom; a polynomial coefficient off by 1% of itself
 * even for the last, c11 (2.2e-13 of e^r at |r| = ln2/2), fails it 3x. */
Test(bernoulli_fast, sigmoid_near_exact)
{
    enum { N = 60000 };
    double *x = calloc(N, sizeof *x), *l = malloc(N * sizeof *l);
    double *g = calloc(N, sizeof *g), *want = malloc(N * sizeof *want);
    cr_assert(x && l && g && want);
    for (size_t i = 0; i < N; i++) {
        /* half evenly over [-700, 40], half over [-3, 3] */
        l[i] = i % 2 ? -700.0 + 740.0 * (double)i / N
                     : -3.0 + 6.0 * (double)i / N;
        long double e = expl(-fabsl((long double)l[i]));
        want[i] = (double)(l[i] >= 0 ? 1.0L / (1.0L + e) : e / (1.0L + e));
    }
    const double dout[1] = { -1.0 };
    bernoulli_fast_log_lik_backward(g, dout, x, l, 1, N);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, g, N, (cmp_bound_t){ 0, 1e-15 },
                             "fast sigmoid vs exact (long double)"), "%s",
              r.message);
    free(x);
    free(l);
    free(g);
    free(want);
}

/* ---- the fused call ------------------------------------------------------- */

/* The start dlogits accumulates onto, as in check_backward. */
static void grad_start(double *g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g[i] = 0.5 - (double)(i % 7) / 7.0;
}

/* The fused call against the plain loops, with check_forward's and
 * check_backward's bounds, and against the two fast calls it replaces:
 * the same operations on the same e, so the same bits (bound 0). d = 1101
 * flushes the products and has a tail of 1; 784 is MNIST's, no tail; 11
 * is two vectors and a tail of 3. */
static void check_with_grad(size_t d, double scale, uint64_t seed)
{
    double *x = malloc(B * d * sizeof *x), *l = malloc(B * d * sizeof *l);
    double *want_g = malloc(B * d * sizeof *want_g);
    double *two_g = malloc(B * d * sizeof *two_g);
    double *got_g = malloc(B * d * sizeof *got_g);
    cr_assert(x && l && want_g && two_g && got_g);
    inputs_d(x, l, d, scale, seed);
    const double dout[B] = { -0.01, 0.7, -1.3 };
    double want[B], two[B], got[B];
    grad_start(want_g, B * d);
    grad_start(two_g, B * d);
    grad_start(got_g, B * d);
    log_bernoulli_with_logits(want, x, l, B, d);
    log_bernoulli_with_logits_backward(want_g, dout, x, l, B, d);
    bernoulli_fast_log_lik(two, x, l, B, d);
    bernoulli_fast_log_lik_backward(two_g, dout, x, l, B, d);
    bernoulli_fast_log_lik_with_grad(got, got_g, dout, x, l, B, d);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, B, (cmp_bound_t){ 0, 1e-12 },
                             "fused vs plain log-likelihood"), "%s",
              r.message);
    cr_assert(compare_arrays(&r, want_g, got_g, B * d,
                             (cmp_bound_t){ 1e-15, 1e-13 },
                             "fused vs plain d log-likelihood / d logits"),
              "%s", r.message);
    cr_assert(compare_arrays(&r, two, got, B, (cmp_bound_t){ 0, 0 },
                             "fused vs two fast calls, log-likelihood"),
              "%s", r.message);
    cr_assert(compare_arrays(&r, two_g, got_g, B * d, (cmp_bound_t){ 0, 0 },
                             "fused vs two fast calls, d / d logits"),
              "%s", r.message);
    free(x);
    free(l);
    free(want_g);
    free(two_g);
    free(got_g);
}

Test(bernoulli_fast, with_grad_small_logits) { check_with_grad(D, 3.0, 6); }
Test(bernoulli_fast, with_grad_large_logits) { check_with_grad(D, 60.0, 7); }
Test(bernoulli_fast, with_grad_mnist_width) { check_with_grad(784, 8.0, 8); }
Test(bernoulli_fast, with_grad_short_rows) { check_with_grad(11, 30.0, 9); }

/* A row of fewer than 4 pixels is all tail: the plain loops, exactly. */
Test(bernoulli_fast, with_grad_tail_only)
{
    const double x[B * 3] = { 0, 1, 0.5, 1, 1, 0, 0.25, 0, 1 };
    const double l[B * 3] = { -2, 3, 0, 800, -800, 40, -708.5, 1e-3, -1e-3 };
    const double dout[B] = { 0.3, -1, 2 };
    double want[B], got[B], want_g[B * 3] = { 0 }, got_g[B * 3] = { 0 };
    log_bernoulli_with_logits(want, x, l, B, 3);
    log_bernoulli_with_logits_backward(want_g, dout, x, l, B, 3);
    bernoulli_fast_log_lik_with_grad(got, got_g, dout, x, l, B, 3);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, B, (cmp_bound_t){ 0, 0 },
                             "tail-only rows, log-likelihood"), "%s",
              r.message);
    cr_assert(compare_arrays(&r, want_g, got_g, B * 3, (cmp_bound_t){ 0, 0 },
                             "tail-only rows, d / d logits"), "%s",
              r.message);
}

/* A NaN logit in the vector part and one in the tail each show in their
 * row's value and their own gradient, and nowhere else. */
Test(bernoulli_fast, with_grad_nan_propagates)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double *g = calloc(B * D, sizeof *g);
    cr_assert(x && l && g);
    inputs(x, l, 3.0, 10);
    l[D + 40] = NAN;
    l[3 * D - 1] = NAN; /* D = 1101: the last pixel is the tail */
    double out[B];
    const double dout[B] = { 1, 1, 1 };
    bernoulli_fast_log_lik_with_grad(out, g, dout, x, l, B, D);
    cr_assert(isfinite(out[0]) && isnan(out[1]) && isnan(out[2]),
              "rows: %g %g %g", out[0], out[1], out[2]);
    cr_assert(isnan(g[D + 40]) && isfinite(g[D + 39]) && isfinite(g[D + 41]),
              "gradients around the NaN: %g %g %g", g[D + 39], g[D + 40],
              g[D + 41]);
    cr_assert(isnan(g[3 * D - 1]) && isfinite(g[3 * D - 2]),
              "gradients at the tail's NaN: %g %g", g[3 * D - 2],
              g[3 * D - 1]);
    free(x);
    free(l);
    free(g);
}

/* Huge logits: e^-|l| clamps at e^-708 = 3e-308, below an ulp of 1 + e,
 * so the value is x l - max(l, 0) exactly, the sigmoid 1 exactly above 0
 * and e^-708 instead of 0 below (the plain sigmoid's 0 within 1e-300). */
Test(bernoulli_fast, with_grad_huge_logits)
{
    enum { W = 8 };
    const double x[W] = { 0, 1, 0, 1, 1, 0, 0.5, 0.5 };
    const double l[W] = { -1e300, -1e300, 1e300, 1e300, -800, 800, -750, 750 };
    const double dout[1] = { -0.5 };
    double out[1], g[W] = { 0 };
    bernoulli_fast_log_lik_with_grad(out, g, dout, x, l, 1, W);
    const double want = -1e300 - 1e300 + (-800.0) - 800.0 + (-375.0 - 375.0);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, want, out[0], (cmp_bound_t){ 0, 1e-15 },
                             "log-likelihood at huge logits"), "%s",
              r.message);
    const double want_g[W] = { 0, -0.5, 0.5, 0, -0.5, 0.5, -0.25, 0.25 };
    cr_assert(compare_arrays(&r, want_g, g, W, (cmp_bound_t){ 1e-300, 0 },
                             "d / d logits at huge logits"), "%s",
              r.message);
}

/* ---- the fallback without AVX2 -------------------------------------------- */

/* bernoulli_fast.c built without its AVX2 kernels must be the plain loops
 * themselves, the fused call the two of them: the same bits. */
Test(bernoulli_fast, fallback_is_the_plain_loops)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double *want_g = malloc(B * D * sizeof *want_g);
    double *back_g = malloc(B * D * sizeof *back_g);
    double *got_g = malloc(B * D * sizeof *got_g);
    cr_assert(x && l && want_g && back_g && got_g);
    inputs(x, l, 20.0, 11);
    const double dout[B] = { -0.01, 0.7, -1.3 };
    double want[B], fwd[B], got[B];
    grad_start(want_g, B * D);
    grad_start(back_g, B * D);
    grad_start(got_g, B * D);
    log_bernoulli_with_logits(want, x, l, B, D);
    log_bernoulli_with_logits_backward(want_g, dout, x, l, B, D);
    plain_bernoulli_fast_log_lik(fwd, x, l, B, D);
    plain_bernoulli_fast_log_lik_backward(back_g, dout, x, l, B, D);
    plain_bernoulli_fast_log_lik_with_grad(got, got_g, dout, x, l, B, D);
    const cmp_bound_t same = { 0, 0 };
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, fwd, B, same, "fallback forward"),
              "%s", r.message);
    cr_assert(compare_arrays(&r, want_g, back_g, B * D, same,
                             "fallback backward"), "%s", r.message);
    cr_assert(compare_arrays(&r, want, got, B, same,
                             "fallback fused, log-likelihood"), "%s",
              r.message);
    cr_assert(compare_arrays(&r, want_g, got_g, B * D, same,
                             "fallback fused, d / d logits"), "%s",
              r.message);
    free(x);
    free(l);
    free(want_g);
    free(back_g);
    free(got_g);
}
