/* gmvae.c (student): the GMVAE's negative ELBO (with its backward into the
 * networks and the trainable mixture prior) and negative IWAE bound.
 * Replace each TODO body; keep the signatures. Until then each reports
 * itself as not implemented and leaves its outputs untouched.
 * Shapes: B batch, D data dimension, Z latent, K mixture components,
 * IW importance samples. */
#include "assignment.h"

#include <math.h>

double gmvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    /* TODO: B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim,
     * K = model->cfg.k. Buffers from scratch_alloc(model, n) (zeroed).
     * 1. The prior: prior_get(model, raw) with raw (2K,Z), then
     *    gaussian_parameters(pm, pv, raw, 1, K*Z) gives pm, pv (K,Z).
     * 2. encoder_forward(model, qm, qv, x, NULL, B); sample_gaussian(rng,
     *    qm, qv, B*Z, z, eps), B*Z draws in row-major order and nothing
     *    else from rng; decoder_forward(model, logits, z, NULL, B).
     * 3. The KL is the ONE-SAMPLE Monte Carlo estimate at that same z:
     *    kl_b = log_normal(z | qm, qv) - log_normal_mixture(z | pm, pv)
     *    (B); logpx (B) = log_bernoulli_with_logits.
     * 4. Batch means: kl, rec = -mean logpx, nelbo = kl + rec; fill terms
     *    (nelbo, kl, rec) when not NULL; return nelbo.
     * backward != 0: rows weigh 1/B. z reaches the bound three ways (the
     * decoder, log q and log p), so collect dz (B,Z) from
     * decoder_backward, log_normal_backward (also dqm, dqv directly) and
     * log_normal_mixture_backward with upstream -1/B (also dpm, dpv (K,Z)),
     * then sample_gaussian_backward into dqm, dqv and encoder_backward.
     * The prior: gaussian_parameters_backward(draw, dpm, dpv, raw, 1, K*Z)
     * then prior_backward(model, draw), draw (2K,Z). ACCUMULATE, never
     * zero. A framework call returning non-zero: return NAN. */
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

double gmvae_negative_iwae_bound(model_t *model, const double *x,
                                 size_t batch, size_t iw, rng_t *rng,
                                 bound_terms_t *terms)
{
    /* TODO: as vae_negative_iwae_bound (same sample-major draw order: for
     * i = 0 .. iw-1 one sample_gaussian over B*Z values; chunks of whole
     * samples that fit model->dec.net.max_batch rows and the scratch), with
     * log p(z) = log_normal_mixture(z | pm, pv) of the model's prior
     * (prior_get, gaussian_parameters as in the ELBO). niwae =
     * -mean_b log_mean_exp of the (B,IW) log-weights. terms (if not NULL):
     * niwae, and kl, rec, nelbo = kl + rec of the ELBO at sample i = 0 (kl
     * the Monte Carlo log q - log p there). Return niwae. No backward. */
    (void)model; (void)x; (void)batch; (void)iw; (void)rng; (void)terms;
    not_implemented(__func__);
    return 0.0;
}
