/* fixture.h: what cse599i-hw2's runner tasks load or draw before the
 * filter goes on: the course's model (config_model_cse599i_hw2)
 * initialised from a seed in float64 or float32, its encoder's log
 * variance lowered (a narrow q, as trained), its flow (iaf.h), test digits
 * as grayscale (Problem 5) or binarised (Problems 2, 6) pixels,
 * parameter coordinates for finite differences, and the noise streams of
 * repeated calls. Trusted code only; not a task.
 * Shapes: N digits, D data dimension (784), M coordinates. */
#ifndef VG_CSE599I_FIXTURE_H
#define VG_CSE599I_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "runner/runner.h"

/* m: the course's model of dtype for max_batch rows, initialised from
 * seed. */
int cse_model(runner_ctx_t *ctx, model_t *m, nn_dtype_t dtype,
              size_t max_batch, uint64_t seed);

/* Sets the encoder's output biases of the log variance to value (every
 * digit's q then has variance ~exp(value), narrower than the prior as a
 * trained posterior is: the Monte Carlo KL then has a spread of its own,
 * and a variance taken for a standard deviation shows). */
void cse_logvar_bias(model_t *m, double value);

/* f: the course's flow (config_cse599i_hw2().iaf) of dtype for max_batch
 * rows, initialised from seed. */
int cse_flow(runner_ctx_t *ctx, iaf_t *f, nn_dtype_t dtype, size_t max_batch,
             uint64_t seed);

/* x (n, D): test digits first..first+n-1 of fixtures/mnist-full's t10k
 * split, grayscale (bytes / 255) or binarised (1 when a byte >= 128). */
int cse_test_digits(runner_ctx_t *ctx, double *x, size_t first, size_t n,
                    int binarise);
/* x (n, D): training digits 0..n-1, as above. */
int cse_train_digits(runner_ctx_t *ctx, double *x, size_t n, int binarise);

/* coord (n): parameter indices drawn from the input stream, the first
 * n_enc among the encoder's last layer's, the rest among the decoder's. */
void cse_coords(runner_ctx_t *ctx, const model_t *m, size_t *coord, size_t n,
                size_t n_enc);

/* A seed for stream `index` of this runner: runner-ref's and runner-sub's
 * are independent (a role salt); the same seed, role and index give the
 * same stream. */
uint64_t cse_stream_seed(const runner_ctx_t *ctx, uint64_t index);

#endif
