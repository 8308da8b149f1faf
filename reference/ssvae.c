/* ssvae.c: the reference semi-supervised VAE bound of CS236 HW2
 * (assignment.h): the negative ELBO on unlabelled digits with the exact
 * expectation over the labels under the classifier's q(y|x), and its
 * backward into the classifier, encoder and decoder. Not the labelled
 * cross-entropy term of training (the vae-train program adds it).
 * Shapes: B batch, D data dimension, Y labels, Z latent; YB = Y*B rows,
 * label-major (row y*B + b is digit b with label y). */
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

static void terms_set(bound_terms_t *t, double nelbo, double kl_y,
                      double kl_z, double rec)
{
    if (!t)
        return;
    t->nelbo = nelbo;
    t->niwae = NAN;
    t->kl = NAN;
    t->kl_z = kl_z;
    t->kl_y = kl_y;
    t->rec = rec;
}

double ssvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    const size_t Y = model->cfg.y_dim, YB = Y * B;
    double nelbo = NAN, kl_y = NAN, kl_z = NAN, rec = NAN;

    if (B == 0 || B > model->max_batch || Y == 0) {
        vg_error_set("%s: batch %zu is outside 1..%zu (model_create's "
                     "max_batch), or the model has no labels (y_dim %zu)",
                     __func__, B, model->max_batch, Y);
        goto cleanup;
    }
    double *ylogits = scratch_alloc(model, B * Y); /* (B,Y) classifier */
    double *logq_y = scratch_alloc(model, B * Y);  /* (B,Y) log q(y|x) */
    double *q_y = scratch_alloc(model, B * Y);     /* (B,Y) q(y|x) */
    double *logp_y = scratch_alloc(model, Y);      /* (Y) log 1/Y */
    double *kly_b = scratch_alloc(model, B);       /* (B) */
    double *xr = scratch_alloc(model, YB * D);     /* (YB,D) x per label */
    double *yr = scratch_alloc(model, YB * Y);     /* (YB,Y) one-hot */
    double *qm = scratch_alloc(model, YB * Z);     /* (YB,Z) */
    double *qv = scratch_alloc(model, YB * Z);     /* (YB,Z) */
    double *pm = scratch_alloc(model, YB * Z);     /* (YB,Z) prior mean 0 */
    double *pv = scratch_alloc(model, YB * Z);     /* (YB,Z) prior var 1 */
    double *eps = scratch_alloc(model, YB * Z);    /* (YB,Z) */
    double *z = scratch_alloc(model, YB * Z);      /* (YB,Z) */
    double *logits = scratch_alloc(model, YB * D); /* (YB,D) */
    double *klz_r = scratch_alloc(model, YB);      /* (YB) per label */
    double *logpx_r = scratch_alloc(model, YB);    /* (YB) per label */
    if (!ylogits || !logq_y || !q_y || !logp_y || !kly_b || !xr || !yr || !qm
        || !qv || !pm || !pv || !eps || !z || !logits || !klz_r || !logpx_r)
        goto cleanup;
    fill(logp_y, Y, log(1.0 / (double)Y));
    fill(pv, YB * Z, 1.0);
    for (size_t y = 0; y < Y; y++) {
        memcpy(xr + y * B * D, x, B * D * sizeof *xr);
        for (size_t b = 0; b < B; b++)
            yr[(y * B + b) * Y + y] = 1.0;
    }

    if (classifier_forward(model, ylogits, x, B) != VG_OK)
        goto cleanup;
    log_softmax(logq_y, q_y, ylogits, B, Y);
    kl_cat(kly_b, q_y, logq_y, logp_y, B, Y);
    if (encoder_forward(model, qm, qv, xr, yr, YB) != VG_OK)
        goto cleanup;
    sample_gaussian(rng, qm, qv, YB * Z, z, eps);
    if (decoder_forward(model, logits, z, yr, YB) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, YB, Z, klz_r);
    /* log p(x|z,y) of row b under label y weighs -q(y|x_b)/B in nelbo
     * (below), known before the forward, so a backward takes d nelbo/d
     * logits in the same pass over the pixels. */
    const double w = 1.0 / (double)B;
    double *dlogits = NULL, *dlogpx_r = NULL;     /* (YB,D), (YB) */
    if (backward) {
        dlogits = scratch_alloc(model, YB * D);
        dlogpx_r = scratch_alloc(model, YB);
        if (!dlogits || !dlogpx_r)
            goto cleanup;
        for (size_t b = 0; b < B; b++)
            for (size_t y = 0; y < Y; y++)
                dlogpx_r[y * B + b] = -w * q_y[b * Y + y];
    }
    for (size_t y = 0; y < Y; y++) {
        if (backward)
            bernoulli_fast_log_lik_with_grad(logpx_r + y * B,
                                             dlogits + y * B * D,
                                             dlogpx_r + y * B, x,
                                             logits + y * B * D, B, D);
        else
            bernoulli_fast_log_lik(logpx_r + y * B, x, logits + y * B * D, B,
                                   D);
    }
    double sum_y = 0.0, sum_z = 0.0, sum_rec = 0.0;
    for (size_t b = 0; b < B; b++) {
        double klz = 0.0, r = 0.0;
        for (size_t y = 0; y < Y; y++) {
            klz += q_y[b * Y + y] * klz_r[y * B + b];
            r -= q_y[b * Y + y] * logpx_r[y * B + b];
        }
        sum_y += kly_b[b];
        sum_z += klz;
        sum_rec += r;
    }
    kl_y = sum_y / (double)B;
    kl_z = sum_z / (double)B;
    rec = sum_rec / (double)B;

    if (backward) {
        double *dz = scratch_alloc(model, YB * Z);      /* (YB,Z) */
        double *dqm = scratch_alloc(model, YB * Z);     /* (YB,Z) */
        double *dqv = scratch_alloc(model, YB * Z);     /* (YB,Z) */
        double *dklz_r = scratch_alloc(model, YB);      /* (YB) */
        double *dq_y = scratch_alloc(model, B * Y);     /* (B,Y) */
        double *dlogq_y = scratch_alloc(model, B * Y);  /* (B,Y) */
        double *dylogits = scratch_alloc(model, B * Y); /* (B,Y) */
        double *dkly = scratch_alloc(model, B);         /* (B) */
        if (!dz || !dqm || !dqv || !dklz_r || !dq_y || !dlogq_y || !dylogits
            || !dkly)
            goto cleanup;
        /* nelbo = mean_b [kl_y,b + sum_y q(y|x_b) (klz_yb - logpx_yb)]:
         * each per-label term weighs q/B (dlogpx_r, above), and each q gets
         * its term / B. */
        for (size_t b = 0; b < B; b++)
            for (size_t y = 0; y < Y; y++) {
                const size_t r = y * B + b;
                dklz_r[r] = w * q_y[b * Y + y];
                dq_y[b * Y + y] = w * (klz_r[r] - logpx_r[r]);
            }
        fill(dkly, B, w);
        if (decoder_backward(model, dz, dlogits) != VG_OK)
            goto cleanup;
        sample_gaussian_backward(dqm, dqv, dz, qv, eps, YB * Z);
        kl_normal_backward(dqm, dqv, NULL, NULL, dklz_r, qm, qv, pm, pv, YB,
                           Z);
        if (encoder_backward(model, dqm, dqv) != VG_OK)
            goto cleanup;
        /* q and log q are one quantity: q = exp(log q), so d/dq reaches
         * log q as q * dq before log_softmax_backward takes both. */
        kl_cat_backward(dq_y, dlogq_y, dkly, q_y, logq_y, logp_y, B, Y);
        for (size_t i = 0; i < B * Y; i++)
            dlogq_y[i] += q_y[i] * dq_y[i];
        log_softmax_backward(dylogits, dlogq_y, logq_y, B, Y);
        if (classifier_backward(model, dylogits) != VG_OK)
            goto cleanup;
    }
    nelbo = kl_y + kl_z + rec;

cleanup:
    terms_set(terms, nelbo, kl_y, kl_z, rec);
    return nelbo;
}
