/* short_run.h: the IAF VAE's short training run as the grader runs it,
 * shared by the runner task iaf_elbo.short_run (training with the
 * submission's iaf_elbo in runner-sub, scoring with the reference's in
 * runner-ref) and the thresholds tool (tools/spread.c, the reference both
 * ways): the course's model and 8-step flow (config.h) in float32, two
 * Adams (the model's block and the flow's: iaf.h keeps them apart),
 * minibatches of 100 from the first CSE_SHORT_TRAIN binarised training
 * digits, then the test ELBO and the importance-sampled log p(x) with the
 * flow's posterior as proposal on the first test digits.
 * Shapes: N digits, D data dimension, K importance samples. */
#ifndef VG_CSE599I_SHORT_RUN_H
#define VG_CSE599I_SHORT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "iaf.h"
#include "model.h"
#include "rng.h"

/* iaf_elbo's type (cse599i-hw2/assignment.h). */
typedef double (*cse_iaf_elbo_fn)(model_t *model, iaf_t *flow, const double *x,
                                  size_t batch, rng_t *rng, int backward);
/* iaf_sample's. */
typedef int (*cse_iaf_sample_fn)(model_t *model, iaf_t *flow, const double *x,
                                 size_t batch, rng_t *rng, double *z_T,
                                 double *log_q);

#define CSE_SHORT_ITERS 200      /* Adam steps: 2 epochs of the 10,000 */
#define CSE_SHORT_TRAIN 10000    /* training digits */
#define CSE_SHORT_TEST 1000      /* test digits of the test ELBO */
#define CSE_SHORT_IS_DIGITS 100  /* test digits of the IS estimate */
#define CSE_SHORT_IS_K 100       /* its samples per digit */
#define CSE_SHORT_EVAL_SEED 59900

/* Adam's moments for the model and the flow, a permutation and a batch
 * buffer, allocated before any untrusted code runs. */
typedef struct cse_short {
    adam_t opt_model, opt_flow;
    size_t *perm;       /* (N) */
    double *xb;         /* (B,D) */
} cse_short_t;

int cse_short_init(cse_short_t *s, const model_t *m, const iaf_t *f,
                   size_t n_train);
void cse_short_free(cse_short_t *s);

/* iters Adam steps (the course's lr 1e-3 and betas) ascending f on
 * minibatches of m->max_batch digits of train_x (n_train, D), a fresh
 * permutation each epoch, from rng_seed(seed); m and fl float32. Fails,
 * naming the step, when f returns a non-finite value; returns 0 at once
 * when f is not implemented (not_implemented_which() says so). */
int cse_short_train(model_t *m, iaf_t *fl, cse_iaf_elbo_fn f, cse_short_t *s,
                    const double *train_x, size_t n_train, size_t iters,
                    uint64_t seed);

/* The mean of f over x (n, D) in batches of m->max_batch, one sample per
 * digit, noise from rng_seed(seed): the test ELBO. NAN on failure. */
double cse_test_elbo(model_t *m, iaf_t *fl, cse_iaf_elbo_fn f, const double *x,
                     size_t n, uint64_t seed);

/* The mean over x (n, D) of log (1/K) sum_k p(x|z_k) r(z_k) / q_T(z_k|x),
 * z_k ~ q_T by sample (K = m->max_batch copies of each digit per call),
 * noise from rng_seed(seed). NAN on failure. */
double cse_test_is(model_t *m, iaf_t *fl, cse_iaf_sample_fn sample,
                   const double *x, size_t n, uint64_t seed);

#endif
