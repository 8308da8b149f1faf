/* test_model.c: the models' networks through their double interface:
 * encoder, decoder, classifier and prior backward by central differences
 * over the model's own parameter views (float64), the one-block layout,
 * initialisation from a seed, dtype copies, scratch and the errors. Not the
 * bounds (the reference suite's job).
 * Shapes: B batch, D data, Y labels, Z latent, K components.
 *
 * Finite differences: fd_options_default(), h = 1e-5 and bound
 * 1e-8 + 1e-6 |numeric| (truncation ~h^2, rounding ~1e-16 |L| / h, both
 * far below it for these O(1) losses). The seeds are fixed; none puts an
 * ELU pre-activation within h of 0, where a difference would straddle the
 * kink of its second derivative (it would show as one coordinate off). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "numcheck/compare.h"
#include "numcheck/finite_diff.h"
#include "prob.h"
#include "rng.h"
#include "vg_error.h"

/* CS236's models shrunk so that every parameter can be differenced. */
static model_config_t small_config(model_kind_t kind)
{
    model_config_t c = config_model_default(kind);
    c.x_dim = 12;
    c.hidden = 7;
    c.z_dim = 3;
    if (c.y_dim)
        c.y_dim = 4;
    if (c.k) {
        c.k = 5;
        c.prior_init_scale = 0.7; /* O(1) values, away from softplus' tails */
    }
    return c;
}

static void make(model_t *m, model_kind_t kind, nn_dtype_t dtype,
                 size_t max_batch, uint64_t seed)
{
    model_config_t c = small_config(kind);
    cr_assert_eq(model_create(m, &c, dtype, max_batch, seed), VG_OK, "%s",
                 vg_error_last());
}

static void fill_normal(double *x, size_t n, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    rng_normal_fill(&r, x, n);
}

static void fill_onehot(double *y, size_t batch, size_t k)
{
    memset(y, 0, batch * k * sizeof *y);
    for (size_t b = 0; b < batch; b++)
        y[b * k + (b * 3 + 1) % k] = 1.0;
}

/* The model as an fd_problem: coordinates are its parameters. */
static double m_get(void *ctx, size_t i);
static void m_set(void *ctx, size_t i, double v);

typedef struct loss_ctx {
    model_t *m;
    size_t batch;
    const double *x, *y, *z;   /* inputs */
    const double *w1, *w2;     /* upstream weights */
    double (*f)(struct loss_ctx *c, const double *var);
} loss_ctx_t;

static double m_get(void *ctx, size_t i)
{
    return model_param_get(((loss_ctx_t *)ctx)->m, i);
}

static void m_set(void *ctx, size_t i, double v)
{
    model_param_set(((loss_ctx_t *)ctx)->m, i, v);
}

static double m_loss(void *ctx)
{
    loss_ctx_t *c = ctx;
    return c->f(c, NULL);
}

static double x_loss(void *ctx, const double *var)
{
    loss_ctx_t *c = ctx;
    return c->f(c, var);
}

static double *grads_of(const model_t *m)
{
    double *g = malloc(m->n_params * sizeof *g);
    cr_assert(g);
    for (size_t i = 0; i < m->n_params; i++)
        g[i] = model_grad_get(m, i);
    return g;
}

static void fd_params(loss_ctx_t *c, const char *what)
{
    double *g = grads_of(c->m);
    fd_problem_t p = { c->m->n_params, m_get, m_set, m_loss, c };
    fd_options_t opt = fd_options_default();
    opt.what = what;
    cmp_report_t r;
    cr_assert(fd_check(&r, &p, g, &opt), "%s", r.message);
    free(g);
}

/* ---- encoder -------------------------------------------------------------- */

/* L = sum w1 qm + w2 qv */
static double enc_loss(loss_ctx_t *c, const double *x)
{
    size_t n = c->batch * c->m->cfg.z_dim;
    double qm[64], qv[64], s = 0;
    cr_assert(n <= 64);
    cr_assert_eq(encoder_forward(c->m, qm, qv, x ? x : c->x, c->y, c->batch),
                 VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < n; i++)
        s += c->w1[i] * qm[i] + c->w2[i] * qv[i];
    return s;
}

