/* made.h: MADE (Germain et al. 2015), an MLP whose weights are masked so
 * that output j depends only on the inputs that come before j in a fixed
 * order: the autoregressive network of an inverse autoregressive flow
 * step (iaf.h). Course code, given to students; it computes (m, s) and
 * nothing of the flow's formula (that is the student's iaf_step).
 * Shapes: B batch, Z latent (the MADE's input width), H hidden width. */
#ifndef VG_MADE_H
#define VG_MADE_H

#include <stddef.h>
#include "nn.h"

/* z (B,Z) -> H ELU (x n_hidden) -> (m, s) (B,Z) each, every layer a
 * masked dense layer. Degrees (MADE's "m(k)"): input k has degree
 * deg[k] in 1..Z (its position in the order, plus one); hidden unit u of
 * every hidden layer has degree 1 + u mod (Z - 1); a hidden weight from a
 * unit of degree d to one of degree d' is kept when d' >= d; an output
 * weight (to m_j or s_j) when deg[j] > d. So m_j and s_j depend on z_k
 * only when deg[k] < deg[j]: the Jacobian of (m, s) is strictly
 * triangular in the order, and the output of degree 1 is a constant (its
 * biases). Z >= 2. */
typedef struct made {
    mlp_t net;            /* the unmasked layout: Z -> H .. -> 2Z, (m | s) */
    size_t z_dim, hidden, n_hidden;
    size_t *deg;          /* (Z) input degrees, owned */
    /* (I,O) per layer, laid out as net.W[l] (mlp_weight_index): 1 where
     * the weight is kept. Owned (one allocation with deg and out). */
    unsigned char *mask[NN_MAX_LAYERS];
    double *out;          /* (max_batch, 2Z) the last forward's (m | s) */
} made_t;

/* Parameters of one MADE: an MLP's, masked weights included (they stay 0). */
size_t made_param_count(size_t z_dim, size_t hidden, size_t n_hidden);

/* Builds views into params/grads (made_param_count of dtype) for inputs
 * taken in order: order[i] is the input at position i (so deg[order[i]] =
 * i + 1); NULL means 0, 1, ..., Z-1. Returns non-zero with a message when
 * Z < 2, hidden < Z - 1, n_hidden is not in 1..NN_MAX_LAYERS-1, order is
 * not a permutation or memory is short. */
int made_init(made_t *m, size_t z_dim, size_t hidden, size_t n_hidden,
              const size_t *order, nn_dtype_t dtype, size_t max_batch,
              void *params, void *grads);
void made_free(made_t *m);

/* PyTorch nn.Linear's initialisation (uniform in +-1/sqrt(fan_in)), then
 * every masked weight set to 0 and every s bias to s_bias (IAF's
 * "forget-gate" bias, so that sigmoid(s) starts near 1 and each step near
 * the identity: Kingma et al. 2016, section 4, use 1 or 2). */
struct rng;
void made_init_params(made_t *m, struct rng *rng, double s_bias);

/* m, s (B,Z) from z (B,Z); either output may be NULL. Masked weights are
 * set to 0 first (a checkpoint or a finite-difference probe that moved
 * one changes nothing), so the result never depends on them. Caches
 * what made_backward needs (the network's last forward). */
int made_forward(made_t *m, double *mean, double *s, const double *z,
                 size_t batch);
/* Accumulates the MADE's parameter gradients (masked ones stay 0) and,
 * when dz is not NULL, adds d/dz (B,Z) into dz, from dmean, ds (B,Z) (either
 * may be NULL: a zero gradient), the gradients of the last forward's
 * outputs. */
int made_backward(made_t *m, double *dz, const double *dmean,
                  const double *ds);

/* A plain-loop forward in double (no BLAS, no cache), applying the masks
 * itself: the reference the masked GEMM path is tested against. */
void made_forward_naive(const made_t *m, double *mean, double *s,
                        const double *z, size_t batch);

#endif
