/* test_vae.c: the stats305c-hw6 reference of problem 3: the closed-form KL
 * (values, zero at q = p, against Monte Carlo, backward), the Bernoulli
 * log-likelihood (values, exact at +-1e3, backward), and the ELBO against
 * a direct computation from the same normals, its gradient over every
 * parameter by central differences with common random numbers, and the
 * course's model's shape. Shapes: B batch, D data dimension (784), Z
 * latent (2). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "adam.h"
#include "config.h"
#include "numcheck/compare.h"
#include "stats_setup.h"
#include "vg_error.h"

enum { B = 3, Z = 2, D = 784 };

/* ---- the closed-form KL ----------------------------------------------- */

/* KL(N(m, s^2) || N(0, 1)) per coordinate in its textbook form
 * log(1/s) + (s^2 + m^2)/2 - 1/2, from the standard deviation. */
static double kl_direct(double m, double lv)
{
    double s = exp(0.5 * lv);
    return -log(s) + 0.5 * (s * s + m * m) - 0.5;
}

Test(kl, values_match_the_textbook_form_and_vanish_at_the_prior)
{
    double mu[B * Z], lv[B * Z], out[B];
    uniform_fill(mu, B * Z, -3, 3, 31);
    uniform_fill(lv, B * Z, -4, 3, 32);
    kl_gaussian_logvar(mu, lv, B, Z, out);
    for (size_t b = 0; b < B; b++) {
        double want = kl_direct(mu[b * Z], lv[b * Z]) +
                      kl_direct(mu[b * Z + 1], lv[b * Z + 1]);
        cr_assert(fabs(out[b] - want) <= 1e-13 * (1 + fabs(want)),
                  "row %zu: %.17g, textbook %.17g", b, out[b], want);
    }
    double zero[B * Z] = {0};
    kl_gaussian_logvar(zero, zero, B, Z, out);
    for (size_t b = 0; b < B; b++)
        cr_assert_eq(out[b], 0.0, "KL(p || p) = %g", out[b]);
}

/* The closed form against the mean of log q(z) - log p(z) over N = 200,000
 * draws z ~ q for one row (mu = (0.8, -1.2), log var = (-0.5, 0.7)): the
 * mean is unbiased with sd s / sqrt(N), s the draws' sample sd; bound
 * 5 sd, so by the CLT the false-fail rate is P(|N(0,1)| > 5) = 5.7e-7
 * (at N = 200,000 the sample sd is within 1% of the truth). The seed is
 * fixed, so a pass repeats. */
Test(kl, agrees_with_monte_carlo)
{
    enum { NS = 200000 };
    const double mu[Z] = {0.8, -1.2}, lv[Z] = {-0.5, 0.7};
    double kl;
    kl_gaussian_logvar(mu, lv, 1, Z, &kl);
    rng_t rng;
    rng_seed(&rng, 33);
    double sum = 0.0, sum2 = 0.0;
    for (size_t i = 0; i < NS; i++) {
        double lq = 0.0, lp = 0.0;
        for (size_t j = 0; j < Z; j++) {
            double e = rng_normal(&rng), s = exp(0.5 * lv[j]);
            double z = mu[j] + s * e;
            lq += -0.5 * log(2 * M_PI) - 0.5 * lv[j] - 0.5 * e * e;
            lp += -0.5 * log(2 * M_PI) - 0.5 * z * z;
        }
        sum += lq - lp;
        sum2 += (lq - lp) * (lq - lp);
    }
    double mean = sum / NS, sd = sqrt((sum2 / NS - mean * mean) * NS / (NS - 1));
    double se = sd / sqrt((double)NS);
    cr_assert(fabs(mean - kl) <= 5 * se, "closed form %.6f, Monte Carlo %.6f "
              "+- %.6f (5 se bound)", kl, mean, se);
}

typedef struct kl_ctx { const double *w; } kl_ctx_t;

/* theta = [mu | logvar], (B,Z) each; L = sum_b w[b] KL_b. */
static double f_kl(void *ctx, const double *t)
{
    kl_ctx_t *c = ctx;
    double out[B];
    kl_gaussian_logvar(t, t + B * Z, B, Z, out);
    return dot(c->w, out, B);
}

