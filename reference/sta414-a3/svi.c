/* svi.c: the reference of STA414 A3's part 4 (sta414-a3/assignment.h): the
 * likelihood of a digit's top half with the bottom half integrated out,
 * the joint with the prior, and the K-sample top-half ELBO of a factorised
 * Gaussian q with its gradient in (mu, logsig), the step of stochastic
 * variational inference. The optimiser loop is the course's
 * (framework/sta414-a3/svi_fit.c).
 * Shapes: B batch, D data dimension, Z latent, K samples. */
#include <math.h>
#include <string.h>

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

/* Summing the Bernoulli mass of a bottom pixel over its two values gives 1,
 * so integrating the bottom half out leaves the top pixels' terms alone. */
int log_p_top_given_z(model_t *model, const double *x, const double *z,
                      size_t batch, double *out)
{
    const size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D); /* (B,D) */
    if (!logits || decoder_forward(model, logits, z, NULL, batch) != 0)
        return -1;
    bernoulli_rows(out, x, logits, batch, D, STA414_TOP_PIXELS);
    return 0;
}

int log_p_top_given_z_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch)
{
    const size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D);  /* (B,D) */
    double *dlogits = scratch_alloc(model, batch * D); /* (B,D), zeroed */
    if (!logits || !dlogits ||
        decoder_forward(model, logits, z, NULL, batch) != 0)
        return -1;
    bernoulli_rows_backward(dlogits, dout, x, logits, batch, D,
                            STA414_TOP_PIXELS);
    return decoder_backward(model, dz, dlogits);
}

int joint_log_density_top(model_t *model, const double *x, const double *z,
                          size_t batch, double *out)
{
    double *prior = scratch_alloc(model, batch); /* (B) */
    if (!prior || log_p_top_given_z(model, x, z, batch, out) != 0)
        return -1;
    log_prior(z, batch, model->cfg.z_dim, prior);
    for (size_t b = 0; b < batch; b++)
        out[b] += prior[b];
    return 0;
}

int joint_log_density_top_backward(model_t *model, double *dz,
                                   const double *dout, const double *x,
                                   const double *z, size_t batch)
{
    if (log_p_top_given_z_backward(model, dz, dout, x, z, batch) != 0)
        return -1;
    if (dz)
        log_prior_backward(dz, dout, z, batch, model->cfg.z_dim);
    return 0;
}

/* The K samples are a batch of K rows: the digit and q's parameters are
 * repeated per row, and the per-row gradients summed back into (Z). */
double svi_top_elbo(model_t *model, const double *x, const double *mu,
                    const double *logsig, size_t k, rng_t *rng, double *dmu,
                    double *dlogsig)
{
    const size_t K = k, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    if (K == 0 || K > model->max_batch)
        return NAN;
    double *xs = scratch_alloc(model, K * D);      /* (K,D) the digit K times */
    double *mus = scratch_alloc(model, K * Z);     /* (K,Z) */
    double *logsigs = scratch_alloc(model, K * Z); /* (K,Z) */
    double *eps = scratch_alloc(model, K * Z);     /* (K,Z) */
    double *z = scratch_alloc(model, K * Z);       /* (K,Z) */
    double *lj = scratch_alloc(model, K);          /* (K) log p(top, z) */
    double *lq = scratch_alloc(model, K);          /* (K) log q(z) */
    if (!xs || !mus || !logsigs || !eps || !z || !lj || !lq)
        return NAN;
    for (size_t r = 0; r < K; r++) {
        memcpy(xs + r * D, x, D * sizeof *xs);
        memcpy(mus + r * Z, mu, Z * sizeof *mus);
        memcpy(logsigs + r * Z, logsig, Z * sizeof *logsigs);
    }
    for (size_t i = 0; i < K * Z; i++) { /* row-major (K,Z) */
        eps[i] = rng_normal(rng);
        z[i] = mus[i] + exp(logsigs[i]) * eps[i];
    }
    if (joint_log_density_top(model, xs, z, K, lj) != 0)
        return NAN;
    log_q(mus, logsigs, z, K, Z, lq);
    double sum = 0.0;
    for (size_t r = 0; r < K; r++)
        sum += lj[r] - lq[r];
    double value = sum / (double)K;
    if (!dmu && !dlogsig)
        return value;

    double *w = scratch_alloc(model, K);             /* (K) 1/K */
    double *wneg = scratch_alloc(model, K);          /* (K) -1/K */
    double *dz = scratch_alloc(model, K * Z);        /* (K,Z) */
    double *dmus = scratch_alloc(model, K * Z);      /* (K,Z) */
    double *dlogsigs = scratch_alloc(model, K * Z);  /* (K,Z) */
    if (!w || !wneg || !dz || !dmus || !dlogsigs)
        return NAN;
    for (size_t r = 0; r < K; r++) {
        w[r] = 1.0 / (double)K;
        wneg[r] = -1.0 / (double)K;
    }
    if (joint_log_density_top_backward(model, dz, w, xs, z, K) != 0)
        return NAN;
    log_q_backward(dmus, dlogsigs, dz, wneg, mus, logsigs, z, K, Z);
    for (size_t i = 0; i < K * Z; i++) { /* z = mu + exp(logsig) eps */
        dmus[i] += dz[i];
        dlogsigs[i] += dz[i] * eps[i] * exp(logsigs[i]);
    }
    for (size_t r = 0; r < K; r++)
        for (size_t j = 0; j < Z; j++) {
            if (dmu)
                dmu[j] += dmus[r * Z + j];
            if (dlogsig)
                dlogsig[j] += dlogsigs[r * Z + j];
        }
    return value;
}
