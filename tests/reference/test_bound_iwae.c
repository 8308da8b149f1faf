/* test_bound_iwae.c: the reference negative IWAE bounds (vae, gmvae): iw = 1
 * is the ELBO with the same noise, the bound is -mean_b log_mean_exp of the
 * single-sample log-weights laid out sample-major, it does not depend on how
 * the samples are chunked into decoder calls, and it decreases with iw.
 * Not the ELBO's own checks (test_bound_terms.c).
 * Shapes: B batch, D data dimension, Z latent, IW importance samples. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "bound_setup.h"
#include "config.h"
#include "vg_error.h"

#define BATCH 3

static void init_case(bound_case_t *c, model_kind_t kind, size_t max_batch,
                      uint64_t seed)
{
    model_config_t cfg = small_config(kind);
    cr_assert_eq(bound_case_init(c, &cfg, NN_FLOAT64, BATCH, max_batch, seed),
                 VG_OK, "%s", vg_error_last());
}

/* Rounding bound for two evaluations of the same numbers through different
 * GEMM shapes (rows per call) and summation orders: a few eps of O(10)
 * values; 1e-12 relative is >100x over it. */
static const cmp_bound_t SAME_NUMBERS = { 1e-13, 1e-12 };

static double iwae_seeded(bound_case_t *c, size_t iw, bound_terms_t *t)
{
    rng_t rng;
    rng_seed(&rng, c->noise_seed);
    double f = bound_iwae(&c->model, c->x, c->batch, iw, &rng, t);
    cr_assert(isfinite(f), "iwae(iw=%zu): %s", iw, vg_error_last());
    return f;
}

/* vae: with one sample the IWAE's kl and rec are the ELBO's (the closed
 * form KL and the reconstruction at the same z), and niwae is the
 * reconstruction plus the one-sample KL log q(z|x) - log p(z) at that z,
 * which the test computes from the same noise. */
Test(bound_iwae, vae_iw1_is_the_elbo)
{
    bound_case_t c;
    init_case(&c, MODEL_VAE, BATCH, 51);
    model_t *m = &c.model;
    bound_terms_t ti;
    cr_assert(isfinite(bound_case_elbo(&c, 0)), "%s", vg_error_last());
    const bound_terms_t te = c.terms;
    double niwae = iwae_seeded(&c, 1, &ti);
    cmp_report_t r;
    double want[3] = { te.nelbo, te.kl, te.rec }, got[3] = { ti.nelbo, ti.kl,
                                                              ti.rec };
    cr_assert(compare_arrays(&r, want, got, 3, SAME_NUMBERS,
                             "iwae(iw=1) terms vs elbo (nelbo, kl, rec)"),
              "%s", r.message);

    enum { Z = 3 };
    cr_assert_eq(m->cfg.z_dim, (size_t)Z);
    double qm[BATCH * Z], qv[BATCH * Z], z[BATCH * Z], eps[BATCH * Z];
    double zero[BATCH * Z] = { 0 }, one[BATCH * Z];
    double logq[BATCH], logpz[BATCH];
    for (size_t i = 0; i < BATCH * Z; i++)
        one[i] = 1.0;
    rng_t rng;
    rng_seed(&rng, c.noise_seed);
    cr_assert_eq(encoder_forward(m, qm, qv, c.x, NULL, BATCH), VG_OK);
    sample_gaussian(&rng, qm, qv, BATCH * Z, z, eps);
    log_normal(z, qm, qv, BATCH, Z, logq);
    log_normal(z, zero, one, BATCH, Z, logpz);
    double mc_kl = 0.0;
    for (size_t b = 0; b < BATCH; b++)
        mc_kl += (logq[b] - logpz[b]) / BATCH;
    cr_assert(compare_scalar(&r, te.rec + mc_kl, niwae, SAME_NUMBERS,
                             "vae niwae(iw=1) vs rec + one-sample KL"),
              "%s", r.message);
    bound_case_free(&c);
}

/* gmvae: its ELBO's KL is the one-sample estimate already, so iw = 1 is the
 * ELBO itself. */
Test(bound_iwae, gmvae_iw1_is_the_elbo)
{
    bound_case_t c;
    init_case(&c, MODEL_GMVAE, BATCH, 52);
    bound_terms_t ti;
    double elbo = bound_case_elbo(&c, 0);
    bound_terms_t te = c.terms;
    double niwae = iwae_seeded(&c, 1, &ti);
    double want[4] = { elbo, te.nelbo, te.kl, te.rec };
    double got[4] = { niwae, ti.nelbo, ti.kl, ti.rec };
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, 4, SAME_NUMBERS,
                             "gmvae iwae(iw=1) vs elbo (value, nelbo, kl, "
                             "rec)"), "%s", r.message);
    bound_case_free(&c);
}

/* The bound from its definition: importance sample i of row b draws
 * normals (i*B + b)*Z onwards (sample-major), so seeking there and
 * evaluating row b alone with iw = 1 gives -log w[b][i]; the bound must be
 * -mean_b log_mean_exp_i log w[b][i]. IW = 7 is odd and not a multiple of
 * the chunk sizes used below. */
