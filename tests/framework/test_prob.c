/* test_prob.c: prob.c's helpers at ordinary and extreme inputs against
 * closed forms and identities, and every backward by central differences
 * in float64. Not a test of student code.
 * Shapes: B batch, D data dimension, Z latent, K classes.
 *
 * Finite differences, unless a test says otherwise: fd_options_default(),
 * step h = 1e-5 and bound 1e-8 + 1e-6 |numeric|: for these smooth O(1)
 * functions truncation is ~h^2 = 1e-10 and rounding ~1e-16 |f| / h, so
 * the bound has orders of magnitude of headroom. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "numcheck/compare.h"
#include "numcheck/finite_diff.h"
#include "prob.h"
#include "rng.h"

static void fill_normal(double *x, size_t n, double scale, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = scale * rng_normal(&r);
}

static void fd_assert(double (*f)(void *, const double *), void *ctx,
                      double *x, size_t n, const double *grad,
                      const char *what)
{
    fd_options_t opt = fd_options_default();
    opt.what = what;
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f, ctx, x, n, grad, &opt), "%s", r.message);
}

/* ---- softplus, sigmoid ---------------------------------------------------- */

/* At |x| >= 40, e^-|x| < 4.3e-18 is below half an ulp of |x| (and of 1),
 * so softplus(x) is x exactly for large positive x. For negative x the
 * exact value is e^x (1 - e^x/2 + ...), so e^x to 1e-15 relative covers
 * the series' second term (< e^-40 / 2) and libm's rounding. */
Test(prob, softplus_exact_for_large_inputs)
{
    cr_assert_eq(softplus(1000.0), 1000.0);
    cr_assert_eq(softplus(40.0), 40.0);
    cr_assert_eq(softplus(800.0), 800.0); /* exp(800) would overflow */
    cr_assert_eq(softplus(-1000.0), 0.0); /* e^-1000 underflows to 0 too */
    cmp_report_t r;
    cr_assert(compare_scalar(&r, exp(-40.0), softplus(-40.0),
                             (cmp_bound_t){ 0, 1e-15 }, "softplus(-40)"),
              "%s", r.message);
    cr_assert(compare_scalar(&r, exp(-700.0), softplus(-700.0),
                             (cmp_bound_t){ 0, 1e-15 }, "softplus(-700)"),
              "%s", r.message);
    cr_assert(isinf(softplus(INFINITY)) && softplus(INFINITY) > 0);
}

/* softplus(x) - softplus(-x) = x and softplus(0) = log 2: a few roundings
 * of values below |x| + 1, so 4 ulp of that (1e-15 relative). */
Test(prob, softplus_identities)
{
    cmp_report_t r;
    cr_assert(compare_scalar(&r, log(2.0), softplus(0.0),
                             (cmp_bound_t){ 0, 2.3e-16 }, "softplus(0)"),
              "%s", r.message);
    double xs[] = { 1e-12, 0.1, 1, 5, 20, 36, 37, 50 };
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        cr_assert(compare_scalar(&r, x, softplus(x) - softplus(-x),
                                 (cmp_bound_t){ 4e-16 * (1 + x), 0 },
                                 "softplus(x) - softplus(-x)"),
                  "x = %g: %s", x, r.message);
        cr_assert(compare_scalar(&r, log1p(exp(x)), softplus(x),
                                 (cmp_bound_t){ 0, 4e-16 }, "log1p(exp x)"),
                  "x = %g: %s", x, r.message);
    }
}

Test(prob, sigmoid_values_and_symmetry)
{
    cr_assert_eq(sigmoid(0.0), 0.5);
    cr_assert_eq(sigmoid(1000.0), 1.0);
    cr_assert_eq(sigmoid(-1000.0), 0.0);
    cr_assert(sigmoid(-745.0) >= 0.0 && !isnan(sigmoid(-745.0)));
    cmp_report_t r;
    double xs[] = { -30, -3, -0.5, 0.25, 2, 17 };
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        double x = xs[i];
        /* sigmoid(x) + sigmoid(-x) = 1: two roundings of values <= 1 */
        cr_assert(compare_scalar(&r, 1.0, sigmoid(x) + sigmoid(-x),
                                 (cmp_bound_t){ 4.5e-16, 0 }, "symmetry"),
                  "x = %g: %s", x, r.message);
        /* derivative of softplus by a central difference, h = 1e-6:
         * truncation h^2 |sigmoid''| / 6 < 1e-13, rounding 1e-16 |x| / h
         * < 2e-9 */
        double h = 1e-6, fd = (softplus(x + h) - softplus(x - h)) / (2 * h);
        cr_assert(compare_scalar(&r, fd, sigmoid(x),
                                 (cmp_bound_t){ 1e-8, 1e-8 }, "softplus'"),
                  "x = %g: %s", x, r.message);
    }
}

