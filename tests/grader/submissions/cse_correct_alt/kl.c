/* kl.c (cse_correct_alt): a correct kl.c written apart from the reference:
 * the KL's terms grouped as mu^2 + (var - 1 - log var), log N through the
 * standardised residual, the backwards in their own forms. The grader
 * suite grades it at ten seeds: it must get full marks. */
#include "assignment.h"

#include <math.h>

static const double LOG_2PI = 1.8378770664093454836;

void kl_standard_normal(const double *mu, const double *var, size_t batch,
                        size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0;
        for (size_t j = 0; j < zdim; j++) {
            double m = mu[b * zdim + j], v = var[b * zdim + j];
            acc += m * m + (v - 1.0 - log(v));
        }
        out[b] = acc / 2;
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
            if (dvar)
                dvar[i] += dout[b] * (var[i] - 1.0) / (2.0 * var[i]);
        }
}

void log_normal_diag(const double *z, const double *mu, const double *var,
                     size_t batch, size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0;
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            double r = (z[i] - mu[i]) / sqrt(var[i]);
            acc -= 0.5 * r * r + 0.5 * log(var[i]);
        }
        out[b] = acc - 0.5 * (double)zdim * LOG_2PI;
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
            double r = (z[i] - mu[i]) / var[i];
            if (dz)
                dz[i] -= dout[b] * r;
            if (dmu)
                dmu[i] += dout[b] * r;
            if (dvar)
                dvar[i] += dout[b] * 0.5 * (r * r - 1.0 / var[i]);
        }
}

void log_standard_normal(const double *z, size_t batch, size_t zdim,
                         double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double ss = 0;
        for (size_t j = 0; j < zdim; j++)
            ss += z[b * zdim + j] * z[b * zdim + j];
        out[b] = -0.5 * (ss + (double)zdim * LOG_2PI);
    }
}

void log_standard_normal_backward(double *dz, const double *dout,
                                  const double *z, size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++)
            dz[b * zdim + j] -= dout[b] * z[b * zdim + j];
}
