/* short_run.h: problem 3's short training run as the grader runs it (the
 * runner task elbo.short_run and tools/spread.c; the run itself is
 * runner/vae_short_run.h): the course's model and Adam (config.h: lr 3e-4,
 * PyTorch's betas), minibatches of 64 from the first 10,000 training
 * digits, and the test ELBO on the first 1,000 test digits (t10k). */
#ifndef VG_S305_SHORT_RUN_H
#define VG_S305_SHORT_RUN_H

#include "runner/vae_short_run.h"

#define S305_SHORT_ITERS 200     /* Adam steps: 1.3 epochs of the 10,000 */
#define S305_SHORT_TRAIN 10000   /* the course's training digits */
#define S305_SHORT_TEST 1000     /* test digits the run is scored on */
#define S305_SHORT_EVAL_SEED 30500

#endif