Test(kl, backward_by_finite_differences_null_skips_and_accumulates)
{
    double t[2 * B * Z], g[2 * B * Z] = {0}, w[B] = {0.7, -1.3, 2.1};
    uniform_fill(t, B * Z, -2, 2, 34);
    uniform_fill(t + B * Z, B * Z, -3, 2, 35);
    kl_gaussian_logvar_backward(g, g + B * Z, w, t, t + B * Z, B, Z);
    kl_ctx_t c = { w };
    fd_options_t o = fd_options_default();
    o.what = "d KL / d(mu, logvar)";
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f_kl, &c, t, 2 * B * Z, g, &o), "%s", r.message);
    double dlv[B * Z];
    for (size_t i = 0; i < B * Z; i++)
        dlv[i] = 1.0;
    kl_gaussian_logvar_backward(NULL, dlv, w, t, t + B * Z, B, Z);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert(fabs(dlv[i] - (1.0 + g[B * Z + i])) <= 1e-15 * (1 + fabs(g[B * Z + i])),
                  "dlogvar alone (dmu NULL) is not += at %zu", i);
}

/* ---- the Bernoulli log-likelihood -------------------------------------- */

Test(bernoulli, values_match_the_textbook_form)
{
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    cr_assert(x && l);
    binary_digits(x, B, D, 0.2, 41);
    uniform_fill(l, B * D, -8, 8, 42);
    double out[B];
    bernoulli_log_likelihood(x, l, B, D, out);
    for (size_t b = 0; b < B; b++) {
        double want = 0.0;
        for (size_t i = 0; i < D; i++) {
            double p = 1.0 / (1.0 + exp(-l[b * D + i]));
            want += x[b * D + i] ? log(p) : log(1.0 - p);
        }
        /* 784 terms of O(1..8), each to ~1e-15 relative: 1e-12 of |sum|. */
        cr_assert(fabs(out[b] - want) <= 1e-12 * fabs(want), "row %zu: "
                  "%.17g, textbook %.17g", b, out[b], want);
    }
    free(x);
    free(l);
}

/* At +-1e3: log p = 0 when the logit agrees with the pixel and -1000 when
 * it does not, exactly (softplus forms; log(sigmoid) gives -inf). */
Test(bernoulli, exact_at_extreme_logits)
{
    const double x[4] = {1, 0, 1, 0}, l[4] = {1e3, 1e3, -1e3, -1e3};
    double out[1];
    bernoulli_log_likelihood(x, l, 1, 4, out);
    cr_assert_eq(out[0], -2000.0);
    double d[4] = {0}, dout[1] = {1.0};
    bernoulli_log_likelihood_backward(d, dout, x, l, 1, 4);
    const double want[4] = {0, -1, 1, 0}; /* x - sigmoid(l) */
    for (size_t i = 0; i < 4; i++)
        cr_assert(fabs(d[i] - want[i]) <= 1e-300, "d[%zu] = %g", i, d[i]);
}

typedef struct bern_ctx { const double *x, *w; size_t d; } bern_ctx_t;

static double f_bern(void *ctx, const double *l)
{
    bern_ctx_t *c = ctx;
    double out[B];
    bernoulli_log_likelihood(c->x, l, B, c->d, out);
    return dot(c->w, out, B);
}

/* Over 16 pixels a row (a full 784 only adds identical terms): h = 1e-5,
 * default bounds; |L| ~ 30, rounding 1e-16 * 30 / 1e-5 = 3e-10. */
Test(bernoulli, backward_by_finite_differences_and_accumulates)
{
    enum { DD = 16 };
    double x[B * DD], l[B * DD], g[B * DD] = {0}, g2[B * DD], w[B] = {0.5, -2, 1.25};
    binary_digits(x, B, DD, 0.4, 43);
    uniform_fill(l, B * DD, -5, 5, 44);
    bernoulli_log_likelihood_backward(g, w, x, l, B, DD);
    bern_ctx_t c = { x, w, DD };
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-7, 1e-6 };
    o.what = "d log p(x | logits) / d logits";
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f_bern, &c, l, B * DD, g, &o), "%s", r.message);
    for (size_t i = 0; i < B * DD; i++)
        g2[i] = 1.0;
    bernoulli_log_likelihood_backward(g2, w, x, l, B, DD);
    for (size_t i = 0; i < B * DD; i++)
        cr_assert(fabs(g2[i] - (1.0 + g[i])) <= 1e-15, "not += at %zu", i);
}

