/* weak_api.c: a weak definition of every function of cse599i-hw2's
 * assignment.h, linked into every cse599i-hw2 runner, so that a missing
 * function costs only its own checks (as cs236-hw2/weak_api.c). An object
 * of its own, never inside an archive. */
#include "assignment.h"

#include <math.h>

#define WEAK __attribute__((weak))

WEAK void kl_standard_normal(const double *mu, const double *var,
                             size_t batch, size_t zdim, double *out)
{
    (void)mu; (void)var; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void kl_standard_normal_backward(double *dmu, double *dvar,
                                      const double *dout, const double *mu,
                                      const double *var, size_t batch,
                                      size_t zdim)
{
    (void)dmu; (void)dvar; (void)dout; (void)mu; (void)var; (void)batch;
    (void)zdim;
    not_implemented(__func__);
}

WEAK void log_normal_diag(const double *z, const double *mu,
                          const double *var, size_t batch, size_t zdim,
                          double *out)
{
    (void)z; (void)mu; (void)var; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void log_normal_diag_backward(double *dz, double *dmu, double *dvar,
                                   const double *dout, const double *z,
                                   const double *mu, const double *var,
                                   size_t batch, size_t zdim)
{
    (void)dz; (void)dmu; (void)dvar; (void)dout; (void)z; (void)mu; (void)var;
    (void)batch; (void)zdim;
    not_implemented(__func__);
}

WEAK void log_standard_normal(const double *z, size_t batch, size_t zdim,
                              double *out)
{
    (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void log_standard_normal_backward(double *dz, const double *dout,
                                       const double *z, size_t batch,
                                       size_t zdim)
{
    (void)dz; (void)dout; (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}

WEAK double gaussian_elbo(model_t *model, const double *x, size_t batch,
                          double sigma, rng_t *rng, int backward)
{
    (void)model; (void)x; (void)batch; (void)sigma; (void)rng; (void)backward;
    not_implemented(__func__);
    return NAN;
}

WEAK double mc_gaussian_elbo(model_t *model, const double *x, size_t batch,
                             double sigma, rng_t *rng, int backward)
{
    (void)model; (void)x; (void)batch; (void)sigma; (void)rng; (void)backward;
    not_implemented(__func__);
    return NAN;
}

WEAK double discrete_output_elbo(model_t *model, const double *x,
                                 size_t batch, rng_t *rng, int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return NAN;
}

WEAK int log_marginal_is(model_t *model, const double *x, size_t batch,
                         size_t m, rng_t *rng, double *out)
{
    (void)model; (void)x; (void)batch; (void)m; (void)rng; (void)out;
    not_implemented(__func__);
    return 0;
}

WEAK int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in,
                  size_t batch, double *z_out, double *logdet)
{
    (void)model; (void)flow; (void)t; (void)z_in; (void)batch; (void)z_out;
    (void)logdet;
    not_implemented(__func__);
    return 0;
}

WEAK int iaf_step_backward(model_t *model, iaf_t *flow, size_t t,
                           double *dz_in, const double *dz_out,
                           const double *dlogdet, const double *z_in,
                           size_t batch)
{
    (void)model; (void)flow; (void)t; (void)dz_in; (void)dz_out; (void)dlogdet;
    (void)z_in; (void)batch;
    not_implemented(__func__);
    return 0;
}

WEAK int iaf_sample(model_t *model, iaf_t *flow, const double *x,
                    size_t batch, rng_t *rng, double *z_T, double *log_q)
{
    (void)model; (void)flow; (void)x; (void)batch; (void)rng; (void)z_T;
    (void)log_q;
    not_implemented(__func__);
    return 0;
}

WEAK double iaf_elbo(model_t *model, iaf_t *flow, const double *x,
                     size_t batch, rng_t *rng, int backward)
{
    (void)model; (void)flow; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return NAN;
}
