/* kl.c (cse_zeros): every function computes nothing: its outputs are 0,
 * its backward adds nothing, its value is 0. The grader suite asserts it
 * scores 0 on every check (a property a trivial output also has never
 * scores alone). */
#include "assignment.h"

#include <string.h>

void kl_standard_normal(const double *mu, const double *var, size_t batch, size_t zdim, double *out)
{
    (void)mu;
    (void)var;
    (void)zdim;
    memset(out, 0, (batch) * sizeof *out);
}

void kl_standard_normal_backward(double *dmu, double *dvar, const double *dout, const double *mu, const double *var, size_t batch, size_t zdim)
{
    (void)dmu;
    (void)dvar;
    (void)dout;
    (void)mu;
    (void)var;
    (void)batch;
    (void)zdim;
}

void log_normal_diag(const double *z, const double *mu, const double *var, size_t batch, size_t zdim, double *out)
{
    (void)z;
    (void)mu;
    (void)var;
    (void)zdim;
    memset(out, 0, (batch) * sizeof *out);
}

void log_normal_diag_backward(double *dz, double *dmu, double *dvar, const double *dout, const double *z, const double *mu, const double *var, size_t batch, size_t zdim)
{
    (void)dz;
    (void)dmu;
    (void)dvar;
    (void)dout;
    (void)z;
    (void)mu;
    (void)var;
    (void)batch;
    (void)zdim;
}

void log_standard_normal(const double *z, size_t batch, size_t zdim, double *out)
{
    (void)z;
    (void)zdim;
    memset(out, 0, (batch) * sizeof *out);
}

void log_standard_normal_backward(double *dz, const double *dout, const double *z, size_t batch, size_t zdim)
{
    (void)dz;
    (void)dout;
    (void)z;
    (void)batch;
    (void)zdim;
}