/* ---- the ELBO ---------------------------------------------------------- */

/* The ELBO from its definition: the same normals (seed, row-major), the
 * networks, then the mean of log p(x | z) - KL by the textbook forms. */
static double elbo_direct(model_t *m, const double *x, size_t batch,
                          uint64_t seed)
{
    double mu[B * Z], lv[B * Z], z[B * Z];
    double *l = malloc(batch * D * sizeof *l);
    cr_assert_not_null(l);
    scratch_reset(m);
    cr_assert_eq(encoder_forward_raw(m, mu, lv, x, NULL, batch), VG_OK);
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < batch * Z; i++)
        z[i] = mu[i] + exp(0.5 * lv[i]) * rng_normal(&rng);
    cr_assert_eq(decoder_forward(m, l, z, NULL, batch), VG_OK);
    double sum = 0.0;
    for (size_t b = 0; b < batch; b++) {
        for (size_t i = 0; i < D; i++) {
            double p = 1.0 / (1.0 + exp(-l[b * D + i]));
            sum += x[b * D + i] ? log(p) : log(1.0 - p);
        }
        for (size_t j = 0; j < Z; j++)
            sum -= kl_direct(mu[b * Z + j], lv[b * Z + j]);
    }
    free(l);
    return sum / (double)batch;
}

static double elbo_at(model_t *m, const double *x, size_t batch,
                      uint64_t seed, int backward)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(m);
    return elbo(m, x, batch, &rng, backward);
}

/* Same normals, same networks: the two differ only by rounding in ~800
 * terms of O(1) (1e-13 of |ELBO| ~ 550 is 5e-11, ~1000 eps). Also odd
 * batch sizes: the mean is over the batch, not a sum. */
Test(elbo, matches_a_direct_computation_at_every_batch_size)
{
    model_t m;
    small_model(&m, B, 51);
    double *x = malloc(B * D * sizeof *x);
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.15, 52);
    for (size_t batch = 1; batch <= B; batch++) {
        double want = elbo_direct(&m, x, batch, 53);
        double got = elbo_at(&m, x, batch, 53, 0);
        cmp_report_t r;
        cr_assert(compare_scalar(&r, want, got, (cmp_bound_t){ 1e-10, 1e-12 },
                                 "ELBO"), "batch %zu: %s", batch, r.message);
    }
    model_free(&m);
    free(x);
}

typedef struct elbo_ctx { const double *x; uint64_t seed; } elbo_ctx_t;

static double f_elbo(param_problem_t *p)
{
    elbo_ctx_t *c = p->user;
    return elbo_at(p->m, c->x, B, c->seed, 0);
}

/* Every parameter of the small model (encoder and decoder), common random
 * numbers (the same seed at each evaluation, so z moves only with the
 * parameters). h = 1e-6; the ELBO is piecewise smooth (ReLU) with |L| ~
 * 550: rounding 1e-16 * 550 / 1e-6 ~ 6e-8, so the bound is 1e-6 + 1e-5
 * |numeric|; a kink within h of a pre-activation would show as one
 * coordinate off by O(|weight|), and none is at this seed. A gradient of
 * the loss (-ELBO) instead of the ELBO, or one missing the 1/B, fails it
 * everywhere. */
Test(elbo, gradient_by_finite_differences_with_common_random_numbers)
{
    model_t m;
    small_model(&m, B, 61);
    double *x = malloc(B * D * sizeof *x);
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.15, 62);
    model_zero_grad(&m);
    double v = elbo_at(&m, x, B, 63, 1);
    cr_assert(isfinite(v));
    double *g = grads_copy(&m);
    elbo_ctx_t c = { x, 63 };
    param_problem_t p = { &m, f_elbo, &c };
    fd_problem_t fp = param_fd_problem(&p);
    fd_options_t o = fd_options_default();
    o.step = 1e-6;
    o.bound = (cmp_bound_t){ 1e-6, 1e-5 };
    o.max_coords = 3000;
    o.seed = 64;
    o.what = "d ELBO / d parameters";
    cmp_report_t r;
    cr_assert(fd_check(&r, &fp, g, &o), "%s", r.message);
    /* a second backward adds the same gradient again */
    elbo_at(&m, x, B, 63, 1);
    for (size_t i = 0; i < m.n_params; i++)
        cr_assert(fabs(model_grad_get(&m, i) - 2 * g[i]) <= 1e-12 * (1 + fabs(g[i])),
                  "not += at parameter %zu", i);
    free(g);
    model_free(&m);
    free(x);
}