/* ---- gaussian_parameters -------------------------------------------------- */

Test(prob, gaussian_parameters_split)
{
    const size_t B = 3, Z = 4;
    double h[3 * 8], m[3 * 4], v[3 * 4];
    fill_normal(h, B * 2 * Z, 3.0, 1);
    h[5] = -1000; /* softplus underflows: v is the 1e-8 floor, not 0 */
    gaussian_parameters(m, v, h, B, Z);
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < Z; j++) {
            cr_assert_eq(m[b * Z + j], h[b * 2 * Z + j]);
            cr_assert_eq(v[b * Z + j], softplus(h[b * 2 * Z + Z + j]) + 1e-8);
            cr_assert(v[b * Z + j] >= 1e-8);
        }
    cr_assert_eq(v[1], 1e-8);
}

typedef struct gp_ctx {
    size_t batch, z;
    const double *wm, *wv; /* (B,Z) upstream */
} gp_ctx_t;

static double gp_loss(void *ctx, const double *h)
{
    gp_ctx_t *c = ctx;
    double m[2 * 3], v[2 * 3], s = 0;
    gaussian_parameters(m, v, h, c->batch, c->z);
    for (size_t i = 0; i < c->batch * c->z; i++)
        s += c->wm[i] * m[i] + c->wv[i] * v[i];
    return s;
}

Test(prob, gaussian_parameters_backward_fd)
{
    const size_t B = 2, Z = 3;
    double h[2 * 6], wm[2 * 3], wv[2 * 3], dh[2 * 6] = { 0 };
    fill_normal(h, B * 2 * Z, 2.0, 2);
    fill_normal(wm, B * Z, 1.0, 3);
    fill_normal(wv, B * Z, 1.0, 4);
    gaussian_parameters_backward(dh, wm, wv, h, B, Z);
    gp_ctx_t c = { B, Z, wm, wv };
    fd_assert(gp_loss, &c, h, B * 2 * Z, dh, "d/dh gaussian_parameters");

    /* NULL upstream is zero; and backward accumulates */
    double d2[2 * 6];
    for (size_t i = 0; i < B * 2 * Z; i++)
        d2[i] = 1.0;
    gaussian_parameters_backward(d2, NULL, wv, h, B, Z);
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < Z; j++) {
            cr_assert_eq(d2[b * 2 * Z + j], 1.0);
            cr_assert_eq(d2[b * 2 * Z + Z + j], 1.0 + dh[b * 2 * Z + Z + j]);
        }
}

/* ---- log_bernoulli_with_logits ------------------------------------------- */

/* x l - softplus(l) at l = +-1000 is exact (softplus is exact there): the
 * naive log(sigmoid) would give log(0) = -inf or lose everything. */
Test(prob, log_bernoulli_exact_at_extreme_logits)
{
    double x[4] = { 1, 0, 1, 0 }, l[4] = { 1000, 1000, -1000, -1000 };
    double out[4];
    log_bernoulli_with_logits(out, x, l, 4, 1);
    cr_assert_eq(out[0], 0.0);
    cr_assert_eq(out[1], -1000.0);
    cr_assert_eq(out[2], -1000.0);
    cr_assert_eq(out[3], 0.0);

    /* a row of D = 4 sums them; grayscale x = 0.25 gives 250 - 1000 */
    double sum;
    log_bernoulli_with_logits(&sum, x, l, 1, 4);
    cr_assert_eq(sum, -2000.0);
    double xg = 0.25, lg = 1000, og;
    log_bernoulli_with_logits(&og, &xg, &lg, 1, 1);
    cr_assert_eq(og, -750.0);

    /* its gradient there is x - sigmoid(l): exactly 0, -1, 1, 0 */
    double dl[4] = { 0 }, one = 1;
    for (int i = 0; i < 4; i++)
        log_bernoulli_with_logits_backward(&dl[i], &one, &x[i], &l[i], 1, 1);
    cr_assert_eq(dl[0], 0.0);
    cr_assert_eq(dl[1], -1.0);
    cr_assert_eq(dl[2], 1.0);
    cr_assert_eq(dl[3], 0.0);
}

/* At moderate logits it equals x log s + (1 - x) log(1 - s) computed
 * directly. The direct form is the less accurate one: 1 - s carries an
 * absolute rounding of 2^-53, so log(1 - s) is off by ~1.1e-16 / (1 - s),
 * at most 6.2e-15 for |l| <= 4 (1 - s >= 0.018); five terms per row, so
 * 1e-13 absolute. */
