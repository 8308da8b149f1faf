/* test_elbo.c: elbo.c of the cse599i-hw2 reference: each ELBO's value
 * against the formula written out here with the framework's calls at the
 * same noise, the batch mean (a batch equals the mean of its rows called in
 * turn), the Monte Carlo and closed-form KLs agreeing in expectation with
 * the Monte Carlo one spreading more, and each bound's gradient by central
 * differences with common random numbers (float64).
 * Shapes: B batch, D data dimension (784), Z latent (10), H hidden. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cse_setup.h"
#include "vg_error.h"

enum { B = 3, D = 784, Z = 10, H = 6 };
#define LOG_2PI 1.8378770664093454835606594728112353

static model_t model;
static double xg[B * D], xb[B * D]; /* grayscale in [0,1], binary */

static void setup(void)
{
    small_model(&model, H, 16, 1);
    uniform_fill(xg, B * D, 0.0, 1.0, 2);
    binary_digits(xb, B, D, 0.2, 3);
}

static void teardown(void)
{
    model_free(&model);
}

TestSuite(elbo, .init = setup, .fini = teardown);

/* The per-row terms at the noise of seed: z, the decoder's output and
 * (mu, var), by the framework's calls alone. */
static void rows(uint64_t seed, const double *x, double *mu, double *var,
                 double *z, double *out)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&model);
    cr_assert_eq(encoder_forward(&model, mu, var, x, NULL, B), 0);
    for (size_t i = 0; i < B * Z; i++)
        z[i] = mu[i] + sqrt(var[i]) * rng_normal(&rng);
    cr_assert_eq(decoder_forward(&model, out, z, NULL, B), 0);
}

static double call(int which, const double *x, size_t n, double sigma,
                   uint64_t seed, int backward)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&model);
    switch (which) {
    case 0: return gaussian_elbo(&model, x, n, sigma, &rng, backward);
    case 1: return mc_gaussian_elbo(&model, x, n, sigma, &rng, backward);
    default: return discrete_output_elbo(&model, x, n, &rng, backward);
    }
}

Test(elbo, values_are_the_formula)
{
    static double mu[B * Z], var[B * Z], z[B * Z], g[B * D];
    for (int sig_i = 0; sig_i < 2; sig_i++) {
        double sigma = sig_i ? 1.0 : 0.1;
        rows(5, xg, mu, var, z, g);
        double closed = 0, mc = 0;
        for (size_t b = 0; b < B; b++) {
            double sq = 0, kl = 0, lq = 0, lr = 0;
            for (size_t j = 0; j < D; j++)
                sq += (xg[b * D + j] - g[b * D + j]) *
                      (xg[b * D + j] - g[b * D + j]);
            for (size_t j = 0; j < Z; j++) {
                size_t i = b * Z + j;
                kl += 0.5 * (var[i] + mu[i] * mu[i] - 1 - log(var[i]));
                lq += -0.5 * (LOG_2PI + log(var[i]) +
                              (z[i] - mu[i]) * (z[i] - mu[i]) / var[i]);
                lr += -0.5 * (LOG_2PI + z[i] * z[i]);
            }
            double rec = -sq / (2 * sigma * sigma) -
                         0.5 * D * log(2 * M_PI * sigma * sigma);
            closed += (rec - kl) / B;
            mc += (rec - (lq - lr)) / B;
        }
        double got = call(0, xg, B, sigma, 5, 0);
        cr_assert(fabs(got - closed) <= 1e-10 * fabs(closed),
                  "gaussian_elbo %.12g, formula %.12g", got, closed);
        got = call(1, xg, B, sigma, 5, 0);
        cr_assert(fabs(got - mc) <= 1e-10 * fabs(mc),
                  "mc_gaussian_elbo %.12g, formula %.12g", got, mc);
    }
    rows(6, xb, mu, var, z, g);
    double want = 0;
    for (size_t b = 0; b < B; b++) {
        double kl = 0, lp = 0;
        for (size_t j = 0; j < D; j++) { /* x l - softplus(l) */
            double l = g[b * D + j];
            lp += xb[b * D + j] * l - (l > 0 ? l + log1p(exp(-l))
                                             : log1p(exp(l)));
        }
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            kl += 0.5 * (var[i] + mu[i] * mu[i] - 1 - log(var[i]));
        }
        want += (lp - kl) / B;
    }
    double got = call(2, xb, B, 0, 6, 0);
    cr_assert(fabs(got - want) <= 1e-10 * fabs(want),
              "discrete_output_elbo %.12g, formula %.12g", got, want);
}

/* One call on B rows draws the B*Z normals row-major, so B calls of one
 * row each, on one rng in turn, see the same noise: the batch's value is
 * exactly the mean of theirs (to summation rounding). */
