/* test_utils_grad.c: every backward of the reference utils against central
 * differences (fd_check, float64) of L = sum_b w[b] out[b], plus the
 * accumulate-and-skip contract (+=, NULL skips). Not values (test_utils_values.c).
 *
 * Step and bound, for every check here unless it says otherwise: h = 1e-5,
 * |analytic - numeric| <= 1e-8 + 1e-6 |numeric|. With inputs of O(1) and
 * variances in [0.3, 3], third derivatives are O(100) at most, so the
 * truncation error h^2 |f'''| / 6 is below 2e-9; rounding adds eps |L| / h
 * ~ 2e-16 * 10 / 1e-5 = 2e-10. Both sit >5x under the absolute part and far
 * under the relative part for gradients of O(0.1) and more.
 * Shapes: B batch, D dimension, K mixture components, n flat length. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "numcheck/finite_diff.h"
#include "utils_inputs.h"

/* The sizes of a case and the upstream weights; theta packs every input
 * of the function checked into one array, so one fd_check covers all. */
typedef struct grad_case {
    size_t batch, k, dim;
    const double *w;  /* (B) upstream gradient dout */
    double *out;      /* (B) forward output */
    uint64_t seed;    /* sample_gaussian: common random numbers */
} grad_case_t;

static void check(double (*f)(void *, const double *), grad_case_t *c,
                  double *theta, size_t n, const double *grad, const char *what)
{
    fd_options_t opt = fd_options_default();
    opt.what = what;
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f, c, theta, n, grad, &opt), "%s", r.message);
}

/* Calls `backward` twice on the same inputs: into zeroed gradients (g) and
 * into gradients holding 1 (h); h must be 1 + g, i.e. += not =. Where a
 * backward adds several contributions into one element (the mixture's dz
 * over K), starting from 1 rounds each sum differently: K additions of
 * terms of O(10) differ by K * 10 * 1.1e-16 ~ 1e-14 at most, so 1e-12
 * absolute is safe, and an `=` (off by exactly 1) fails it. */
static void check_accumulates(const double *g, const double *h, size_t n,
                              const char *what)
{
    double *want = malloc(n * sizeof *want);   /* (n) 1 + g */
    cr_assert_not_null(want);
    for (size_t i = 0; i < n; i++)
        want[i] = 1.0 + g[i];
    cmp_report_t r;
    int ok = compare_arrays(&r, want, h, n, (cmp_bound_t){ 1e-12, 0 }, what);
    free(want);
    cr_assert(ok, "does it accumulate (+=)? %s", r.message);
}

/* ---- sample_gaussian ---------------------------------------------------- */

/* theta = [m (n) | v (n)]; eps is redrawn from the same seed at every call,
 * so L is a smooth function of m and v (the reparameterisation trick). */
static double f_sample(void *ctx, const double *t)
{
    grad_case_t *c = ctx;
    size_t n = c->batch;
    double *z = c->out, *eps = c->out + n;
    rng_t rng;
    rng_seed(&rng, c->seed);
    sample_gaussian(&rng, t, t + n, n, z, eps);
    return dot(c->w, z, n);
}

Test(utils_grad, sample_gaussian_backward)
{
    enum { N = 9 };
    double theta[2 * N], w[N], out[2 * N], g[2 * N] = { 0 }, h[2 * N];
    rng_t rng;
    rng_seed(&rng, 101);
    fill_uniform(&rng, theta, N, -2, 2);
    fill_uniform(&rng, theta + N, N, 0.3, 3);
    fill_uniform(&rng, w, N, -1, 1);
    grad_case_t c = { N, 0, 1, w, out, 555 };
    f_sample(&c, theta);
    const double *eps = out + N;
    sample_gaussian_backward(g, g + N, w, theta + N, eps, N);
    check(f_sample, &c, theta, 2 * N, g, "d sample_gaussian / d(m, v)");

    for (size_t i = 0; i < 2 * N; i++)
        h[i] = 1;
    sample_gaussian_backward(h, h + N, w, theta + N, eps, N);
    check_accumulates(g, h, 2 * N, "sample_gaussian_backward");
    for (size_t i = 0; i < 2 * N; i++)
        h[i] = 1;
    sample_gaussian_backward(NULL, h + N, w, theta + N, eps, N);
    check_accumulates(g + N, h + N, N, "sample_gaussian_backward (dm NULL)");
}

/* ---- log_normal ---------------------------------------------------------- */

