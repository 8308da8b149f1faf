/* gmvae.c: the reference GMVAE bounds of CS236 HW2 (assignment.h): the VAE
 * with a trainable uniform mixture-of-Gaussians prior, its negative ELBO
 * (one-sample Monte Carlo KL) with the backward into the encoder, decoder
 * and prior, and its negative IWAE bound. Not the networks (model.c).
 * Shapes: B batch, D data dimension, Z latent, K mixture components,
 * IW importance samples, R rows of one decoder call in the IWAE bound. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "bernoulli_fast.h"
#include "vg_error.h"

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

static double mean(const double *a, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s / (double)n;
}

static void terms_set(bound_terms_t *t, double nelbo, double niwae, double kl,
                      double rec)
{
    if (!t)
        return;
    t->nelbo = nelbo;
    t->niwae = niwae;
    t->kl = kl;
    t->kl_z = NAN;
    t->kl_y = NAN;
    t->rec = rec;
}

static int check_batch(const model_t *model, size_t batch, const char *func)
{
    if (batch == 0 || batch > model->max_batch)
        return vg_error_set("%s: batch %zu is outside 1..%zu, the rows the "
                            "model was built for (model_create's max_batch)",
                            func, batch, model->max_batch);
    return VG_OK;
}

double gmvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    const size_t K = model->cfg.k;
    double nelbo = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    double *raw = scratch_alloc(model, 2 * K * Z); /* (2K,Z) prior's raw */
    double *pm = scratch_alloc(model, K * Z);      /* (K,Z) component means */
    double *pv = scratch_alloc(model, K * Z);      /* (K,Z) variances */
    double *qm = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *qv = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *eps = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *z = scratch_alloc(model, B * Z);       /* (B,Z) */
    double *logits = scratch_alloc(model, B * D);  /* (B,D) */
    double *logq = scratch_alloc(model, B);        /* (B) log q(z|x) */
    double *logpz = scratch_alloc(model, B);       /* (B) log p(z) */
    double *logpx = scratch_alloc(model, B);       /* (B) log p(x|z) */
    if (!raw || !pm || !pv || !qm || !qv || !eps || !z || !logits || !logq
        || !logpz || !logpx)
        goto cleanup;

    prior_get(model, raw);
    /* raw is (1, 2K, Z) as CS236's z_pre: its first K*Z values are the
     * means and the next K*Z the pre-softplus variances. */
    gaussian_parameters(pm, pv, raw, 1, K * Z);
    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    sample_gaussian(rng, qm, qv, B * Z, z, eps);
    if (decoder_forward(model, logits, z, NULL, B) != VG_OK)
        goto cleanup;
    log_normal(z, qm, qv, B, Z, logq);
    log_normal_mixture(z, pm, pv, B, K, Z, logpz);
    /* nelbo = mean_b (logq_b - logpz_b - logpx_b): logpx's weight -1/B is
     * known before the forward, so a backward takes d nelbo/d logits in the
     * same pass over the pixels as log p(x|z). */
    double *dlogits = NULL, *dlogpx = NULL;       /* (B,D), (B) */
    if (backward) {
        dlogits = scratch_alloc(model, B * D);
        dlogpx = scratch_alloc(model, B);
        if (!dlogits || !dlogpx)
            goto cleanup;
        fill(dlogpx, B, -1.0 / (double)B);
        bernoulli_fast_log_lik_with_grad(logpx, dlogits, dlogpx, x, logits,
                                         B, D);
    } else {
        bernoulli_fast_log_lik(logpx, x, logits, B, D);
    }
    kl = mean(logq, B) - mean(logpz, B);
    rec = -mean(logpx, B);

    if (backward) {
        double *dz = scratch_alloc(model, B * Z);      /* (B,Z) */
        double *dqm = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dqv = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dpm = scratch_alloc(model, K * Z);     /* (K,Z) */
        double *dpv = scratch_alloc(model, K * Z);     /* (K,Z) */
        double *draw = scratch_alloc(model, 2 * K * Z); /* (2K,Z) */
        double *dlogq = scratch_alloc(model, B);       /* (B) */
        double *dlogpz = scratch_alloc(model, B);      /* (B) */
        if (!dz || !dqm || !dqv || !dpm || !dpv || !draw || !dlogq
            || !dlogpz)
            goto cleanup;
        fill(dlogq, B, 1.0 / (double)B);
        fill(dlogpz, B, -1.0 / (double)B);
        /* z feeds all three log-densities: dz collects each before it goes
         * back through the sample to q's mean and variance. */
        if (decoder_backward(model, dz, dlogits) != VG_OK)
            goto cleanup;
        log_normal_backward(dz, dqm, dqv, dlogq, z, qm, qv, B, Z);
        log_normal_mixture_backward(dz, dpm, dpv, dlogpz, z, pm, pv, B, K, Z);
        sample_gaussian_backward(dqm, dqv, dz, qv, eps, B * Z);
        if (encoder_backward(model, dqm, dqv) != VG_OK)
            goto cleanup;
        gaussian_parameters_backward(draw, dpm, dpv, raw, 1, K * Z);
        prior_backward(model, draw);
    }
    nelbo = kl + rec;

