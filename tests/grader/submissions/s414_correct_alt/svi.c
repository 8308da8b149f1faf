/* svi.c (a correct STA414 A3 submission written apart from the
 * reference): the top half's likelihood by prob.h's
 * log_bernoulli_with_logits on each row's first 392 pixels, and the
 * K-sample top-half ELBO with q's entropy in closed form, its samples
 * evaluated one at a time (batches of 1), the gradient summed as it goes. */
#include <math.h>

#include "assignment.h"

int log_p_top_given_z(model_t *model, const double *x, const double *z,
                      size_t batch, double *out)
{
    size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D);
    if (!logits || decoder_forward(model, logits, z, NULL, batch) != 0)
        return 1;
    for (size_t b = 0; b < batch; b++)
        log_bernoulli_with_logits(out + b, x + b * D, logits + b * D, 1,
                                  STA414_TOP_PIXELS);
    return 0;
}

int log_p_top_given_z_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch)
{
    size_t D = model->cfg.x_dim;
    double *logits = scratch_alloc(model, batch * D);
    double *dlogits = scratch_alloc(model, batch * D);
    if (!logits || !dlogits || decoder_forward(model, logits, z, NULL, batch) != 0)
        return 1;
    for (size_t b = 0; b < batch; b++)
        log_bernoulli_with_logits_backward(dlogits + b * D, dout + b, x + b * D,
                                           logits + b * D, 1, STA414_TOP_PIXELS);
    return decoder_backward(model, dz, dlogits);
}

int joint_log_density_top(model_t *model, const double *x, const double *z,
                          size_t batch, double *out)
{
    double *prior = scratch_alloc(model, batch);
    if (!prior || log_p_top_given_z(model, x, z, batch, out) != 0)
        return 1;
    log_prior(z, batch, model->cfg.z_dim, prior);
    for (size_t b = 0; b < batch; b++)
        out[b] = prior[b] + out[b];
    return 0;
}

int joint_log_density_top_backward(model_t *model, double *dz,
                                   const double *dout, const double *x,
                                   const double *z, size_t batch)
{
    if (dz)
        log_prior_backward(dz, dout, z, batch, model->cfg.z_dim);
    return log_p_top_given_z_backward(model, dz, dout, x, z, batch);
}

double svi_top_elbo(model_t *model, const double *x, const double *mu,
                    const double *logsig, size_t k, rng_t *rng, double *dmu,
                    double *dlogsig)
{
    size_t Z = model->cfg.z_dim;
    double *z = scratch_alloc(model, Z), *eps = scratch_alloc(model, Z);
    double *dz = scratch_alloc(model, Z);
    if (!z || !eps || !dz || k == 0)
        return NAN;
    double sum = 0.0, w = 1.0 / (double)k;
    for (size_t s = 0; s < k; s++) {
        double lj;
        for (size_t j = 0; j < Z; j++) {
            eps[j] = rng_normal(rng);
            z[j] = mu[j] + exp(logsig[j]) * eps[j];
        }
        if (joint_log_density_top(model, x, z, 1, &lj) != 0)
            return NAN;
        sum += lj;
        if (!dmu && !dlogsig)
            continue;
        for (size_t j = 0; j < Z; j++)
            dz[j] = 0.0;
        if (joint_log_density_top_backward(model, dz, &w, x, z, 1) != 0)
            return NAN;
        for (size_t j = 0; j < Z; j++) {
            if (dmu)
                dmu[j] += dz[j];
            if (dlogsig)
                dlogsig[j] += dz[j] * eps[j] * exp(logsig[j]);
        }
    }
    double entropy = 0.0;
    for (size_t j = 0; j < Z; j++) {
        entropy += logsig[j] + 0.5 * (1.0 + log(2.0 * M_PI));
        if (dlogsig)
            dlogsig[j] += 1.0;
    }
    return sum / (double)k + entropy;
}
