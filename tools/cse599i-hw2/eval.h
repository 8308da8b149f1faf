/* eval.h: cse599i-train's figures of a trained run, with the code it is
 * linked with: the test ELBO (the mean over repeated passes of one sample
 * per digit) and the importance-sampled log-likelihood with M samples per
 * digit -- the submission's log_marginal_is for the discrete VAE; for the
 * IAF VAE, M draws of its iaf_sample (z_T and log q_T) weighted by the
 * decoder's Bernoulli and the prior (the API has no IS of the flow's
 * posterior; this is Problem 2's estimator with q_T as the proposal).
 * Each draws from its own rng seeded with `seed`, so it is a function of
 * the weights. Shapes: N test digits, D data dimension, M samples. */
#ifndef CSE599I_EVAL_H
#define CSE599I_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"

/* *out = mean over `repeats` passes over x (N,D) of the run's ELBO,
 * called in chunks of at most max_batch digits. */
int cse_eval_elbo(double *out, cse_run_t *r, const double *x, size_t n,
                  size_t repeats, uint64_t seed);
/* *out = the mean over the N digits of x (N,D) of the IS estimate of
 * log p(x) with m samples each (discrete and iaf runs), *se its standard
 * error across digits (their sample sd / sqrt N): how far another draw of
 * N test digits could move it. */
int cse_eval_is(double *out, double *se, cse_run_t *r, const double *x,
                size_t n, size_t m, uint64_t seed);

#endif
