/* model_fixture.h: what a model task loads before the filter goes on: the
 * model (the reference's pretrained checkpoint from fixtures/pretrained/,
 * or a seeded initialisation), the digits (the binarised test subset, the
 * hidden one for hidden checks, or for fsvae its grayscale twin with
 * one-hot labels), and the noise streams of repeated evaluations. Trusted
 * code only; not a task (tasks_models.c).
 * Shapes: N digits, D data dimension, Y labels. */
#ifndef VG_RUNNER_MODEL_FIXTURE_H
#define VG_RUNNER_MODEL_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "runner/runner.h"

/* The model kind a task name is about, from its prefix ("vae_...",
 * "gmvae_...", "ssvae_...", "fsvae_..."); -1 when none. */
int mf_kind_of_task(const char *task);

/* Creates m of the course configuration of kind with dtype, able to take
 * max_batch rows: from fixtures/pretrained/<kind>.ckpt when pretrained and
 * the kind has one (vae, gmvae, ssvae), else initialised from seed. */
int mf_model(runner_ctx_t *ctx, model_t *m, model_kind_t kind,
             nn_dtype_t dtype, size_t max_batch, int pretrained,
             uint64_t seed);

/* The first n (<= 100) digits of the test subset (the hidden one when the
 * driver passed subset=hidden) into x (rows, D), rows >= n: rows n.. are
 * NaN, so code that reads past the batch shows. fsvae: the grayscale twin
 * (the same digits' rule on the t10k file) and y (rows, Y) one-hot; y is
 * NULL for the other kinds. One block, freed by process exit. */
int mf_digits(runner_ctx_t *ctx, double **x, double **y, model_kind_t kind,
              size_t n, size_t rows);

/* Whether this run uses the hidden subset. */
int mf_hidden(runner_ctx_t *ctx);

/* A seed for stream `index` of this runner: runner-ref and runner-sub get
 * independent streams (a role salt), so a statistic comparing them is a
 * comparison of independent samples, whatever order either draws its
 * noise in; the same seed, role and index give the same stream. */
uint64_t mf_stream_seed(const runner_ctx_t *ctx, uint64_t index);

/* Calls the ELBO bound of kind (fsvae with y), after scratch_reset and
 * with terms filled with NaN first, so a term never written shows. */
double mf_elbo(model_t *m, const double *x, const double *y, size_t batch,
               rng_t *rng, bound_terms_t *terms, int backward);
/* The IWAE bound (vae, gmvae), likewise. */
double mf_iwae(model_t *m, const double *x, size_t batch, size_t iw,
               rng_t *rng, bound_terms_t *terms);

#endif
