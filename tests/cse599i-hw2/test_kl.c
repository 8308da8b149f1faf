/* test_kl.c: kl.c of the cse599i-hw2 reference: the closed-form KL and the
 * two log densities against hand values and at extreme variances, every
 * backward by central differences (float64) with the accumulate contract,
 * and the one-sample Monte Carlo KL's mean against the closed form.
 * FD step and bound: h = 1e-5, |analytic - numeric| <= 1e-7 + 1e-6
 * |numeric| on O(10) values with variances in [0.2, 3]: rounding
 * eps |L| / h ~ 1e-10, truncation h^2 |f'''| / 6 with |f'''| <= 6 / var^3
 * ~ 1e-8: both under the bound.
 * Shapes: B batch, Z latent. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "cse_setup.h"

enum { B = 3, Z = 4 };
#define LOG_2PI 1.8378770664093454835606594728112353

static fd_options_t options(const char *what)
{
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-7, 1e-6 };
    o.what = what;
    return o;
}

Test(kl, closed_form_values)
{
    double mu[2] = { 0.0, 1.5 }, var[2] = { 1.0, 0.25 }, out[1];
    kl_standard_normal(mu, var, 1, 1, out);
    cr_assert_eq(out[0], 0.0, "KL(N(0,1) || N(0,1)) = %g", out[0]);
    kl_standard_normal(mu + 1, var + 1, 1, 1, out);
    double want = 0.5 * (0.25 + 2.25 - 1.0 - log(0.25)); /* by hand */
    cr_assert_float_eq(out[0], want, 1e-15);
    /* sum over Z, per row */
    double mu2[4] = { 0.0, 1.5, 1.5, 0.0 }, var2[4] = { 1.0, 0.25, 0.25, 1.0 };
    double o2[2];
    kl_standard_normal(mu2, var2, 2, 2, o2);
    cr_assert_float_eq(o2[0], want, 1e-15);
    cr_assert_float_eq(o2[1], want, 1e-15);
}

Test(kl, closed_form_extreme_variances)
{
    /* var = 1e-300: 1/2 (1e-300 - 1 + 690.7755...) = 344.8877...;
     * var = 1e300: 1/2 (1e300 - 1 - 690.7755) = 5e299 to rounding */
    double mu[2] = { 0.0, 0.0 }, var[2] = { 1e-300, 1e300 }, out[2];
    kl_standard_normal(mu, var, 2, 1, out);
    cr_assert_float_eq(out[0], 0.5 * (300.0 * log(10.0) - 1.0), 1e-12);
    cr_assert(isfinite(out[1]) && fabs(out[1] / 5e299 - 1.0) < 1e-15,
              "KL at var 1e300: %g", out[1]);
}

Test(kl, log_densities_values)
{
    double z[2] = { 0.3, -1.2 }, mu[2] = { 0.3, 0.8 }, var[2] = { 2.0, 0.5 };
    double out[1], want;
    log_normal_diag(z, mu, var, 1, 2, out);
    want = -0.5 * (2 * LOG_2PI + log(2.0) + log(0.5) + 4.0 / 0.5);
    cr_assert_float_eq(out[0], want, 1e-14);
    log_standard_normal(z, 1, 2, out);
    want = -0.5 * (2 * LOG_2PI + 0.09 + 1.44);
    cr_assert_float_eq(out[0], want, 1e-14);
    /* N(z | 0, 1) both ways */
    double zero[2] = { 0, 0 }, one[2] = { 1, 1 }, o2[1];
    log_normal_diag(z, zero, one, 1, 2, o2);
    cr_assert_float_eq(o2[0], out[0], 1e-14);
}

typedef struct kl_case {
    const double *w;
    double *mu, *var, *z;
} kl_case_t;

static double f_kl_mu(void *ctx, const double *mu)
{
    kl_case_t *c = ctx;
    double out[B];
    kl_standard_normal(mu, c->var, B, Z, out);
    return dot(c->w, out, B);
}

static double f_kl_var(void *ctx, const double *var)
{
    kl_case_t *c = ctx;
    double out[B];
    kl_standard_normal(c->mu, var, B, Z, out);
    return dot(c->w, out, B);
}

static double f_ln(kl_case_t *c)
{
    double out[B];
    log_normal_diag(c->z, c->mu, c->var, B, Z, out);
    return dot(c->w, out, B);
}
static double f_ln_z(void *ctx, const double *z)
{
    kl_case_t *c = ctx;
    memcpy(c->z, z, B * Z * sizeof *z);
    return f_ln(c);
}
static double f_ln_mu(void *ctx, const double *mu)
{
    kl_case_t *c = ctx;
    memcpy(c->mu, mu, B * Z * sizeof *mu);
    return f_ln(c);
}
static double f_ln_var(void *ctx, const double *var)
{
    kl_case_t *c = ctx;
    memcpy(c->var, var, B * Z * sizeof *var);
    return f_ln(c);
}
static double f_std(void *ctx, const double *z)
{
    kl_case_t *c = ctx;
    double out[B];
    log_standard_normal(z, B, Z, out);
    return dot(c->w, out, B);
}

static void check(double (*f)(void *, const double *), kl_case_t *c,
                  const double *at, const double *g, const char *what)
{
    double theta[B * Z];
    memcpy(theta, at, sizeof theta);
    fd_options_t o = options(what);
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f, c, theta, B * Z, g, &o), "%s", r.message);
}

