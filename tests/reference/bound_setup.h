/* bound_setup.h: small seeded models and inputs for the tests of the
 * reference bounds (vae, gmvae, ssvae, fsvae), one call that evaluates any
 * model's bound, and the finite-difference problem over its parameters.
 * Not a test itself. Shapes: B batch, D data dimension, Y labels, Z latent. */
#ifndef VG_TEST_BOUND_SETUP_H
#define VG_TEST_BOUND_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "numcheck/finite_diff.h"

/* A model with its inputs, and the seed of the noise every evaluation
 * restarts from (common random numbers). */
typedef struct bound_case {
    model_t model;
    size_t batch;
    double *x;            /* (B,D) in (0,1) */
    double *y;            /* (B,Y) one-hot, fsvae only, else NULL */
    uint64_t noise_seed;
    bound_terms_t terms;  /* of the last evaluation */
} bound_case_t;

/* CS236's configuration of kind shrunk to D 7, Z 3, H 5, K 4 (Y stays 10):
 * small enough to difference every parameter, and every path still there. */
model_config_t small_config(model_kind_t kind);

/* A model of cfg (seeded by seed) able to take max_batch rows, and batch
 * rows of inputs drawn from seed + 1. Returns VG_OK or VG_ERR. */
int bound_case_init(bound_case_t *c, const model_config_t *cfg,
                    nn_dtype_t dtype, size_t batch, size_t max_batch,
                    uint64_t seed);
void bound_case_free(bound_case_t *c);

/* The model's negative ELBO on x (and y) of batch rows, noise from rng,
 * after resetting the scratch as every caller of a bound must. */
double bound_elbo(model_t *m, const double *x, const double *y, size_t batch,
                  rng_t *rng, bound_terms_t *terms, int backward);
/* The same on the case's inputs with the rng reseeded to noise_seed. */
double bound_case_elbo(bound_case_t *c, int backward);
/* Negative IWAE (vae, gmvae) with the rng given, scratch reset first. */
double bound_iwae(model_t *m, const double *x, size_t batch, size_t iw,
                  rng_t *rng, bound_terms_t *terms);

/* Seeds rng with seed and draws n normals, so that its next normal is the
 * n-th of that seed's stream: a row evaluated alone then gets exactly the
 * noise it had in the batch. */
void rng_seek_normals(rng_t *rng, uint64_t seed, size_t n);

/* The whole negative ELBO of the case as a function of every parameter of
 * its model (model_param_get/set), noise reseeded at every call. */
fd_problem_t bound_case_fd_problem(bound_case_t *c);

#endif
