/* vae_elbo.c: computes nothing (s305_zeros). */
#include "assignment.h"

double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward)
{
    (void)model; (void)x; (void)batch; (void)rng; (void)backward;
    return 0;
}
