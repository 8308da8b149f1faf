/* density.c: the reference densities of STA414 A3 (sta414-a3/assignment.h):
 * the standard normal prior, the factorised Gaussian q with a log standard
 * deviation, the Bernoulli likelihood on the decoder's logits and the
 * joint, each beside its backward. Not the ELBO (elbo.c) nor part 4 (svi.c).
 * Shapes: B batch, D data dimension, Z latent. */
#include <math.h>

#include "assignment.h"
#include "prob.h"

/* The same lines stand in density.c and svi.c: each file is graded alone,
 * so the reference (like a submission) has no header of its own. */
/* out[b] = sum over j < n of x l - softplus(l): log sigmoid(l) when x = 1,
 * log sigmoid(-l) = -softplus(l) when x = 0, one softplus and no log of a
 * rounded probability, so a logit of +-1e3 gives the exact value. */
static inline void bernoulli_rows(double *out, const double *x,
                                  const double *logits, size_t batch,
                                  size_t stride, size_t n)
{
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * stride, *lb = logits + b * stride;
        double acc = 0.0;
        for (size_t j = 0; j < n; j++)
            acc += xb[j] * lb[j] - softplus(lb[j]);
        out[b] = acc;
    }
}

/* dlogits[b, j < n] += dout[b] (x - sigmoid(l)); pixels past n get
 * nothing (they are not in the sum). */
static inline void bernoulli_rows_backward(double *dlogits, const double *dout,
                                           const double *x,
                                           const double *logits, size_t batch,
                                           size_t stride, size_t n)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < n; j++) {
            size_t i = b * stride + j;
            dlogits[i] += dout[b] * (x[i] - sigmoid(logits[i]));
        }
}

#define LOG_2PI 1.8378770664093454835606594728112353

void log_prior(const double *z, size_t batch, size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < zdim; j++) {
            double v = z[b * zdim + j];
            acc += -0.5 * (LOG_2PI + v * v);
        }
        out[b] = acc;
    }
}

/* d/dz -z^2/2 = -z. */
void log_prior_backward(double *dz, const double *dout, const double *z,
                        size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++)
            dz[b * zdim + j] += dout[b] * -z[b * zdim + j];
}

/* With u = (z - mu) exp(-logsig): -1/2 log 2 pi - logsig - u^2 / 2.
 * exp(-logsig) is formed once, so a large logsig underflows to u = 0
 * (the right limit) instead of dividing by an infinite variance. */
void log_q(const double *mu, const double *logsig, const double *z,
           size_t batch, size_t zdim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            double u = (z[i] - mu[i]) * exp(-logsig[i]);
            acc += -0.5 * LOG_2PI - logsig[i] - 0.5 * u * u;
        }
        out[b] = acc;
    }
}

/* d/dz = -u exp(-logsig), d/dmu = +u exp(-logsig), d/dlogsig = u^2 - 1. */
void log_q_backward(double *dmu, double *dlogsig, double *dz,
                    const double *dout, const double *mu, const double *logsig,
                    const double *z, size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < zdim; j++) {
            size_t i = b * zdim + j;
            double inv = exp(-logsig[i]);
            double u = (z[i] - mu[i]) * inv;
            if (dmu)
                dmu[i] += dout[b] * u * inv;
            if (dz)
                dz[i] += dout[b] * -u * inv;
            if (dlogsig)
                dlogsig[i] += dout[b] * (u * u - 1.0);
        }
}

int log_likelihood(model_t *model, const double *x, const double *z,
                   size_t batch, double *out)
{
    const size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D); /* (B,D) */
    if (!logits || decoder_forward(model, logits, z, NULL, batch) != 0)
        return -1;
    bernoulli_rows(out, x, logits, batch, D, D);
    return 0;
}

/* The decoder caches only its last call, so the forward runs again here. */
int log_likelihood_backward(model_t *model, double *dz, const double *dout,
                            const double *x, const double *z, size_t batch)
{
    const size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D);  /* (B,D) */
    double *dlogits = scratch_alloc(model, batch * D); /* (B,D), zeroed */
    if (!logits || !dlogits ||
        decoder_forward(model, logits, z, NULL, batch) != 0)
        return -1;
    bernoulli_rows_backward(dlogits, dout, x, logits, batch, D, D);
    return decoder_backward(model, dz, dlogits);
}

int joint_log_density(model_t *model, const double *x, const double *z,
                      size_t batch, double *out)
{
    double *prior = scratch_alloc(model, batch); /* (B) */
    if (!prior || log_likelihood(model, x, z, batch, out) != 0)
        return -1;
    log_prior(z, batch, model->cfg.z_dim, prior);
    for (size_t b = 0; b < batch; b++)
        out[b] += prior[b];
    return 0;
}

int joint_log_density_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch)
{
    if (log_likelihood_backward(model, dz, dout, x, z, batch) != 0)
        return -1;
    if (dz)
        log_prior_backward(dz, dout, z, batch, model->cfg.z_dim);
    return 0;
}
