/* classifier.c: the reference loss and training of STATS 305C HW6
 * problem 2's classifier (stats305c-hw6/assignment.h): the mean BCE of
 * the network's logits, and full-batch gradient descent on it. Stands
 * alone (its own BCE, so it is graded with nothing of bce.c).
 * Shapes: N points, P parameters. */
#include <math.h>
#include <stdlib.h>

#include "assignment.h"

double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                       size_t n, int backward)
{
    double *logits = malloc((n ? 2 * n : 1) * sizeof *logits); /* (N) | d (N) */
    if (!logits)
        return NAN;
    double *dlogits = logits + n;
    double loss = NAN;
    if (mlp_forward(&net->mlp, logits, x, n) != 0)
        goto cleanup;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) { /* softplus(l) - y l: exact at +-1e3 */
        sum += softplus(logits[i]) - y[i] * logits[i];
        dlogits[i] = (sigmoid(logits[i]) - y[i]) / (double)n;
    }
    if (backward && mlp_backward(&net->mlp, NULL, dlogits) != 0)
        goto cleanup;
    loss = sum / (double)n;
cleanup:
    free(logits);
    return loss;
}

int train_classifier(annulus_net_t *net, const double *x, const double *y,
                     size_t n, double lr, size_t iters, double *losses)
{
    for (size_t k = 0; k < iters; k++) {
        annulus_net_zero_grad(net);
        losses[k] = classifier_loss(net, x, y, n, 1);
        if (isnan(losses[k]))
            return -1;
        for (size_t i = 0; i < net->n_params; i++)
            net->params[i] -= lr * net->grads[i];
    }
    return 0;
}
