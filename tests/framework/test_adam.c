/* test_adam.c: Adam's first two updates against the closed forms of
 * PyTorch's algorithm, in float64 and float32, its convergence on a
 * quadratic, and its argument checks. Not a test of training. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "adam.h"
#include "numcheck/compare.h"
#include "rng.h"
#include "vg_error.h"

#define N 5
static const double P0[N] = { 1.0, -2.0, 0.5, 3.0, 0.25 };
static const double G1[N] = { 0.1, -0.2, 0.0, 1e-9, 40.0 };
static const double G2[N] = { -0.3, -0.2, 0.5, 1e-9, 0.0 };
static const double LR = 1e-3, B1 = 0.9, B2 = 0.999, EPS = 1e-8;

/* Written out for t = 1 and t = 2, from the definitions
 * mhat = m / (1 - b1^t), vhat = v / (1 - b2^t), p -= lr mhat / (sqrt(vhat)
 * + eps), in an order unlike adam.c's: at t = 1, mhat = g and vhat = g^2,
 * so the step is lr g / (|g| + eps); a zero gradient does not move p, and
 * a gradient far below eps moves it by ~lr g / eps. */
static void expected(double *p1, double *p2)
{
    for (int i = 0; i < N; i++) {
        double g = G1[i], h = G2[i];
        p1[i] = P0[i] - LR * g / (fabs(g) + EPS);
        double m = B1 * (1 - B1) * g + (1 - B1) * h;
        double v = B2 * (1 - B2) * g * g + (1 - B2) * h * h;
        double mhat = m / (1 - B1 * B1), vhat = v / (1 - B2 * B2);
        p2[i] = p1[i] - LR * mhat / (sqrt(vhat) + EPS);
    }
}

/* float64: a dozen roundings, each 2^-53 of the update (<= lr) or of p:
 * 1e-15 relative of p plus 1e-17 absolute (1e-14 of lr) is ~5x that. */
Test(adam, two_steps_match_closed_form_f64)
{
    double p[N], g[N], p1[N], p2[N];
    expected(p1, p2);
    memcpy(p, P0, sizeof p);
    adam_t opt;
    cr_assert_eq(adam_init(&opt, N, NN_FLOAT64, LR, B1, B2, EPS), VG_OK);
    memcpy(g, G1, sizeof g);
    adam_step(&opt, p, g);
    cmp_report_t r;
    cmp_bound_t b = { 1e-17, 1e-15 };
    cr_assert(compare_arrays(&r, p1, p, N, b, "p after step 1"), "%s", r.message);
    cr_assert_eq(p[2], P0[2], "a zero gradient does not move p");
    memcpy(g, G2, sizeof g);
    adam_step(&opt, p, g);
    cr_assert(compare_arrays(&r, p2, p, N, b, "p after step 2"), "%s", r.message);
    cr_assert_eq(opt.t, 2);
    adam_free(&opt);
}

/* float32 updates in float32: a dozen roundings of 2^-24 of the update
 * (<= lr, so 16 x 2^-24 x lr absolute) and one rounding of p per step
 * (2^-24 |p| each, two steps; 2^-22 relative gives 2x headroom). */
Test(adam, two_steps_match_closed_form_f32)
{
    float p[N], g[N];
    double p1[N], p2[N], got[N];
    expected(p1, p2);
    for (int i = 0; i < N; i++)
        p[i] = (float)P0[i];
    adam_t opt;
    cr_assert_eq(adam_init(&opt, N, NN_FLOAT32, LR, B1, B2, EPS), VG_OK);
    for (int i = 0; i < N; i++)
        g[i] = (float)G1[i];
    adam_step(&opt, p, g);
    for (int i = 0; i < N; i++)
        got[i] = p[i];
    cmp_report_t r;
    cmp_bound_t b = { 16 * 0x1.0p-24 * LR, 0x1.0p-22 };
    cr_assert(compare_arrays(&r, p1, got, N, b, "p after step 1 (f32)"), "%s",
              r.message);
    for (int i = 0; i < N; i++)
        g[i] = (float)G2[i];
    adam_step(&opt, p, g);
    for (int i = 0; i < N; i++)
        got[i] = p[i];
    cr_assert(compare_arrays(&r, p2, got, N, b, "p after step 2 (f32)"), "%s",
              r.message);
    adam_free(&opt);
}

/* f(p) = sum a_i (p_i - c_i)^2 / 2 with curvatures over three decades,
 * from p = 0 at lr = 1e-2. Adam's step is at most ~lr per coordinate, so
 * reaching c (up to 3 away) takes a few hundred steps; after that it is
 * gradient descent with a per-coordinate rate and converges linearly.
 * After 3000 steps: float64 within 1e-9 (its rounding floor is ~1e-15),
 * float32 within 1e-5, about 40 ulp of 3, where the gradient is rounding
 * noise and the normalised step jitters p by a few ulp. */
