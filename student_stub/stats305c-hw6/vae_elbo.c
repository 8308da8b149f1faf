/* vae_elbo.c (student, STATS 305C HW6 problem 3): the VAE's ELBO with its
 * backward. Replace the TODO body; keep the signature. Until then it
 * reports itself as not implemented. Shapes: B batch, D data dimension
 * (784), Z latent (2). */
#include "assignment.h"

#include <math.h>

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    /* TODO: B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim, buffers
     * from scratch_alloc.
     * 1. encoder_forward_raw(model, mu, logvar, x, NULL, B): q's mean and
     *    LOG VARIANCE (B,Z).
     * 2. One sample per digit: z = mu + exp(logvar / 2) * eps, eps from
     *    rng_normal(rng), row-major.
     * 3. decoder_forward(model, logits, z, NULL, B); return the MEAN over
     *    the batch of bernoulli_log_likelihood - kl_gaussian_logvar.
     * backward != 0: accumulate d(returned value) / d every parameter:
     * through the likelihood (bernoulli_log_likelihood_backward with
     * dout = 1/B) and decoder_backward (which also gives dz), the
     * reparameterisation and the KL (dout = -1/B) into dmu, dlogvar, then
     * encoder_backward_raw(model, dmu, dlogvar).
     * A framework call that fails: return NAN. */
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}
