/* kl.c (student, CSE 599i HW2, Problem 1): the closed-form KL to the
 * standard normal and the two log densities the Monte Carlo KL needs, each
 * with its backward. Replace each TODO body; keep the signatures. Until
 * then each reports itself as not implemented and leaves its outputs
 * untouched. Shapes: B batch, Z latent. */
#include "assignment.h"

#include <math.h>

void kl_standard_normal(const double *mu, const double *var, size_t batch,
                        size_t zdim, double *out)
{
    /* TODO: out[b] = 1/2 sum over j of (var + mu^2 - 1 - log var). */
    (void)mu; (void)var; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void kl_standard_normal_backward(double *dmu, double *dvar, const double *dout,
                                 const double *mu, const double *var,
                                 size_t batch, size_t zdim)
{
    /* TODO: accumulate into each of dmu, dvar that is not NULL. */
    (void)dmu; (void)dvar; (void)dout; (void)mu; (void)var; (void)batch;
    (void)zdim;
    not_implemented(__func__);
}

void log_normal_diag(const double *z, const double *mu, const double *var,
                     size_t batch, size_t zdim, double *out)
{
    /* TODO: out[b] = sum over j of log N(z[b,j] | mu[b,j], var[b,j]): var
     * is a VARIANCE. */
    (void)z; (void)mu; (void)var; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void log_normal_diag_backward(double *dz, double *dmu, double *dvar,
                              const double *dout, const double *z,
                              const double *mu, const double *var,
                              size_t batch, size_t zdim)
{
    /* TODO: accumulate into each of dz, dmu, dvar that is not NULL. */
    (void)dz; (void)dmu; (void)dvar; (void)dout; (void)z; (void)mu;
    (void)var; (void)batch; (void)zdim;
    not_implemented(__func__);
}

void log_standard_normal(const double *z, size_t batch, size_t zdim,
                         double *out)
{
    /* TODO: out[b] = sum over j of log N(z[b,j] | 0, 1). */
    (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void log_standard_normal_backward(double *dz, const double *dout,
                                  const double *z, size_t batch, size_t zdim)
{
    /* TODO: dz[b,j] += dout[b] * d out[b] / d z[b,j]. Accumulate. */
    (void)dz; (void)dout; (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}
