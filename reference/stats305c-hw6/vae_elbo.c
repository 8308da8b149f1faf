/* vae_elbo.c: the reference ELBO of STATS 305C HW6 problem 3
 * (stats305c-hw6/assignment.h): the batch mean of log p(x | z) minus the
 * closed-form KL, one reparameterised sample per digit, with its backward
 * into every parameter. Stands alone (its own KL; the likelihood and its
 * gradient from one pass of the framework's bernoulli_fast, the training
 * step's hot path), so it is graded with nothing of vae_terms.c.
 * Shapes: B batch, D data dimension, Z latent. */
#include <math.h>

#include "assignment.h"
#include "bernoulli_fast.h"

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    if (B == 0 || B > model->max_batch)
        return NAN; /* encoder_forward_raw would say so; fail before it */
    double *mu = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *logvar = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *eps = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *sd = scratch_alloc(model, B * Z);      /* (B,Z) exp(logvar/2) */
    double *z = scratch_alloc(model, B * Z);       /* (B,Z) */
    double *logits = scratch_alloc(model, B * D);  /* (B,D) */
    double *logpx = scratch_alloc(model, B);       /* (B) log p(x|z) */
    double *w = scratch_alloc(model, B);           /* (B) each row's 1/B */
    if (!mu || !logvar || !eps || !sd || !z || !logits || !logpx || !w)
        return NAN;

    if (encoder_forward_raw(model, mu, logvar, x, NULL, B) != 0)
        return NAN;
    for (size_t i = 0; i < B * Z; i++) { /* row-major, as documented */
        eps[i] = rng_normal(rng);
        sd[i] = exp(0.5 * logvar[i]);
        z[i] = mu[i] + sd[i] * eps[i];
    }
    if (decoder_forward(model, logits, z, NULL, B) != 0)
        return NAN;
    for (size_t b = 0; b < B; b++)
        w[b] = 1.0 / (double)B;
    double *dlogits = NULL;                        /* (B,D) */
    if (backward) {
        dlogits = scratch_alloc(model, B * D);
        if (!dlogits)
            return NAN;
        bernoulli_fast_log_lik_with_grad(logpx, dlogits, w, x, logits, B, D);
    } else {
        bernoulli_fast_log_lik(logpx, x, logits, B, D);
    }
    double sum = 0.0;
    for (size_t b = 0; b < B; b++) {
        double kl = 0.0; /* 1/2 sum exp(lv) + mu^2 - 1 - lv */
        for (size_t j = 0; j < Z; j++) {
            double m = mu[b * Z + j], lv = logvar[b * Z + j];
            kl += 0.5 * (exp(lv) + m * m - 1.0 - lv);
        }
        sum += logpx[b] - kl;
    }
    double value = sum / (double)B;
    if (!backward)
        return value;

    double *dz = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *dmu = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *dlogvar = scratch_alloc(model, B * Z); /* (B,Z) */
    if (!dz || !dmu || !dlogvar)
        return NAN;
    if (decoder_backward(model, dz, dlogits) != 0)
        return NAN;
    for (size_t i = 0; i < B * Z; i++) {
        /* z = mu + exp(lv/2) eps, then -KL/B: d/dmu = -mu/B,
         * d/dlv = -(exp(lv) - 1)/(2B) */
        dmu[i] = dz[i] - mu[i] / (double)B;
        dlogvar[i] = dz[i] * eps[i] * 0.5 * sd[i] -
                     0.5 * (exp(logvar[i]) - 1.0) / (double)B;
    }
    if (encoder_backward_raw(model, dmu, dlogvar) != 0)
        return NAN;
    return value;
}
