/* vae.c (student): the VAE's negative ELBO (with its backward) and negative
 * IWAE bound. Replace each TODO body; keep the signatures. Until then each
 * reports itself as not implemented and leaves its outputs untouched.
 * Shapes: B batch, D data dimension, Z latent, IW importance samples. */
#include "assignment.h"

#include <math.h>

double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    /* TODO: B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim.
     * Take every buffer from scratch_alloc(model, n) (model.h; zeroed, NULL
     * when spent; no reset or free: the caller resets it).
     * 1. encoder_forward(model, qm, qv, x, NULL, B): q's mean and variance,
     *    qm, qv (B,Z).
     * 2. sample_gaussian(rng, qm, qv, B*Z, z, eps): ONE sample per row, the
     *    B*Z normals drawn in row-major order; z, eps (B,Z). Draw nothing
     *    else from rng: the grader replays your samples from the seed.
     * 3. decoder_forward(model, logits, z, NULL, B): logits (B,D).
     * 4. kl_b (B) = kl_normal(qm, qv, 0, 1) against the prior N(0, I) (fill
     *    pm with 0 and pv with 1, (B,Z)); logpx (B) =
     *    log_bernoulli_with_logits(logpx, x, logits, B, D) (prob.h).
     * 5. Batch MEANS: kl = mean_b kl_b, rec = -mean_b logpx, nelbo = kl +
     *    rec. When terms is not NULL set terms->nelbo, ->kl, ->rec.
     *    Return nelbo.
     * backward != 0: ACCUMULATE d nelbo / d every parameter. Each row weighs
     * 1/B: dkl_b = 1/B, dlogpx_b = -1/B. Then, in this order,
     * log_bernoulli_with_logits_backward (dlogits (B,D)),
     * decoder_backward(model, dz, dlogits) (dz (B,Z)),
     * sample_gaussian_backward(dqm, dqv, dz, qv, eps, B*Z),
     * kl_normal_backward(dqm, dqv, NULL, NULL, dkl, ...),
     * encoder_backward(model, dqm, dqv). Never zero the model's gradients.
     * A framework call that returns non-zero has failed: return NAN. */
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    /* TODO: -mean_b log (1/iw) sum_i exp(log w_bi), with
     * log w_bi = log p(x_b | z_i) + log N(z_i | 0, I) - log q(z_i | x_b).
     * 1. encoder_forward once: qm, qv (B,Z).
     * 2. Draw samples SAMPLE-MAJOR: for i = 0 .. iw-1, one
     *    sample_gaussian over the B*Z values of qm, qv (row b of sample i is
     *    noise row i*B + b). So iw = 1 draws exactly the ELBO's noise.
     * 3. Per sample: decoder_forward, log_bernoulli_with_logits (log p(x|z)),
     *    log_normal against N(0, I) (log p(z)) and against qm, qv (log q);
     *    keep only the log-weights, (B,IW). A decoder call takes at most
     *    model->dec.net.max_batch rows and the scratch is finite: for
     *    iw = 1000 work in chunks of whole samples, never IW*B*D at once.
     * 4. niwae = -mean_b log_mean_exp(log w_b, iw) (your utils.c).
     * terms (if not NULL): niwae; kl (closed form, as the ELBO), rec (from
     * sample i = 0) and nelbo = kl + rec. Return niwae. No backward. */
    (void)model; (void)x; (void)batch; (void)iw; (void)rng; (void)terms;
    not_implemented(__func__);
    return 0.0;
}
