/* bce.c: computes nothing (s305_zeros). */
#include "assignment.h"

double bce_with_logits_mean(const double *logits, const double *y, size_t n)
{
    (void)logits; (void)y; (void)n;
    return 0;
}

void bce_with_logits_mean_backward(double *dlogits, double dout,
                                   const double *logits, const double *y,
                                   size_t n)
{
    (void)dlogits; (void)dout; (void)logits; (void)y; (void)n;
}