Test(kl, backwards_match_finite_differences)
{
    double w[B] = { 0.7, -1.3, 2.1 }, mu[B * Z], var[B * Z], z[B * Z];
    uniform_fill(mu, B * Z, -2, 2, 1);
    uniform_fill(var, B * Z, 0.2, 3, 2);
    uniform_fill(z, B * Z, -3, 3, 3);
    kl_case_t c = { w, mu, var, z };
    double dmu[B * Z] = { 0 }, dvar[B * Z] = { 0 }, dz[B * Z] = { 0 };

    kl_standard_normal_backward(dmu, dvar, w, mu, var, B, Z);
    check(f_kl_mu, &c, mu, dmu, "d KL / d mu");
    check(f_kl_var, &c, var, dvar, "d KL / d var");

    memset(dmu, 0, sizeof dmu);
    memset(dvar, 0, sizeof dvar);
    log_normal_diag_backward(dz, dmu, dvar, w, z, mu, var, B, Z);
    double keep_z[B * Z], keep_mu[B * Z], keep_var[B * Z];
    memcpy(keep_z, z, sizeof z);
    memcpy(keep_mu, mu, sizeof mu);
    memcpy(keep_var, var, sizeof var);
    check(f_ln_z, &c, keep_z, dz, "d log N / d z");
    memcpy(z, keep_z, sizeof z);
    check(f_ln_mu, &c, keep_mu, dmu, "d log N / d mu");
    memcpy(mu, keep_mu, sizeof mu);
    check(f_ln_var, &c, keep_var, dvar, "d log N / d var");
    memcpy(var, keep_var, sizeof var);

    memset(dz, 0, sizeof dz);
    log_standard_normal_backward(dz, w, z, B, Z);
    check(f_std, &c, z, dz, "d log N(0,I) / d z");
}

Test(kl, backwards_accumulate_and_skip_null)
{
    double w[B] = { 0.5, 1.0, -2.0 }, mu[B * Z], var[B * Z], z[B * Z];
    uniform_fill(mu, B * Z, -2, 2, 4);
    uniform_fill(var, B * Z, 0.2, 3, 5);
    uniform_fill(z, B * Z, -3, 3, 6);
    double a[B * Z], b[B * Z], c[B * Z], a0[B * Z], b0[B * Z], c0[B * Z];
    uniform_fill(a0, B * Z, -1, 1, 7);
    uniform_fill(b0, B * Z, -1, 1, 8);
    uniform_fill(c0, B * Z, -1, 1, 9);
    double ra[B * Z] = { 0 }, rb[B * Z] = { 0 }, rc[B * Z] = { 0 };
    log_normal_diag_backward(ra, rb, rc, w, z, mu, var, B, Z);
    memcpy(a, a0, sizeof a);
    memcpy(b, b0, sizeof b);
    memcpy(c, c0, sizeof c);
    log_normal_diag_backward(a, NULL, c, w, z, mu, var, B, Z);
    log_normal_diag_backward(NULL, b, NULL, w, z, mu, var, B, Z);
    for (size_t i = 0; i < B * Z; i++) {
        cr_assert_float_eq(a[i], a0[i] + ra[i], 1e-14);
        cr_assert_float_eq(b[i], b0[i] + rb[i], 1e-14);
        cr_assert_float_eq(c[i], c0[i] + rc[i], 1e-14);
    }
    memset(ra, 0, sizeof ra);
    memset(rb, 0, sizeof rb);
    kl_standard_normal_backward(ra, rb, w, mu, var, B, Z);
    memcpy(a, a0, sizeof a);
    memcpy(b, b0, sizeof b);
    kl_standard_normal_backward(a, NULL, w, mu, var, B, Z);
    kl_standard_normal_backward(NULL, b, w, mu, var, B, Z);
    for (size_t i = 0; i < B * Z; i++) {
        cr_assert_float_eq(a[i], a0[i] + ra[i], 1e-14);
        cr_assert_float_eq(b[i], b0[i] + rb[i], 1e-14);
    }
}

/* The Monte Carlo KL, log q(z) - log r(z) at z ~ q, has the closed form as
 * its mean. N = 20000 draws for one (mu, var) of Z = 4; the sample mean is
 * within 5 standard errors of the closed form unless the CLT's two-sided
 * tail of 5.7e-7 happens (the per-draw KL is a quadratic in normals, whose
 * tails are exponential, so at N = 20000 the normal approximation holds to
 * well within a factor of 2 there). */
Test(kl, monte_carlo_mean_is_closed_form)
{
    enum { N = 20000 };
    double mu[Z] = { 0.5, -1.0, 0.0, 2.0 }, var[Z] = { 0.3, 1.0, 2.5, 0.8 };
    double closed;
    kl_standard_normal(mu, var, 1, Z, &closed);
    static double mc[N];
    rng_t rng;
    rng_seed(&rng, 11);
    for (size_t n = 0; n < N; n++) {
        double z[Z], lq, lr;
        for (size_t j = 0; j < Z; j++)
            z[j] = mu[j] + sqrt(var[j]) * rng_normal(&rng);
        log_normal_diag(z, mu, var, 1, Z, &lq);
        log_standard_normal(z, 1, Z, &lr);
        mc[n] = lq - lr;
    }
    double m, se;
    mean_se(mc, N, &m, &se);
    cr_assert(fabs(m - closed) < 5 * se,
              "Monte Carlo KL mean %.5f, closed form %.5f, %.1f standard "
              "errors (%.5f) apart", m, closed, fabs(m - closed) / se, se);
}