/* theta = [x (B,D) | m (B,D) | v (B,D)] */
static double f_log_normal(void *ctx, const double *t)
{
    grad_case_t *c = ctx;
    size_t bd = c->batch * c->dim;
    log_normal(t, t + bd, t + 2 * bd, c->batch, c->dim, c->out);
    return dot(c->w, c->out, c->batch);
}

Test(utils_grad, log_normal_backward)
{
    enum { B = 3, D = 4, BD = B * D };
    double theta[3 * BD], w[B], out[B], g[3 * BD] = { 0 }, h[3 * BD];
    rng_t rng;
    rng_seed(&rng, 102);
    fill_uniform(&rng, theta, 2 * BD, -2, 2);
    fill_uniform(&rng, theta + 2 * BD, BD, 0.3, 3);
    fill_uniform(&rng, w, B, -1, 1);
    grad_case_t c = { B, 0, D, w, out, 0 };
    const double *x = theta, *m = theta + BD, *v = theta + 2 * BD;
    log_normal_backward(g, g + BD, g + 2 * BD, w, x, m, v, B, D);
    check(f_log_normal, &c, theta, 3 * BD, g, "d log_normal / d(x, m, v)");

    for (size_t i = 0; i < 3 * BD; i++)
        h[i] = 1;
    log_normal_backward(h, h + BD, h + 2 * BD, w, x, m, v, B, D);
    check_accumulates(g, h, 3 * BD, "log_normal_backward");
    for (size_t i = 0; i < 3 * BD; i++)
        h[i] = 1;
    log_normal_backward(NULL, h + BD, NULL, w, x, m, v, B, D);
    check_accumulates(g + BD, h + BD, BD, "log_normal_backward (dx, dv NULL)");
}

/* ---- log_normal_mixture ----------------------------------------------------- */

/* theta = [z (B,D) | m (K,D) | v (K,D)] */
static double f_mixture(void *ctx, const double *t)
{
    grad_case_t *c = ctx;
    size_t bd = c->batch * c->dim, kd = c->k * c->dim;
    log_normal_mixture(t, t + bd, t + bd + kd, c->batch, c->k, c->dim, c->out);
    return dot(c->w, c->out, c->batch);
}

Test(utils_grad, log_normal_mixture_backward)
{
    enum { B = 3, K = 5, D = 2, BD = B * D, KD = K * D, N = BD + 2 * KD };
    double theta[N], w[B], out[B], g[N] = { 0 }, h[N];
    rng_t rng;
    rng_seed(&rng, 103);
    fill_uniform(&rng, theta, BD + KD, -2, 2);
    fill_uniform(&rng, theta + BD + KD, KD, 0.3, 3);
    fill_uniform(&rng, w, B, -1, 1);
    grad_case_t c = { B, K, D, w, out, 0 };
    const double *z = theta, *m = theta + BD, *v = theta + BD + KD;
    log_normal_mixture_backward(g, g + BD, g + BD + KD, w, z, m, v, B, K, D);
    check(f_mixture, &c, theta, N, g, "d log_normal_mixture / d(z, m, v)");

    for (size_t i = 0; i < N; i++)
        h[i] = 1;
    log_normal_mixture_backward(h, h + BD, h + BD + KD, w, z, m, v, B, K, D);
    check_accumulates(g, h, N, "log_normal_mixture_backward");
    for (size_t i = 0; i < N; i++)
        h[i] = 1;
    log_normal_mixture_backward(NULL, NULL, h + BD + KD, w, z, m, v, B, K, D);
    check_accumulates(g + BD + KD, h + BD + KD, KD,
                      "log_normal_mixture_backward (dz, dm NULL)");
}

/* More rows than the reference's internal chunk of 64, so that dm and dv
 * collect contributions across chunks. */
Test(utils_grad, log_normal_mixture_backward_many_rows)
{
    enum { B = 67, K = 3, D = 2, BD = B * D, KD = K * D, N = BD + 2 * KD };
    double theta[N], w[B], out[B], g[N] = { 0 };
    rng_t rng;
    rng_seed(&rng, 106);
    fill_uniform(&rng, theta, BD + KD, -2, 2);
    fill_uniform(&rng, theta + BD + KD, KD, 0.3, 3);
    fill_uniform(&rng, w, B, -1, 1);
    grad_case_t c = { B, K, D, w, out, 0 };
    log_normal_mixture_backward(g, g + BD, g + BD + KD, w, theta, theta + BD,
                                theta + BD + KD, B, K, D);
    check(f_mixture, &c, theta, N, g, "d log_normal_mixture / d(z, m, v), B=67");
}

