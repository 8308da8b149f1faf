/* test_grad.c: every backward of the sta414-a3 reference against central
 * differences (fd_check, float64), and the accumulate contract (+=, NULL
 * skips). The scalar checked is L = sum_b w[b] out[b] with fixed weights w.
 * Not values (test_density.c, test_top.c, test_elbo.c).
 *
 * Step and bound, unless a check says otherwise: h = 1e-5 and
 * |analytic - numeric| <= 1e-7 + 1e-6 |numeric|. The likelihoods sum 784
 * Bernoulli terms, |L| <= ~600: rounding in f(x +- h) costs eps |L| / h =
 * 1.1e-16 * 600 / 1e-5 ~ 7e-9 in the quotient, 14x under 1e-7; the
 * truncation error h^2 |f'''| / 6 ~ 2e-11 |f'''| is far under it for the
 * tanh networks' O(1..100) third derivatives (weights O(0.05..1)). The
 * small densities (log_prior, log_q) are O(10): rounding 1e-10.
 * Shapes: B batch, D data dimension (784), Z latent (2), H hidden. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sta414_setup.h"
#include "vg_error.h"

enum { B = 3, Z = 2, D = 784, H = 4 };

static fd_options_t options(const char *what)
{
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-7, 1e-6 };
    o.what = what;
    return o;
}

static void check_array(double (*f)(void *, const double *), void *ctx,
                        double *theta, size_t n, const double *g,
                        const char *what)
{
    fd_options_t o = options(what);
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f, ctx, theta, n, g, &o), "%s", r.message);
}

/* ---- log_prior, log_q ------------------------------------------------- */

typedef struct small_case {
    const double *w;
    double *a, *b;   /* fixed inputs that theta does not hold */
} small_case_t;

static double f_prior(void *ctx, const double *z)
{
    small_case_t *c = ctx;
    double out[B];
    log_prior(z, B, Z, out);
    return dot(c->w, out, B);
}

Test(grad, log_prior_backward)
{
    double z[B * Z], w[B] = {0.7, -1.3, 2.1}, g[B * Z] = {0}, h[B * Z];
    uniform_fill(z, B * Z, -3, 3, 21);
    small_case_t c = { w, NULL, NULL };
    log_prior_backward(g, w, z, B, Z);
    check_array(f_prior, &c, z, B * Z, g, "d log_prior / dz");
    for (size_t i = 0; i < B * Z; i++)
        h[i] = 1.0;
    log_prior_backward(h, w, z, B, Z);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert(fabs(h[i] - (1.0 + g[i])) <= 1e-12, "log_prior_backward "
                  "does not accumulate (+=) at %zu", i);
}

/* theta = [mu | logsig | z], (B,Z) each */
static double f_q(void *ctx, const double *t)
{
    small_case_t *c = ctx;
    double out[B];
    log_q(t, t + B * Z, t + 2 * B * Z, B, Z, out);
    return dot(c->w, out, B);
}

Test(grad, log_q_backward_all_three_and_null_skips)
{
    double t[3 * B * Z], w[B] = {1.1, 0.4, -0.9}, g[3 * B * Z] = {0};
    uniform_fill(t, B * Z, -2, 2, 22);             /* mu */
    uniform_fill(t + B * Z, B * Z, -1.5, 1, 23);   /* logsig */
    uniform_fill(t + 2 * B * Z, B * Z, -3, 3, 24); /* z */
    small_case_t c = { w, NULL, NULL };
    log_q_backward(g, g + B * Z, g + 2 * B * Z, w, t, t + B * Z,
                   t + 2 * B * Z, B, Z);
    check_array(f_q, &c, t, 3 * B * Z, g, "d log_q / d(mu, logsig, z)");
    /* NULL skips one output and leaves the others as with all three */
    double dz[B * Z] = {0};
    log_q_backward(NULL, NULL, dz, w, t, t + B * Z, t + 2 * B * Z, B, Z);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert_eq(dz[i], g[2 * B * Z + i], "dz alone differs at %zu", i);
}

