/* vae_short_run.h: a short training run of a VAE as the grader runs it,
 * shared by sta414-a3's and stats305c-hw6's runner task elbo.short_run
 * (training with the submission's elbo in runner-sub, evaluating with the
 * reference's in runner-ref) and their thresholds tools (tools/spread.c,
 * the reference's both ways): Adam with the course's knobs (the
 * train_config_t passed in), minibatches of m->max_batch digits, and the
 * test ELBO. What differs by assignment (steps, digits, the evaluation's
 * seed) is in <assignment>/short_run.h. Shapes: N digits, D data
 * dimension. */
#ifndef VG_VAE_SHORT_RUN_H
#define VG_VAE_SHORT_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "config.h"
#include "model.h"
#include "rng.h"

/* elbo's type (sta414-a3/assignment.h, stats305c-hw6/assignment.h). */
typedef double (*vae_elbo_fn)(model_t *model, const double *x, size_t batch,
                              rng_t *rng, int backward);

/* What a run needs besides the model, allocated before any untrusted code
 * runs: Adam's moments, a permutation and a batch buffer. */
typedef struct vae_short {
    adam_t opt;
    size_t *perm;       /* (N) */
    double *xb;         /* (B,D) */
} vae_short_t;

/* Adam from c's lr, betas and eps. */
int vae_short_init(vae_short_t *s, const model_t *m, train_config_t c,
                   size_t n_train);
void vae_short_free(vae_short_t *s);

/* iters Adam steps (vae_short_init's) ascending f on minibatches of
 * m->max_batch digits of train_x (n_train, D), a fresh permutation each
 * epoch, from rng_seed(seed); m is float32. Fails, naming the step, when f
 * returns a non-finite value; returns 0 at once when f is not implemented
 * (not_implemented_which() says so). */
int vae_short_train(model_t *m, vae_elbo_fn f, vae_short_t *s,
                    const double *train_x, size_t n_train, size_t iters,
                    uint64_t seed);

/* The mean of f over x (n, D) in batches of m->max_batch, one sample per
 * digit, noise from rng_seed(seed): the test ELBO. NAN on failure. */
double vae_test_elbo(model_t *m, vae_elbo_fn f, const double *x, size_t n,
                     uint64_t seed);

#endif
