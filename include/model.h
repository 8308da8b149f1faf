/* model.h: the networks of the four assignment models and the calls student
 * code makes into them, all with a double interface.
 * A model owns one parameter block and one gradient block (of the model's
 * dtype) that every network and the mixture prior view into, so Adam and
 * checkpoints see a single array; activations and scratch are sized when the
 * model is built and never allocated again.
 * Shapes: B batch, D data dimension (784), Y labels (10), Z latent,
 * K mixture components, H hidden width (300). */
#ifndef VG_MODEL_H
#define VG_MODEL_H

#include <stddef.h>
#include "nn.h"

typedef enum { MODEL_VAE = 0, MODEL_GMVAE, MODEL_SSVAE, MODEL_FSVAE } model_kind_t;

/* What the encoder's second half h2 (B,Z) holds, and so how its variance
 * v is made: softplus(h2) + 1e-8 (CS236, gaussian_parameters), a log
 * standard deviation v = exp(2 h2) (STA414), or a log variance v = exp(h2)
 * (STATS 305C). */
typedef enum {
    ENC_VAR_SOFTPLUS = 0,
    ENC_VAR_LOG_STD,
    ENC_VAR_LOG_VAR
} enc_var_t;

/* The hyper-parameters of one model: one configuration place (config.c
 * gives CS236's defaults; a course changes them there, not in the code). */
typedef struct model_config {
    model_kind_t kind;
    size_t x_dim;        /* D */
    size_t y_dim;        /* Y: 0 for vae and gmvae */
    size_t z_dim;        /* Z */
    size_t hidden;       /* H */
    size_t n_hidden;     /* hidden layers of every MLP: 2 (CS236), 1 (STA414) */
    /* Per-layer widths of the encoder's and the decoder's hidden layers,
     * first to last (n_hidden of each used): STATS 305C's encoder is
     * 512, 256 and its decoder 256, 512. All zero (every config before
     * it): each layer is `hidden` wide, so CS236's and STA414's models
     * are unchanged. The classifier (ssvae) always uses `hidden`. */
    size_t enc_hidden[NN_MAX_LAYERS];
    size_t dec_hidden[NN_MAX_LAYERS];
    size_t k;            /* K mixture components (gmvae), else 0 */
    nn_act_t act;        /* hidden activation (ELU; tanh for STA414) */
    enc_var_t enc_var;   /* the encoder's variance parameterisation */
    double gen_weight;   /* ssvae: weight of the ELBO in the loss */
    double class_weight; /* ssvae: weight of the labelled cross-entropy */
    double fixed_var;    /* fsvae: decoder variance */
    double prior_init_scale; /* gmvae: std of the prior's initial values */
} model_config_t;

/* q(z | x [, y]): MLP (D+Y) -> H (x n_hidden; or enc_hidden) -> 2Z, split into the mean
 * and the variance's parameter h2 (cfg.enc_var says which). */
typedef struct encoder {
    mlp_t net;
    size_t x_dim, y_dim, z_dim;
    double *in;  /* (maxB, D+Y) concatenated input */
    double *h;   /* (maxB, 2Z) pre-split output, kept for backward */
    double *dh;  /* (maxB, 2Z) */
} encoder_t;

/* p(x | z [, y]): MLP (Z+Y) -> H (x n_hidden; or dec_hidden) -> D, giving logits (or
 * means). */
typedef struct decoder {
    mlp_t net;
    size_t z_dim, y_dim, x_dim;
    double *in;  /* (maxB, Z+Y) */
    double *din; /* (maxB, Z+Y) */
} decoder_t;

/* q(y | x): MLP D -> H -> H -> Y, giving logits. */
typedef struct classifier {
    mlp_t net;
} classifier_t;

/* The GMVAE's trainable uniform mixture prior: raw (K, 2, Z) parameters laid
 * out as CS236's z_pre (1, 2K, Z): rows 0..K-1 are the means, rows K..2K-1
 * the pre-softplus variances. */
typedef struct mixture_prior {
    size_t k, z_dim;
    void *raw;   /* (2K, Z) view into the model's parameter block */
    void *draw;  /* (2K, Z) view into the gradient block */
} mixture_prior_t;

/* A bump allocator of doubles carved from one block made with the model:
 * student and reference code take scratch buffers from it instead of malloc,
 * and whoever calls a bound resets it first. */
typedef struct scratch {
    double *base;
    size_t cap, used;
} scratch_t;

