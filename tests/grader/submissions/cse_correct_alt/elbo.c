/* elbo.c (cse_correct_alt): the three ELBOs written apart from the
 * reference: the noise drawn column by column (all rows' coordinate 0
 * first), the Monte Carlo KL as 1/2 sum (z^2 - eps^2 - log var), the
 * Bernoulli log-mass in its own stable form, and nothing of kl.c called.
 * The grader suite grades it at ten seeds: it must get full marks. */
#include "assignment.h"

#include <math.h>

static const double LOG_2PI = 1.8378770664093454836;

/* log sigmoid(l) + ... : x l - softplus(l), softplus stable both ways. */
static double bernoulli(double x, double l)
{
    double sp = l > 0 ? l + log1p(exp(-l)) : log1p(exp(l));
    return x * l - sp;
}

typedef enum { KL_CLOSED, KL_SAMPLED } kl_kind_t;

/* One sample per row: mu, var from the encoder, eps column-major, z. */
typedef struct draw {
    double *mu, *var, *eps, *z, *out;   /* (B,Z) x 4, (B,D) */
} draw_t;

static int draw(model_t *m, draw_t *d, const double *x, size_t B, rng_t *rng)
{
    size_t Z = m->cfg.z_dim, D = m->cfg.x_dim;
    d->mu = scratch_alloc(m, 4 * B * Z + B * D);
    if (!d->mu)
        return -1;
    d->var = d->mu + B * Z;
    d->eps = d->var + B * Z;
    d->z = d->eps + B * Z;
    d->out = d->z + B * Z;
    if (encoder_forward(m, d->mu, d->var, x, NULL, B))
        return -1;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++)
            d->eps[b * Z + j] = rng_normal(rng);
    for (size_t i = 0; i < B * Z; i++)
        d->z[i] = d->mu[i] + sqrt(d->var[i]) * d->eps[i];
    return decoder_forward(m, d->out, d->z, NULL, B);
}

/* -KL per row, closed or sampled, and (when dmu, dvar) its gradient
 * scaled by w added into dmu, dvar, dz (the sampled form moves with z). */
static double neg_kl(const draw_t *d, size_t b, size_t Z, kl_kind_t kind,
                     double w, double *dmu, double *dvar, double *dz)
{
    double acc = 0;
    for (size_t j = 0; j < Z; j++) {
        size_t i = b * Z + j;
        double m = d->mu[i], v = d->var[i], e = d->eps[i], z = d->z[i];
        if (kind == KL_CLOSED) {
            acc -= 0.5 * (m * m + v - 1.0 - log(v));
            if (dmu) {
                dmu[i] -= w * m;
                dvar[i] -= w * 0.5 * (1.0 - 1.0 / v);
            }
        } else {
            /* log q - log r at z = mu + sqrt(v) eps, the 2 pi's cancelling */
            acc -= 0.5 * (z * z - e * e - log(v));
            if (dmu) {
                dz[i] -= w * z;
                dvar[i] += w * 0.5 / v;
            }
        }
    }
    return acc;
}

/* dz (B,Z) into d mu and d var through z = mu + sqrt(var) eps, then the
 * encoder's backward. */
static int through_z(model_t *m, const draw_t *d, double *dmu, double *dvar,
                     const double *dz, size_t B)
{
    size_t Z = m->cfg.z_dim;
    for (size_t i = 0; i < B * Z; i++) {
        dmu[i] += dz[i];
        dvar[i] += dz[i] * d->eps[i] / (2.0 * sqrt(d->var[i]));
    }
    return encoder_backward(m, dmu, dvar);
}

static double gaussian(model_t *m, const double *x, size_t B, double sigma,
                       rng_t *rng, int backward, kl_kind_t kind)
{
    size_t Z = m->cfg.z_dim, D = m->cfg.x_dim;
    draw_t d;
    if (draw(m, &d, x, B, rng))
        return NAN;
    double *g = d.out, s2 = sigma * sigma, total = 0;
    double *dmu = NULL, *dvar = NULL, *dz = NULL;
    if (backward) {
        dmu = scratch_alloc(m, 3 * B * Z);
        if (!dmu)
            return NAN;
        dvar = dmu + B * Z;
        dz = dvar + B * Z;
    }
    double cst = 0.5 * (double)D * (LOG_2PI + log(s2));
    for (size_t b = 0; b < B; b++) {
        double ss = 0;
        for (size_t k = 0; k < D; k++) {
            double r = x[b * D + k] - g[b * D + k];
            ss += r * r;
        }
        total += -ss / (2.0 * s2) - cst +
                 neg_kl(&d, b, Z, kind, 1.0 / (double)B, dmu, dvar, dz);
    }
    if (backward) {
        /* d/dg of -||x - g||^2 / (2 s2) / B, in place of g */
        for (size_t i = 0; i < B * D; i++)
            g[i] = (x[i] - g[i]) / (s2 * (double)B);
        if (decoder_backward(m, dz, g) || through_z(m, &d, dmu, dvar, dz, B))
            return NAN;
    }
    return total / (double)B;
}

double gaussian_elbo(model_t *model, const double *x, size_t batch,
                     double sigma, rng_t *rng, int backward)
{
    return gaussian(model, x, batch, sigma, rng, backward, KL_CLOSED);
}

double mc_gaussian_elbo(model_t *model, const double *x, size_t batch,
                        double sigma, rng_t *rng, int backward)
{
    return gaussian(model, x, batch, sigma, rng, backward, KL_SAMPLED);
}

double discrete_output_elbo(model_t *model, const double *x, size_t batch,
                            rng_t *rng, int backward)
{
    size_t Z = model->cfg.z_dim, D = model->cfg.x_dim, B = batch;
    draw_t d;
    if (draw(model, &d, x, B, rng))
        return NAN;
    double *l = d.out, total = 0;
    double *dmu = NULL, *dvar = NULL, *dz = NULL;
    if (backward) {
        dmu = scratch_alloc(model, 3 * B * Z);
        if (!dmu)
            return NAN;
        dvar = dmu + B * Z;
        dz = dvar + B * Z;
    }
    for (size_t b = 0; b < B; b++) {
        double rec = 0;
        for (size_t k = 0; k < D; k++)
            rec += bernoulli(x[b * D + k], l[b * D + k]);
        total += rec + neg_kl(&d, b, Z, KL_CLOSED, 1.0 / (double)B, dmu, dvar, dz);
    }
    if (backward) {
        for (size_t i = 0; i < B * D; i++)
            l[i] = (x[i] - 1.0 / (1.0 + exp(-l[i]))) / (double)B;
        if (decoder_backward(model, dz, l) || through_z(model, &d, dmu, dvar, dz, B))
            return NAN;
    }
    return total / (double)B;
}
