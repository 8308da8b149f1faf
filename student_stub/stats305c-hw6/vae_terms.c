/* vae_terms.c (student, STATS 305C HW6 problem 3): the ELBO's two terms,
 * the closed-form KL from (mu, log variance) and the Bernoulli
 * log-likelihood with logits, each with its backward. Replace the TODO
 * bodies; keep the signatures. Until then they report themselves as not
 * implemented. Shapes: B batch, D data dimension (784), Z latent (2). */
#include "assignment.h"

void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                        size_t zdim, double *out)
{
    /* TODO: out[b] = 1/2 sum over j of exp(lv) + mu^2 - 1 - lv. */
    (void)mu; (void)logvar; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                 const double *dout, const double *mu,
                                 const double *logvar, size_t batch,
                                 size_t zdim)
{
    /* TODO: dmu += dout[b] mu; dlogvar += dout[b] (exp(lv) - 1) / 2;
     * skip either when it is NULL. */
    (void)dmu; (void)dlogvar; (void)dout; (void)mu; (void)logvar;
    (void)batch; (void)zdim;
    not_implemented(__func__);
}

void bernoulli_log_likelihood(const double *x, const double *logits,
                              size_t batch, size_t d, double *out)
{
    /* TODO: out[b] = sum over D of x log sigmoid(l) + (1 - x) log
     * sigmoid(-l) = x l - softplus(l), stable for logits of +-1e3. */
    (void)x; (void)logits; (void)batch; (void)d; (void)out;
    not_implemented(__func__);
}

void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                       const double *x, const double *logits,
                                       size_t batch, size_t d)
{
    /* TODO: dlogits[b,i] += dout[b] (x - sigmoid(l)). */
    (void)dlogits; (void)dout; (void)x; (void)logits; (void)batch; (void)d;
    not_implemented(__func__);
}
