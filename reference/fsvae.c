/* fsvae.c: the reference fully supervised VAE bound of CS236 HW2's bonus
 * (assignment.h): grayscale digits x with their labels y, a Gaussian decoder
 * of fixed variance (cfg.fixed_var), the negative ELBO and its backward.
 * Not the grid of samples (the vae-train program draws it).
 * Shapes: B batch, D data dimension, Y labels, Z latent. */
#include <math.h>

#include "assignment.h"
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

static void terms_set(bound_terms_t *t, double nelbo, double kl_z, double rec)
{
    if (!t)
        return;
    t->nelbo = nelbo;
    t->niwae = NAN;
    t->kl = NAN;
    t->kl_z = kl_z;
    t->kl_y = NAN;
    t->rec = rec;
}

double fsvae_negative_elbo_bound(model_t *model, const double *x,
                                 const double *y, size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double nelbo = NAN, kl_z = NAN, rec = NAN;

    if (B == 0 || B > model->max_batch || !(model->cfg.fixed_var > 0.0)) {
        vg_error_set("%s: batch %zu is outside 1..%zu (model_create's "
                     "max_batch), or the decoder variance %g is not positive",
                     __func__, B, model->max_batch, model->cfg.fixed_var);
        goto cleanup;
    }
    double *qm = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *qv = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *pm = scratch_alloc(model, B * Z);     /* (B,Z) prior mean 0 */
    double *pv = scratch_alloc(model, B * Z);     /* (B,Z) prior var 1 */
    double *eps = scratch_alloc(model, B * Z);    /* (B,Z) */
    double *z = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *mu = scratch_alloc(model, B * D);     /* (B,D) decoder means */
    double *xv = scratch_alloc(model, B * D);     /* (B,D) fixed variance */
    double *kl_b = scratch_alloc(model, B);       /* (B) */
    double *logpx = scratch_alloc(model, B);      /* (B) */
    if (!qm || !qv || !pm || !pv || !eps || !z || !mu || !xv || !kl_b
        || !logpx)
        goto cleanup;
    fill(pv, B * Z, 1.0);
    fill(xv, B * D, model->cfg.fixed_var);

    if (encoder_forward(model, qm, qv, x, y, B) != VG_OK)
        goto cleanup;
    sample_gaussian(rng, qm, qv, B * Z, z, eps);
    if (decoder_forward(model, mu, z, y, B) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, B, Z, kl_b);
    log_normal(x, mu, xv, B, D, logpx);
    kl_z = mean(kl_b, B);
    rec = -mean(logpx, B);

    if (backward) {
        double *dmu = scratch_alloc(model, B * D); /* (B,D) */
        double *dz = scratch_alloc(model, B * Z);  /* (B,Z) */
        double *dqm = scratch_alloc(model, B * Z); /* (B,Z) */
        double *dqv = scratch_alloc(model, B * Z); /* (B,Z) */
        double *dkl = scratch_alloc(model, B);     /* (B) */
        double *dlogpx = scratch_alloc(model, B);  /* (B) */
        if (!dmu || !dz || !dqm || !dqv || !dkl || !dlogpx)
            goto cleanup;
        fill(dkl, B, 1.0 / (double)B);
        fill(dlogpx, B, -1.0 / (double)B);
        /* The variance is fixed and x is data: only the means need a
         * gradient. */
        log_normal_backward(NULL, dmu, NULL, dlogpx, x, mu, xv, B, D);
        if (decoder_backward(model, dz, dmu) != VG_OK)
            goto cleanup;
        sample_gaussian_backward(dqm, dqv, dz, qv, eps, B * Z);
        kl_normal_backward(dqm, dqv, NULL, NULL, dkl, qm, qv, pm, pv, B, Z);
        if (encoder_backward(model, dqm, dqv) != VG_OK)
            goto cleanup;
    }
    nelbo = kl_z + rec;

cleanup:
    terms_set(terms, nelbo, kl_z, rec);
    return nelbo;
}