Test(elbo, batch_is_the_mean_of_its_rows)
{
    for (int which = 0; which < 3; which++) {
        const double *x = which == 2 ? xb : xg;
        double whole = call(which, x, B, 0.1, 7, 0);
        rng_t rng;
        rng_seed(&rng, 7);
        double sum = 0;
        for (size_t b = 0; b < B; b++) {
            scratch_reset(&model);
            const double *xr = x + b * D;
            sum += which == 0   ? gaussian_elbo(&model, xr, 1, 0.1, &rng, 0)
                   : which == 1 ? mc_gaussian_elbo(&model, xr, 1, 0.1, &rng, 0)
                                : discrete_output_elbo(&model, xr, 1, &rng, 0);
        }
        cr_assert(fabs(whole - sum / B) <= 1e-10 * fabs(whole),
                  "bound %d: batch %.12g, mean of rows %.12g", which, whole,
                  sum / B);
    }
}

/* Over N = 2000 seeds, at sigma = 1 (so the KL's noise is not swamped):
 * the two bounds at the same noise differ by KL_closed - KL_mc, whose
 * mean is 0 (test_kl.c's identity, here through the whole bound); that
 * mean is within 5 standard errors (false-fail rate 5.7e-7 by the CLT).
 * The Monte Carlo bound's per-call variance exceeds the closed form's:
 * at equal variances the F statistic of two correlated samples could
 * still come out either side, so this asserts the direction only, which
 * the reference shows by a wide margin (printed on failure). */
Test(elbo, monte_carlo_agrees_in_mean_and_spreads_more)
{
    enum { N = 2000 };
    static double diff[N], cl[N], mc[N];
    for (size_t n = 0; n < N; n++) {
        cl[n] = call(0, xg, B, 1.0, 100 + n, 0);
        mc[n] = call(1, xg, B, 1.0, 100 + n, 0);
        diff[n] = mc[n] - cl[n];
    }
    double m, se, mcl, secl, mmc, semc;
    mean_se(diff, N, &m, &se);
    cr_assert(fabs(m) < 5 * se, "MC - closed: mean %.5f, %.1f standard "
              "errors (%.5f) from 0", m, fabs(m) / se, se);
    mean_se(cl, N, &mcl, &secl);
    mean_se(mc, N, &mmc, &semc);
    cr_assert(semc > secl, "spread: Monte Carlo sd %.4f, closed form %.4f",
              semc * sqrt(N), secl * sqrt(N));
}

/* ---- gradients by central differences (common random numbers) --------- */

typedef struct bound_case {
    int which;
    const double *x;
    double sigma;
} bound_case_t;

static double f_bound(param_problem_t *p)
{
    bound_case_t *c = p->user;
    return call(c->which, c->x, B, c->sigma, 9, 0);
}

/* h = 1e-5, bound 1e-6 + 1e-5 |numeric|: the Gaussian bound at sigma = 0.1
 * is O(1e4) (50 ||x - g||^2 over 784 pixels), so rounding costs
 * eps |L| / h ~ 1e-16 * 1e4 / 1e-5 = 1e-7 in a quotient; gradients are
 * O(1..1e3), so 1e-5 relative is 1e-5..1e-2 absolute, far over rounding;
 * the ELU networks' third derivatives are O(1..100) times the weights',
 * truncation h^2 |f'''| / 6 ~ 1e-9. 150 coordinates from both networks. */
static void check_grad(int which, const double *x, double sigma)
{
    bound_case_t c = { which, x, sigma };
    model_zero_grad(&model);
    call(which, x, B, sigma, 9, 1);
    double *g = grads_copy(&model, NULL);
    param_problem_t p = { &model, NULL, f_bound, &c };
    fd_problem_t fp = param_fd_problem(&p);
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-6, 1e-5 };
    o.max_coords = 150;
    o.seed = 10 + (uint64_t)which;
    cmp_report_t r;
    cr_assert(fd_check(&r, &fp, g, &o), "bound %d: %s", which, r.message);
    free(g);
}

Test(elbo, gaussian_gradient) { check_grad(0, xg, 0.1); }
Test(elbo, mc_gaussian_gradient) { check_grad(1, xg, 0.1); }
Test(elbo, discrete_gradient) { check_grad(2, xb, 0); }

/* backward = 0 leaves every gradient alone; backward = 1 twice doubles. */
Test(elbo, backward_flag_and_accumulation)
{
    for (int which = 0; which < 3; which++) {
        const double *x = which == 2 ? xb : xg;
        model_zero_grad(&model);
        call(which, x, B, 0.1, 12, 0);
        for (size_t i = 0; i < model.n_params; i++)
            cr_assert_eq(model_grad_get(&model, i), 0.0);
        call(which, x, B, 0.1, 12, 1);
        double *g1 = grads_copy(&model, NULL);
        call(which, x, B, 0.1, 12, 1);
        for (size_t i = 0; i < model.n_params; i++)
            cr_assert(fabs(model_grad_get(&model, i) - 2 * g1[i]) <=
                          1e-12 * (1 + fabs(g1[i])),
                      "bound %d: gradient %zu", which, i);
        free(g1);
    }
}
