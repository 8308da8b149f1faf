/* Grader test submission "nan_mixture": log_normal_mixture as the log of
 * a plain mean of exp(log-densities), without the shift by the maximum.
 * Fine near the modes, -inf far from them: the stability check reports
 * NaN/Inf with the hint to shift. */
#include "assignment.h"

#include <math.h>

#define LOG_2PI 1.8378770664093454835606594728112353

/* ---- sample_gaussian ------------------------------------------------------ */

void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps)
{
    /* Index order is part of the contract: a seed fixes every z. */
    for (size_t i = 0; i < n; i++) {
        eps[i] = rng_normal(rng);
        z[i] = m[i] + sqrt(v[i]) * eps[i];
    }
}

void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (dm)
            dm[i] += dz[i];
        if (dv)
            dv[i] += dz[i] * eps[i] / (2.0 * sqrt(v[i]));
    }
}

/* ---- log_normal ------------------------------------------------------------- */

/* log N(x | m, diag v) of one row of dim values. */
static double log_normal_row(const double *x, const double *m, const double *v,
                             size_t dim)
{
    double s = 0;
    for (size_t d = 0; d < dim; d++) {
        double r = x[d] - m[d];
        s += log(v[d]) + r * r / v[d];
    }
    return -0.5 * (s + (double)dim * LOG_2PI);
}

void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out)
{
    for (size_t b = 0; b < batch; b++)
        out[b] = log_normal_row(x + b * dim, m + b * dim, v + b * dim, dim);
}

/* Adds g * d log N(x | m, v) / d(x, m, v) of one row into dx, dm, dv, any of
 * which may be NULL. */
static void log_normal_row_backward(double *dx, double *dm, double *dv,
                                    double g, const double *x, const double *m,
                                    const double *v, size_t dim)
{
    for (size_t d = 0; d < dim; d++) {
        double w = (x[d] - m[d]) / v[d];   /* (x - m) / v */
        if (dx)
            dx[d] -= g * w;
        if (dm)
            dm[d] += g * w;
        if (dv)
            dv[d] += g * 0.5 * (w * w - 1.0 / v[d]);
    }
}

void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim)
{
    for (size_t b = 0; b < batch; b++) {
        size_t o = b * dim;
        log_normal_row_backward(dx ? dx + o : NULL, dm ? dm + o : NULL,
                                dv ? dv + o : NULL, dout[b], x + o, m + o,
                                v + o, dim);
    }
}

/* ---- log_normal_mixture -------------------------------------------------------- */

/* log sum over k of N(z | m[k], v[k]) for one row z (D), in one streaming
 * pass: the running maximum rescales the running sum whenever it moves, so
 * nothing underflows however far every component is and no buffer of K
 * log-densities is needed. */
static double log_sum_components(const double *z, const double *m,
                                 const double *v, size_t k, size_t dim)
{
    double sum = 0;
    for (size_t c = 0; c < k; c++)
        sum += exp(log_normal_row(z, m + c * dim, v + c * dim, dim));
    return log(sum);
}

void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out)
{
    double log_k = log((double)k);
    for (size_t b = 0; b < batch; b++)
        out[b] = log_sum_components(z + b * dim, m, v, k, dim) - log_k;
}

/* d out[b] / d log N(z[b] | m[k], v[k]) is the responsibility of component
 * k, softmax over k of the log-densities, exp(lp - log_sum) in the shifted
 * form; each component then passes it on as log_normal's backward does. */
void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim)
{
    for (size_t b = 0; b < batch; b++) {
        const double *zb = z + b * dim;                       /* (D) */
        double lse = log_sum_components(zb, m, v, k, dim);
        for (size_t c = 0; c < k; c++) {
            size_t o = c * dim;
            double resp = exp(log_normal_row(zb, m + o, v + o, dim) - lse);
            log_normal_row_backward(dz ? dz + b * dim : NULL,
                                    dm ? dm + o : NULL, dv ? dv + o : NULL,
                                    dout[b] * resp, zb, m + o, v + o, dim);
        }
    }
}

/* ---- kl_normal ----------------------------------------------------------------- */

/* qv/pv - 1 - log(qv/pv), the variance part of the KL, exact near qv = pv
 * where the direct form cancels to nothing: with u = (qv - pv)/pv (the
 * difference is exact there, Sterbenz) it is u - log1p(u) = sum over j >= 2
 * of (-u)^j / j, whose terms fall by 1/8 at least below |u| = 1/8 (so 20
 * terms reach 1e-18 of the first). Away from qv = pv the logs are taken
 * apart so that neither the ratio's overflow nor its underflow loses the
 * result. */
static double variance_term(double qv, double pv)
{
    double u = (qv - pv) / pv;
    if (fabs(u) <= 0.125) {
        double s = 0, p = u;                 /* p = (-1)^(j-1) u^j */
        for (int j = 2; j <= 22; j++) {
            p *= -u;
            s -= p / j;
        }
        return s;
    }
    return (qv / pv - 1.0) - (log(qv) - log(pv));
}

void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out)
{
    for (size_t b = 0; b < batch; b++) {
        double s = 0;
        for (size_t d = b * dim; d < (b + 1) * dim; d++) {
            double r = qm[d] - pm[d];
            s += variance_term(qv[d], pv[d]) + r * r / pv[d];
        }
        out[b] = 0.5 * s;
    }
}

/* d/dqv = (1/pv - 1/qv)/2 = u/(2 qv), d/dpv = -(u + r^2/pv)/(2 pv) with
 * u = (qv - pv)/pv and r = qm - pm: the same u as the forward, so the
 * gradient is exact where q meets p too. */
void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim)
{
    for (size_t b = 0; b < batch; b++) {
        double g = dout[b];
        for (size_t d = b * dim; d < (b + 1) * dim; d++) {
            double r = qm[d] - pm[d];
            double u = (qv[d] - pv[d]) / pv[d];
            if (dqm)
                dqm[d] += g * r / pv[d];
            if (dpm)
                dpm[d] -= g * r / pv[d];
            if (dqv)
                dqv[d] += g * 0.5 * u / qv[d];
            if (dpv)
                dpv[d] -= g * 0.5 * (u + r * r / pv[d]) / pv[d];
        }
    }
}

/* ---- log_sum_exp / log_mean_exp ---------------------------------------------- */

/* The largest value and the sum of exp(x - largest) (at least 1). An
 * infinite maximum is returned with sum 1 so callers give it back as is
 * (exp(inf - inf) would be NaN). */
static double shifted_sum(const double *x, size_t n, double *top)
{
    double t = x[0];
    for (size_t i = 1; i < n; i++)
        if (x[i] > t || isnan(x[i]))
            t = x[i];
    *top = t;
    if (isinf(t))
        return 1.0;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += exp(x[i] - t);
    return s;
}

double log_sum_exp(const double *x, size_t n)
{
    double top;
    double s = shifted_sum(x, n, &top);
    return top + log(s);
}

/* log(s / n) rather than log(s) - log(n): equal inputs give s = n exactly,
 * so their mean comes back bit for bit. */
double log_mean_exp(const double *x, size_t n)
{
    double top;
    double s = shifted_sum(x, n, &top);
    return top + log(s / (double)n);
}
