/* test_density.c: the reference densities of sta414-a3 against closed forms
 * on hand-picked, random and extreme inputs (z far out, logits of +-1e3,
 * log standard deviations of +-300). Not gradients (test_grad.c).
 *
 * Tolerances: a closed form evaluated here in another order than the
 * reference differs by rounding only, a few ulp of the terms summed:
 * 784 terms of O(1) lose at most 784 * 1.1e-16 * O(1) ~ 1e-13 absolute, so
 * 1e-12 absolute + 1e-14 relative (for the O(1e6) values of z far out).
 * Where the closed form is the same expression, equality is exact.
 * Shapes: B batch, D data dimension (784), Z latent (2). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sta414_setup.h"
#include "vg_error.h"

#define LOG_2PI 1.8378770664093454835606594728112353
enum { B = 5, Z = 2, D = 784, H = 6 };

static void near(double got, double want, const char *what)
{
    double tol = 1e-12 + 1e-14 * fabs(want);
    cr_assert(fabs(got - want) <= tol, "%s: %.17g, want %.17g (tol %g)", what,
              got, want, tol);
}

Test(density, log_prior_closed_forms)
{
    double z[3 * Z] = {0, 0, 3, 4, 1e3, -1e3}, out[3];
    log_prior(z, 3, Z, out);
    near(out[0], -LOG_2PI, "log N(0 | 0, I)");
    near(out[1], -LOG_2PI - 12.5, "log N((3,4) | 0, I)");
    near(out[2], -LOG_2PI - 1e6, "log N((1e3,-1e3) | 0, I)");
}

Test(density, log_prior_random_rows_are_independent)
{
    double z[B * Z], out[B], one;
    uniform_fill(z, B * Z, -4, 4, 1);
    log_prior(z, B, Z, out);
    for (size_t b = 0; b < B; b++) {
        double want = 0.0;
        for (size_t j = 0; j < Z; j++)
            want += -0.5 * LOG_2PI - 0.5 * z[b * Z + j] * z[b * Z + j];
        near(out[b], want, "log_prior row");
        log_prior(z + b * Z, 1, Z, &one);
        cr_assert_eq(one, out[b], "row %zu alone differs from in the batch", b);
    }
}

Test(density, log_q_closed_forms)
{
    /* at the mean: -log 2 pi - sum logsig; one sd away per coordinate: -1 */
    double mu[Z] = {0.3, -1.2}, ls[Z] = {-0.5, 0.25};
    double z[Z] = {0.3, -1.2}, out;
    log_q(mu, ls, z, 1, Z, &out);
    near(out, -LOG_2PI + 0.25, "log q at its mean");
    z[0] = 0.3 + exp(-0.5);
    z[1] = -1.2 - exp(0.25);
    log_q(mu, ls, z, 1, Z, &out);
    near(out, -LOG_2PI + 0.25 - 1.0, "log q one sd away");
    /* mu 0, logsig 0 is the prior */
    double zero[Z] = {0, 0}, zz[Z] = {1.5, -0.7}, prior;
    log_q(zero, zero, zz, 1, Z, &out);
    log_prior(zz, 1, Z, &prior);
    near(out, prior, "log q(mu 0, logsig 0) = log prior");
}

Test(density, log_q_extreme_log_std)
{
    /* A variance exp(2 logsig) underflows to 0 at logsig -300 and
     * overflows at +300; u = (z - mu) exp(-logsig) does neither. z[0] is
     * one sd from mu, z[1] 5e-131 sds. */
    double mu[Z] = {0, 0}, ls[Z] = {-300, 300}, z[Z], out;
    z[0] = exp(-300.0);
    z[1] = 5.0;
    log_q(mu, ls, z, 1, Z, &out);
    cr_assert(isfinite(out), "log q not finite at logsig +-300: %g", out);
    /* -log 2 pi - (-300 + 300) - 1/2 (1 + 25 e^-600) */
    near(out, -LOG_2PI - 0.5, "log q at logsig +-300");
}

/* logits of the model forced to value: the decoder's last layer's weights
 * zeroed and its biases set (float64 views of model.h's block). */
static void force_logits(model_t *m, const double *bias)
{
    mlp_t *net = &m->dec.net;
    size_t last = net->spec.n_layers - 1;
    size_t in = net->spec.sizes[last], out = net->spec.sizes[last + 1];
    memset(net->W[last], 0, in * out * sizeof(double));
    memcpy(net->b[last], bias, out * sizeof(double));
}

Test(density, log_likelihood_is_bernoulli_on_the_decoders_logits)
{
    model_t m;
    small_model(&m, H, B, 3);
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double z[B * Z], out[B], want[B];
    cr_assert(x && l);
    binary_digits(x, B, D, 0.2, 4);
    uniform_fill(z, B * Z, -3, 3, 5);
    scratch_reset(&m);
    cr_assert_eq(log_likelihood(&m, x, z, B, out), 0, "%s", vg_error_last());
    cr_assert_eq(decoder_forward(&m, l, z, NULL, B), VG_OK);
    log_bernoulli_with_logits(want, x, l, B, D); /* prob.h, tested itself */
    for (size_t b = 0; b < B; b++)
        near(out[b], want[b], "log_likelihood vs log_bernoulli_with_logits");
    free(x);
    free(l);
    model_free(&m);
}

Test(density, log_likelihood_exact_at_logits_of_1e3)
{
    model_t m;
    small_model(&m, H, 2, 6);
    double *bias = malloc(D * sizeof *bias), *x = malloc(2 * D * sizeof *x);
    cr_assert(bias && x);
    for (size_t j = 0; j < D; j++)
        bias[j] = j % 2 ? 1e3 : -1e3;
    force_logits(&m, bias);
    /* row 0 agrees with every logit's sign: log-mass 0 to within
     * 784 e^-1000 = 0; row 1 disagrees on every pixel: -1e3 each. */
    for (size_t j = 0; j < D; j++) {
        x[j] = j % 2 ? 1.0 : 0.0;
        x[D + j] = j % 2 ? 0.0 : 1.0;
    }
    double z[2 * Z] = {0.1, 0.2, 1e3, -1e3}, out[2];
    scratch_reset(&m);
    cr_assert_eq(log_likelihood(&m, x, z, 2, out), 0);
    cr_assert_eq(out[0], 0.0, "agreeing logits of 1e3: %.17g, want 0", out[0]);
    cr_assert_eq(out[1], -1e3 * D, "disagreeing: %.17g, want %g", out[1],
                 -1e3 * D);
    free(bias);
    free(x);
    model_free(&m);
}

Test(density, joint_is_prior_plus_likelihood_z_far_out)
{
    model_t m;
    small_model(&m, H, B, 7);
    double *x = malloc(B * D * sizeof *x);
    double z[B * Z], joint[B], lik[B], prior[B];
    cr_assert(x);
    binary_digits(x, B, D, 0.15, 8);
    uniform_fill(z, B * Z, -3, 3, 9);
    z[0] = 1e3; /* tanh saturates: the likelihood stays finite */
    z[3] = -1e3;
    scratch_reset(&m);
    cr_assert_eq(joint_log_density(&m, x, z, B, joint), 0);
    cr_assert_eq(log_likelihood(&m, x, z, B, lik), 0);
    log_prior(z, B, Z, prior);
    for (size_t b = 0; b < B; b++) {
        cr_assert(isfinite(joint[b]), "row %zu: %g", b, joint[b]);
        near(joint[b], prior[b] + lik[b], "joint = prior + likelihood");
    }
    free(x);
    model_free(&m);
}
