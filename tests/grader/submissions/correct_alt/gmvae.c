/* Grader test submission "correct_alt", gmvae.c: a CORRECT GMVAE bound
 * written unlike the reference: its own log-mixture (a one-pass streaming
 * log-sum-exp that rescales when a larger term comes), its own softplus
 * split of the prior, log q from (z - m)^2 / v, the noise column-major,
 * malloc, the backward by hand through the responsibilities; the IWAE
 * bound digit by digit. Every gmvae check must give it full marks.
 * Shapes: B batch, D data, Z latent, K components, IW samples. */
#include "assignment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LOG_2PI 1.8378770664093454835606594728112353

/* The prior's means pm and variances pv (K,Z) from the raw (2K,Z) block. */
static void prior_split(double *pm, double *pv, const double *raw, size_t K,
                        size_t Z)
{
    for (size_t i = 0; i < K * Z; i++) {
        pm[i] = raw[i];
        double r = raw[K * Z + i];
        pv[i] = (r > 0 ? r + log1p(exp(-r)) : log1p(exp(r))) + 1e-8;
    }
}

/* a (K) component log-densities of z (Z) and their log-mean-exp, summed in
 * one pass: s holds sum exp(a - top) for the largest a seen so far. */
static double log_mixture(double *a, const double *z, const double *pm,
                          const double *pv, size_t K, size_t Z)
{
    double top = -INFINITY, s = 0;
    for (size_t k = 0; k < K; k++) {
        double q = 0;
        for (size_t j = 0; j < Z; j++) {
            double d = z[j] - pm[k * Z + j];
            q += LOG_2PI + log(pv[k * Z + j]) + d * d / pv[k * Z + j];
        }
        a[k] = -0.5 * q;
        if (a[k] > top) {
            s = s * exp(top - a[k]) + 1.0;
            top = a[k];
        } else {
            s += exp(a[k] - top);
        }
    }
    return top + log(s) - log((double)K);
}

static double log_q(const double *z, const double *m, const double *v, size_t Z)
{
    double q = 0;
    for (size_t j = 0; j < Z; j++) {
        double d = z[j] - m[j];
        q += LOG_2PI + log(v[j]) + d * d / v[j];
    }
    return -0.5 * q;
}

double gmvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim, K = model->cfg.k;
    size_t n = 7 * K * Z + 6 * B * Z + 2 * B * D + 2 * B + B * K;
    double *buf = calloc(n, sizeof(double));
    if (!buf)
        return NAN;
    double *raw = buf, *pm = raw + 2 * K * Z, *pv = pm + K * Z;
    double *draw = pv + K * Z, *dpm = draw + 2 * K * Z;        /* (2K,Z) (K,Z) */
    double *m = dpm + K * Z, *v = m + B * Z, *e = v + B * Z, *z = e + B * Z;
    double *dz = z + B * Z, *dv = dz + B * Z;
    double *lg = dv + B * Z, *dl = lg + B * D, *lpx = dl + B * D;
    double *lp = lpx + B, *a = lp + B;                          /* a (B,K) */
    double result = NAN;
    prior_get(model, raw);
    prior_split(pm, pv, raw, K, Z);
    if (encoder_forward(model, m, v, x, NULL, B))
        goto out;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++) {
            size_t i = b * Z + j;
            e[i] = rng_normal(rng);
            z[i] = m[i] + sqrt(v[i]) * e[i];
        }
    if (decoder_forward(model, lg, z, NULL, B))
        goto out;
    log_bernoulli_with_logits(lpx, x, lg, B, D);
    double kl = 0, rec = 0;
    for (size_t b = 0; b < B; b++) {
        lp[b] = log_mixture(a + b * K, z + b * Z, pm, pv, K, Z);
        kl += log_q(z + b * Z, m + b * Z, v + b * Z, Z) - lp[b];
        rec -= lpx[b];
    }
    kl /= (double)B;
    rec /= (double)B;
    result = kl + rec;
    if (terms) {
        terms->nelbo = result;
        terms->kl = kl;
        terms->rec = rec;
    }
    if (!backward)
        goto out;
    double w = 1.0 / (double)B;
    for (size_t i = 0; i < B * D; i++)
        dl[i] = -w * (x[i] - sigmoid(lg[i]));
    if (decoder_backward(model, dz, dl)) {
        result = NAN;
        goto out;
    }
    double *dpv = draw + K * Z;   /* (K,Z): d/d pv first, then through softplus */
    for (size_t b = 0; b < B; b++) {
        const double *zb = z + b * Z, *mb = m + b * Z, *vb = v + b * Z;
        double *dzb = dz + b * Z;
        /* log q: d/dz = -(z-m)/v, d/dm = (z-m)/v, d/dv = ((z-m)^2/v - 1)/(2v). */
        for (size_t j = 0; j < Z; j++) {
            double r = (zb[j] - mb[j]) / vb[j];
            dzb[j] -= w * r;
            dv[b * Z + j] = w * 0.5 * (r * r - 1.0 / vb[j]);
            m[b * Z + j] = w * r;   /* m's value is spent: it holds dm now */
        }
        /* -log p(z): each component weighs its responsibility. */
        for (size_t k = 0; k < K; k++) {
            double resp = exp(a[b * K + k] - lp[b] - log((double)K));
            if (resp == 0)
                continue;
            for (size_t j = 0; j < Z; j++) {
                double p = pv[k * Z + j], r = (zb[j] - pm[k * Z + j]) / p;
                dzb[j] += w * resp * r;
                dpm[k * Z + j] -= w * resp * r;
                dpv[k * Z + j] -= w * resp * 0.5 * (r * r - 1.0 / p);
            }
        }
    }
    /* Through the sample z = m + sqrt(v) e: m here holds dm of log q. */
    for (size_t i = 0; i < B * Z; i++) {
        m[i] += dz[i];
        dv[i] += dz[i] * e[i] / (2.0 * sqrt(v[i]));
    }
    if (encoder_backward(model, m, dv)) {
        result = NAN;
        goto out;
    }
    for (size_t i = 0; i < K * Z; i++) {
        draw[i] = dpm[i];
        draw[K * Z + i] = dpv[i] * sigmoid(raw[K * Z + i]);
    }
    prior_backward(model, draw);
