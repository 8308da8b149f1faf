/* elbo.c (the sta414-a3 submission that computes nothing): 0, no gradient. */
#include "assignment.h"

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    return 0.0;
}
