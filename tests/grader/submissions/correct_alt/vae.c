/* Grader test submission "correct_alt", vae.c: a CORRECT VAE bound written
 * unlike the reference: malloc instead of the model's scratch, the KL by
 * its naive per-dimension formula, the noise drawn column-major (latent
 * dimension outer, row inner) with rng_normal per element, the Bernoulli
 * likelihood through prob.h's plain function, the backward by hand; the
 * IWAE bound one digit at a time with its own log-mean-exp. Every vae
 * check must give it full marks: the grader may not depend on the formula
 * or the noise order. Shapes: B batch, D data, Z latent, IW samples. */
#include "assignment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOG_2PI 1.8378770664093454835606594728112353

double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double *buf = malloc(sizeof(double) * (5 * B * Z + 2 * B * D + B));
    if (!buf)
        return NAN;
    double *m = buf, *v = m + B * Z, *e = v + B * Z, *z = e + B * Z;
    double *dz = z + B * Z, *lg = dz + B * Z, *dl = lg + B * D, *lp = dl + B * D;
    double result = NAN;
    if (encoder_forward(model, m, v, x, NULL, B))
        goto out;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++) {
            size_t i = b * Z + j;
            e[i] = rng_normal(rng);
            z[i] = m[i] + e[i] * sqrt(v[i]);
        }
    if (decoder_forward(model, lg, z, NULL, B))
        goto out;
    log_bernoulli_with_logits(lp, x, lg, B, D);
    double kl = 0, rec = 0;
    for (size_t b = 0; b < B; b++) {
        rec -= lp[b];
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            kl += 0.5 * (v[i] + m[i] * m[i] - 1.0 - log(v[i]));
        }
    }
    kl /= (double)B;
    rec /= (double)B;
    result = kl + rec;
    if (terms) {
        terms->kl = kl;
        terms->rec = rec;
        terms->nelbo = result;
    }
    if (backward) {
        double w = 1.0 / (double)B;
        for (size_t b = 0; b < B; b++)
            for (size_t d = 0; d < D; d++) {
                size_t i = b * D + d;
                dl[i] = -w * (x[i] - sigmoid(lg[i]));
            }
        memset(dz, 0, sizeof(double) * B * Z);
        if (decoder_backward(model, dz, dl)) {
            result = NAN;
            goto out;
        }
        /* Reuse m and v as their own gradients once their values are used. */
        for (size_t i = 0; i < B * Z; i++) {
            double sd = sqrt(v[i]);
            double gm = dz[i] + w * m[i];
            double gv = dz[i] * e[i] / (2.0 * sd) + w * 0.5 * (1.0 - 1.0 / v[i]);
            m[i] = gm;
            v[i] = gv;
        }
        if (encoder_backward(model, m, v))
            result = NAN;
    }
out:
    free(buf);
    return result;
}

/* log of the mean of exp over n values, shifted by their largest. */
static double my_log_mean_exp(const double *a, size_t n)
{
    double top = a[0];
    for (size_t i = 1; i < n; i++)
        if (a[i] > top)
            top = a[i];
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += exp(a[i] - top);
    return top + log(s / (double)n);
}

/* One digit at a time: its iw samples in one decoder call of iw rows (in
 * pieces of at most the decoder's rows), the noise drawn digit-major. */
double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    size_t P = model->dec.net.max_batch < iw ? model->dec.net.max_batch : iw;
    double *buf = malloc(sizeof(double) * (2 * B * Z + 2 * P * Z + P * D + P * D
                                           + 2 * P + iw));
    if (!buf)
        return NAN;
    double *m = buf, *v = m + B * Z, *z = v + B * Z, *e = z + P * Z;
    double *lg = e + P * Z, *xs = lg + P * D, *lp = xs + P * D, *unused = lp + P;
    double *lw = unused + P;
    double total = 0, kl0 = 0, rec0 = 0, result = NAN;
    (void)e;
    if (encoder_forward(model, m, v, x, NULL, B))
        goto out;
    for (size_t b = 0; b < B; b++) {
        const double *mb = m + b * Z, *vb = v + b * Z;
        for (size_t i0 = 0; i0 < iw; i0 += P) {
            size_t n = iw - i0 < P ? iw - i0 : P;
            for (size_t s = 0; s < n; s++) {
                double lq = 0, lpz = 0;
                for (size_t j = 0; j < Z; j++) {
                    double eps = rng_normal(rng);
                    double zz = mb[j] + sqrt(vb[j]) * eps;
                    z[s * Z + j] = zz;
                    lq += -0.5 * (LOG_2PI + log(vb[j]) + eps * eps);
                    lpz += -0.5 * (LOG_2PI + zz * zz);
                }
                lw[i0 + s] = lpz - lq;
                memcpy(xs + s * D, x + b * D, sizeof(double) * D);
            }
            if (decoder_forward(model, lg, z, NULL, n))
                goto out;
            log_bernoulli_with_logits(lp, xs, lg, n, D);
            for (size_t s = 0; s < n; s++)
                lw[i0 + s] += lp[s];
            if (i0 == 0)
                rec0 -= lp[0];
        }
        total += my_log_mean_exp(lw, iw);
        for (size_t j = 0; j < Z; j++)
            kl0 += 0.5 * (vb[j] + mb[j] * mb[j] - 1.0 - log(vb[j]));
    }
    result = -total / (double)B;
    if (terms) {
        terms->niwae = result;
        terms->kl = kl0 / (double)B;
        terms->rec = rec0 / (double)B;
        terms->nelbo = terms->kl + terms->rec;
    }
out:
    free(buf);
    return result;
}