static void check_encoder(model_kind_t kind)
{
    const size_t B = 3;
    model_t m;
    make(&m, kind, NN_FLOAT64, B, 1);
    size_t D = m.cfg.x_dim, Y = m.cfg.y_dim, Z = m.cfg.z_dim;
    double x[3 * 12], y[3 * 4], w1[3 * 3], w2[3 * 3];
    fill_normal(x, B * D, 2);
    fill_onehot(y, B, 4);
    fill_normal(w1, B * Z, 3);
    fill_normal(w2, B * Z, 4);
    loss_ctx_t c = { &m, B, x, Y ? y : NULL, NULL, w1, w2, enc_loss };

    model_zero_grad(&m);
    enc_loss(&c, NULL);
    cr_assert_eq(encoder_backward(&m, w1, w2), VG_OK, "%s", vg_error_last());
    fd_params(&c, "encoder: d L / d params");
    model_free(&m);
}

Test(model, encoder_backward_fd_vae)
{
    check_encoder(MODEL_VAE);
}

Test(model, encoder_backward_fd_conditional)
{
    check_encoder(MODEL_SSVAE);
}

/* The other variance parameterisations (model.h, enc_var_t) on STA414's
 * shape (one tanh hidden layer): encoder_forward's variance is exp(2 h2)
 * for a log standard deviation and exp(h2) for a log variance, h2 the raw
 * forward's second half, and both backwards match central differences. */
static void check_encoder_var(enc_var_t var)
{
    const size_t B = 3;
    model_config_t cfg = small_config(MODEL_VAE);
    cfg.n_hidden = 1;
    cfg.act = NN_TANH;
    cfg.enc_var = var;
    model_t m;
    cr_assert_eq(model_create(&m, &cfg, NN_FLOAT64, B, 5), VG_OK, "%s",
                 vg_error_last());
    size_t D = m.cfg.x_dim, Z = m.cfg.z_dim;
    double x[3 * 12], w1[3 * 3], w2[3 * 3], qm[9], qv[9], mu[9], h2[9];
    fill_normal(x, B * D, 6);
    fill_normal(w1, B * Z, 7);
    fill_normal(w2, B * Z, 8);
    cr_assert_eq(encoder_forward(&m, qm, qv, x, NULL, B), VG_OK);
    cr_assert_eq(encoder_forward_raw(&m, mu, h2, x, NULL, B), VG_OK);
    double scale = var == ENC_VAR_LOG_STD ? 2.0 : 1.0;
    for (size_t i = 0; i < B * Z; i++) {
        cr_assert_eq(qm[i], mu[i], "the mean is the first half as it is");
        cr_assert_eq(qv[i], exp(scale * h2[i]), "variance %zu: %g, want "
                     "exp(%g * %g)", i, qv[i], scale, h2[i]);
    }
    loss_ctx_t c = { &m, B, x, NULL, NULL, w1, w2, enc_loss };
    model_zero_grad(&m);
    enc_loss(&c, NULL);
    cr_assert_eq(encoder_backward(&m, w1, w2), VG_OK, "%s", vg_error_last());
    fd_params(&c, "encoder (log-parameterised variance): d L / d params");
    model_free(&m);
}

Test(model, encoder_log_std_variance_and_backward_fd)
{
    check_encoder_var(ENC_VAR_LOG_STD);
}

Test(model, encoder_log_var_variance_and_backward_fd)
{
    check_encoder_var(ENC_VAR_LOG_VAR);
}

/* L = sum w1 mu + w2 h2 over the raw halves */
static double enc_raw_loss(loss_ctx_t *c, const double *x)
{
    size_t n = c->batch * c->m->cfg.z_dim;
    double mu[64], h2[64], s = 0;
    cr_assert(n <= 64);
    cr_assert_eq(encoder_forward_raw(c->m, mu, h2, x ? x : c->x, c->y,
                                     c->batch), VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < n; i++)
        s += c->w1[i] * mu[i] + c->w2[i] * h2[i];
    return s;
}