out:
    free(buf);
    return result;
}

double gmvae_negative_iwae_bound(model_t *model, const double *x,
                                 size_t batch, size_t iw, rng_t *rng,
                                 bound_terms_t *terms)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim, K = model->cfg.k;
    size_t P = model->dec.net.max_batch < iw ? model->dec.net.max_batch : iw;
    size_t n = 4 * K * Z + 2 * B * Z + P * Z + 2 * P * D + P + iw + K;
    double *buf = malloc(n * sizeof(double));
    if (!buf)
        return NAN;
    double *raw = buf, *pm = raw + 2 * K * Z, *pv = pm + K * Z;
    double *m = pv + K * Z, *v = m + B * Z, *z = v + B * Z;
    double *lg = z + P * Z, *xs = lg + P * D, *lpx = xs + P * D;
    double *lw = lpx + P, *a = lw + iw;
    double total = 0, kl0 = 0, rec0 = 0, result = NAN;
    prior_get(model, raw);
    prior_split(pm, pv, raw, K, Z);
    if (encoder_forward(model, m, v, x, NULL, B))
        goto out;
    for (size_t b = 0; b < B; b++) {
        const double *mb = m + b * Z, *vb = v + b * Z;
        for (size_t i0 = 0; i0 < iw; i0 += P) {
            size_t c = iw - i0 < P ? iw - i0 : P;
            for (size_t s = 0; s < c; s++) {
                double *zs = z + s * Z;
                for (size_t j = 0; j < Z; j++)
                    zs[j] = mb[j] + sqrt(vb[j]) * rng_normal(rng);
                lw[i0 + s] = log_mixture(a, zs, pm, pv, K, Z) - log_q(zs, mb, vb, Z);
                memcpy(xs + s * D, x + b * D, sizeof(double) * D);
            }
            if (decoder_forward(model, lg, z, NULL, c))
                goto out;
            log_bernoulli_with_logits(lpx, xs, lg, c, D);
            for (size_t s = 0; s < c; s++)
                lw[i0 + s] += lpx[s];
            if (i0 == 0) {
                kl0 -= lw[0] - lpx[0];
                rec0 -= lpx[0];
            }
        }
        double top = lw[0], s = 0;
        for (size_t i = 1; i < iw; i++)
            top = lw[i] > top ? lw[i] : top;
        for (size_t i = 0; i < iw; i++)
            s += exp(lw[i] - top);
        total += top + log(s) - log((double)iw);
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