/* Far from every component: the responsibilities must come from the
 * shifted form (the unshifted densities are all 0, giving 0/0). z is 1000
 * std from one component and 1001 from the other, so the near one takes
 * all the weight. Here L ~ -5e5 and the gradients are 1e3 (z, m0) and
 * (1e6 - 1)/2 (v0); the far component's are exactly 0. Step h = 1e-4:
 * rounding eps |L| / h = 2.2e-16 * 5e5 / 1e-4 ~ 1e-6 absolute, and
 * truncation h^2 |f'''| / 6 with f''' = 3e6 / v^4 in v is 5e-3, i.e. 1e-8
 * of dv. The relative part (1e-6) is then >100x over both; the absolute
 * part 1e-4 is 100x the rounding and covers the exact zeros. */
Test(utils_grad, log_normal_mixture_backward_far)
{
    enum { B = 1, K = 2, D = 1, N = B * D + 2 * K * D };
    /* theta = [z | m0 m1 | v0 v1] */
    double theta[N] = { 0.0, 1000.0, -1001.0, 1.0, 1.0 };
    double w[B] = { 1.0 }, out[B], g[N] = { 0 };
    grad_case_t c = { B, K, D, w, out, 0 };
    log_normal_mixture_backward(g, g + 1, g + 3, w, theta, theta + 1, theta + 3,
                                B, K, D);
    for (size_t i = 0; i < N; i++)
        cr_assert(isfinite(g[i]), "gradient [%zu] is %g far from the modes", i, g[i]);
    fd_options_t opt = fd_options_default();
    opt.step = 1e-4;
    opt.bound = (cmp_bound_t){ 1e-4, 1e-6 };
    opt.what = "d log_normal_mixture / d(z, m, v), 1000 std away";
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f_mixture, &c, theta, N, g, &opt), "%s", r.message);
}

/* ---- kl_normal ------------------------------------------------------------- */

/* theta = [qm | qv | pm | pv], each (B,D) */
static double f_kl(void *ctx, const double *t)
{
    grad_case_t *c = ctx;
    size_t bd = c->batch * c->dim;
    kl_normal(t, t + bd, t + 2 * bd, t + 3 * bd, c->batch, c->dim, c->out);
    return dot(c->w, c->out, c->batch);
}

static void kl_case(uint64_t seed, int near_q)
{
    enum { B = 3, D = 4, BD = B * D, N = 4 * BD };
    double theta[N], w[B], out[B], g[N] = { 0 }, h[N];
    rng_t rng;
    rng_seed(&rng, seed);
    fill_uniform(&rng, theta, BD, -2, 2);              /* qm */
    fill_uniform(&rng, theta + BD, BD, 0.3, 3);        /* qv */
    fill_uniform(&rng, theta + 2 * BD, BD, -2, 2);     /* pm */
    fill_uniform(&rng, theta + 3 * BD, BD, 0.3, 3);    /* pv */
    if (near_q)  /* p within 1% of q: the stable branch of the KL */
        for (size_t i = 0; i < 2 * BD; i++)
            theta[2 * BD + i] = theta[i] * (1 + 0.01 * (rng_uniform(&rng) - 0.5));
    fill_uniform(&rng, w, B, -1, 1);
    grad_case_t c = { B, 0, D, w, out, 0 };
    const double *qm = theta, *qv = theta + BD, *pm = theta + 2 * BD, *pv = theta + 3 * BD;
    kl_normal_backward(g, g + BD, g + 2 * BD, g + 3 * BD, w, qm, qv, pm, pv, B, D);
    check(f_kl, &c, theta, N, g,
          near_q ? "d kl_normal / d(qm, qv, pm, pv), p near q"
                 : "d kl_normal / d(qm, qv, pm, pv)");

    for (size_t i = 0; i < N; i++)
        h[i] = 1;
    kl_normal_backward(h, h + BD, h + 2 * BD, h + 3 * BD, w, qm, qv, pm, pv, B, D);
    check_accumulates(g, h, N, "kl_normal_backward");
    for (size_t i = 0; i < N; i++)
        h[i] = 1;
    kl_normal_backward(NULL, h + BD, NULL, NULL, w, qm, qv, pm, pv, B, D);
    check_accumulates(g + BD, h + BD, BD, "kl_normal_backward (only dqv)");
}

Test(utils_grad, kl_normal_backward)
{
    kl_case(104, 0);
}

Test(utils_grad, kl_normal_backward_near_q)
{
    kl_case(105, 1);
}
