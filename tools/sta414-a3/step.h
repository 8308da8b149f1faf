/* step.h: STA414 A3's training step, shared by sta414-train (train.c) and
 * its bench (bench/sta414_bench.c), so that the bench times exactly the step
 * the trainer takes. Needs the assignment's elbo() linked in. */
#ifndef STA414_STEP_H
#define STA414_STEP_H

#include <stddef.h>

#include "adam.h"
#include "assignment.h"
#include "idx.h"
#include "rng.h"

/* One step on the rows rows[0..B-1] of train (B = m->max_batch): gathers
 * them into xb (B, train->d), runs elbo() with its backward, turns
 * d ELBO into the loss's gradient (-ELBO) and takes opt's Adam step.
 * *value is the batch's ELBO. Fails, naming step (the caller's count) and
 * the latest error, when elbo() does not return a finite value; then no
 * Adam step is taken. */
int sta414_step(model_t *m, adam_t *opt, const dataset_t *train,
                const size_t *rows, double *xb, rng_t *rng, size_t step,
                double *value);

/* An unsigned decimal as strtoull reads it, whole: no sign, nothing after,
 * no overflow; VG_ERR (no message) otherwise. The options of both programs. */
int sta414_parse_count(const char *s, unsigned long long *out);

#endif