cleanup:
    terms_set(terms, nelbo, NAN, kl, rec);
    return nelbo;
}

/* As vae_negative_iwae_bound (vae.c): log-weights (B, IW), samples drawn
 * sample-major (importance sample i of row b is noise row i*B + b), so
 * iw = 1 draws the ELBO's noise and its niwae is the ELBO, and kl, rec
 * are the ELBO's terms at the first importance sample. */
double gmvae_negative_iwae_bound(model_t *model, const double *x,
                                 size_t batch, size_t iw, rng_t *rng,
                                 bound_terms_t *terms)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    const size_t K = model->cfg.k;
    double niwae = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    if (iw == 0) {
        vg_error_set("%s: iw must be at least 1", __func__);
        goto cleanup;
    }
    double *raw = scratch_alloc(model, 2 * K * Z); /* (2K,Z) */
    double *pm = scratch_alloc(model, K * Z);      /* (K,Z) */
    double *pv = scratch_alloc(model, K * Z);      /* (K,Z) */
    double *qm = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *qv = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *logw = scratch_alloc(model, B * iw);   /* (B,IW) log weights */
    if (!raw || !pm || !pv || !qm || !qv || !logw)
        goto cleanup;

    /* Samples per decoder call S, bounded by the decoder's rows and the
     * scratch left, so the logits stay at R = S*B rows (never IW*B*D). */
    const size_t per_row = 4 * Z + D + 3; /* doubles per sample row below */
    const size_t slack = 16 * 8;          /* scratch_alloc's rounding */
    size_t left = model->scratch.cap - model->scratch.used;
    size_t rows_fit = left > slack ? (left - slack) / per_row : 0;
    size_t rows_max = model->dec.net.max_batch < rows_fit
                          ? model->dec.net.max_batch : rows_fit;
    size_t S = rows_max / B < iw ? rows_max / B : iw;
    if (S == 0) {
        vg_error_set("%s: the model's scratch (%zu doubles free) or decoder "
                     "(%zu rows) cannot hold one sample of %zu rows",
                     __func__, left, model->dec.net.max_batch, B);
        goto cleanup;
    }
    const size_t R = S * B;
    double *mr = scratch_alloc(model, R * Z);      /* (R,Z) qm, S copies */
    double *vr = scratch_alloc(model, R * Z);      /* (R,Z) qv, S copies */
    double *eps = scratch_alloc(model, R * Z);     /* (R,Z) */
    double *z = scratch_alloc(model, R * Z);       /* (R,Z) */
    double *logits = scratch_alloc(model, R * D);  /* (R,D) */
    double *logpx = scratch_alloc(model, R);       /* (R) */
    double *logq = scratch_alloc(model, R);        /* (R) */
    double *logpz = scratch_alloc(model, R);       /* (R) */
    if (!mr || !vr || !eps || !z || !logits || !logpx || !logq || !logpz)
        goto cleanup;

    prior_get(model, raw);
    gaussian_parameters(pm, pv, raw, 1, K * Z);
    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    for (size_t s = 0; s < S; s++) {
        memcpy(mr + s * B * Z, qm, B * Z * sizeof *mr);
        memcpy(vr + s * B * Z, qv, B * Z * sizeof *vr);
    }
    double kl_sum = 0.0, rec_sum = 0.0;
    for (size_t i0 = 0; i0 < iw; i0 += S) {
        const size_t s_n = iw - i0 < S ? iw - i0 : S, n = s_n * B;
        sample_gaussian(rng, mr, vr, n * Z, z, eps);
        if (decoder_forward(model, logits, z, NULL, n) != VG_OK)
            goto cleanup;
        for (size_t s = 0; s < s_n; s++)
            bernoulli_fast_log_lik(logpx + s * B, x, logits + s * B * D, B,
                                   D);
        log_normal(z, mr, vr, n, Z, logq);
        log_normal_mixture(z, pm, pv, n, K, Z, logpz);
        for (size_t s = 0; s < s_n; s++)
            for (size_t b = 0; b < B; b++) {
                const size_t r = s * B + b;
                logw[b * iw + i0 + s] = logpx[r] + logpz[r] - logq[r];
            }
        if (i0 == 0) {
            kl_sum = mean(logq, B) - mean(logpz, B);
            rec_sum = -mean(logpx, B);
        }
    }
    double lme_sum = 0.0;
    for (size_t b = 0; b < B; b++)
        lme_sum += log_mean_exp(logw + b * iw, iw);
    niwae = -lme_sum / (double)B;
    kl = kl_sum;
    rec = rec_sum;

cleanup:
    terms_set(terms, kl + rec, niwae, kl, rec);
    return niwae;
}
