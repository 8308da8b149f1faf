/* Grader test submission "correct_alt", utils.c: CORRECT utilities written
 * unlike the reference: the KL by the textbook formula (logs taken apart,
 * no series near q = p), log N with the constant outside the sum, the
 * mixture by two passes (the maximum, then the shifted sum) with its
 * responsibilities from a buffer, log_mean_exp as log_sum_exp - log n.
 * Every utils check must give it full marks. Shapes: B batch, D dim,
 * K components. */
#include "assignment.h"

#include <math.h>
#include <stdlib.h>

#define LOG_2PI 1.8378770664093454835606594728112353

void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps)
{
    for (size_t i = 0; i < n; i++)
        eps[i] = rng_normal(rng);
    for (size_t i = 0; i < n; i++)
        z[i] = eps[i] * sqrt(v[i]) + m[i];
}

void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n)
{
    for (size_t i = 0; dm && i < n; i++)
        dm[i] += dz[i];
    for (size_t i = 0; dv && i < n; i++)
        dv[i] += 0.5 * dz[i] * eps[i] / sqrt(v[i]);
}

void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double logdet = 0, quad = 0;
        for (size_t d = 0; d < dim; d++) {
            size_t i = b * dim + d;
            logdet += log(v[i]);
            quad += (x[i] - m[i]) * (x[i] - m[i]) / v[i];
        }
        out[b] = -0.5 * (double)dim * LOG_2PI - 0.5 * logdet - 0.5 * quad;
    }
}

void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim)
{
    for (size_t i = 0; i < batch * dim; i++) {
        double g = dout[i / dim], diff = x[i] - m[i];
        if (dx)
            dx[i] += -g * diff / v[i];
        if (dm)
            dm[i] += g * diff / v[i];
        if (dv)
            dv[i] += g * (diff * diff / (2 * v[i] * v[i]) - 1 / (2 * v[i]));
    }
}

/* The K component log-densities of one row into a (K). */
static void components(double *a, const double *z, const double *m,
                       const double *v, size_t k, size_t dim)
{
    for (size_t c = 0; c < k; c++)
        log_normal(z, m + c * dim, v + c * dim, 1, dim, &a[c]);
}

void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out)
{
    double *a = malloc(k * sizeof *a);
    if (!a)
        return;
    for (size_t b = 0; b < batch; b++) {
        components(a, z + b * dim, m, v, k, dim);
        out[b] = log_mean_exp(a, k);
    }
    free(a);
}

void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim)
{
    double *a = malloc(k * sizeof *a);
    if (!a)
        return;
    for (size_t b = 0; b < batch; b++) {
        const double *zb = z + b * dim;
        components(a, zb, m, v, k, dim);
        double lse = log_sum_exp(a, k);
        for (size_t c = 0; c < k; c++) {
            double g = dout[b] * exp(a[c] - lse);
            log_normal_backward(dz ? dz + b * dim : NULL, dm ? dm + c * dim : NULL,
                                dv ? dv + c * dim : NULL, &g, zb, m + c * dim,
                                v + c * dim, 1, dim);
        }
    }
    free(a);
}

void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0;
        for (size_t d = 0; d < dim; d++) {
            size_t i = b * dim + d;
            double diff = qm[i] - pm[i];
            s += log(pv[i]) - log(qv[i]) + (qv[i] + diff * diff) / pv[i] - 1.0;
        }
        out[b] = s / 2;
    }
}

void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim)
{
    for (size_t i = 0; i < batch * dim; i++) {
        double g = dout[i / dim], diff = qm[i] - pm[i];
        if (dqm)
            dqm[i] += g * diff / pv[i];
        if (dpm)
            dpm[i] += -g * diff / pv[i];
        if (dqv)
            dqv[i] += g * 0.5 * (1 / pv[i] - 1 / qv[i]);
        if (dpv)
            dpv[i] += g * 0.5 * (1 / pv[i] - (qv[i] + diff * diff) / (pv[i] * pv[i]));
    }
}

double log_sum_exp(const double *x, size_t n)
{
    double top = x[0];
    for (size_t i = 1; i < n; i++)
        top = x[i] > top ? x[i] : top;
    if (isinf(top))
        return top;
    double s = 0;
    for (size_t i = n; i-- > 0;)
        s += exp(x[i] - top);
    return top + log(s);
}

double log_mean_exp(const double *x, size_t n)
{
    return log_sum_exp(x, n) - log((double)n);
}
