/* svi_fit.h: the course's optimiser loop of stochastic variational
 * inference for one digit (STA414 A3, part 4): Adam on the variational
 * mean and log standard deviation, ascending a K-sample ELBO estimate that
 * the assignment's step function gives with its gradient. The loop is
 * framework code; the step (svi_top_elbo) is the student's.
 * Shapes: D data dimension, Z latent, K samples. */
#ifndef VG_SVI_FIT_H
#define VG_SVI_FIT_H

#include <stddef.h>

#include "model.h"
#include "rng.h"

/* The ELBO estimate at (mu, logsig) (Z each) from k samples, its gradient
 * ACCUMULATED into dmu, dlogsig (Z); NAN on failure. svi_top_elbo's type. */
typedef double (*svi_step_fn)(model_t *model, const double *x,
                              const double *mu, const double *logsig,
                              size_t k, rng_t *rng, double *dmu,
                              double *dlogsig);

/* iters Adam steps of rate lr (PyTorch's betas 0.9, 0.999, eps 1e-8) on
 * (mu, logsig) in place, ascending step's estimate for digit x (D); the
 * scratch is reset before each step and the model's parameter gradients
 * zeroed at the end (the step may write them). trace (iters) receives each
 * step's estimate when not NULL. Fails, naming the iteration, when the step
 * does (NAN or a non-finite gradient). */
int svi_fit(model_t *model, svi_step_fn step, const double *x, double *mu,
            double *logsig, size_t k, size_t iters, double lr, rng_t *rng,
            double *trace);

#endif
