/* annulus.h: STATS 305C HW6 problem 2's course code: the annulus data set
 * and the small ReLU network that classifies it (2 -> 3 ReLU -> 5 ReLU ->
 * 1 logit, float64, one block of 35 parameters). Not the loss or
 * the training loop: those are the student's
 * (stats305c-hw6/assignment.h). Shapes: N points, P parameters. */
#ifndef VG_ANNULUS_H
#define VG_ANNULUS_H

#include <stddef.h>
#include <stdint.h>

#include "nn.h"
#include "rng.h"

/* The course's data: point i is a positive (y = 1) at radius U(0, 2.5)
 * when i is even, a negative (y = 0) at radius U(3.5, 5) when i is odd,
 * at an angle U(0, 2 pi); so ceil(N/2) positives, floor(N/2) negatives,
 * and every prefix balanced. Per point rng draws the radius, then the
 * angle. The radius (not the area) is uniform, as the course has it:
 * positives crowd the centre. x (N,2), y (N) of 0s and 1s. The radii
 * come from config_stats305c_hw6(). */
void annulus_data(double *x, double *y, size_t n, rng_t *rng);

/* The classifier: mlp (float64) views into params, grads (P each), which
 * annulus_net_create allocates and annulus_net_free releases. Training
 * code reads and writes params directly (gradient descent); mlp_forward
 * and mlp_backward (nn.h) run the network. */
typedef struct annulus_net {
    mlp_t mlp;        /* 2 -> 3 ReLU -> 5 ReLU -> 1 identity */
    size_t n_params;  /* P = 35 */
    double *params;   /* (P) the mlp's layout (nn.h), not PyTorch's */
    double *grads;    /* (P) */
} annulus_net_t;

/* Builds the network for batches of up to max_batch points and draws its
 * parameters from seed as PyTorch's nn.Linear would (mlp_init_params).
 * Gradients start at 0. Returns 0, or -1 with vg_error_last(). */
int annulus_net_create(annulus_net_t *net, size_t max_batch, uint64_t seed);
void annulus_net_free(annulus_net_t *net);
void annulus_net_zero_grad(annulus_net_t *net);
/* dst's parameters = src's (same architecture: both from
 * annulus_net_create). */
void annulus_net_copy_params(annulus_net_t *dst, const annulus_net_t *src);

/* prob (N) = sigmoid(net(x)), x (N,2), N <= max_batch, for pictures and
 * accuracy; writes nothing into the gradients (the forward's cache is
 * overwritten). Returns 0 or -1. */
int annulus_net_predict(annulus_net_t *net, double *prob, const double *x,
                        size_t n);
/* The fraction of the N points whose probability is on their label's
 * side of 1/2 (a probability of exactly 1/2 counts as wrong); NAN when
 * the forward failed. */
double annulus_net_accuracy(annulus_net_t *net, const double *x,
                            const double *y, size_t n);

#endif
