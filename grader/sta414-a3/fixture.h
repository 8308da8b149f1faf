/* fixture.h: what sta414-a3's runner tasks load or draw before the filter
 * goes on: the course's model (config_model_sta414_a3) initialised from a
 * seed, its decoder optionally scaled (sharper logits: +-1e3 for the
 * extreme cases, a likelihood that depends on z for SVI), the test digits
 * (rows 10,000.. of the training split, binarised at 0.5, the course's
 * test set), parameter coordinates for finite differences, and the noise
 * streams of repeated calls. Trusted code only; not a task.
 * Shapes: N digits, D data dimension (784), M coordinates. */
#ifndef VG_STA414_FIXTURE_H
#define VG_STA414_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "runner/runner.h"

/* m: the course's model of dtype for max_batch rows, initialised from
 * seed; every decoder parameter then multiplied by dec_scale (1: as
 * initialised). */
int s414_model(runner_ctx_t *ctx, model_t *m, nn_dtype_t dtype,
               size_t max_batch, uint64_t seed, double dec_scale);

/* Sets the encoder's output biases of log sd to value (each digit's q then
 * has sd ~exp(value) rather than ~1, as a trained posterior: a submission
 * that takes logsig for another parameterisation differs visibly only
 * away from logsig = 0). */
void s414_logsig_bias(model_t *m, double value);

/* x (n, D): test digits first..first+n-1 (the course's test set is rows
 * 10,000..19,999 of fixtures/mnist-full's training split). */
int s414_digits(runner_ctx_t *ctx, double *x, size_t first, size_t n);

/* x (n, D): training digits 0..n-1 (the course trains on the first
 * 10,000), binarised at 0.5. */
int s414_train_digits(runner_ctx_t *ctx, double *x, size_t n);

/* x (n) of 0s and 1s from the input stream, each 1 with probability 1/2. */
void s414_binary(runner_ctx_t *ctx, double *x, size_t n);

/* coord (m): parameter indices drawn from the input stream, the first
 * n_enc among the encoder's last layer's, the rest among the decoder's. */
void s414_coords(runner_ctx_t *ctx, const model_t *m, size_t *coord,
                 size_t n, size_t n_enc);

/* A seed for stream `index` of this runner: runner-ref's and runner-sub's
 * are independent (a role salt), the same seed, role and index give the
 * same stream. */
uint64_t s414_stream_seed(const runner_ctx_t *ctx, uint64_t index);

#endif
