/* config.h: the one place that holds the assignments' hyper-parameters
 * (CS236 HW2's by default, STA414 A3's beside them), for the models, the
 * training programs and the grader. */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include "model.h"
#include "iaf.h"

typedef struct train_config {
    size_t batch;          /* 100 */
    double lr;             /* Adam 1e-3 */
    double beta1, beta2, adam_eps;
    size_t n_labelled_per_class; /* ssvae: 10 */
} train_config_t;

/* CS236's defaults for kind: z=10 (ssvae 64), H=300, ELU, K=500, gw=1,
 * cw=100, fixed variance 0.1. */
model_config_t config_model_default(model_kind_t kind);
train_config_t config_train_default(void);

/* STA414/CSC412 A3's VAE (its starter code's Dz, Dh = 2, 500): encoder
 * 784 -> 500 tanh -> (mean, log standard deviation) of a factorised 2-D
 * Gaussian; decoder 2 -> 500 tanh -> 784 Bernoulli logits. kind MODEL_VAE. */
model_config_t config_model_sta414_a3(void);

/* STA414 A3's training and part 4 (its starter code): minibatches of 100,
 * Flux's ADAM() defaults (lr 1e-3, betas 0.9, 0.999, eps 1e-8), 100 epochs
 * over the first 10,000 training digits, tested on the next 10,000, pixels
 * binarised as x > 0.5; SVI on one digit's top half with K samples per
 * ELBO estimate, iters Adam steps of lr (the starter code leaves part 4's
 * optimiser to the student; 300 steps of 5e-2 from q = N(0, I) reach a
 * trained model's top-half posteriors, which sit up to ~3 from 0, where
 * Adam's steps of at most lr each would need 60 at least). */
typedef struct sta414_config {
    train_config_t train;   /* batch 100, Adam 1e-3 */
    size_t epochs;          /* 100 */
    size_t train_first, n_train; /* rows 0..9,999 of the training split */
    size_t test_first, n_test;   /* rows 10,000..19,999 of it */
    double binarise_above;  /* 0.5: a pixel is 1 when x > 0.5 (byte >= 128) */
    size_t svi_k;           /* 10 samples per top-half ELBO estimate */
    size_t svi_iters;       /* 300 optimiser steps */
    double svi_lr;          /* Adam's lr in the SVI loop, 5e-2 */
} sta414_config_t;
sta414_config_t config_sta414_a3(void);

/* UW CSE 599i HW2 (cse599i-hw2) with MLPs in place of its convolutional
 * blocks: encoder 784 -> 300 ELU -> 300 ELU -> (mean, log variance) over
 * Z = 10, decoder 10 -> 300 ELU -> 300 ELU -> 784, identity output (the
 * Gaussian decoder's mean g(z), or the discrete one's logits). kind
 * MODEL_VAE. config.c says where each size comes from. */
model_config_t config_model_cse599i_hw2(void);

/* CSE 599i HW2's knobs beside its model: training as CS236's (batch 100,
 * Adam 1e-3), the Gaussian decoder's fixed standard deviation sigma, the
 * importance samples of Problem 6b's log p(x) (1000) and the IAF of 6d
 * (8 steps of a MADE 10 -> 64 ELU -> 64 ELU -> (m, s), s's bias at 1). */
typedef struct cse599i_config {
    train_config_t train;
    double sigma;            /* 0.1 */
    size_t is_samples;       /* M = 1000 */
    iaf_config_t iaf;        /* T = 8, Z = 10, H = 64, 2 hidden, s_bias 1 */
} cse599i_config_t;
cse599i_config_t config_cse599i_hw2(void);

/* "vae", "gmvae", "ssvae", "fsvae" <-> kind; -1 for an unknown name. */
int config_kind_from_name(const char *name);
const char *config_kind_name(model_kind_t kind);

#endif
