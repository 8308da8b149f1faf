/* vae_elbo.c: a correct ELBO written apart from the reference (the grader's
 * s305_correct_alt): the noise drawn column by column (all rows' z_0,
 * then z_1), the standard deviation as sqrt(exp(lv)), the terms through
 * vae_terms.c's functions. Shapes: B batch, D data, Z latent. */
#include <math.h>

#include "assignment.h"

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double *mu = scratch_alloc(model, B * Z), *lv = scratch_alloc(model, B * Z);
    double *eps = scratch_alloc(model, B * Z), *z = scratch_alloc(model, B * Z);
    double *logits = scratch_alloc(model, B * D);
    double *rec = scratch_alloc(model, B), *kl = scratch_alloc(model, B);
    if (!mu || !lv || !eps || !z || !logits || !rec || !kl)
        return NAN;
    if (encoder_forward_raw(model, mu, lv, x, NULL, B) != 0)
        return NAN;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++)
            eps[b * Z + j] = rng_normal(rng);
    for (size_t i = 0; i < B * Z; i++)
        z[i] = mu[i] + sqrt(exp(lv[i])) * eps[i];
    if (decoder_forward(model, logits, z, NULL, B) != 0)
        return NAN;
    bernoulli_log_likelihood(x, logits, B, D, rec);
    kl_gaussian_logvar(mu, lv, B, Z, kl);
    double total = 0;
    for (size_t b = 0; b < B; b++)
        total += rec[b] - kl[b];
    if (backward) {
        double *w = scratch_alloc(model, B), *wk = scratch_alloc(model, B);
        double *dlogits = scratch_alloc(model, B * D), *dz = scratch_alloc(model, B * Z);
        double *dmu = scratch_alloc(model, B * Z), *dlv = scratch_alloc(model, B * Z);
        if (!w || !wk || !dlogits || !dz || !dmu || !dlv)
            return NAN;
        for (size_t b = 0; b < B; b++) {
            w[b] = 1.0 / (double)B;
            wk[b] = -1.0 / (double)B;
        }
        bernoulli_log_likelihood_backward(dlogits, w, x, logits, B, D);
        if (decoder_backward(model, dz, dlogits) != 0)
            return NAN;
        kl_gaussian_logvar_backward(dmu, dlv, wk, mu, lv, B, Z);
        for (size_t i = 0; i < B * Z; i++) {
            dmu[i] += dz[i];
            dlv[i] += dz[i] * eps[i] * 0.5 * sqrt(exp(lv[i]));
        }
        if (encoder_backward_raw(model, dmu, dlv) != 0)
            return NAN;
    }
    return total / (double)B;
}
