/* utils.c (student): the Gaussian utilities of assignment.h and their
 * backward passes. Replace each TODO body; keep the signatures. Until then
 * each function reports itself as not implemented and computes nothing.
 * Shapes: B batch, D dimension, K mixture components, n flat length. */
#include "assignment.h"

#include <math.h>

void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps)
{
    /* TODO: the reparameterisation trick. For i = 0, 1, ..., n-1 IN THIS
     * ORDER draw eps[i] = rng_normal(rng) (rng.h) and set
     * z[i] = m[i] + sqrt(v[i]) * eps[i]. v is a variance, not a standard
     * deviation. m, v, z, eps are (n). The grader replays your draws from
     * the same seed, so draw exactly n normals and nothing else. */
    (void)rng; (void)m; (void)v; (void)n; (void)z; (void)eps;
    not_implemented(__func__);
}

void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n)
{
    /* TODO: with z = m + sqrt(v) * eps and eps held fixed, ADD (+=)
     * dm[i] += dz[i] and dv[i] += dz[i] * eps[i] / (2 sqrt(v[i])).
     * Either of dm, dv may be NULL: skip it. Never zero them. All (n). */
    (void)dm; (void)dv; (void)dz; (void)v; (void)eps; (void)n;
    not_implemented(__func__);
}

void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out)
{
    /* TODO: out[b] = sum over d of -1/2 (log(2 pi v) + (x - m)^2 / v), the
     * log-density of a diagonal Gaussian summed over the last axis.
     * x, m, v (B,D) row-major, element (b,d) at [b*dim + d]; out (B). */
    (void)x; (void)m; (void)v; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim)
{
    /* TODO: ADD dout[b] times the partial derivatives of out[b] into
     * dx, dm, dv (B,D): d/dx = -(x - m)/v, d/dm = (x - m)/v,
     * d/dv = ((x - m)^2 / v^2 - 1/v) / 2. Any of dx, dm, dv may be NULL. */
    (void)dx; (void)dm; (void)dv; (void)dout; (void)x; (void)m; (void)v;
    (void)batch; (void)dim;
    not_implemented(__func__);
}

void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out)
{
    /* TODO: out[b] = log (1/K) sum over k of N(z[b] | m[k], diag v[k]).
     * z (B,D); m, v (K,D) are shared by every row; out (B). Work in logs:
     * take each component's log-density (as in log_normal), then
     * log-sum-exp over k shifted by the LARGEST of them, minus log K. The
     * grader puts z 1000 standard deviations from every component, where
     * exp of a log-density is 0 and the unshifted form gives -inf or NaN. */
    (void)z; (void)m; (void)v; (void)batch; (void)k; (void)dim; (void)out;
    not_implemented(__func__);
}

void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim)
{
    /* TODO: d out[b] / d log N(z[b] | m[k], v[k]) is the responsibility
     * r[b][k] = softmax over k of the log-densities (compute it shifted,
     * exp(logdensity - logsumexp)). Then, as in log_normal_backward with
     * upstream dout[b] * r[b][k], ADD into dz (B,D) and into dm, dv (K,D),
     * which collect contributions from every row b. Any may be NULL. */
    (void)dz; (void)dm; (void)dv; (void)dout; (void)z; (void)m; (void)v;
    (void)batch; (void)k; (void)dim;
    not_implemented(__func__);
}

void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out)
{
    /* TODO: out[b] = 1/2 sum over d of
     * (log(pv/qv) + (qv + (qm - pm)^2) / pv - 1), all inputs (B,D), out (B).
     * Take log(pv) - log(qv) rather than log of the ratio, which overflows
     * for extreme variances. KL(q||q) must be exactly 0. */
    (void)qm; (void)qv; (void)pm; (void)pv; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim)
{
    /* TODO: ADD dout[b] times the partial derivatives of out[b]:
     * d/dqm = (qm - pm)/pv, d/dpm = -(qm - pm)/pv, d/dqv = (1/pv - 1/qv)/2,
     * d/dpv = (1/pv - (qv + (qm - pm)^2)/pv^2)/2. Any output may be NULL
     * (the VAE passes NULL for dpm, dpv: its prior is fixed). */
    (void)dqm; (void)dqv; (void)dpm; (void)dpv; (void)dout; (void)qm;
    (void)qv; (void)pm; (void)pv; (void)batch; (void)dim;
    not_implemented(__func__);
}

double log_mean_exp(const double *x, size_t n)
{
    /* TODO: log((1/n) sum exp(x[i])) for x (n), n >= 1, finite for ANY
     * finite input: subtract the maximum before exp and add it back.
     * log_mean_exp of [1000, 1000] is 1000. */
    (void)x; (void)n;
    not_implemented(__func__);
    return 0.0;
}

double log_sum_exp(const double *x, size_t n)
{
    /* TODO: log(sum exp(x[i])), shifted by the maximum as log_mean_exp. */
    (void)x; (void)n;
    not_implemented(__func__);
    return 0.0;
}
