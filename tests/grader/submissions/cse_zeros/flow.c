/* flow.c (cse_zeros): every function computes nothing: its outputs are 0,
 * its backward adds nothing, its value is 0. The grader suite asserts it
 * scores 0 on every check (a property a trivial output also has never
 * scores alone). */
#include "assignment.h"

#include <string.h>

int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in, size_t batch, double *z_out, double *logdet)
{
    (void)model;
    (void)t;
    (void)z_in;
    memset(z_out, 0, (batch * flow->cfg.z_dim) * sizeof *z_out);
    memset(logdet, 0, (batch) * sizeof *logdet);
    return 0;
}

int iaf_step_backward(model_t *model, iaf_t *flow, size_t t, double *dz_in, const double *dz_out, const double *dlogdet, const double *z_in, size_t batch)
{
    (void)model;
    (void)flow;
    (void)t;
    (void)dz_in;
    (void)dz_out;
    (void)dlogdet;
    (void)z_in;
    (void)batch;
    return 0;
}

int iaf_sample(model_t *model, iaf_t *flow, const double *x, size_t batch, rng_t *rng, double *z_T, double *log_q)
{
    (void)model;
    (void)x;
    (void)rng;
    memset(z_T, 0, (batch * flow->cfg.z_dim) * sizeof *z_T);
    memset(log_q, 0, (batch) * sizeof *log_q);
    return 0;
}

double iaf_elbo(model_t *model, iaf_t *flow, const double *x, size_t batch, rng_t *rng, int backward)
{
    (void)model;
    (void)flow;
    (void)x;
    (void)batch;
    (void)rng;
    (void)backward;
    return 0.0;
}
