/* classifier.c (student, STATS 305C HW6 problem 2): the classifier's loss
 * and its full-batch gradient-descent training. Replace the TODO bodies;
 * keep the signatures. Until then they report themselves as not
 * implemented. Shapes: N points, P parameters. */
#include "assignment.h"

#include <math.h>

double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                       size_t n, int backward)
{
    /* TODO: logits (N) = mlp_forward(&net->mlp, logits, x, n); the loss is
     * bce_with_logits_mean. backward != 0: dlogits from
     * bce_with_logits_mean_backward (dout 1), then
     * mlp_backward(&net->mlp, NULL, dlogits). A framework call that fails
     * (non-zero): return NAN. */
    (void)net; (void)x; (void)y; (void)n; (void)backward;
    not_implemented(__func__);
    return 0.0;
}

int train_classifier(annulus_net_t *net, const double *x, const double *y,
                     size_t n, double lr, size_t iters, double *losses)
{
    /* TODO: for k = 0..iters-1: annulus_net_zero_grad(net), losses[k] =
     * classifier_loss(net, x, y, n, 1), then net->params[i] -= lr *
     * net->grads[i] for every i < net->n_params. Return non-zero when the
     * loss is NAN (a framework call failed). */
    (void)net; (void)x; (void)y; (void)n; (void)lr; (void)iters; (void)losses;
    not_implemented(__func__);
    return 0;
}
