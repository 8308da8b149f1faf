/* vae_terms.c: the reference ELBO terms of STATS 305C HW6 problem 3
 * (stats305c-hw6/assignment.h): the closed-form KL to N(0, I) from (mu,
 * log variance) and the Bernoulli log-likelihood with logits, each with
 * its backward. Shapes: B batch, D data dimension, Z latent. */
#include <math.h>

#include "assignment.h"

void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                        size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0.0;
        for (size_t j = 0; j < zdim; j++) {
            double m = mu[b * zdim + j], lv = logvar[b * zdim + j];
            s += exp(lv) + m * m - 1.0 - lv;
        }
        out[b] = 0.5 * s;
    }
}

void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                 const double *dout, const double *mu,
                                 const double *logvar, size_t batch,
                                 size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            if (dmu)
                dmu[i] += dout[b] * mu[i];
            if (dlogvar)
                dlogvar[i] += dout[b] * 0.5 * (exp(logvar[i]) - 1.0);
        }
}

/* x log sigmoid(l) + (1 - x) log sigmoid(-l) = x l - softplus(l), exact
 * for any finite l through softplus (prob.h). */
void bernoulli_log_likelihood(const double *x, const double *logits,
                              size_t batch, size_t d, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0.0;
        for (size_t i = 0; i < d; i++) {
            double l = logits[b * d + i];
            s += x[b * d + i] * l - softplus(l);
        }
        out[b] = s;
    }
}

void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                       const double *x, const double *logits,
                                       size_t batch, size_t d)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t i = 0; i < d; i++) {
            size_t k = b * d + i;
            dlogits[k] += dout[b] * (x[k] - sigmoid(logits[k]));
        }
}
