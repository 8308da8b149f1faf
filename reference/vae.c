/* vae.c: the reference VAE bounds of CS236 HW2 (assignment.h): the negative
 * ELBO with its backward into every parameter, and the negative IWAE bound.
 * Not the networks (model.c) nor training (the vae-train program).
 * Shapes: B batch, D data dimension, Z latent, IW importance samples,
 * R rows of one decoder call in the IWAE bound. */
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

double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double nelbo = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    /* Every buffer comes from the model's scratch so that a training step
     * allocates nothing; scratch_alloc zeroes, so gradients start at 0. */
    double *qm = scratch_alloc(model, B * Z);      /* (B,Z) q's mean */
    double *qv = scratch_alloc(model, B * Z);      /* (B,Z) q's variance */
    double *pm = scratch_alloc(model, B * Z);      /* (B,Z) prior mean 0 */
    double *pv = scratch_alloc(model, B * Z);      /* (B,Z) prior var 1 */
    double *eps = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *z = scratch_alloc(model, B * Z);       /* (B,Z) */
    double *logits = scratch_alloc(model, B * D);  /* (B,D) */
    double *kl_b = scratch_alloc(model, B);        /* (B) */
    double *logpx = scratch_alloc(model, B);       /* (B) log p(x|z) */
    if (!qm || !qv || !pm || !pv || !eps || !z || !logits || !kl_b || !logpx)
        goto cleanup;
    fill(pv, B * Z, 1.0);

    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    sample_gaussian(rng, qm, qv, B * Z, z, eps);
    if (decoder_forward(model, logits, z, NULL, B) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, B, Z, kl_b);
    /* nelbo = mean_b (kl_b - logpx_b): each row weighs 1/B, known before
     * the forward, so a backward takes d nelbo/d logits in the same pass
     * over the pixels as log p(x|z). */
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
    kl = mean(kl_b, B);
    rec = -mean(logpx, B);

    if (backward) {
        double *dz = scratch_alloc(model, B * Z);      /* (B,Z) */
        double *dqm = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dqv = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dkl = scratch_alloc(model, B);         /* (B) d nelbo/d kl_b */
        if (!dz || !dqm || !dqv || !dkl)
            goto cleanup;
        fill(dkl, B, 1.0 / (double)B);
        if (decoder_backward(model, dz, dlogits) != VG_OK)
            goto cleanup;
        sample_gaussian_backward(dqm, dqv, dz, qv, eps, B * Z);
        kl_normal_backward(dqm, dqv, NULL, NULL, dkl, qm, qv, pm, pv, B, Z);
        if (encoder_backward(model, dqm, dqv) != VG_OK)
            goto cleanup;
    }
    nelbo = kl + rec;

cleanup:
    terms_set(terms, nelbo, NAN, kl, rec);
    return nelbo;
}

/* The log-weights of the IWAE bound are laid out (B, IW) so that each row's
 * iw weights are contiguous for log_mean_exp. Samples are drawn
 * sample-major, as CS236's duplicate() lays them out: importance sample i
 * of row b is noise row i*B + b, so iw = 1 draws exactly the ELBO's noise,
 * and a chunk of whole samples continues the same stream whatever the
 * chunk size. */
double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double niwae = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    if (iw == 0) {
        vg_error_set("%s: iw must be at least 1", __func__);
        goto cleanup;
    }
    double *qm = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *qv = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *kl_b = scratch_alloc(model, B);       /* (B) closed-form KL */
    double *logw = scratch_alloc(model, B * iw);  /* (B,IW) log weights */
    if (!qm || !qv || !kl_b || !logw)
        goto cleanup;

    /* Samples per decoder call S: as many whole copies of the batch as the
     * decoder takes rows and the scratch holds, so that the GEMMs are large
     * while the logits stay bounded at R = S*B rows (never IW*B*D). */
    const size_t per_row = 7 * Z + D + 3; /* doubles per sample row below */
    const size_t slack = 16 * 10;         /* scratch_alloc's rounding */
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
    double *pm = scratch_alloc(model, R * Z);      /* (R,Z) prior mean 0 */
    double *pv = scratch_alloc(model, R * Z);      /* (R,Z) prior var 1 */
    double *eps = scratch_alloc(model, R * Z);     /* (R,Z) */
    double *z = scratch_alloc(model, R * Z);       /* (R,Z) */
    double *logits = scratch_alloc(model, R * D);  /* (R,D) */
    double *logpx = scratch_alloc(model, R);       /* (R) log p(x|z) */
    double *logq = scratch_alloc(model, R);        /* (R) log q(z|x) */
    double *logpz = scratch_alloc(model, R);       /* (R) log p(z) */
    if (!mr || !vr || !pm || !pv || !eps || !z || !logits || !logpx || !logq
        || !logpz)
        goto cleanup;
    fill(pv, R * Z, 1.0);

    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, B, Z, kl_b);
    for (size_t s = 0; s < S; s++) {
        memcpy(mr + s * B * Z, qm, B * Z * sizeof *mr);
        memcpy(vr + s * B * Z, qv, B * Z * sizeof *vr);
    }
    double rec_sum = 0.0;
    for (size_t i0 = 0; i0 < iw; i0 += S) {
        const size_t s_n = iw - i0 < S ? iw - i0 : S, n = s_n * B;
        sample_gaussian(rng, mr, vr, n * Z, z, eps);
        if (decoder_forward(model, logits, z, NULL, n) != VG_OK)
            goto cleanup;
        for (size_t s = 0; s < s_n; s++)
            bernoulli_fast_log_lik(logpx + s * B, x, logits + s * B * D, B,
                                   D);
        log_normal(z, mr, vr, n, Z, logq);
        log_normal(z, pm, pv, n, Z, logpz);
        for (size_t s = 0; s < s_n; s++)
            for (size_t b = 0; b < B; b++) {
                const size_t r = s * B + b;
                logw[b * iw + i0 + s] = logpx[r] + logpz[r] - logq[r];
            }
        if (i0 == 0)
            for (size_t b = 0; b < B; b++)
                rec_sum -= logpx[b];
    }
    double lme_sum = 0.0;
    for (size_t b = 0; b < B; b++)
        lme_sum += log_mean_exp(logw + b * iw, iw);
    niwae = -lme_sum / (double)B;
    kl = mean(kl_b, B);
    rec = rec_sum / (double)B;

cleanup:
    terms_set(terms, kl + rec, niwae, kl, rec);
    return niwae;
}