/* ---- the decoder's densities: over z and over every parameter --------- */

typedef int (*density_fn)(model_t *, const double *, const double *, size_t,
                          double *);
typedef int (*density_bw)(model_t *, double *, const double *,
                          const double *, const double *, size_t);

typedef struct dec_case {
    model_t *m;
    density_fn f;
    const double *x, *w;
    double *z;
} dec_case_t;

static double eval_dec(dec_case_t *c, const double *z)
{
    double out[B];
    scratch_reset(c->m);
    if (c->f(c->m, c->x, z, B, out) != 0)
        return NAN;
    return dot(c->w, out, B);
}

static double f_dec_z(void *ctx, const double *z)
{
    return eval_dec(ctx, z);
}

static double f_dec_params(param_problem_t *p)
{
    dec_case_t *c = p->user;
    return eval_dec(c, c->z);
}

static void check_decoder_density(density_fn f, density_bw bw,
                                  const char *name)
{
    model_t m;
    small_model(&m, H, B, 30);
    double *x = malloc(B * D * sizeof *x), z[B * Z], w[B] = {0.8, -0.6, 1.3};
    double dz[B * Z] = {0};
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.2, 31);
    uniform_fill(z, B * Z, -2.5, 2.5, 32);
    dec_case_t c = { &m, f, x, w, z };

    model_zero_grad(&m);
    scratch_reset(&m);
    cr_assert_eq(bw(&m, dz, w, x, z, B), 0, "%s", vg_error_last());
    double *g = grads_copy(&m);

    char what[128];
    snprintf(what, sizeof what, "d %s / dz", name);
    check_array(f_dec_z, &c, z, B * Z, dz, what);

    param_problem_t p = { &m, f_dec_params, &c };
    fd_problem_t fp = param_fd_problem(&p);
    snprintf(what, sizeof what, "d %s / d decoder parameters", name);
    fd_options_t o = options(what);
    cmp_report_t r;
    cr_assert(fd_check(&r, &fp, g, &o), "%s", r.message);
    /* the encoder is not in these densities: its gradient stays 0 */
    for (size_t i = 0; i < m.enc.net.n_params; i++)
        cr_assert_eq(g[i], 0.0, "%s wrote the encoder's gradient %zu", name, i);

    /* accumulates: a second call doubles both gradients, to rounding (the
     * GEMMs may add their partial sums into the gradient in another order:
     * 1e-12 relative is ~1e4 ulp, and an `=` is off by 50%) */
    scratch_reset(&m);
    cr_assert_eq(bw(&m, dz, w, x, z, B), 0);
    double dz1[B * Z] = {0};
    model_zero_grad(&m);
    scratch_reset(&m);
    cr_assert_eq(bw(&m, dz1, w, x, z, B), 0);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert(fabs(dz[i] - 2 * dz1[i]) <= 1e-12 * (1 + fabs(dz1[i])),
                  "%s: dz not accumulated at %zu", name, i);
    scratch_reset(&m);
    cr_assert_eq(bw(&m, NULL, w, x, z, B), 0, "dz NULL must be accepted");
    for (size_t i = 0; i < m.n_params; i++)
        cr_assert(fabs(model_grad_get(&m, i) - 2 * g[i]) <=
                  1e-12 * (1 + fabs(g[i])),
                  "%s: parameter gradient %zu not accumulated", name, i);
    free(g);
    free(x);
    model_free(&m);
}

Test(grad, log_likelihood_backward)
{
    check_decoder_density(log_likelihood, log_likelihood_backward,
                          "log_likelihood");
}

Test(grad, joint_log_density_backward)
{
    check_decoder_density(joint_log_density, joint_log_density_backward,
                          "joint_log_density");
}

Test(grad, log_p_top_given_z_backward)
{
    check_decoder_density(log_p_top_given_z, log_p_top_given_z_backward,
                          "log_p_top_given_z");
}

Test(grad, joint_log_density_top_backward)
{
    check_decoder_density(joint_log_density_top,
                          joint_log_density_top_backward,
                          "joint_log_density_top");
}
