/* vae_terms.c: correct VAE terms written apart from the reference (the
 * grader's s305_correct_alt): the KL through expm1, the likelihood as
 * minus the BCE's stable form. */
#include <math.h>

#include "assignment.h"

void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                        size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0;
        for (size_t j = zdim; j-- > 0;) {
            double m = mu[b * zdim + j], lv = logvar[b * zdim + j];
            s += expm1(lv) - lv + m * m;
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
                dmu[i] = dmu[i] + mu[i] * dout[b];
            if (dlogvar)
                dlogvar[i] = dlogvar[i] + 0.5 * expm1(logvar[i]) * dout[b];
        }
}

void bernoulli_log_likelihood(const double *x, const double *logits,
                              size_t batch, size_t d, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0;
        for (size_t i = 0; i < d; i++) {
            double l = logits[b * d + i];
            s -= fmax(l, 0.0) - x[b * d + i] * l + log1p(exp(-fabs(l)));
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
            double l = logits[b * d + i], e = exp(-fabs(l));
            double p = l >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
            dlogits[b * d + i] += dout[b] * (x[b * d + i] - p);
        }
}
