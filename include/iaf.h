/* iaf.h: the parameters of an inverse autoregressive flow (Kingma et al.
 * 2016): T steps, each a MADE (made.h) of its own, all in ONE parameter
 * block and one gradient block that Adam (adam.h) and iaf_save/iaf_load
 * see as single arrays. The flow sits BESIDE the model (model.h), not in
 * it: a model and its flow are two blocks, two Adams, two files, so every
 * model, checkpoint and golden value of the other assignments is
 * unchanged. The flow's formula (z_t from z_{t-1}, its log-determinant) is
 * the student's (cse599i-hw2's flow.c); this is the course's plumbing.
 * Shapes: B batch, Z latent, T steps, H the MADEs' hidden width. */
#ifndef VG_IAF_H
#define VG_IAF_H

#include <stddef.h>
#include <stdint.h>
#include "made.h"
#include "nn.h"

#define IAF_MAX_STEPS 16

typedef struct iaf_config {
    size_t n_steps;   /* T */
    size_t z_dim;     /* Z: the model's latent size */
    size_t hidden;    /* H of every MADE */
    size_t n_hidden;  /* hidden layers of every MADE */
    double s_bias;    /* initial bias of every s output (made_init_params) */
} iaf_config_t;

typedef struct iaf {
    iaf_config_t cfg;
    nn_dtype_t dtype;
    size_t max_batch;
    /* made[t] is step t's network. Step t's order is 0, 1, ..., Z-1 for
     * even t and Z-1, ..., 0 for odd t (reversed between steps, so that
     * every variable is eventually conditioned on every other). */
    made_t made[IAF_MAX_STEPS];
    size_t n_params;
    void *params;     /* (n_params) of dtype: made[0] | made[1] | ... */
    void *grads;      /* (n_params) of dtype; one allocation with params */
} iaf_t;

/* Builds the flow of cfg for batches of at most max_batch rows and
 * initialises it from seed (each MADE in turn from one rng). Returns
 * non-zero with a message on a bad configuration or short memory. */
int iaf_create(iaf_t *f, const iaf_config_t *cfg, nn_dtype_t dtype,
               size_t max_batch, uint64_t seed);
void iaf_free(iaf_t *f);
void iaf_zero_grad(iaf_t *f);
/* Copies parameters between flows of the same configuration, converting
 * dtype (a float32-trained flow evaluated in float64). */
int iaf_copy_params(iaf_t *dst, const iaf_t *src);

/* Parameter i as a double, setting it, and its gradient (finite
 * differences). */
double iaf_param_get(const iaf_t *f, size_t i);
void iaf_param_set(iaf_t *f, size_t i, double value);
double iaf_grad_get(const iaf_t *f, size_t i);

/* order (Z): order[i] is the variable at position i of step t's
 * autoregressive order: output j of step t depends on input k only when k
 * comes before j (or k = j, through z_{t-1} itself). */
void iaf_order(const iaf_t *f, size_t t, size_t *order);

/* The flow's parameters on disk, as checkpoint.h keeps a model's: a
 * little-endian header (magic "VGIAF\0\0\1", version, the configuration,
 * dtype, parameter count, seed, iters, CRC-32 of the parameters), then
 * their zlib stream in f's dtype, written atomically. iaf_load converts
 * dtype and refuses a file of another configuration or a damaged one with
 * a message, leaving f untouched. */
int iaf_save(const iaf_t *f, const char *path, uint64_t seed, uint64_t iters);
int iaf_load(iaf_t *f, const char *path);

#endif
