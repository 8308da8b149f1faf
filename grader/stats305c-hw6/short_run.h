/* short_run.h: problem 3's short training run as the grader runs it,
 * shared by the runner task elbo.short_run (training with the
 * submission's elbo in runner-sub, evaluating with the reference's in
 * runner-ref) and the thresholds tool (tools/spread.c, the reference's
 * both ways): the course's model and Adam (config.h: lr 3e-4, PyTorch's
 * betas), minibatches of 64 from the first 10,000 training digits, and
 * the test ELBO on the first 1,000 test digits (t10k). Shapes: N digits,
 * D data dimension. */
#ifndef VG_S305_SHORT_RUN_H
#define VG_S305_SHORT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "model.h"
#include "rng.h"

/* elbo's type (stats305c-hw6/assignment.h). */
typedef double (*s305_elbo_fn)(model_t *model, const double *x, size_t batch,
                               rng_t *rng, int backward);

#define S305_SHORT_ITERS 200     /* Adam steps: 1.3 epochs of the 10,000 */
#define S305_SHORT_TRAIN 10000   /* the course's training digits */
#define S305_SHORT_TEST 1000     /* test digits the run is scored on */
#define S305_SHORT_EVAL_SEED 30500

/* What a run needs besides the model, allocated before any untrusted code
 * runs: Adam's moments, a permutation and a batch buffer. */
typedef struct s305_short {
    adam_t opt;
    size_t *perm;       /* (N) */
    double *xb;         /* (B,D) */
} s305_short_t;

int s305_short_init(s305_short_t *s, const model_t *m, size_t n_train);
void s305_short_free(s305_short_t *s);

/* iters Adam steps (the course's: config_stats305c_hw6().train) ascending f on minibatches
 * of m->max_batch digits of train_x (n_train, D), a fresh permutation each
 * epoch, from rng_seed(seed); m is float32. Fails, naming the step, when f
 * returns a non-finite value; returns 0 at once when f is not implemented
 * (not_implemented_which() says so). */
int s305_short_train(model_t *m, s305_elbo_fn f, s305_short_t *s,
                     const double *train_x, size_t n_train, size_t iters,
                     uint64_t seed);

/* The mean of f over x (n, D) in batches of m->max_batch, one sample per
 * digit, noise from rng_seed(seed): the test ELBO. NAN on failure. */
double s305_test_elbo(model_t *m, s305_elbo_fn f, const double *x, size_t n,
                      uint64_t seed);

#endif
