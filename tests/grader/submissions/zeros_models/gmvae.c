/* zeros_models/gmvae.c: a submission that computes nothing. Every bound
 * returns 0, fills its terms with 0 and never writes a gradient: it must
 * score 0 on every model check (issue 8, class 1: properties such as
 * "the gradient matches the differences of the bound" or "nelbo is the
 * sum of its terms" hold for zeros too, and earn nothing alone). */
#include "assignment.h"

static double zeros(bound_terms_t *terms)
{
    terms->nelbo = terms->niwae = terms->kl = terms->kl_z = terms->kl_y = 0;
    terms->rec = 0;
    return 0;
}

double gmvae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    (void)model, (void)x, (void)batch, (void)rng, (void)backward;
    return zeros(terms);
}

double gmvae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    (void)model, (void)x, (void)batch, (void)iw, (void)rng;
    return zeros(terms);
}
