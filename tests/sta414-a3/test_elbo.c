/* test_elbo.c: the reference ELBO. Its Monte Carlo agreement with the exact
 * ELBO (quadrature over the 2-D q of each digit), its gradient over every
 * parameter by central differences with common random numbers, and that
 * it is the batch MEAN of one-sample estimates. Not the densities
 * (test_density.c). Shapes: B batch, D data dimension (784), Z latent (2),
 * H hidden, N repetitions. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sta414_setup.h"
#include "vg_error.h"

enum { B = 4, Z = 2, D = 784, H = 8, QB = 256 };

/* ---- the exact ELBO of one digit -------------------------------------- */

typedef struct digit_ctx {
    model_t *m;
    const double *x;    /* (D) */
    double *xs;         /* (QB,D) the digit repeated */
    const double *mu, *logsig; /* (Z) */
    int top;            /* 1: part 4's top-half joint */
} digit_ctx_t;

/* out = log p(x, z) - log q(z) for n latents of one digit. */
static int elbo_integrand(void *ctx, const double *z, size_t n, double *out)
{
    digit_ctx_t *c = ctx;
    double mus[QB * Z], ls[QB * Z], lq[QB];
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < Z; j++) {
            mus[r * Z + j] = c->mu[j];
            ls[r * Z + j] = c->logsig[j];
        }
    scratch_reset(c->m);
    int s = c->top ? joint_log_density_top(c->m, c->xs, z, n, out)
                   : joint_log_density(c->m, c->xs, z, n, out);
    if (s != 0)
        return s;
    log_q(mus, ls, z, n, Z, lq);
    for (size_t r = 0; r < n; r++)
        out[r] -= lq[r];
    return 0;
}

static double exact_elbo(model_t *m, const double *x, const double *mu,
                         const double *logsig, int top)
{
    double *xs = malloc(QB * D * sizeof *xs);
    cr_assert_not_null(xs);
    for (size_t r = 0; r < QB; r++)
        memcpy(xs + r * D, x, D * sizeof *xs);
    digit_ctx_t c = { m, x, xs, mu, logsig, top };
    double v = gaussian_expectation_2d(mu, logsig, 121, QB, elbo_integrand, &c);
    free(xs);
    return v;
}

/* The mean of N one-sample batch estimates against the batch's exact
 * ELBO: |mean - exact| <= 5 sd / sqrt(N), sd the estimates' sample
 * standard deviation. The estimates are independent and unbiased, so by
 * the CLT (N = 400) the false-fail rate is P(|N(0,1)| > 5) = 5.7e-7 (the
 * sd estimated from 400 draws is within ~4% of the truth, which moves the
 * rate to at most 1.5e-6). The seeds are fixed, so a pass is repeatable. */
Test(elbo, monte_carlo_agrees_with_quadrature)
{
    enum { N = 400 };
    model_t m;
    small_model(&m, H, QB, 51);
    double *x = malloc(B * D * sizeof *x), mu[B * Z], ls[B * Z];
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.15, 52);
    scratch_reset(&m);
    cr_assert_eq(encoder_forward_raw(&m, mu, ls, x, NULL, B), VG_OK);
    double exact = 0.0;
    for (size_t b = 0; b < B; b++)
        exact += exact_elbo(&m, x + b * D, mu + b * Z, ls + b * Z, 0) / B;
    cr_assert(isfinite(exact), "quadrature failed: %s", vg_error_last());

    double sum = 0.0, sum2 = 0.0;
    for (size_t s = 0; s < N; s++) {
        rng_t rng;
        rng_seed(&rng, 1000 + s);
        scratch_reset(&m);
        double v = elbo(&m, x, B, &rng, 0);
        cr_assert(isfinite(v), "elbo: %g %s", v, vg_error_last());
        sum += v;
        sum2 += v * v;
    }
    double mean = sum / N, sd = sqrt((sum2 - N * mean * mean) / (N - 1));
    double tol = 5 * sd / sqrt((double)N);
    cr_assert(fabs(mean - exact) <= tol, "MC mean %.6f vs exact %.6f: off by "
              "%.4f > 5 sd/sqrt(N) = %.4f", mean, exact, mean - exact, tol);
    free(x);
    model_free(&m);
}

/* ---- the batch mean --------------------------------------------------- */

/* With the noise of row b (normals b*Z.. of the seed), the ELBO of row b
 * alone; their mean is the batch's ELBO to rounding (1e-12 relative: B
 * additions of O(500) values). */
Test(elbo, is_the_batch_mean_of_one_sample_estimates)
{
    model_t m;
    small_model(&m, H, B, 53);
    double *x = malloc(B * D * sizeof *x);
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.2, 54);
    rng_t rng;
    rng_seed(&rng, 55);
    scratch_reset(&m);
    double all = elbo(&m, x, B, &rng, 0), mean = 0.0;
    for (size_t b = 0; b < B; b++) {
        rng_seed(&rng, 55);
        for (size_t i = 0; i < b * Z; i++)
            (void)rng_normal(&rng);
        scratch_reset(&m);
        mean += elbo(&m, x + b * D, 1, &rng, 0) / B;
    }
    cr_assert(fabs(all - mean) <= 1e-12 * fabs(mean), "batch %.17g, mean of "
              "rows %.17g", all, mean);
    free(x);
    model_free(&m);
}

/* ---- the gradient ----------------------------------------------------- */

typedef struct elbo_case {
    model_t *m;
    const double *x;
} elbo_case_t;

static double f_elbo(param_problem_t *p)
{
    elbo_case_t *c = p->user;
    rng_t rng;
    rng_seed(&rng, 57); /* common random numbers: the same eps every call */
    scratch_reset(c->m);
    return elbo(c->m, c->x, B, &rng, 0);
}

/* Step and bound as test_grad.c's (h = 1e-5, 1e-7 + 1e-6 |numeric|), for
 * the same reason: |ELBO| ~ 550 rounds to 6e-9 in the quotient. */
Test(elbo, backward_matches_finite_differences_everywhere)
{
    model_t m;
    small_model(&m, H, B, 56);
    double *x = malloc(B * D * sizeof *x);
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.2, 58);
    elbo_case_t c = { &m, x };
    param_problem_t p = { &m, f_elbo, &c };
    model_zero_grad(&m);
    rng_t rng;
    rng_seed(&rng, 57);
    scratch_reset(&m);
    double v = elbo(&m, x, B, &rng, 1);
    cr_assert(isfinite(v));
    double *g = grads_copy(&m);
    /* the gradient of the returned value: the forward must agree */
    cr_assert_eq(v, f_elbo(&p), "backward changed the value");

    fd_problem_t fp = param_fd_problem(&p);
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-7, 1e-6 };
    o.what = "d elbo / d every parameter";
    cmp_report_t r;
    cr_assert(fd_check(&r, &fp, g, &o), "%s", r.message);
    double enc = 0.0, dec = 0.0;
    for (size_t i = 0; i < m.n_params; i++)
        if (i < m.enc.net.n_params)
            enc = fmax(enc, fabs(g[i]));
        else
            dec = fmax(dec, fabs(g[i]));
    cr_assert(enc > 1e-6 && dec > 1e-6, "the gradient must reach the encoder "
              "(%g) and the decoder (%g)", enc, dec);
    free(g);
    free(x);
    model_free(&m);
}