Test(model, encoder_raw_backward_fd_and_null_halves)
{
    const size_t B = 3;
    model_t m;
    make(&m, MODEL_VAE, NN_FLOAT64, B, 9);
    size_t D = m.cfg.x_dim, Z = m.cfg.z_dim;
    double x[3 * 12], w1[3 * 3], w2[3 * 3], zero[3 * 3] = {0};
    fill_normal(x, B * D, 10);
    fill_normal(w1, B * Z, 11);
    fill_normal(w2, B * Z, 12);
    loss_ctx_t c = { &m, B, x, NULL, NULL, w1, w2, enc_raw_loss };
    model_zero_grad(&m);
    enc_raw_loss(&c, NULL);
    cr_assert_eq(encoder_backward_raw(&m, w1, w2), VG_OK, "%s",
                 vg_error_last());
    fd_params(&c, "encoder raw: d L / d params");
    /* a NULL half is a zero gradient: w2 = 0 gives the same as NULL */
    double *g = grads_of(&m);
    model_zero_grad(&m);
    enc_raw_loss(&c, NULL);
    cr_assert_eq(encoder_backward_raw(&m, w1, NULL), VG_OK);
    double *g_null = grads_of(&m);
    model_zero_grad(&m);
    enc_raw_loss(&c, NULL);
    cr_assert_eq(encoder_backward_raw(&m, w1, zero), VG_OK);
    for (size_t i = 0; i < m.n_params; i++)
        cr_assert_eq(g_null[i], model_grad_get(&m, i), "NULL dh2 differs from "
                     "zeros at %zu", i);
    free(g);
    free(g_null);
    model_free(&m);
}

/* ---- decoder -------------------------------------------------------------- */

/* L = sum w1 logits */
static double dec_loss(loss_ctx_t *c, const double *z)
{
    size_t n = c->batch * c->m->cfg.x_dim;
    double logits[64], s = 0;
    cr_assert(n <= 64);
    cr_assert_eq(decoder_forward(c->m, logits, z ? z : c->z, c->y, c->batch),
                 VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < n; i++)
        s += c->w1[i] * logits[i];
    return s;
}

/* dz starts at 0.5 everywhere: the decoder adds to it (and, for a
 * conditional model, gives back only the z part of its input gradient). */
static void check_decoder(model_kind_t kind)
{
    const size_t B = 3;
    model_t m;
    make(&m, kind, NN_FLOAT64, B, 5);
    size_t D = m.cfg.x_dim, Y = m.cfg.y_dim, Z = m.cfg.z_dim;
    double z[3 * 3], y[3 * 4], w[3 * 12], dz[3 * 3];
    fill_normal(z, B * Z, 6);
    fill_onehot(y, B, 4);
    fill_normal(w, B * D, 7);
    for (size_t i = 0; i < B * Z; i++)
        dz[i] = 0.5;
    loss_ctx_t c = { &m, B, NULL, Y ? y : NULL, z, w, NULL, dec_loss };

    model_zero_grad(&m);
    dec_loss(&c, NULL);
    cr_assert_eq(decoder_backward(&m, dz, w), VG_OK, "%s", vg_error_last());
    fd_params(&c, "decoder: d L / d params");
    for (size_t i = 0; i < B * Z; i++)
        dz[i] -= 0.5; /* exact: dz is O(1), 0.5 a power of two */
    fd_options_t opt = fd_options_default();
    opt.what = "decoder: d L / dz";
    cmp_report_t r;
    cr_assert(fd_check_array(&r, x_loss, &c, z, B * Z, dz, &opt), "%s",
              r.message);
    /* NULL dz is allowed */
    dec_loss(&c, NULL);
    cr_assert_eq(decoder_backward(&m, NULL, w), VG_OK);
    model_free(&m);
}

Test(model, decoder_backward_fd_vae)
{
    check_decoder(MODEL_VAE);
}

Test(model, decoder_backward_fd_conditional)
{
    check_decoder(MODEL_FSVAE);
}

/* ---- classifier ----------------------------------------------------------- */

static double cls_loss(loss_ctx_t *c, const double *x)
{
    size_t n = c->batch * c->m->cfg.y_dim;
    double logits[64], s = 0;
    cr_assert_eq(classifier_forward(c->m, logits, x ? x : c->x, c->batch),
                 VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < n; i++)
        s += c->w1[i] * logits[i];
    return s;
}

Test(model, classifier_backward_fd)
{
    const size_t B = 3;
    model_t m;
    make(&m, MODEL_SSVAE, NN_FLOAT64, B, 8);
    double x[3 * 12], w[3 * 4];
    fill_normal(x, B * 12, 9);
    fill_normal(w, B * 4, 10);
    loss_ctx_t c = { &m, B, x, NULL, NULL, w, NULL, cls_loss };
    model_zero_grad(&m);
    cls_loss(&c, NULL);
    cr_assert_eq(classifier_backward(&m, w), VG_OK, "%s", vg_error_last());
    fd_params(&c, "classifier: d L / d params");
    model_free(&m);
}

/* ---- prior ---------------------------------------------------------------- */

/* The recipe model.h gives: prior_get, gaussian_parameters over K*Z, and
 * back through gaussian_parameters_backward and prior_backward.
 * L = sum w1 pm + w2 pv. */