static void quadratic(nn_dtype_t dtype, double tol)
{
    const double a[4] = { 1, 10, 100, 0.1 }, c[4] = { 1, -2, 3, 0.5 };
    double pd[4] = { 0 }, gd[4];
    float pf[4] = { 0 }, gf[4];
    adam_t opt;
    cr_assert_eq(adam_init(&opt, 4, dtype, 1e-2, 0.9, 0.999, 1e-8), VG_OK);
    for (int t = 0; t < 3000; t++) {
        for (int i = 0; i < 4; i++) {
            double p = dtype == NN_FLOAT64 ? pd[i] : pf[i];
            gd[i] = a[i] * (p - c[i]);
            gf[i] = (float)gd[i];
        }
        if (dtype == NN_FLOAT64)
            adam_step(&opt, pd, gd);
        else
            adam_step(&opt, pf, gf);
    }
    double got[4];
    for (int i = 0; i < 4; i++)
        got[i] = dtype == NN_FLOAT64 ? pd[i] : pf[i];
    cmp_report_t r;
    cr_assert(compare_arrays(&r, c, got, 4, (cmp_bound_t){ tol, 0 },
                             "Adam on a quadratic after 3000 steps"),
              "dtype %d: %s", (int)dtype, r.message);
    adam_free(&opt);
}

Test(adam, drives_a_quadratic_to_its_minimum)
{
    quadratic(NN_FLOAT64, 1e-9);
    quadratic(NN_FLOAT32, 1e-5);
}

/* adam_step_consume against adam_step over five steps of random gradients:
 * the same parameters and moments bit for bit, its gradients 0 after each
 * step and adam_step's untouched; 1003 parameters, so the vector loop's
 * tail runs too. */
/* a[i] = v in dtype. */
static void put(void *a, nn_dtype_t dtype, size_t i, double v)
{
    if (dtype == NN_FLOAT32)
        ((float *)a)[i] = (float)v;
    else
        ((double *)a)[i] = v;
}

static void consume_matches(nn_dtype_t dtype)
{
    enum { M = 1003 };
    size_t es = (size_t)dtype;
    static char pa[M * 8], pb[M * 8], ga[M * 8], gb[M * 8], keep[M * 8];
    static char p0[M * 8];
    rng_t rng;
    rng_seed(&rng, 6);
    for (size_t i = 0; i < M; i++) {
        put(pa, dtype, i, rng_normal(&rng));
    }
    memcpy(pb, pa, M * es);
    memcpy(p0, pa, M * es);
    adam_t a, b;
    cr_assert_eq(adam_init(&a, M, dtype, LR, B1, B2, EPS), VG_OK);
    cr_assert_eq(adam_init(&b, M, dtype, LR, B1, B2, EPS), VG_OK);
    for (int t = 0; t < 5; t++) {
        for (size_t i = 0; i < M; i++) {
            put(ga, dtype, i, rng_normal(&rng) * (i % 7 == 0 ? 1e-6 : 1.0));
        }
        memcpy(gb, ga, M * es);
        memcpy(keep, ga, M * es);
        adam_step(&a, pa, ga);
        adam_step_consume(&b, pb, gb);
        cr_assert(memcmp(pa, pb, M * es) == 0,
                  "dtype %d step %d: parameters differ", (int)dtype, t);
        cr_assert(memcmp(a.m, b.m, M * es) == 0 &&
                  memcmp(a.v, b.v, M * es) == 0,
                  "dtype %d step %d: moments differ", (int)dtype, t);
        cr_assert(memcmp(ga, keep, M * es) == 0,
                  "dtype %d step %d: adam_step wrote its gradients",
                  (int)dtype, t);
        for (size_t i = 0; i < M * es; i++)
            cr_assert(gb[i] == 0, "dtype %d step %d: byte %zu of the "
                      "gradients is not 0 after adam_step_consume",
                      (int)dtype, t, i);
    }
    cr_assert(memcmp(pa, p0, M * es) != 0, "no parameter moved");
    adam_free(&a);
    adam_free(&b);
}

Test(adam, consume_updates_as_adam_step_and_zeroes_the_gradients)
{
    consume_matches(NN_FLOAT32);
    consume_matches(NN_FLOAT64);
}

Test(adam, init_checks_arguments)
{
    adam_t opt;
    cr_assert_eq(adam_init(&opt, 0, NN_FLOAT64, 1e-3, 0.9, 0.999, 1e-8), VG_ERR);
    cr_assert_eq(adam_init(&opt, 3, (nn_dtype_t)3, 1e-3, 0.9, 0.999, 1e-8), VG_ERR);
    cr_assert_eq(adam_init(&opt, 3, NN_FLOAT64, 0.0, 0.9, 0.999, 1e-8), VG_ERR);
    cr_assert_eq(adam_init(&opt, 3, NN_FLOAT64, 1e-3, 1.0, 0.999, 1e-8), VG_ERR);
    cr_assert_eq(adam_init(&opt, 3, NN_FLOAT64, 1e-3, 0.9, -0.1, 1e-8), VG_ERR);
    cr_assert_eq(adam_init(&opt, 3, NN_FLOAT64, NAN, 0.9, 0.999, 1e-8), VG_ERR);
    cr_assert(strstr(vg_error_last(), "adam_init"), "%s", vg_error_last());
    cr_assert_eq(adam_init(&opt, 3, NN_FLOAT32, 1e-3, 0.9, 0.999, 1e-8), VG_OK);
    const float *m = opt.m, *v = opt.v;
    for (int i = 0; i < 3; i++)
        cr_assert(m[i] == 0 && v[i] == 0, "moments start at zero");
    adam_free(&opt);
    cr_assert(opt.m == NULL && opt.v == NULL);
    adam_free(&opt); /* twice is harmless */
}
