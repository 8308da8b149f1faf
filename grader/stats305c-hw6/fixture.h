/* fixture.h: what stats305c-hw6's runner tasks load or draw before the
 * filter goes on: the VAE (config_model_stats305c_hw6) initialised from a
 * seed, binarised digits, parameter coordinates for finite differences,
 * the annulus data and network of problem 2, and the noise streams of
 * repeated calls. Trusted code only; not a task.
 * Shapes: N digits or points, D data dimension (784), M coordinates. */
#ifndef VG_S305_FIXTURE_H
#define VG_S305_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "runner/runner.h"

/* m: the course's VAE of dtype for max_batch rows, initialised from seed. */
int s305_model(runner_ctx_t *ctx, model_t *m, nn_dtype_t dtype,
               size_t max_batch, uint64_t seed);

/* Sets the encoder's output biases of log variance to value (each
 * digit's q then has variance ~exp(value) rather than ~1, as a trained
 * posterior: a submission that takes log var for another
 * parameterisation differs visibly only away from 0). */
void s305_logvar_bias(model_t *m, double value);

/* x (n, D): test digits first..first+n-1 (fixtures/mnist-full's t10k
 * split), binarised above 0.5 as the course does. */
int s305_digits(runner_ctx_t *ctx, double *x, size_t first, size_t n);
/* x (n, D): training digits 0..n-1, binarised. */
int s305_train_digits(runner_ctx_t *ctx, double *x, size_t n);

/* x (n) of 0s and 1s from the input stream, each 1 with probability 1/2. */
void s305_binary(runner_ctx_t *ctx, double *x, size_t n);

/* coord (m): parameter indices drawn from the input stream, the first
 * n_enc among the encoder's last layer's, the rest among the decoder's
 * last layer's: no ReLU lies after either but the decoder's, which a
 * step of 1e-6 crosses rarely (checks_vae.c's 3.7 says how rarely). */
void s305_coords(runner_ctx_t *ctx, const model_t *m, size_t *coord,
                 size_t n, size_t n_enc);

/* A seed for stream `index` of this runner: runner-ref's and runner-sub's
 * are independent (a role salt), the same seed, role and index give the
 * same stream. */
uint64_t s305_stream_seed(const runner_ctx_t *ctx, uint64_t index);

/* Which file's functions the running task tests ("bce.c", "vae_terms.c"),
 * or NULL. A runner of another file links the reference's bce.c and
 * vae_terms.c under it (deps/deps.c, weak definitions), which a file
 * under test that lacks one of its own functions must not reach: the
 * reference's definition then says "not implemented" instead. */
extern const char *s305_testing_file;

#endif
