/* elbo.c (student, CSE 599i HW2, Problems 5b, 5c, 6b): the Gaussian VAE's
 * ELBO with the closed-form and with the Monte Carlo KL, and the
 * discrete-output VAE's, each with its backward behind a flag. Replace
 * each TODO body; keep the signatures. Until then each reports itself as
 * not implemented. Shapes: B batch, D data dimension (784), Z latent. */
#include "assignment.h"

#include <math.h>

double gaussian_elbo(model_t *model, const double *x, size_t batch,
                     double sigma, rng_t *rng, int backward)
{
    /* TODO: B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim, buffers
     * from scratch_alloc.
     * 1. encoder_forward(model, mu, var, x, NULL, B).
     * 2. z = mu + sqrt(var) * eps, eps (B,Z) from rng_normal_fill.
     * 3. g (B,D) = decoder_forward(model, g, z, NULL, B): the mean.
     * 4. Return the MEAN over the batch of
     *    -||x - g||^2 / (2 sigma^2) - D/2 log(2 pi sigma^2) - KL, with the
     *    closed-form KL (kl.c).
     * backward != 0: accumulate d(returned value) / d every parameter:
     * decoder_backward(model, dz, dg) (it gives dz too), then the
     * reparameterisation and the KL's backward into dmu, dvar, then
     * encoder_backward(model, dmu, dvar). A framework call that fails:
     * return NAN. */
    (void)model; (void)x; (void)batch; (void)sigma; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

double mc_gaussian_elbo(model_t *model, const double *x, size_t batch,
                        double sigma, rng_t *rng, int backward)
{
    /* TODO: gaussian_elbo with KL_b = log q(z_b | x_b) - log r(z_b) at the
     * sampled z_b (log_normal_diag, log_standard_normal); its backward
     * reaches (mu, var) directly and through z. */
    (void)model; (void)x; (void)batch; (void)sigma; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

double discrete_output_elbo(model_t *model, const double *x, size_t batch,
                            rng_t *rng, int backward)
{
    /* TODO: as gaussian_elbo, with the Bernoulli log-mass of x given the
     * decoder's LOGITS (log_bernoulli_with_logits, prob.h) in place of the
     * Gaussian. */
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}
