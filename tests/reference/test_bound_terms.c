/* test_bound_terms.c: what each reference negative ELBO returns, beyond its
 * gradient: nelbo is the sum of its terms, every term is a batch mean (the
 * bound on a batch is the mean of the bounds on its rows alone with the
 * same noise), and a seed fixes the value. Not gradients
 * (test_bound_grad.c) nor IWAE (test_bound_iwae.c).
 * Shapes: B batch, D data dimension, Y labels, Z latent. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "bound_setup.h"
#include "vg_error.h"

#define BATCH 5 /* odd, so a sum taken for a mean (or /2) shows */

static void init_case(bound_case_t *c, model_kind_t kind, uint64_t seed)
{
    model_config_t cfg = small_config(kind);
    cr_assert_eq(bound_case_init(c, &cfg, NN_FLOAT64, BATCH, BATCH, seed),
                 VG_OK, "%s", vg_error_last());
}

/* ---- nelbo = sum of terms ------------------------------------------------ */

static void check_sum_of_terms(model_kind_t kind, uint64_t seed)
{
    bound_case_t c;
    init_case(&c, kind, seed);
    double f = bound_case_elbo(&c, 0);
    bound_terms_t t = c.terms;
    double sum = kind == MODEL_VAE || kind == MODEL_GMVAE ? t.kl + t.rec
               : kind == MODEL_SSVAE ? t.kl_y + t.kl_z + t.rec
                                     : t.kl_z + t.rec;
    cmp_report_t r;
    /* The bound adds its batch-mean terms once: equal to the last bit;
     * 1e-15 relative lets the addition be associated differently. */
    cr_assert(compare_scalar(&r, sum, f, (cmp_bound_t){ 0, 1e-15 },
                             "nelbo vs the sum of its terms"), "%s",
              r.message);
    cr_assert_eq(t.nelbo, f, "terms.nelbo %.17g, returned %.17g", t.nelbo, f);
    /* A KL is non-negative in closed form (vae, fsvae, ssvae's both); the
     * reconstruction of pixels in (0,1) is positive. */
    cr_assert(t.rec > 0, "rec %g", t.rec);
    if (kind == MODEL_VAE)
        cr_assert(t.kl >= 0, "kl %g", t.kl);
    if (kind == MODEL_SSVAE)
        cr_assert(t.kl_y >= 0 && t.kl_z >= 0, "kl_y %g kl_z %g", t.kl_y,
                  t.kl_z);
    if (kind == MODEL_FSVAE)
        cr_assert(t.kl_z >= 0, "kl_z %g", t.kl_z);
    bound_case_free(&c);
}

Test(bound_terms, vae_nelbo_is_kl_plus_rec) { check_sum_of_terms(MODEL_VAE, 21); }
Test(bound_terms, gmvae_nelbo_is_kl_plus_rec) { check_sum_of_terms(MODEL_GMVAE, 22); }
Test(bound_terms, ssvae_nelbo_is_kly_klz_rec) { check_sum_of_terms(MODEL_SSVAE, 23); }
Test(bound_terms, fsvae_nelbo_is_klz_plus_rec) { check_sum_of_terms(MODEL_FSVAE, 24); }

/* ---- batch means ---------------------------------------------------------- */

/* Every term of the batch against the mean of the same term over the rows
 * evaluated alone. Row b of the batch draws normals b*Z .. (b+1)*Z - 1 of
 * the seed's stream (vae, gmvae, fsvae), so seeking there before the row's
 * own call gives it the same noise: the two agree to rounding. That
 * rounding is a GEMM over 5 rows against one row (other kernels, other
 * summation order), a few eps of O(10) values: 1e-12 relative is >100x
 * over it and a sum taken for a mean is off by 400%. */
