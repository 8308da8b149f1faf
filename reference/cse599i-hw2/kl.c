/* kl.c: the reference densities of CSE 599i HW2 (cse599i-hw2/assignment.h):
 * the closed-form KL of a factorised Gaussian to N(0, I) (Problem 1), the
 * factorised Gaussian's log density and the standard normal's, each beside
 * its backward. Not the ELBOs (elbo.c) nor anything with a network.
 * Shapes: B batch, Z latent. */
#include <math.h>

#include "assignment.h"

/* log(2 pi) */
#define LOG_2PI 1.8378770664093454835606594728112353

void kl_standard_normal(const double *mu, const double *var, size_t batch,
                        size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            /* (var - 1 - log var) first: at var = 1e300 it is var itself,
             * and near var = 1 both halves are small */
            acc += (var[i] - 1.0 - log(var[i])) + mu[i] * mu[i];
        }
        out[b] = 0.5 * acc;
    }
}

void kl_standard_normal_backward(double *dmu, double *dvar, const double *dout,
                                 const double *mu, const double *var,
                                 size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            if (dmu)
                dmu[i] += dout[b] * mu[i];
            if (dvar) /* 1/2 (1 - 1/var) */
                dvar[i] += dout[b] * 0.5 * (1.0 - 1.0 / var[i]);
        }
}

void log_normal_diag(const double *z, const double *mu, const double *var,
                     size_t batch, size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            double d = z[i] - mu[i];
            acc += LOG_2PI + log(var[i]) + d * d / var[i];
        }
        out[b] = -0.5 * acc;
    }
}

void log_normal_diag_backward(double *dz, double *dmu, double *dvar,
                              const double *dout, const double *z,
                              const double *mu, const double *var,
                              size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            double r = (z[i] - mu[i]) / var[i]; /* (z - mu) / var */
            if (dz)
                dz[i] -= dout[b] * r;
            if (dmu)
                dmu[i] += dout[b] * r;
            if (dvar) /* -1/(2 var) + (z - mu)^2 / (2 var^2) */
                dvar[i] += dout[b] * 0.5 * (r * r - 1.0 / var[i]);
        }
}

void log_standard_normal(const double *z, size_t batch, size_t zdim,
                         double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < zdim; j++)
            acc += z[b * zdim + j] * z[b * zdim + j];
        out[b] = -0.5 * ((double)zdim * LOG_2PI + acc);
    }
}

void log_standard_normal_backward(double *dz, const double *dout,
                                  const double *z, size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++)
            dz[b * zdim + j] -= dout[b] * z[b * zdim + j];
}
