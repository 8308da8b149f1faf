/* nn.h: dense layers and MLPs with forward and backward on OpenBLAS GEMMs.
 * One code path serves float32 (training speed) and float64 (finite
 * differences), chosen per network. Parameters and gradients live in blocks
 * owned by the caller (a model holds one block for all its networks);
 * activations and scratch are allocated once per (network, maximum batch)
 * by mlp_init and never inside a step.
 * Shapes: B batch (rows), I input width, O output width; row-major. */
#ifndef VG_NN_H
#define VG_NN_H

#include <stddef.h>

#include "nn_sparse.h"

#define NN_MAX_LAYERS 8

typedef enum { NN_FLOAT32 = 4, NN_FLOAT64 = 8 } nn_dtype_t;
typedef enum { NN_IDENTITY = 0, NN_ELU, NN_TANH, NN_RELU } nn_act_t;

/* sizes[0] is the input width, sizes[n_layers] the output width; layer l
 * maps sizes[l] -> sizes[l+1] and applies acts[l]. */
typedef struct mlp_spec {
    size_t n_layers;
    size_t sizes[NN_MAX_LAYERS + 1];
    nn_act_t acts[NN_MAX_LAYERS];
} mlp_spec_t;

typedef struct mlp {
    mlp_spec_t spec;
    nn_dtype_t dtype;
    size_t max_batch;
    size_t n_params;        /* weights and biases of every layer */
    void *params;           /* (n_params) view into the owner's block */
    void *grads;            /* (n_params) view into the owner's block */
    /* (I,O) views into params: input-major, the transpose of PyTorch's
     * (O,I), so that the rows a binary input selects are contiguous
     * (nn_sparse.h); mlp_weight_index maps (o, i). Checkpoints store
     * PyTorch's order (mlp_params_to_torch). */
    void *W[NN_MAX_LAYERS];
    void *b[NN_MAX_LAYERS]; /* (O) */
    void *dW[NN_MAX_LAYERS];
    void *db[NN_MAX_LAYERS];
    void *acts_block;       /* owned: inputs and outputs of every layer */
    void *a[NN_MAX_LAYERS + 1]; /* (max_batch, sizes[l]) activations */
    void *delta[2];         /* (max_batch, max width) backward ping-pong */
    size_t batch;           /* rows of the last forward, 0 before any */
    /* float32 only: the last input's ones when it was binary and sparse
     * (sparse_used), so layer 0 ran on nn_sparse instead of GEMMs */
    nn_sparse_in_t sparse;
    int sparse_used;
} mlp_t;

/* Index in W[l] of the weight from input i to output o. */
static inline size_t mlp_weight_index(const mlp_spec_t *spec, size_t l,
                                      size_t o, size_t i)
{
    return i * spec->sizes[l + 1] + o;
}

/* Number of parameters of a spec: sum over layers of O*I + O. */
size_t mlp_param_count(const mlp_spec_t *spec);

/* Builds views into params/grads (each mlp_param_count(spec) elements of
 * dtype) and allocates activations for max_batch rows. */
int mlp_init(mlp_t *net, const mlp_spec_t *spec, nn_dtype_t dtype,
             size_t max_batch, void *params, void *grads);
void mlp_free(mlp_t *net);

/* dst = src, both arrays laid out as net->params (n_params of the net's
 * dtype), with every W turned between this layout and PyTorch's (O,I) one:
 * the order checkpoints keep, so they do not depend on the layout here. */
void mlp_params_to_torch(const mlp_t *net, void *dst, const void *src);
void mlp_params_from_torch(const mlp_t *net, void *dst, const void *src);

/* PyTorch nn.Linear's default: weights and biases uniform in
 * +-1/sqrt(fan_in). */
struct rng;
void mlp_init_params(mlp_t *net, struct rng *rng);

/* out (B,O) = net(in (B,I)); caches activations for mlp_backward.
 * batch must be in 1..max_batch. The double interface converts at the
 * edges so callers never see float32. A float32 network whose input is all
 * 0s and 1s, at most a quarter 1s, computes its first layer from the ones'
 * positions (nn_sparse.h); the sums differ from the GEMM's by rounding.
 * float32 networks compute ELU with nn.c's own vectorised expm1 (within 1
 * ulp of float32), float64 ones with libm's. */
int mlp_forward(mlp_t *net, double *out, const double *in, size_t batch);

/* Accumulates d loss/d params into net->grads and, when din is not NULL,
 * adds d loss/d in (B,I) into din; dout (B,O) is the upstream gradient of
 * the last mlp_forward's output. */
int mlp_backward(mlp_t *net, double *din, const double *dout);

/* The same forward on the network's own precision, for callers that keep
 * data in dtype already (training loops): in and out are dtype arrays. */
int mlp_forward_raw(mlp_t *net, void *out, const void *in, size_t batch);

/* A plain-loop forward in double, no BLAS: the in-tree reference that the
 * GEMM path is tested against. Does not cache. */
void mlp_forward_naive(const mlp_t *net, double *out, const double *in,
                       size_t batch);

/* Threads OpenBLAS may use: 1 unless told here or by OPENBLAS_NUM_THREADS
 * or OMP_NUM_THREADS in the environment (the default of all cores made
 * two-thread training 2.5x slower here). */
void nn_set_threads(int n);

#endif
