/* svi.c (student, STA414 A3, part 4): the likelihood of a digit's top half,
 * its joint with the prior, and one step's estimate of the top-half ELBO
 * with its gradient for stochastic variational inference. Replace each
 * TODO body; keep the signatures. Until then each reports itself as not
 * implemented. Shapes: B batch, D data dimension (784), Z latent (2),
 * K samples. */
#include "assignment.h"

#include <math.h>

int log_p_top_given_z(model_t *model, const double *x, const double *z,
                      size_t batch, double *out)
{
    /* TODO: as log_likelihood, but over the top STA414_TOP_PIXELS pixels of
     * each digit only (the bottom half integrated out). */
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

int log_p_top_given_z_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch)
{
    /* TODO: its backward, as log_likelihood_backward. */
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

int joint_log_density_top(model_t *model, const double *x, const double *z,
                          size_t batch, double *out)
{
    /* TODO: log_prior + log_p_top_given_z, per row. */
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

int joint_log_density_top_backward(model_t *model, double *dz,
                                   const double *dout, const double *x,
                                   const double *z, size_t batch)
{
    /* TODO: both terms' backward; dz may be NULL. */
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

double svi_top_elbo(model_t *model, const double *x, const double *mu,
                    const double *logsig, size_t k, rng_t *rng, double *dmu,
                    double *dlogsig)
{
    /* TODO: draw the K*Z normals eps (row-major (K,Z)), z_k = mu +
     * exp(logsig) * eps_k, and return 1/K sum over k of
     * joint_log_density_top(x, z_k) - log_q(mu, logsig, z_k) (a batch of K
     * rows, the digit repeated in each). Accumulate its gradient in mu and
     * logsig into dmu, dlogsig (Z) when they are not NULL. */
    (void)model; (void)x; (void)mu; (void)logsig; (void)k; (void)rng;
    (void)dmu; (void)dlogsig;
    not_implemented(__func__);
    return 0.0;
}
