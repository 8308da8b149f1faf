/* elbo.c (student, STA414 A3): the amortised ELBO with its backward. Replace
 * the TODO body; keep the signature. Until then it reports itself as not
 * implemented. Shapes: B batch, D data dimension (784), Z latent (2). */
#include "assignment.h"

#include <math.h>

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    /* TODO: B = batch, Z = model->cfg.z_dim, buffers from scratch_alloc.
     * 1. encoder_forward_raw(model, mu, logsig, x, NULL, B): q's mean and
     *    LOG STANDARD DEVIATION (B,Z).
     * 2. One sample per digit: z = mu + exp(logsig) * eps, eps from
     *    rng_normal(rng).
     * 3. Return the MEAN over the batch of joint_log_density - log_q.
     * backward != 0: accumulate d(returned value) / d every parameter:
     * through the decoder (decoder_backward, which also gives dz), the
     * prior, log q (directly and through z) and the reparameterisation
     * into dmu, dlogsig, then encoder_backward_raw(model, dmu, dlogsig).
     * A framework call that fails: return NAN. */
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}