/* The course's model: encoder 784 -> 512 -> 256 -> 4, decoder 2 -> 256 ->
 * 512 -> 784, ReLU, log variance; parameter count by hand. */
Test(elbo, course_model_shape)
{
    model_config_t c = config_model_stats305c_hw6();
    model_t m;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT32, 64, 1), VG_OK, "%s",
                 vg_error_last());
    const mlp_spec_t *e = &m.enc.net.spec, *d = &m.dec.net.spec;
    cr_assert(e->n_layers == 3 && e->sizes[0] == 784 && e->sizes[1] == 512 &&
              e->sizes[2] == 256 && e->sizes[3] == 4);
    cr_assert(d->n_layers == 3 && d->sizes[0] == 2 && d->sizes[1] == 256 &&
              d->sizes[2] == 512 && d->sizes[3] == 784);
    cr_assert(e->acts[0] == NN_RELU && e->acts[1] == NN_RELU &&
              e->acts[2] == NN_IDENTITY && d->acts[1] == NN_RELU);
    cr_assert(m.cfg.enc_var == ENC_VAR_LOG_VAR && m.cfg.z_dim == 2);
    size_t enc = 784 * 512 + 512 + 512 * 256 + 256 + 256 * 4 + 4;
    size_t dec = 2 * 256 + 256 + 256 * 512 + 512 + 512 * 784 + 784;
    cr_assert_eq(m.n_params, enc + dec);
    model_free(&m);
}

/* The course's full-size model in float32, as training runs it: 40 Adam
 * steps (lr 1e-3, on the negated ELBO gradient: elbo() gives the ELBO's)
 * on one batch of 64 random binary "digits" (each pixel 1 with p 0.15).
 * The ELBO of that batch, averaged over 8 fixed seeds, starts near
 * 784 log(1/2) = -543 (logits ~ 0) and must gain at least 100 nats;
 * measured: -545.8 -> -323.6 (a gain of 222), deterministic (fixed seeds
 * and data), so the bound has 2.2x headroom, and a likelihood gradient of
 * the wrong sign (which lowers the ELBO) fails. Also runs the scratch and
 * the networks at the real widths under ASan. */
static double batch_elbo(model_t *m, const double *x, size_t batch)
{
    double s = 0.0;
    for (uint64_t seed = 1; seed <= 8; seed++)
        s += elbo_at(m, x, batch, 100 + seed, 0) / 8.0;
    return s;
}

Test(elbo, course_model_learns_in_float32)
{
    enum { BB = 64, STEPS = 40 };
    model_config_t c = config_model_stats305c_hw6();
    model_t m;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT32, BB, 7), VG_OK, "%s",
                 vg_error_last());
    double *x = malloc(BB * D * sizeof *x);
    cr_assert_not_null(x);
    binary_digits(x, BB, D, 0.15, 71);
    adam_t opt;
    cr_assert_eq(adam_init(&opt, m.n_params, NN_FLOAT32, 1e-3, 0.9, 0.999, 1e-8),
                 VG_OK);
    double before = batch_elbo(&m, x, BB);
    rng_t rng;
    rng_seed(&rng, 72);
    for (size_t t = 0; t < STEPS; t++) {
        model_zero_grad(&m);
        scratch_reset(&m);
        cr_assert(isfinite(elbo(&m, x, BB, &rng, 1)), "%s", vg_error_last());
        float *g = m.grads;
        for (size_t i = 0; i < m.n_params; i++)
            g[i] = -g[i]; /* Adam minimises -ELBO */
        adam_step(&opt, m.params, m.grads);
    }
    double after = batch_elbo(&m, x, BB);
    cr_assert(after > before + 100.0, "ELBO %.1f -> %.1f after %d Adam steps",
              before, after, STEPS);
    adam_free(&opt);
    model_free(&m);
    free(x);
}
