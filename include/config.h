/* config.h: the one place that holds the assignments' hyper-parameters
 * (CS236 HW2's by default, STA414 A3's beside them), for the models, the
 * training programs and the grader. */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include "model.h"

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

/* ---- stats305c-hw6: Stanford STATS 305C, Assignment 6 ------------------ */

/* Problem 3's VAE: encoder 784 -> 512 ReLU -> 256 ReLU -> (mean, log
 * variance) of a factorised 2-D Gaussian; decoder 2 -> 256 ReLU -> 512
 * ReLU -> 784 Bernoulli logits (per-layer widths: enc_hidden, dec_hidden).
 * kind MODEL_VAE; `hidden` is 512, the widest layer (what a checkpoint's
 * header records; the parameter count tells the rest). */
model_config_t config_model_stats305c_hw6(void);

/* The course's constants for all three problems (issue 12, item 2). */
typedef struct stats305c_config {
    /* Problem 1: f(x) = sum a_i x_i^2. Plain gradient descent at gd_lr for
     * gd_iters from x0 = (gd_x0, gd_x0) on a = gd_a1, then a = gd_a2; the
     * student's own optimiser on the hd_n-dimensional a_i =
     * 10^(-2 + 4 (i-1)/(hd_n-1)) from (hd_x0, ...) must end below hd_target
     * within hd_iters. */
    double gd_a1[2], gd_a2[2]; /* (0.2, 0.2), (0.05, 1.2) */
    double gd_lr;              /* 0.8 */
    size_t gd_iters;           /* 50 */
    double gd_x0;              /* 10 */
    size_t hd_n;               /* 10 */
    size_t hd_iters;           /* 1000 */
    double hd_x0;              /* 10 */
    double hd_target;          /* 0.01 */
    /* Problem 2: the annulus data (annulus.h) and its classifier,
     * full-batch gradient descent. */
    size_t annulus_n;          /* 500 points, half of each class */
    double pos_r_max;          /* positives: radius U(0, 2.5) */
    double neg_r_min, neg_r_max; /* negatives: radius U(3.5, 5) */
    double cls_lr;             /* 1 */
    size_t cls_iters;          /* 1000 */
    /* Problem 3: the VAE's training. */
    train_config_t train;      /* batch 64, Adam lr 3e-4 (the course's),
                                * betas 0.9/0.999, eps 1e-8 */
    size_t epochs;             /* 20 */
    size_t n_train;            /* 60,000 (the full MNIST training set) */
    double binarise_above;     /* 0.5: a pixel is 1 when x > 0.5 (the
                                * course's x >= 0.5 on byte/255: the same
                                * bytes, >= 128) */
} stats305c_config_t;
stats305c_config_t config_stats305c_hw6(void);

/* a (n) = 10^(-2 + 4 (i-1)/(n-1)), i = 1..n: problem 1's ill-conditioned
 * quadratic (condition number 10^4); a[0] = 0.01 when n is 1. */
void stats305c_hd_coefficients(double *a, size_t n);

/* "vae", "gmvae", "ssvae", "fsvae" <-> kind; -1 for an unknown name. */
int config_kind_from_name(const char *name);
const char *config_kind_name(model_kind_t kind);

#endif
