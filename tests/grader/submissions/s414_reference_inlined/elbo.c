/* elbo.c: the reference ELBO of STA414 A3 (sta414-a3/assignment.h): the
 * batch mean of log p(x, z) - log q(z | x) at one reparameterised sample
 * per digit, with its backward into every parameter. The training step's
 * hot path, so the likelihood and its gradient come from one pass of
 * bernoulli_fast (framework) rather than density.c's log_likelihood.
 * Shapes: B batch, D data dimension, Z latent. */
#include <math.h>

#include "assignment.h"
#include "bernoulli_fast.h"

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    if (B == 0 || B > model->max_batch)
        return NAN; /* encoder_forward_raw would say so; fail before it */
    double *mu = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *logsig = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *eps = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *z = scratch_alloc(model, B * Z);       /* (B,Z) */
    double *logits = scratch_alloc(model, B * D);  /* (B,D) */
    double *logpx = scratch_alloc(model, B);       /* (B) log p(x|z) */
    double *lp = scratch_alloc(model, B);          /* (B) log p(z) */
    double *lq = scratch_alloc(model, B);          /* (B) log q(z|x) */
    double *w = scratch_alloc(model, B);           /* (B) each row's weight */
    if (!mu || !logsig || !eps || !z || !logits || !logpx || !lp || !lq || !w)
        return NAN;

    if (encoder_forward_raw(model, mu, logsig, x, NULL, B) != 0)
        return NAN;
    for (size_t i = 0; i < B * Z; i++) { /* row-major, as documented */
        eps[i] = rng_normal(rng);
        z[i] = mu[i] + exp(logsig[i]) * eps[i];
    }
    if (decoder_forward(model, logits, z, NULL, B) != 0)
        return NAN;
    /* Each row weighs 1/B in the mean, known before the forward: a
     * backward takes d elbo / d logits in the likelihood's own pass. */
    fill(w, B, 1.0 / (double)B);
    double *dlogits = NULL;                        /* (B,D) */
    if (backward) {
        dlogits = scratch_alloc(model, B * D);
        if (!dlogits)
            return NAN;
        bernoulli_fast_log_lik_with_grad(logpx, dlogits, w, x, logits, B, D);
    } else {
        bernoulli_fast_log_lik(logpx, x, logits, B, D);
    }
    log_prior(z, B, Z, lp);
    log_q(mu, logsig, z, B, Z, lq);
    double sum = 0.0;
    for (size_t b = 0; b < B; b++)
        sum += logpx[b] + lp[b] - lq[b];
    double value = sum / (double)B;
    if (!backward)
        return value;

    double *dz = scratch_alloc(model, B * Z);      /* (B,Z) */
    double *dmu = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *dlogsig = scratch_alloc(model, B * Z); /* (B,Z) */
    double *wneg = scratch_alloc(model, B);        /* (B) -1/B: log q's sign */
    if (!dz || !dmu || !dlogsig || !wneg)
        return NAN;
    fill(wneg, B, -1.0 / (double)B);
    if (decoder_backward(model, dz, dlogits) != 0)
        return NAN;
    log_prior_backward(dz, w, z, B, Z);
    /* log q depends on (mu, logsig) directly and through z */
    log_q_backward(dmu, dlogsig, dz, wneg, mu, logsig, z, B, Z);
    /* z = mu + exp(logsig) eps */
    for (size_t i = 0; i < B * Z; i++) {
        dmu[i] += dz[i];
        dlogsig[i] += dz[i] * eps[i] * exp(logsig[i]);
    }
    if (encoder_backward_raw(model, dmu, dlogsig) != 0)
        return NAN;
    return value;
}