static double prior_loss(loss_ctx_t *c, const double *unused)
{
    (void)unused;
    size_t kz = c->m->prior.k * c->m->prior.z_dim;
    double raw[2 * 15], pm[15], pv[15], s = 0;
    cr_assert(kz <= 15);
    prior_get(c->m, raw);
    gaussian_parameters(pm, pv, raw, 1, kz);
    for (size_t i = 0; i < kz; i++)
        s += c->w1[i] * pm[i] + c->w2[i] * pv[i];
    return s;
}

Test(model, prior_views_and_backward_fd)
{
    model_t m;
    make(&m, MODEL_GMVAE, NN_FLOAT64, 2, 11);
    size_t kz = m.prior.k * m.prior.z_dim, off = m.n_params - 2 * kz;
    cr_assert_eq(kz, 15u);
    double raw[30], w1[15], w2[15], draw[30] = { 0 };
    prior_get(&m, raw);
    for (size_t i = 0; i < 2 * kz; i++)
        cr_assert_eq(raw[i], model_param_get(&m, off + i), "the prior is the "
                     "last 2KZ parameters, row-major (2K, Z)");
    fill_normal(w1, kz, 12);
    fill_normal(w2, kz, 13);
    loss_ctx_t c = { &m, 1, NULL, NULL, NULL, w1, w2, prior_loss };
    model_zero_grad(&m);
    gaussian_parameters_backward(draw, w1, w2, raw, 1, kz);
    prior_backward(&m, draw);
    fd_params(&c, "prior: d L / d params");
    /* and it accumulates */
    prior_backward(&m, draw);
    for (size_t i = 0; i < 2 * kz; i++)
        cr_assert_eq(model_grad_get(&m, off + i), 2 * draw[i]);
    model_free(&m);
}

/* CS236: z_pre = randn(1, 2K, Z) / sqrt(K Z). Over the default 2KZ =
 * 10,000 values: mean within 5 se (se = s / 100) and variance within 5 se
 * (se = s^2 sqrt(2 / n)): false-fail rate 2 x 5.7e-7. */
Test(model, gmvae_prior_init_small_and_random)
{
    model_config_t c = config_model_default(MODEL_GMVAE);
    model_t m;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 1, 14), VG_OK, "%s",
                 vg_error_last());
    size_t n = 2 * c.k * c.z_dim;
    double *raw = malloc(n * sizeof *raw), s = 0, s2 = 0;
    prior_get(&m, raw);
    for (size_t i = 0; i < n; i++) {
        s += raw[i];
        s2 += raw[i] * raw[i];
    }
    double sd = 1 / sqrt((double)(c.k * c.z_dim)), mean = s / n;
    double var = s2 / n - mean * mean;
    cr_assert(fabs(mean) < 5 * sd / sqrt((double)n), "mean %g", mean);
    cr_assert(fabs(var - sd * sd) < 5 * sd * sd * sqrt(2.0 / n), "var %g", var);
    free(raw);
    model_free(&m);
}

/* ---- layout, init, copies ------------------------------------------------- */

static size_t mlp3(size_t i, size_t h, size_t o)
{
    return i * h + h + h * h + h + h * o + o;
}

Test(model, parameter_counts_follow_cs236)
{
    const size_t D = 784, H = 300;
    size_t want[4] = {
        mlp3(D, H, 20) + mlp3(10, H, D),                     /* vae */
        mlp3(D, H, 20) + mlp3(10, H, D) + 2 * 500 * 10,      /* gmvae */
        mlp3(D + 10, H, 128) + mlp3(64 + 10, H, D) + mlp3(D, H, 10), /* ssvae */
        mlp3(D + 10, H, 20) + mlp3(10 + 10, H, D),           /* fsvae */
    };
    for (int k = 0; k < 4; k++) {
        model_config_t c = config_model_default((model_kind_t)k);
        model_t m;
        cr_assert_eq(model_create(&m, &c, NN_FLOAT32, 100, 0), VG_OK, "%s",
                     vg_error_last());
        cr_assert_eq(m.n_params, want[k], "%s", config_kind_name(c.kind));
        /* the networks tile the block: enc | dec | cls | prior */
        size_t es = 4;
        cr_assert_eq(m.enc.net.params, m.params);
        cr_assert_eq((char *)m.dec.net.params,
                     (char *)m.params + m.enc.net.n_params * es);
        cr_assert_eq((char *)m.dec.net.grads,
                     (char *)m.grads + m.enc.net.n_params * es);
        size_t rows = c.kind == MODEL_SSVAE ? 1000 : 100;
        cr_assert_eq(m.enc.net.max_batch, rows);
        cr_assert_eq(m.dec.net.max_batch, rows);
        if (c.kind == MODEL_SSVAE)
            cr_assert_eq(m.cls.net.max_batch, 100u);
        /* scratch as documented: 8 R (D + Y + 2Z) + 2^20 doubles */
        cr_assert_eq(m.scratch.cap, 8 * rows * (D + c.y_dim + 2 * c.z_dim)
                                    + 1048576);
        model_free(&m);
    }
}

