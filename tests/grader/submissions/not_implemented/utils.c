/* Grader test submission "not_implemented": every function of utils.c as
 * the student stub has it, saying "not implemented" through the framework
 * and returning. Every utils check must be "not implemented", none crash. */
#include "assignment.h"

void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps)
{
    (void)rng; (void)m; (void)v; (void)n; (void)z; (void)eps;
    not_implemented(__func__);
}

void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n)
{
    (void)dm; (void)dv; (void)dz; (void)v; (void)eps; (void)n;
    not_implemented(__func__);
}

void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out)
{
    (void)x; (void)m; (void)v; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim)
{
    (void)dx; (void)dm; (void)dv; (void)dout; (void)x; (void)m; (void)v;
    (void)batch; (void)dim;
    not_implemented(__func__);
}

void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out)
{
    (void)z; (void)m; (void)v; (void)batch; (void)k; (void)dim; (void)out;
    not_implemented(__func__);
}

void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim)
{
    (void)dz; (void)dm; (void)dv; (void)dout; (void)z; (void)m; (void)v;
    (void)batch; (void)k; (void)dim;
    not_implemented(__func__);
}

void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out)
{
    (void)qm; (void)qv; (void)pm; (void)pv; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim)
{
    (void)dqm; (void)dqv; (void)dpm; (void)dpv; (void)dout; (void)qm;
    (void)qv; (void)pm; (void)pv; (void)batch; (void)dim;
    not_implemented(__func__);
}

double log_mean_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    not_implemented(__func__);
    return 0;
}

double log_sum_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    not_implemented(__func__);
    return 0;
}
