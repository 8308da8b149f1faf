/* density.c (student, STA414 A3): the prior, the variational density q, the
 * Bernoulli likelihood and the joint, each with its backward. Replace each
 * TODO body; keep the signatures. Until then each reports itself as not
 * implemented and leaves its outputs untouched.
 * Shapes: B batch, D data dimension (784), Z latent (2). */
#include "assignment.h"

#include <math.h>

void log_prior(const double *z, size_t batch, size_t zdim, double *out)
{
    /* TODO: out[b] = sum over j of log N(z[b,j] | 0, 1). */
    (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void log_prior_backward(double *dz, const double *dout, const double *z,
                        size_t batch, size_t zdim)
{
    /* TODO: dz[b,j] += dout[b] * d out[b] / d z[b,j]. Accumulate. */
    (void)dz; (void)dout; (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}

void log_q(const double *mu, const double *logsig, const double *z,
           size_t batch, size_t zdim, double *out)
{
    /* TODO: the factorised Gaussian with mean mu and standard deviation
     * exp(logsig) (a LOG STANDARD DEVIATION, not a variance), summed over
     * j. Keep it finite for large |logsig|. */
    (void)mu; (void)logsig; (void)z; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

void log_q_backward(double *dmu, double *dlogsig, double *dz,
                    const double *dout, const double *mu, const double *logsig,
                    const double *z, size_t batch, size_t zdim)
{
    /* TODO: accumulate into each of dmu, dlogsig, dz that is not NULL. */
    (void)dmu; (void)dlogsig; (void)dz; (void)dout; (void)mu; (void)logsig;
    (void)z; (void)batch; (void)zdim;
    not_implemented(__func__);
}

int log_likelihood(model_t *model, const double *x, const double *z,
                   size_t batch, double *out)
{
    /* TODO: logits (B,D) = decoder_forward(model, logits, z, NULL, B) (take
     * logits from scratch_alloc(model, B*D)); out[b] = sum over the D
     * pixels of the Bernoulli log-mass of x given the logits, stable for
     * logits of +-1e3 (prob.h's log_bernoulli_with_logits is). Return 0,
     * or non-zero when a framework call failed. */
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

int log_likelihood_backward(model_t *model, double *dz, const double *dout,
                            const double *x, const double *z, size_t batch)
{
    /* TODO: run decoder_forward again (the decoder caches only its last
     * call), dlogits (B,D) += dout[b] * d out[b] / d logits, then
     * decoder_backward(model, dz, dlogits). */
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}

int joint_log_density(model_t *model, const double *x, const double *z,
                      size_t batch, double *out)
{
    /* TODO: log p(x, z) = log_prior + log_likelihood, per row. */
    (void)model; (void)x; (void)z; (void)batch; (void)out;
    not_implemented(__func__);
    return 0;
}

int joint_log_density_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch)
{
    /* TODO: both terms' backward; dz may be NULL. */
    (void)model; (void)dz; (void)dout; (void)x; (void)z; (void)batch;
    not_implemented(__func__);
    return 0;
}
