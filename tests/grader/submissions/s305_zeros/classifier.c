/* classifier.c: computes nothing (s305_zeros). */
#include "assignment.h"

double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                       size_t n, int backward)
{
    (void)net; (void)x; (void)y; (void)n; (void)backward;
    return 0;
}

int train_classifier(annulus_net_t *net, const double *x, const double *y,
                     size_t n, double lr, size_t iters, double *losses)
{
    (void)net; (void)x; (void)y; (void)n; (void)lr;
    for (size_t k = 0; k < iters; k++)
        losses[k] = 0;
    return 0;
}
