/* importance.c (cse_zeros): every function computes nothing: its outputs are 0,
 * its backward adds nothing, its value is 0. The grader suite asserts it
 * scores 0 on every check (a property a trivial output also has never
 * scores alone). */
#include "assignment.h"

#include <string.h>

int log_marginal_is(model_t *model, const double *x, size_t batch, size_t m, rng_t *rng, double *out)
{
    (void)model;
    (void)x;
    (void)m;
    (void)rng;
    memset(out, 0, (batch) * sizeof *out);
    return 0;
}
