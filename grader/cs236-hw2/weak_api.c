/* weak_api.c: a weak definition of every function of assignment.h, linked
 * into every runner. A submission (or a reference) that defines a function
 * overrides its weak twin; one that lacks it still links, and the function
 * reports itself not implemented, so a missing function costs only its own
 * checks. Compiled as an object of its own (never inside an archive, where
 * a weak definition would stop the linker from pulling the real one). */
#include "assignment.h"

#define WEAK __attribute__((weak))

WEAK void sample_gaussian(rng_t *rng, const double *m, const double *v,
                          size_t n, double *z, double *eps)
{
    (void)rng; (void)m; (void)v; (void)n; (void)z; (void)eps;
    not_implemented(__func__);
}

WEAK void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                                   const double *v, const double *eps, size_t n)
{
    (void)dm; (void)dv; (void)dz; (void)v; (void)eps; (void)n;
    not_implemented(__func__);
}

WEAK void log_normal(const double *x, const double *m, const double *v,
                     size_t batch, size_t dim, double *out)
{
    (void)x; (void)m; (void)v; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

WEAK void log_normal_backward(double *dx, double *dm, double *dv,
                              const double *dout, const double *x,
                              const double *m, const double *v, size_t batch,
                              size_t dim)
{
    (void)dx; (void)dm; (void)dv; (void)dout; (void)x; (void)m; (void)v;
    (void)batch; (void)dim;
    not_implemented(__func__);
}

WEAK void log_normal_mixture(const double *z, const double *m, const double *v,
                             size_t batch, size_t k, size_t dim, double *out)
{
    (void)z; (void)m; (void)v; (void)batch; (void)k; (void)dim; (void)out;
    not_implemented(__func__);
}

WEAK void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                      const double *dout, const double *z,
                                      const double *m, const double *v,
                                      size_t batch, size_t k, size_t dim)
{
    (void)dz; (void)dm; (void)dv; (void)dout; (void)z; (void)m; (void)v;
    (void)batch; (void)k; (void)dim;
    not_implemented(__func__);
}

WEAK void kl_normal(const double *qm, const double *qv, const double *pm,
                    const double *pv, size_t batch, size_t dim, double *out)
{
    (void)qm; (void)qv; (void)pm; (void)pv; (void)batch; (void)dim; (void)out;
    not_implemented(__func__);
}

WEAK void kl_normal_backward(double *dqm, double *dqv, double *dpm,
                             double *dpv, const double *dout, const double *qm,
                             const double *qv, const double *pm,
                             const double *pv, size_t batch, size_t dim)
{
    (void)dqm; (void)dqv; (void)dpm; (void)dpv; (void)dout; (void)qm;
    (void)qv; (void)pm; (void)pv; (void)batch; (void)dim;
    not_implemented(__func__);
}

WEAK double log_mean_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    not_implemented(__func__);
    return 0;
}

WEAK double log_sum_exp(const double *x, size_t n)
{
    (void)x; (void)n;
    not_implemented(__func__);
    return 0;
}

WEAK double vae_negative_elbo_bound(model_t *model, const double *x,
                                    size_t batch, rng_t *rng,
                                    bound_terms_t *terms, int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0;
}

WEAK double vae_negative_iwae_bound(model_t *model, const double *x,
                                    size_t batch, size_t iw, rng_t *rng,
                                    bound_terms_t *terms)
{
    (void)model; (void)x; (void)batch; (void)iw; (void)rng; (void)terms;
    not_implemented(__func__);
    return 0;
}

WEAK double gmvae_negative_elbo_bound(model_t *model, const double *x,
                                      size_t batch, rng_t *rng,
                                      bound_terms_t *terms, int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0;
}

WEAK double gmvae_negative_iwae_bound(model_t *model, const double *x,
                                      size_t batch, size_t iw, rng_t *rng,
                                      bound_terms_t *terms)
{
    (void)model; (void)x; (void)batch; (void)iw; (void)rng; (void)terms;
    not_implemented(__func__);
    return 0;
}

WEAK double ssvae_negative_elbo_bound(model_t *model, const double *x,
                                      size_t batch, rng_t *rng,
                                      bound_terms_t *terms, int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0;
}

WEAK double fsvae_negative_elbo_bound(model_t *model, const double *x,
                                      const double *y, size_t batch,
                                      rng_t *rng, bound_terms_t *terms,
                                      int backward)
{
    (void)model; (void)x; (void)y; (void)batch; (void)rng; (void)terms;
    (void)backward;
    not_implemented(__func__);
    return 0;
}
