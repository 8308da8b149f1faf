/* weak_api.c: a weak definition of every function of stats305c-hw6's
 * assignment.h, linked into every stats305c-hw6 runner, so that a missing
 * function costs only its own checks (as cs236-hw2/weak_api.c). An object
 * of its own, never inside an archive. */
#include "assignment.h"

#include <math.h>

#define WEAK __attribute__((weak))

WEAK void run_optimization(const objective_t *f, const double *x0, double lr,
                           size_t iters, double *xs, double *losses)
{
    (void)f; (void)x0; (void)lr; (void)iters; (void)xs; (void)losses;
    not_implemented(__func__);
}

WEAK void run_my_optimizer(const objective_t *f, const double *x0, size_t iters,
                           double *xs, double *losses)
{
    (void)f; (void)x0; (void)iters; (void)xs; (void)losses;
    not_implemented(__func__);
}

WEAK double bce_with_logits_mean(const double *logits, const double *y, size_t n)
{
    (void)logits; (void)y; (void)n;
    not_implemented(__func__);
    return NAN;
}

WEAK void bce_with_logits_mean_backward(double *dlogits, double dout,
                                        const double *logits, const double *y,
                                        size_t n)
{
    (void)dlogits; (void)dout; (void)logits; (void)y; (void)n;
    not_implemented(__func__);
}

WEAK double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                            size_t n, int backward)
{
    (void)net; (void)x; (void)y; (void)n; (void)backward;
    not_implemented(__func__);
    return NAN;
}

WEAK int train_classifier(annulus_net_t *net, const double *x, const double *y,
                          size_t n, double lr, size_t iters, double *losses)
{
    (void)net; (void)x; (void)y; (void)n; (void)lr; (void)iters; (void)losses;
    not_implemented(__func__);
    return -1;
}

WEAK void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                             size_t zdim, double *out)
{
    (void)mu; (void)logvar; (void)batch; (void)zdim; (void)out;
    not_implemented(__func__);
}

WEAK void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                      const double *dout, const double *mu,
                                      const double *logvar, size_t batch,
                                      size_t zdim)
{
    (void)dmu; (void)dlogvar; (void)dout; (void)mu; (void)logvar; (void)batch;
    (void)zdim;
    not_implemented(__func__);
}

WEAK void bernoulli_log_likelihood(const double *x, const double *logits,
                                   size_t batch, size_t d, double *out)
{
    (void)x; (void)logits; (void)batch; (void)d; (void)out;
    not_implemented(__func__);
}

WEAK void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                            const double *x, const double *logits,
                                            size_t batch, size_t d)
{
    (void)dlogits; (void)dout; (void)x; (void)logits; (void)batch; (void)d;
    not_implemented(__func__);
}

WEAK double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
                 int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    not_implemented(__func__);
    return NAN;
}
