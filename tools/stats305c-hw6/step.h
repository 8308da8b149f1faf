/* step.h: STATS 305C HW6 problem 3's training step, shared by
 * stats305c-train (vae_run.c) and its bench (bench/stats305c_bench.c), so
 * that the bench times exactly the step the trainer takes. Needs the
 * assignment's elbo() linked in. Not the epoch loop (vae_run.c).
 * Shapes: B batch (at most the model's max_batch), D 784. */
#ifndef S305_STEP_H
#define S305_STEP_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "assignment.h"
#include "config.h"
#include "idx.h"
#include "rng.h"

/* The course's binarize(): 1 where byte / 255 > above (config's
 * binarise_above, 0.5: a byte >= 128), as a table of the 256 bytes. */
typedef struct s305_binariser {
    double of[256];
} s305_binariser_t;
void s305_binariser_init(s305_binariser_t *t, double above);

/* xb (B,D) = the binarised pixels of rows rows[0..B-1] of ds (its bytes,
 * ds->pixels, which dataset_load_bytes keeps: 1 byte a pixel, not 8). */
void s305_gather(double *xb, const dataset_t *ds, const size_t *rows,
                 size_t batch, const s305_binariser_t *t);

/* opt for maximising the ELBO: Adam with the configuration's betas and
 * eps and lr NEGATED, so that its step ascends along the d ELBO that
 * elbo() accumulates. That is torch.optim.Adam's maximize=True bit for
 * bit: negating every gradient negates m and leaves v, and lr * (-m) is
 * (-lr) * m exactly; it saves a pass over the 1.07M gradients each step
 * (8% of the step by perf). Sized for m's parameters. */
int s305_adam_init(adam_t *opt, const model_t *m, const train_config_t *tc);

/* One step on the batch xb (B,D): elbo() with its backward, then opt's
 * step (opt from s305_adam_init), which zeroes the gradients. *value is
 * the batch's ELBO. Fails, naming step (the caller's count) and the
 * latest error, when elbo() does not return a finite value; then no Adam
 * step is taken. */
int s305_step(model_t *m, adam_t *opt, const double *xb, size_t batch,
              rng_t *rng, size_t step, double *value);

/* An unsigned decimal as strtoull reads it, whole: no sign, nothing after,
 * no overflow; VG_ERR (no message) otherwise. Both programs' options. */
int s305_parse_count(const char *s, unsigned long long *out);

#endif
