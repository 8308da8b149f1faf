/* svi_eval.h: part 4's optimisation as the grader runs it, shared by the
 * runner task svi.optimise (with the submission's svi_top_elbo) and the
 * thresholds tool (tools/spread.c, with the reference's): the course's
 * Adam loop (svi_fit) from q = N(0, I), then the top-half ELBO of the q it
 * reached, estimated by trusted code alone (the decoder and prob.h), never
 * by the step under test. Shapes: D data dimension, Z latent, S samples. */
#ifndef VG_STA414_SVI_EVAL_H
#define VG_STA414_SVI_EVAL_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "svi_fit.h"

/* The model every SVI task uses: the course's, initialised from this seed,
 * its decoder's parameters x 3 so that the top half's likelihood depends
 * on z (at the initial scale the posterior is nearly the prior, and any q
 * scores alike). */
#define S414_SVI_MODEL_SEED 414
#define S414_SVI_DEC_SCALE 3.0

typedef struct s414_svi_opts {
    size_t k, iters;     /* samples per estimate, Adam steps */
    double lr;           /* Adam's rate */
    size_t samples;      /* S, for the final estimate */
} s414_svi_opts_t;

/* The course's part 4 settings: K 10, 300 steps of 5e-2 (config.h), and
 * S = 2000 samples for the final estimate (its standard error ~0.02 nats
 * at a fitted q, under 1% of the spread over seeds). */
s414_svi_opts_t s414_svi_opts_default(void);

/* 1/S sum over s of log p(top of x, z_s) - log q(z_s), z_s = mu +
 * exp(logsig) eps_s, eps from rng_seed(eval_seed); NAN when the decoder
 * fails. Resets the model's scratch. */
double s414_top_elbo_eval(model_t *m, const double *x, const double *mu,
                          const double *logsig, size_t samples,
                          uint64_t eval_seed);

/* Fits q to digit x with step (svi_fit, fit_seed's stream, from mu = 0,
 * logsig = 0), then *elbo = s414_top_elbo_eval at the fitted q (eval_seed),
 * mu and logsig (Z) the fitted q. 0, or non-zero when svi_fit failed
 * (vg_error says why; *elbo NAN). */
int s414_svi_run(model_t *m, svi_step_fn step, const double *x,
                 const s414_svi_opts_t *o, uint64_t fit_seed,
                 uint64_t eval_seed, double *mu, double *logsig, double *elbo);

#endif