Test(prob, log_bernoulli_matches_definition)
{
    const size_t B = 3, D = 5;
    double x[3 * 5], l[3 * 5], out[3], want[3] = { 0 };
    rng_t r;
    rng_seed(&r, 5);
    for (size_t i = 0; i < B * D; i++) {
        x[i] = rng_uniform(&r);
        l[i] = rng_normal(&r);
        cr_assert(fabs(l[i]) <= 4, "the bound assumes |l| <= 4");
        double s = 1 / (1 + exp(-l[i]));
        want[i / D] += x[i] * log(s) + (1 - x[i]) * log(1 - s);
    }
    log_bernoulli_with_logits(out, x, l, B, D);
    cmp_report_t rep;
    cr_assert(compare_arrays(&rep, want, out, B, (cmp_bound_t){ 1e-13, 0 },
                             "log_bernoulli"), "%s", rep.message);
}

typedef struct lb_ctx {
    size_t batch, d;
    const double *x, *w; /* x (B,D), w (B) */
} lb_ctx_t;

static double lb_loss(void *ctx, const double *l)
{
    lb_ctx_t *c = ctx;
    double out[4], s = 0;
    log_bernoulli_with_logits(out, c->x, l, c->batch, c->d);
    for (size_t b = 0; b < c->batch; b++)
        s += c->w[b] * out[b];
    return s;
}

Test(prob, log_bernoulli_backward_fd)
{
    const size_t B = 4, D = 6;
    double x[4 * 6], l[4 * 6], w[4], dl[4 * 6] = { 0 };
    rng_t r;
    rng_seed(&r, 6);
    for (size_t i = 0; i < B * D; i++) {
        x[i] = rng_uniform(&r);
        l[i] = 3 * rng_normal(&r);
    }
    fill_normal(w, B, 1.0, 7);
    log_bernoulli_with_logits_backward(dl, w, x, l, B, D);
    lb_ctx_t c = { B, D, x, w };
    fd_assert(lb_loss, &c, l, B * D, dl, "d/dlogits log_bernoulli");
}

/* ---- log_softmax ---------------------------------------------------------- */

Test(prob, log_softmax_normalised_and_stable)
{
    const size_t B = 3, K = 4;
    double l[3 * 4] = { 1, 2, 3, 4,   1000, 0, -1000, 999,   -5, -5, -5, -5 };
    double lp[3 * 4], p[3 * 4];
    log_softmax(lp, p, l, B, K);
    for (size_t b = 0; b < B; b++) {
        /* p = exp(l - lse): lse is rounded at its own scale (|lse| <=
         * |max l| + log K), so each p is off by up to 2^-53 (|max l| + 2)
         * relative, and summing K of them adds K roundings below 1. */
        double s = 0, mx = 0;
        for (size_t k = 0; k < K; k++)
            mx = fmax(mx, fabs(l[b * K + k]));
        double tol = 0x1.0p-53 * (mx + 2 + K);
        for (size_t k = 0; k < K; k++) {
            cr_assert(isfinite(lp[b * K + k]), "log_p[%zu] = %g", b * K + k,
                      lp[b * K + k]);
            cr_assert_eq(p[b * K + k], exp(lp[b * K + k]));
            s += p[b * K + k];
        }
        cr_assert(fabs(s - 1) <= tol, "row %zu sums to %.17g (bound %.2g)",
                  b, s, tol);
    }
    /* Row 2's log-sum-exp is 1000 + log(1 + e^-1): the leader's log_p is
     * -log(1 + e^-1), off by the rounding of lse near 1000 (ulp 1.1e-13;
     * bound 3 ulp) and -2000.3 for -1000 (ulp 2.3e-13; bound 4 ulp). Row
     * 3 is uniform: log(1/4) after two roundings at the scale of 5 (ulp
     * 8.9e-16). */
    double lse = 1000 + log1p(exp(-1.0));
    cr_assert(fabs(lp[4] - (1000 - lse)) < 3.5e-13, "%.17g", lp[4]);
    cr_assert(fabs(lp[6] - (-1000 - lse)) < 1e-12, "%.17g", lp[6]);
    cr_assert(fabs(lp[8] - log(0.25)) < 2e-15, "%.17g", lp[8]);
    /* p may be NULL */
    log_softmax(lp, NULL, l, B, K);
}

typedef struct ls_ctx {
    size_t batch, k;
    const double *w; /* (B,K) */
} ls_ctx_t;

static double ls_loss(void *ctx, const double *l)
{
    ls_ctx_t *c = ctx;
    double lp[3 * 5], s = 0;
    log_softmax(lp, NULL, l, c->batch, c->k);
    for (size_t i = 0; i < c->batch * c->k; i++)
        s += c->w[i] * lp[i];
    return s;
}

