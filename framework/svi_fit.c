/* svi_fit.c: Adam over a digit's variational parameters (svi_fit.h). One
 * block [mu | logsig] of 2Z doubles is what Adam sees; it descends the
 * negated gradient, which ascends the ELBO. */
#include "svi_fit.h"

#include <math.h>
#include <string.h>

#include "adam.h"
#include "vg_error.h"

#define SVI_MAX_Z 64

int svi_fit(model_t *model, svi_step_fn step, const double *x, double *mu,
            double *logsig, size_t k, size_t iters, double lr, rng_t *rng,
            double *trace)
{
    const size_t Z = model->cfg.z_dim;
    if (Z > SVI_MAX_Z)
        return vg_error_set("svi_fit: latent size %zu above %d", Z, SVI_MAX_Z);
    if (k == 0 || k > model->max_batch)
        return vg_error_set("svi_fit: %zu samples outside 1..%zu (the model's "
                            "max_batch)", k, model->max_batch);
    double theta[2 * SVI_MAX_Z], grad[2 * SVI_MAX_Z]; /* [mu | logsig] */
    memcpy(theta, mu, Z * sizeof *theta);
    memcpy(theta + Z, logsig, Z * sizeof *theta);
    adam_t opt;
    if (adam_init(&opt, 2 * Z, NN_FLOAT64, lr, 0.9, 0.999, 1e-8) != VG_OK)
        return VG_ERR;
    int status = VG_OK;
    for (size_t it = 0; it < iters; it++) {
        memset(grad, 0, 2 * Z * sizeof *grad);
        scratch_reset(model);
        double v = step(model, x, theta, theta + Z, k, rng, grad, grad + Z);
        int finite = isfinite(v);
        for (size_t j = 0; j < 2 * Z; j++)
            finite = finite && isfinite(grad[j]);
        if (!finite) {
            status = vg_error_set("svi_fit: the step gave a non-finite ELBO "
                                  "or gradient at iteration %zu (ELBO %g)",
                                  it, v);
            break;
        }
        if (trace)
            trace[it] = v;
        for (size_t j = 0; j < 2 * Z; j++)
            grad[j] = -grad[j]; /* Adam descends; the ELBO goes up */
        adam_step(&opt, theta, grad);
    }
    adam_free(&opt);
    model_zero_grad(model);
    memcpy(mu, theta, Z * sizeof *theta);
    memcpy(logsig, theta + Z, Z * sizeof *theta);
    return status;
}