/* A float32 model holds the float32 rounding of the float64 model's
 * values for the same seed (one draw sequence, rounded on store). */
Test(model, init_from_seed_is_deterministic_across_dtypes)
{
    model_t a, b, c;
    make(&a, MODEL_SSVAE, NN_FLOAT64, 2, 21);
    make(&b, MODEL_SSVAE, NN_FLOAT32, 2, 21);
    make(&c, MODEL_SSVAE, NN_FLOAT64, 2, 22);
    int differ = 0;
    for (size_t i = 0; i < a.n_params; i++) {
        double v = model_param_get(&a, i);
        cr_assert_eq(model_param_get(&b, i), (double)(float)v, "[%zu]", i);
        differ += model_param_get(&c, i) != v;
        cr_assert_eq(model_grad_get(&a, i), 0.0, "gradients start at 0");
    }
    cr_assert(differ > (int)a.n_params / 2, "another seed, other values");
    model_free(&a);
    model_free(&b);
    model_free(&c);
}

/* f64 -> f32 -> f64 rounds each value once to float32: within 2^-24 of it
 * relatively (these values are far from float32's subnormals); f32 -> f64
 * -> f32 is exact. */
Test(model, copy_params_round_trip)
{
    model_t a, b, c;
    make(&a, MODEL_GMVAE, NN_FLOAT64, 2, 31);
    make(&b, MODEL_GMVAE, NN_FLOAT32, 2, 32);
    make(&c, MODEL_GMVAE, NN_FLOAT64, 2, 33);
    cr_assert_eq(model_copy_params(&b, &a), VG_OK);
    cr_assert_eq(model_copy_params(&c, &b), VG_OK);
    size_t n = a.n_params;
    double *va = malloc(n * sizeof *va), *vc = malloc(n * sizeof *vc);
    for (size_t i = 0; i < n; i++) {
        va[i] = model_param_get(&a, i);
        vc[i] = model_param_get(&c, i);
        cr_assert(va[i] == 0 || fabs(va[i]) > 0x1.0p-126);
    }
    cmp_report_t r;
    cr_assert(compare_arrays(&r, va, vc, n, (cmp_bound_t){ 0, 0x1.0p-24 },
                             "f64 -> f32 -> f64"), "%s", r.message);
    model_t d;
    make(&d, MODEL_GMVAE, NN_FLOAT32, 2, 34);
    cr_assert_eq(model_copy_params(&d, &c), VG_OK);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(model_param_get(&d, i), model_param_get(&b, i));

    model_t other;
    make(&other, MODEL_VAE, NN_FLOAT64, 2, 0);
    cr_assert_eq(model_copy_params(&other, &a), VG_ERR);
    cr_assert(strstr(vg_error_last(), "model_copy_params"), "%s",
              vg_error_last());
    free(va);
    free(vc);
    model_free(&a);
    model_free(&b);
    model_free(&c);
    model_free(&d);
    model_free(&other);
}

Test(model, param_set_get_and_zero_grad)
{
    model_t m;
    make(&m, MODEL_VAE, NN_FLOAT32, 2, 0);
    model_param_set(&m, 5, 0.25);
    cr_assert_eq(model_param_get(&m, 5), 0.25);
    cr_assert_eq(((float *)m.params)[5], 0.25f);
    cr_assert(isnan(model_param_get(&m, m.n_params)), "out of range reads NaN");
    model_param_set(&m, m.n_params, 1.0); /* ignored, not a write past the end */
    ((float *)m.grads)[7] = 3.0f;
    cr_assert_eq(model_grad_get(&m, 7), 3.0);
    model_zero_grad(&m);
    for (size_t i = 0; i < m.n_params; i++)
        cr_assert_eq(model_grad_get(&m, i), 0.0);
    model_free(&m);
}

/* ---- scratch -------------------------------------------------------------- */