Test(prob, log_softmax_backward_fd)
{
    const size_t B = 3, K = 5;
    double l[3 * 5], w[3 * 5], lp[3 * 5], dl[3 * 5] = { 0 };
    fill_normal(l, B * K, 2.0, 8);
    fill_normal(w, B * K, 1.0, 9);
    log_softmax(lp, NULL, l, B, K);
    log_softmax_backward(dl, w, lp, B, K);
    ls_ctx_t c = { B, K, w };
    fd_assert(ls_loss, &c, l, B * K, dl, "d/dlogits log_softmax");
}

/* ---- kl_cat --------------------------------------------------------------- */

/* KL(q || uniform over K) = sum q log q + log K, and KL(q || q) = 0. */
Test(prob, kl_cat_values)
{
    const size_t K = 4;
    double q[4] = { 0.5, 0.25, 0.125, 0.125 }, lq[4], lu[4], out;
    for (size_t k = 0; k < K; k++) {
        lq[k] = log(q[k]);
        lu[k] = log(0.25);
    }
    kl_cat(&out, q, lq, lu, 1, K);
    double want = 0.5 * log(0.5) + 0.25 * log(0.25) + 0.25 * log(0.125) + log(4.0);
    cr_assert(fabs(out - want) < 1e-15, "kl %.17g want %.17g", out, want);
    kl_cat(&out, q, lq, lq, 1, K);
    cr_assert_eq(out, 0.0);
    /* q underflowed to 0 with a finite log q adds nothing, not NaN */
    double q0[2] = { 1.0, 0.0 }, lq0[2] = { 0.0, -1000.0 }, lp0[2] = { log(0.5), log(0.5) };
    kl_cat(&out, q0, lq0, lp0, 1, 2);
    cr_assert_eq(out, log(2.0));
}

typedef struct kc_ctx {
    size_t batch, k;
    const double *q, *lq, *lp, *w;
    int wrt; /* 0: q, 1: log_q, 2: logits through log_softmax */
} kc_ctx_t;

static double kc_loss(void *ctx, const double *x)
{
    kc_ctx_t *c = ctx;
    double out[3], lq[3 * 4], q[3 * 4], s = 0;
    if (c->wrt == 0)
        kl_cat(out, x, c->lq, c->lp, c->batch, c->k);
    else if (c->wrt == 1)
        kl_cat(out, c->q, x, c->lp, c->batch, c->k);
    else {
        log_softmax(lq, q, x, c->batch, c->k);
        kl_cat(out, q, lq, c->lp, c->batch, c->k);
    }
    for (size_t b = 0; b < c->batch; b++)
        s += c->w[b] * out[b];
    return s;
}

/* Each input on its own, then the chain the header describes: dq reaches
 * log_q as dq * q, and both go through log_softmax_backward. */
Test(prob, kl_cat_backward_fd)
{
    const size_t B = 3, K = 4;
    double l[3 * 4], q[3 * 4], lq[3 * 4], lp[4], w[3];
    fill_normal(l, B * K, 1.5, 10);
    fill_normal(w, B, 1.0, 11);
    log_softmax(lq, q, l, B, K);
    double lpl[4];
    fill_normal(lpl, K, 1.0, 12);
    log_softmax(lp, NULL, lpl, 1, K);

    double dq[3 * 4] = { 0 }, dlq[3 * 4] = { 0 };
    kl_cat_backward(dq, dlq, w, q, lq, lp, B, K);
    kc_ctx_t c = { B, K, q, lq, lp, w, 0 };
    double x[3 * 4];
    memcpy(x, q, sizeof x);
    fd_assert(kc_loss, &c, x, B * K, dq, "d kl_cat / dq");
    c.wrt = 1;
    memcpy(x, lq, sizeof x);
    fd_assert(kc_loss, &c, x, B * K, dlq, "d kl_cat / dlog_q");

    double dlp[3 * 4], dl[3 * 4] = { 0 };
    for (size_t i = 0; i < B * K; i++)
        dlp[i] = dlq[i] + dq[i] * q[i];
    log_softmax_backward(dl, dlp, lq, B, K);
    c.wrt = 2;
    fd_assert(kc_loss, &c, l, B * K, dl, "d kl_cat(softmax(l)) / dl");

    /* NULL skips one output, and the other is unchanged */
    double dq2[3 * 4] = { 0 };
    kl_cat_backward(dq2, NULL, w, q, lq, lp, B, K);
    for (size_t i = 0; i < B * K; i++)
        cr_assert_eq(dq2[i], dq[i]);
}
