/* weak_api.c: a weak definition of every function of sta414-a3's
 * assignment.h, linked into every sta414-a3 runner, so that a missing
 * function costs only its own checks (as cs236-hw2/weak_api.c). An object
 * of its own, never inside an archive. */
#include "assignment.h"

#include <math.h>

#define WEAK __attribute__((weak))

WEAK void log_prior(const double *z, size_t batch, size_t zdim, double *out)
{
    (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void log_prior_backward(double *dz, const double *dout, const double *z,
                             size_t batch, size_t zdim)
{
    (void)dz; (void)dout; (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}

WEAK void log_q(const double *mu, const double *logsig, const double *z,
                size_t batch, size_t zdim, double *out)
{
    (void)mu; (void)logsig; (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void log_q_backward(double *dmu, double *dlogsig, double *dz,
                         const double *dout, const double *mu,
                         const double *logsig, const double *z, size_t batch,
                         size_t zdim)
{
    (void)dmu; (void)dlogsig; (void)dz; (void)dout; (void)mu; (void)logsig;
    (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}

WEAK int log_likelihood(model_t *model, const double *x, const double *z,
                        size_t batch, double *out)
{
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

WEAK int log_likelihood_backward(model_t *model, double *dz, const double *dout,
                                 const double *x, const double *z, size_t batch)
{
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

WEAK int joint_log_density(model_t *model, const double *x, const double *z,
                           size_t batch, double *out)
{
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

WEAK int joint_log_density_backward(model_t *model, double *dz,
                                    const double *dout, const double *x,
                                    const double *z, size_t batch)
{
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

WEAK double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
                 int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

WEAK int log_p_top_given_z(model_t *model, const double *x, const double *z,
                           size_t batch, double *out)
{
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

WEAK int log_p_top_given_z_backward(model_t *model, double *dz,
                                    const double *dout, const double *x,
                                    const double *z, size_t batch)
{
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

WEAK int joint_log_density_top(model_t *model, const double *x, const double *z,
                               size_t batch, double *out)
{
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

WEAK int joint_log_density_top_backward(model_t *model, double *dz,
                                        const double *dout, const double *x,
                                        const double *z, size_t batch)
{
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

WEAK double svi_top_elbo(model_t *model, const double *x, const double *mu,
                         const double *logsig, size_t k, rng_t *rng,
                         double *dmu, double *dlogsig)
{
    (void)model; (void)x; (void)mu; (void)logsig; (void)k; (void)rng;
    (void)dmu; (void)dlogsig;
    not_implemented(__func__);
    return 0.0;
}