static void check_batch_mean(bound_case_t *c, size_t draws_per_row,
                             const char *what)
{
    model_t *m = &c->model;
    const size_t D = m->cfg.x_dim, Y = m->cfg.y_dim;
    rng_t rng;
    rng_seed(&rng, c->noise_seed);
    bound_terms_t whole;
    double f = bound_elbo(m, c->x, c->y, c->batch, &rng, &whole, 0);
    cr_assert(isfinite(f), "%s: %s", what, vg_error_last());

    double want[5] = { 0 }, got[5] = { whole.nelbo, whole.kl, whole.kl_z,
                                      whole.kl_y, whole.rec };
    for (size_t b = 0; b < c->batch; b++) {
        bound_terms_t t;
        rng_seek_normals(&rng, c->noise_seed, b * draws_per_row);
        double fb = bound_elbo(m, c->x + b * D, c->y ? c->y + b * Y : NULL,
                               1, &rng, &t, 0);
        cr_assert(isfinite(fb), "%s row %zu: %s", what, b, vg_error_last());
        const double row[5] = { t.nelbo, t.kl, t.kl_z, t.kl_y, t.rec };
        for (size_t i = 0; i < 5; i++)
            want[i] += row[i] / (double)c->batch;
    }
    /* Terms a model does not have are NaN on both sides. */
    for (size_t i = 0; i < 5; i++)
        if (isnan(want[i]) && isnan(got[i]))
            want[i] = got[i] = 0.0;
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, 5, (cmp_bound_t){ 1e-13, 1e-12 },
                             what),
              "%s (terms: nelbo, kl, kl_z, kl_y, rec)", r.message);
}

Test(bound_terms, vae_batch_mean)
{
    bound_case_t c;
    init_case(&c, MODEL_VAE, 31);
    check_batch_mean(&c, c.model.cfg.z_dim, "vae batch vs its rows");
    bound_case_free(&c);
}

Test(bound_terms, gmvae_batch_mean)
{
    bound_case_t c;
    init_case(&c, MODEL_GMVAE, 32);
    check_batch_mean(&c, c.model.cfg.z_dim, "gmvae batch vs its rows");
    bound_case_free(&c);
}

Test(bound_terms, fsvae_batch_mean)
{
    bound_case_t c;
    init_case(&c, MODEL_FSVAE, 34);
    check_batch_mean(&c, c.model.cfg.z_dim, "fsvae batch vs its rows");
    bound_case_free(&c);
}

/* The ssvae draws its noise label-major (row y*B + b), so a row alone
 * cannot be given its batch noise by seeking. Its KL terms do not depend on
 * the noise; zeroing the decoder's weights from z (the first Z inputs of
 * its first layer, model.h's (Z+Y) input) makes the reconstruction
 * independent of it too, and then the batch is exactly the mean of its
 * rows. Two seeds giving one value prove the noise no longer matters. */
Test(bound_terms, ssvae_batch_mean)
{
    bound_case_t c;
    init_case(&c, MODEL_SSVAE, 33);
    model_t *m = &c.model;
    cr_assert_eq(m->dtype, NN_FLOAT64);
    const size_t Z = m->cfg.z_dim, in = m->dec.net.spec.sizes[0];
    cr_assert_eq(in, Z + m->cfg.y_dim);
    double *w0 = m->dec.net.W[0];   /* (Z+Y, H) */
    for (size_t o = 0; o < m->dec.net.spec.sizes[1]; o++)
        for (size_t i = 0; i < Z; i++)
            w0[mlp_weight_index(&m->dec.net.spec, 0, o, i)] = 0;

    rng_t rng;
    bound_terms_t t1, t2;
    rng_seed(&rng, 1);
    double f1 = bound_elbo(m, c.x, NULL, c.batch, &rng, &t1, 0);
    rng_seed(&rng, 2);
    double f2 = bound_elbo(m, c.x, NULL, c.batch, &rng, &t2, 0);
    cr_assert_eq(f1, f2, "the decoder still reads z: %.17g vs %.17g", f1, f2);
    cr_assert(t1.kl_y > 0 && t1.kl_z > 0 && t1.rec > 0);
    check_batch_mean(&c, 0, "ssvae batch vs its rows");
    bound_case_free(&c);
}

/* ---- seeds ------------------------------------------------------------------- */