static void check_from_weights(model_kind_t kind, uint64_t seed)
{
    enum { IW = 7 };
    bound_case_t c;
    init_case(&c, kind, BATCH, seed);
    model_t *m = &c.model;
    const size_t Z = m->cfg.z_dim, D = m->cfg.x_dim;
    double logw[BATCH][IW];
    rng_t rng;
    for (size_t b = 0; b < BATCH; b++)
        for (size_t i = 0; i < IW; i++) {
            rng_seek_normals(&rng, c.noise_seed, (i * BATCH + b) * Z);
            double f = bound_iwae(m, c.x + b * D, 1, 1, &rng, NULL);
            cr_assert(isfinite(f), "%s", vg_error_last());
            logw[b][i] = -f;
        }
    double want = 0.0;
    for (size_t b = 0; b < BATCH; b++)
        want -= log_mean_exp(logw[b], IW) / BATCH;
    bound_terms_t t;
    double got = iwae_seeded(&c, IW, &t);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, want, got, SAME_NUMBERS,
                             "niwae vs -mean_b log_mean_exp of its weights"),
              "%s", r.message);
    bound_case_free(&c);
}

Test(bound_iwae, vae_from_its_weights) { check_from_weights(MODEL_VAE, 53); }
Test(bound_iwae, gmvae_from_its_weights) { check_from_weights(MODEL_GMVAE, 54); }

/* One model built for B rows (one sample per decoder call) and one for 4B
 * (four per call, then a remainder): same parameters, same noise, so the
 * same bound. */
static void check_chunking(model_kind_t kind, uint64_t seed)
{
    bound_case_t small, big;
    init_case(&small, kind, BATCH, seed);
    init_case(&big, kind, 4 * BATCH, seed);
    cr_assert_eq(model_copy_params(&big.model, &small.model), VG_OK);
    bound_terms_t ts, tb;
    double fs = iwae_seeded(&small, 11, &ts);
    double fb = iwae_seeded(&big, 11, &tb);
    double want[3] = { fs, ts.kl, ts.rec }, got[3] = { fb, tb.kl, tb.rec };
    cmp_report_t r;
    cr_assert(compare_arrays(&r, want, got, 3, SAME_NUMBERS,
                             "iwae(iw=11) by 1 vs by 4 samples per call"),
              "%s", r.message);
    bound_case_free(&small);
    bound_case_free(&big);
}

Test(bound_iwae, vae_chunking_invariant) { check_chunking(MODEL_VAE, 55); }
Test(bound_iwae, gmvae_chunking_invariant) { check_chunking(MODEL_GMVAE, 56); }

/* NIWAE falls with iw in expectation (Burda et al. 2016, theorem 1), and
 * strictly when the weights vary. Over R repeats with independent noise
 * on the same digits, the paired differences d = NIWAE_iw - NIWAE_10iw have
 * mean Delta > 0 and sd sigma; the test asks mean/se(d) > 3.
 * Measured on these two models (seed 71, R = 200): Delta/sigma = 0.52 and
 * 0.38 (vae, 1->10 and 10->100), 0.57 and 0.33 (gmvae). With R = 600 the
 * statistic is close to N(Delta/sigma sqrt(R), 1), at least N(8.1, 1), so
 * it falls under 3 with probability Phi(-5.1) = 1.7e-7 per comparison,
 * 7e-7 for the four: that is the false-fail rate. A bound that does not
 * fall (Delta = 0, say the mean of the log-weights) passes one comparison
 * with probability Phi(-3) = 1.3e-3 only. */
static void check_decreasing(model_kind_t kind)
{
    enum { R = 600, BATCH5 = 5 };
    static const size_t iws[3] = { 1, 10, 100 };
    model_config_t cfg = small_config(kind);
    bound_case_t c;
    cr_assert_eq(bound_case_init(&c, &cfg, NN_FLOAT64, BATCH5, BATCH5, 71),
                 VG_OK, "%s", vg_error_last());
    double sum[2] = { 0 }, sum2[2] = { 0 };
    for (size_t r = 0; r < R; r++) {
        double v[3];
        for (size_t j = 0; j < 3; j++) {
            rng_t rng;
            rng_seed(&rng, 1000 + 3 * r + j);
            v[j] = bound_iwae(&c.model, c.x, BATCH5, iws[j], &rng, NULL);
            cr_assert(isfinite(v[j]), "%s", vg_error_last());
        }
        for (size_t j = 0; j < 2; j++) {
            double d = v[j] - v[j + 1];
            sum[j] += d;
            sum2[j] += d * d;
        }
    }
    for (size_t j = 0; j < 2; j++) {
        double mean = sum[j] / R;
        double var = (sum2[j] - R * mean * mean) / (R - 1);
        double t = mean / sqrt(var / R);
        cr_assert(t > 3.0, "%s: NIWAE(iw=%zu) - NIWAE(iw=%zu) over %d "
                  "repeats: mean %.4g, sd %.4g, t = %.2f, not > 3",
                  config_kind_name(kind), iws[j], iws[j + 1], R, mean,
                  sqrt(var), t);
    }
    bound_case_free(&c);
}

Test(bound_iwae, vae_decreases_with_iw, .timeout = 60)
{
    check_decreasing(MODEL_VAE);
}

Test(bound_iwae, gmvae_decreases_with_iw, .timeout = 60)
{
    check_decreasing(MODEL_GMVAE);
}
