/* elbo.c (cse_zeros): every function computes nothing: its outputs are 0,
 * its backward adds nothing, its value is 0. The grader suite asserts it
 * scores 0 on every check (a property a trivial output also has never
 * scores alone). */
#include "assignment.h"

#include <string.h>

double gaussian_elbo(model_t *model, const double *x, size_t batch, double sigma, rng_t *rng, int backward)
{
    (void)model;
    (void)x;
    (void)batch;
    (void)sigma;
    (void)rng;
    (void)backward;
    return 0.0;
}

double mc_gaussian_elbo(model_t *model, const double *x, size_t batch, double sigma, rng_t *rng, int backward)
{
    (void)model;
    (void)x;
    (void)batch;
    (void)sigma;
    (void)rng;
    (void)backward;
    return 0.0;
}

double discrete_output_elbo(model_t *model, const double *x, size_t batch, rng_t *rng, int backward)
{
    (void)model;
    (void)x;
    (void)batch;
    (void)rng;
    (void)backward;
    return 0.0;
}
