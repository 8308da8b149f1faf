/* short_run.h: part 2's short training run as the grader runs it (the
 * runner task elbo.short_run and tools/spread.c; the run itself is
 * runner/vae_short_run.h): the course's model and Adam (config.h: lr 1e-3,
 * PyTorch's betas), minibatches of 100 from the first 10,000 training
 * digits, and the test ELBO on the first 1,000 test digits. */
#ifndef VG_STA414_SHORT_RUN_H
#define VG_STA414_SHORT_RUN_H

#include "runner/vae_short_run.h"

#define S414_SHORT_ITERS 200     /* Adam steps: 2 epochs of the 10,000 */
#define S414_SHORT_TRAIN 10000   /* the course's training digits */
#define S414_SHORT_TEST 1000     /* test digits the run is scored on */
#define S414_SHORT_EVAL_SEED 41400

#endif