typedef struct model {
    model_config_t cfg;
    nn_dtype_t dtype;
    size_t max_batch;   /* rows of x a bound may be called with */
    encoder_t enc;
    decoder_t dec;
    classifier_t cls;       /* ssvae only */
    mixture_prior_t prior;  /* gmvae only */
    size_t n_params;
    /* (n_params) of dtype: enc | dec | cls | prior. Also the start of the
     * model's one allocation (grads, staging buffers and scratch follow),
     * which model_free releases. */
    void *params;
    void *grads;        /* (n_params) of dtype */
    /* 1 when every gradient is known to be 0 because the trainer's Adam
     * consumed them (adam_step_consume) and nothing has run a bound since:
     * scratch_reset, which precedes every bound call, clears it. Lets a
     * training step skip zeroing 2.6 MB. */
    int grads_zero;
    scratch_t scratch;
} model_t;

/* Builds a model of cfg with networks able to take max_batch rows of x (the
 * ssvae's encoder and decoder take 10x that) and initialises its parameters
 * from seed as PyTorch would. */
int model_create(model_t *m, const model_config_t *cfg, nn_dtype_t dtype,
                 size_t max_batch, unsigned long long seed);
void model_free(model_t *m);
void model_zero_grad(model_t *m);
/* Copies parameters between models of the same architecture, converting
 * dtype (a float32-trained model evaluated in float64, and back). */
int model_copy_params(model_t *dst, const model_t *src);
/* dst = src, arrays laid out as the parameter block (n_params of the
 * model's dtype: parameters or gradients), turned to or from PyTorch's
 * order (every W as (O,I), nn.h): the order checkpoints keep and golden
 * values index. */
void model_block_to_torch(const model_t *m, void *dst, const void *src);
void model_block_from_torch(const model_t *m, void *dst, const void *src);
/* Parameter i as a double, and setting it (finite differences). */
double model_param_get(const model_t *m, size_t i);
void model_param_set(model_t *m, size_t i, double value);
double model_grad_get(const model_t *m, size_t i);

/* Scratch: n doubles, zeroed, 64-byte aligned; NULL with a message when the
 * block is spent. Its capacity is 8 R (D + Y + 2Z) + 1,048,576 doubles, R the
 * encoder's rows (max_batch, or Y max_batch for the ssvae). */
double *scratch_alloc(model_t *m, size_t n);
void scratch_reset(model_t *m);

/* Encoder: qm, qv (B,Z) from x (B,D) and, for conditional models, y (B,Y)
 * (NULL otherwise). Caches what encoder_backward needs. */
int encoder_forward(model_t *m, double *qm, double *qv, const double *x,
                    const double *y, size_t batch);
/* Accumulates into the encoder's parameter gradients from dqm, dqv (B,Z),
 * the gradients with respect to the last encoder_forward's outputs. */
int encoder_backward(model_t *m, const double *dqm, const double *dqv);

/* The encoder's output before any transform: mu (B,Z) its first half and
 * h2 (B,Z) its second, the variance's parameter as cfg.enc_var has it (for
 * STA414 the log standard deviation). encoder_backward_raw accumulates into
 * the encoder's parameter gradients from dmu, dh2 (B,Z) (either may be
 * NULL: a zero gradient). A raw forward and a transformed one share the
 * cache: a backward goes through the last forward of either kind. */
int encoder_forward_raw(model_t *m, double *mu, double *h2, const double *x,
                        const double *y, size_t batch);
int encoder_backward_raw(model_t *m, const double *dmu, const double *dh2);

/* Decoder: logits (B,D) from z (B,Z) and y (B,Y) or NULL. */
int decoder_forward(model_t *m, double *logits, const double *z,
                    const double *y, size_t batch);
/* Accumulates the decoder's parameter gradients and, when dz is not NULL,
 * adds d/dz (B,Z) into dz. */
int decoder_backward(model_t *m, double *dz, const double *dlogits);

/* Classifier (ssvae): logits (B,Y) from x (B,D). */
int classifier_forward(model_t *m, double *logits, const double *x,
                       size_t batch);
int classifier_backward(model_t *m, const double *dlogits);

/* The mixture prior's raw parameters as doubles: out (2K, Z), to be split by
 * gaussian_parameters(pm, pv, out, 1, K*Z) into pm, pv (K,Z). */
void prior_get(const model_t *m, double *out);
/* Accumulates draw (2K, Z) into the prior's parameter gradients. */
void prior_backward(model_t *m, const double *draw);

#endif
