/* flow.c (student, CSE 599i HW2, Problems 3 and 6d): an inverse
 * autoregressive flow on the encoder's Gaussian: one step and its
 * backward, a sample of the flow's posterior with its density, and the
 * IAF VAE's ELBO. Replace each TODO body; keep the signatures. Until then
 * each reports itself as not implemented and leaves its outputs untouched.
 * Shapes: B batch, D data dimension (784), Z latent, T flow steps. */
#include "assignment.h"

#include <math.h>

int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in,
             size_t batch, double *z_out, double *logdet)
{
    /* TODO: m, s (B,Z) from made_forward(&flow->made[t], m, s, z_in, B);
     * sigma = sigmoid(s); z_out = sigma * z_in + (1 - sigma) * m;
     * logdet[b] = sum over j of log sigma, finite for s of -1e3.
     * Return 0, or non-zero when a framework call failed. */
    (void)model; (void)flow; (void)t; (void)z_in; (void)batch; (void)z_out;
    (void)logdet;
    not_implemented(__func__);
    return 0;
}

int iaf_step_backward(model_t *model, iaf_t *flow, size_t t, double *dz_in,
                      const double *dz_out, const double *dlogdet,
                      const double *z_in, size_t batch)
{
    /* TODO: made_forward again on z_in (the MADE caches its last call),
     * then dm, ds (B,Z) from dz_out and dlogdet, dz_in += sigma * dz_out
     * (the direct path), and made_backward(&flow->made[t], dz_in, dm, ds)
     * for the path through the MADE. dz_in, dz_out, dlogdet may be NULL. */
    (void)model; (void)flow; (void)t; (void)dz_in; (void)dz_out;
    (void)dlogdet; (void)z_in; (void)batch;
    not_implemented(__func__);
    return 0;
}

int iaf_sample(model_t *model, iaf_t *flow, const double *x, size_t batch,
               rng_t *rng, double *z_T, double *log_q)
{
    /* TODO: encoder_forward; z_0 = mu + sqrt(var) eps; log q_0 =
     * log_normal_diag(z_0 | mu, var); the T = flow->cfg.n_steps steps;
     * log_q = log q_0 - sum over t of logdet_t. */
    (void)model; (void)flow; (void)x; (void)batch; (void)rng; (void)z_T;
    (void)log_q;
    not_implemented(__func__);
    return 0;
}

double iaf_elbo(model_t *model, iaf_t *flow, const double *x, size_t batch,
                rng_t *rng, int backward)
{
    /* TODO: the MEAN over the batch of log p(x | z_T) + log r(z_T) -
     * log q_T(z_T | x). backward != 0: keep every z_t of the forward, then
     * go back through the decoder, the prior, the steps T-1 .. 0
     * (iaf_step_backward, each with dlogdet = +1 per row times the
     * upstream weight: log q_T carries -logdet and the ELBO -log q_T), the
     * sample and log q_0, into encoder_backward. A framework call that
     * fails: return NAN. */
    (void)model; (void)flow; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return 0.0;
}