/* A seed fixes the value to the bit; another seed moves it (the bound does
 * draw its noise from the rng given). */
static void check_seeded(model_kind_t kind, uint64_t seed)
{
    bound_case_t c;
    init_case(&c, kind, seed);
    double a = bound_case_elbo(&c, 0), b = bound_case_elbo(&c, 0);
    cr_assert_eq(a, b, "same seed: %.17g then %.17g", a, b);
    c.noise_seed++;
    double d = bound_case_elbo(&c, 0);
    cr_assert_neq(a, d, "another seed gave the same value %.17g", a);
    bound_case_free(&c);
}

Test(bound_terms, vae_seeded) { check_seeded(MODEL_VAE, 41); }
Test(bound_terms, gmvae_seeded) { check_seeded(MODEL_GMVAE, 42); }
Test(bound_terms, ssvae_seeded) { check_seeded(MODEL_SSVAE, 43); }
Test(bound_terms, fsvae_seeded) { check_seeded(MODEL_FSVAE, 44); }

/* Rows beyond what the model was built for are refused with a message,
 * not written past the buffers. */
Test(bound_terms, oversized_batch_refused)
{
    bound_case_t c;
    init_case(&c, MODEL_VAE, 45);
    rng_t rng;
    rng_seed(&rng, 0);
    vg_error_clear();
    double f = bound_elbo(&c.model, c.x, NULL, BATCH + 1, &rng, NULL, 0);
    cr_assert(isnan(f), "got %g", f);
    cr_assert(strstr(vg_error_last(), "max_batch") != NULL, "message: %s",
              vg_error_last());
    bound_case_free(&c);
}

/* The ssvae's noise layout, as assignment.h states it: row y*B + b holds
 * digit b with label y and draws normals (y*B + b)*Z onwards. Each (b, y)
 * is rebuilt here alone from the framework's calls with the rng sought to
 * its place, and the reconstruction term, the only one the noise enters,
 * must match: a row-major layout (b*Y + y) is off by 1e-4 relative here.
 * Same rounding as the batch means above: 1e-12 relative. */
Test(bound_terms, ssvae_label_major_noise)
{
    enum { B = 2, Y = 10, Z = 3, D = 7 };
    bound_case_t c;
    model_config_t cfg = small_config(MODEL_SSVAE);
    cr_assert_eq(bound_case_init(&c, &cfg, NN_FLOAT64, B, B, 35), VG_OK,
                 "%s", vg_error_last());
    model_t *m = &c.model;
    cr_assert(m->cfg.y_dim == Y && m->cfg.z_dim == Z && m->cfg.x_dim == D);
    bound_case_elbo(&c, 0);
    const double rec = c.terms.rec;

    double ylogits[B * Y], logq[B * Y], q[B * Y];
    cr_assert_eq(classifier_forward(m, ylogits, c.x, B), VG_OK);
    log_softmax(logq, q, ylogits, B, Y);
    double want = 0.0;
    for (size_t b = 0; b < B; b++)
        for (size_t y = 0; y < Y; y++) {
            double onehot[Y] = { 0 }, qm[Z], qv[Z], z[Z], eps[Z];
            double logits[D], logpx;
            onehot[y] = 1.0;
            rng_t rng;
            rng_seek_normals(&rng, c.noise_seed, (y * B + b) * Z);
            cr_assert_eq(encoder_forward(m, qm, qv, c.x + b * D, onehot, 1),
                         VG_OK);
            sample_gaussian(&rng, qm, qv, Z, z, eps);
            cr_assert_eq(decoder_forward(m, logits, z, onehot, 1), VG_OK);
            log_bernoulli_with_logits(&logpx, c.x + b * D, logits, 1, D);
            want -= q[b * Y + y] * logpx / B;
        }
    cmp_report_t r;
    cr_assert(compare_scalar(&r, want, rec, (cmp_bound_t){ 0, 1e-12 },
                             "ssvae rec vs label-major rebuild"), "%s",
              r.message);
    bound_case_free(&c);
}
