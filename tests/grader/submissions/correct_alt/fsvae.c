/* Grader test submission "correct_alt", fsvae.c: a CORRECT fully supervised
 * bound written unlike the reference: the Gaussian log-likelihood summed by
 * hand with the constant outside the loop, the KL naive, the noise
 * column-major, malloc, the backward by hand. The fsvae bonus checks must
 * give it full marks. Shapes: B batch, D data, Z latent. */
#include "assignment.h"

#include <math.h>
#include <stdlib.h>

#define LOG_2PI 1.8378770664093454835606594728112353

double fsvae_negative_elbo_bound(model_t *model, const double *x,
                                 const double *y, size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double s2 = model->cfg.fixed_var;
    double *buf = calloc(5 * B * Z + 2 * B * D, sizeof(double));
    if (!buf)
        return NAN;
    double *m = buf, *v = m + B * Z, *e = v + B * Z, *z = e + B * Z, *dz = z + B * Z;
    double *mu = dz + B * Z, *dmu = mu + B * D;
    double result = NAN;
    if (encoder_forward(model, m, v, x, y, B))
        goto out;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++) {
            e[b * Z + j] = rng_normal(rng);
            z[b * Z + j] = m[b * Z + j] + sqrt(v[b * Z + j]) * e[b * Z + j];
        }
    if (decoder_forward(model, mu, z, y, B))
        goto out;
    double sq = 0, kl = 0;
    for (size_t i = 0; i < B * D; i++)
        sq += (x[i] - mu[i]) * (x[i] - mu[i]);
    for (size_t i = 0; i < B * Z; i++)
        kl += 0.5 * (v[i] + m[i] * m[i] - 1 - log(v[i]));
    double rec = (0.5 * sq / s2) / (double)B + 0.5 * (double)D * (LOG_2PI + log(s2));
    kl /= (double)B;
    result = kl + rec;
    if (terms) {
        terms->nelbo = result;
        terms->kl_z = kl;
        terms->rec = rec;
    }
    if (!backward)
        goto out;
    double w = 1.0 / (double)B;
    for (size_t i = 0; i < B * D; i++)
        dmu[i] = w * (mu[i] - x[i]) / s2;
    if (decoder_backward(model, dz, dmu)) {
        result = NAN;
        goto out;
    }
    for (size_t i = 0; i < B * Z; i++) {
        double gm = dz[i] + w * m[i];
        double gv = dz[i] * e[i] / (2 * sqrt(v[i])) + w * 0.5 * (1 - 1 / v[i]);
        m[i] = gm;
        v[i] = gv;
    }
    if (encoder_backward(model, m, v))
        result = NAN;
out:
    free(buf);
    return result;
}