Test(model, scratch_zeroed_aligned_and_exhaustible)
{
    model_t m;
    make(&m, MODEL_VAE, NN_FLOAT64, 2, 0);
    double *a = scratch_alloc(&m, 3), *b = scratch_alloc(&m, 10);
    cr_assert(a && b);
    cr_assert_eq((uintptr_t)a % 64, 0u);
    cr_assert_eq((uintptr_t)b % 64, 0u);
    cr_assert(b >= a + 3, "runs do not overlap");
    for (int i = 0; i < 10; i++)
        b[i] = 1.0;
    scratch_reset(&m);
    double *c = scratch_alloc(&m, 13);
    cr_assert_eq(c, a, "reset starts over");
    for (int i = 0; i < 13; i++)
        cr_assert_eq(c[i], 0.0, "handed out zeroed");

    size_t left = m.scratch.cap - m.scratch.used;
    vg_error_clear();
    cr_assert_null(scratch_alloc(&m, left + 1));
    cr_assert(strstr(vg_error_last(), "scratch_alloc"), "message: '%s'",
              vg_error_last());
    cr_assert_null(scratch_alloc(&m, SIZE_MAX), "no overflow into success");
    double *all = scratch_alloc(&m, left);
    cr_assert_not_null(all, "exactly what is left still fits");
    all[left - 1] = 1.0; /* the last element is inside the block (ASan) */
    cr_assert_null(scratch_alloc(&m, 1));
    model_free(&m);
}

/* ---- errors --------------------------------------------------------------- */

Test(model, config_errors_name_n_hidden_and_enc_var)
{
    model_t m;
    model_config_t c = small_config(MODEL_VAE);
    c.n_hidden = 0;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 2, 1), VG_ERR);
    cr_assert(strstr(vg_error_last(), "n_hidden"), "%s", vg_error_last());
    c = small_config(MODEL_VAE);
    c.enc_var = (enc_var_t)7;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 2, 1), VG_ERR);
    cr_assert(strstr(vg_error_last(), "variance"), "%s", vg_error_last());
}

Test(model, errors_are_reported)
{
    model_t m;
    double x[17 * 12] = { 0 }, y[17 * 4] = { 0 }, qm[17 * 3], qv[17 * 3];
    double logits[17 * 12];

    model_config_t bad = small_config(MODEL_GMVAE);
    bad.k = 0;
    cr_assert_eq(model_create(&m, &bad, NN_FLOAT64, 2, 0), VG_ERR);
    bad = small_config(MODEL_SSVAE);
    bad.y_dim = 0;
    cr_assert_eq(model_create(&m, &bad, NN_FLOAT64, 2, 0), VG_ERR);
    cr_assert_eq(model_create(&m, &bad, NN_FLOAT64, 0, 0), VG_ERR);

    make(&m, MODEL_VAE, NN_FLOAT64, 4, 0);
    cr_assert_eq(encoder_backward(&m, qm, qv), VG_ERR, "backward first");
    cr_assert_eq(decoder_backward(&m, NULL, logits), VG_ERR);
    cr_assert_eq(encoder_forward(&m, qm, qv, x, NULL, 5), VG_ERR);
    cr_assert(strstr(vg_error_last(), "batch 5"), "%s", vg_error_last());
    cr_assert_eq(encoder_forward(&m, qm, qv, x, y, 4), VG_ERR, "vae has no y");
    cr_assert_eq(classifier_forward(&m, logits, x, 1), VG_ERR);
    cr_assert(strstr(vg_error_last(), "ssvae"), "%s", vg_error_last());
    model_free(&m);

    /* the ssvae's encoder and decoder take the label-expanded batch:
     * Y = 4 labels here, so 4 x 4 rows */
    make(&m, MODEL_SSVAE, NN_FLOAT64, 4, 0);
    cr_assert_eq(encoder_forward(&m, qm, qv, x, NULL, 4), VG_ERR, "needs y");
    cr_assert_eq(encoder_forward(&m, qm, qv, x, y, 16), VG_OK, "%s",
                 vg_error_last());
    cr_assert_eq(encoder_forward(&m, qm, qv, x, y, 17), VG_ERR);
    cr_assert_eq(decoder_forward(&m, logits, qm, y, 16), VG_OK, "%s",
                 vg_error_last());
    cr_assert_eq(classifier_forward(&m, logits, x, 5), VG_ERR);
    model_free(&m);
    model_free(&m); /* freeing a freed model is harmless */
}
