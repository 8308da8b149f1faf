/* classifier.c: a correct classifier written apart from the reference
 * (the grader's s305_correct_alt): the 2 -> 3 -> 5 -> 1 ReLU network's
 * forward and backward by hand from the mlp's weights (nn.h's layout),
 * the loss through bce.c's functions. Shapes: N points. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"

#define MAXW 5

/* Layer l of the network: out (O) = W^T in + b, W (I,O) input-major. */
static void layer(const mlp_t *m, size_t l, const double *in, double *out)
{
    size_t I = m->spec.sizes[l], O = m->spec.sizes[l + 1];
    const double *W = m->W[l], *b = m->b[l];
    for (size_t o = 0; o < O; o++) {
        double s = b[o];
        for (size_t i = 0; i < I; i++)
            s += W[mlp_weight_index(&m->spec, l, o, i)] * in[i];
        out[o] = s;
    }
}

double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                       size_t n, int backward)
{
    const mlp_t *m = &net->mlp;
    double *logit = malloc(2 * n * sizeof *logit), *dl = logit + n;
    if (!logit)
        return NAN;
    /* forward, keeping every point's pre-activations (N, 3) and (N, 5) */
    double *p1 = malloc(n * 8 * sizeof *p1), *p2 = p1 ? p1 + 3 * n : NULL;
    if (!p1) {
        free(logit);
        return NAN;
    }
    for (size_t k = 0; k < n; k++) {
        double h1[MAXW], h2[MAXW];
        layer(m, 0, x + 2 * k, p1 + 3 * k);
        for (size_t j = 0; j < 3; j++)
            h1[j] = p1[3 * k + j] > 0 ? p1[3 * k + j] : 0;
        layer(m, 1, h1, p2 + 5 * k);
        for (size_t j = 0; j < 5; j++)
            h2[j] = p2[5 * k + j] > 0 ? p2[5 * k + j] : 0;
        layer(m, 2, h2, logit + k);
    }
    double loss = bce_with_logits_mean(logit, y, n);
    if (backward) {
        memset(dl, 0, n * sizeof *dl);
        bce_with_logits_mean_backward(dl, 1.0, logit, y, n);
        double *dW[3] = { m->dW[0], m->dW[1], m->dW[2] };
        double *db[3] = { m->db[0], m->db[1], m->db[2] };
        const double *W1 = m->W[1], *W2 = m->W[2];
        for (size_t k = 0; k < n; k++) {
            double h1[MAXW], h2[MAXW], d2[MAXW], d1[MAXW];
            for (size_t j = 0; j < 3; j++)
                h1[j] = p1[3 * k + j] > 0 ? p1[3 * k + j] : 0;
            for (size_t j = 0; j < 5; j++)
                h2[j] = p2[5 * k + j] > 0 ? p2[5 * k + j] : 0;
            /* last layer: 5 -> 1 */
            db[2][0] += dl[k];
            for (size_t i = 0; i < 5; i++) {
                dW[2][mlp_weight_index(&m->spec, 2, 0, i)] += dl[k] * h2[i];
                d2[i] = dl[k] * W2[mlp_weight_index(&m->spec, 2, 0, i)] *
                        (p2[5 * k + i] > 0 ? 1.0 : 0.0);
            }
            /* middle: 3 -> 5 */
            for (size_t o = 0; o < 5; o++) {
                db[1][o] += d2[o];
                for (size_t i = 0; i < 3; i++)
                    dW[1][mlp_weight_index(&m->spec, 1, o, i)] += d2[o] * h1[i];
            }
            for (size_t i = 0; i < 3; i++) {
                double s = 0;
                for (size_t o = 0; o < 5; o++)
                    s += d2[o] * W1[mlp_weight_index(&m->spec, 1, o, i)];
                d1[i] = s * (p1[3 * k + i] > 0 ? 1.0 : 0.0);
            }
            /* first: 2 -> 3 */
            for (size_t o = 0; o < 3; o++) {
                db[0][o] += d1[o];
                for (size_t i = 0; i < 2; i++)
                    dW[0][mlp_weight_index(&m->spec, 0, o, i)] += d1[o] * x[2 * k + i];
            }
        }
    }
    free(p1);
    free(logit);
    return loss;
}

int train_classifier(annulus_net_t *net, const double *x, const double *y,
                     size_t n, double lr, size_t iters, double *losses)
{
    for (size_t k = 0; k < iters; k++) {
        memset(net->grads, 0, net->n_params * sizeof *net->grads);
        losses[k] = classifier_loss(net, x, y, n, 1);
        if (!isfinite(losses[k]))
            return 1;
        for (size_t i = 0; i < net->n_params; i++)
            net->params[i] += -lr * net->grads[i];
    }
    return 0;
}
