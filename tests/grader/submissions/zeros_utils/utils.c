/* Grader test submission "zeros_utils": utils.c that computes nothing. Every
 * function writes zeros (z = m, eps = 0, densities, KLs and log-sum-exps 0)
 * and every backward adds nothing. It satisfies each property a trivial
 * output has (KL(q||q) = 0, permutation invariance, z = m + sqrt(v) eps at
 * eps = 0), and must score 0 on every utils check. */
#include "assignment.h"

#include <string.h>

void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps)
{
    (void)rng;
    (void)v;
    memcpy(z, m, n * sizeof *z);
    memset(eps, 0, n * sizeof *eps);
}

void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n)
{
    (void)dm; (void)dv; (void)dz; (void)v; (void)eps; (void)n;
}

void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out)
{
    (void)x; (void)m; (void)v; (void)dim;
    memset(out, 0, batch * sizeof *out);
}

void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim)
{
    (void)dx; (void)dm; (void)dv; (void)dout; (void)x; (void)m; (void)v;
    (void)batch; (void)dim;
}

void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out)
{
    (void)z; (void)m; (void)v; (void)k; (void)dim;
    memset(out, 0, batch * sizeof *out);
}

void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim)
{
    (void)dz; (void)dm; (void)dv; (void)dout; (void)z; (void)m; (void)v;
    (void)batch; (void)k; (void)dim;
}

void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out)
{
    (void)qm; (void)qv; (void)pm; (void)pv; (void)dim;
    memset(out, 0, batch * sizeof *out);
}

void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim)
{
    (void)dqm; (void)dqv; (void)dpm; (void)dpv; (void)dout; (void)qm;
    (void)qv; (void)pm; (void)pv; (void)batch; (void)dim;
}

double log_mean_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    return 0;
}

double log_sum_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    return 0;
}
