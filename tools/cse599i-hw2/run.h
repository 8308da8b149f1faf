/* run.h: one of cse599i-train's three training runs -- the Gaussian VAE on
 * grayscale digits, the discrete-output VAE on dynamically binarised ones,
 * or the latter with the IAF encoder -- each trained by Adam on -ELBO with
 * whichever elbo.c and flow.c the program is linked with (the reference or
 * a submission). Owns its model, its flow (iaf only: a second parameter
 * block with its own Adam, as iaf.h keeps it beside the model), its
 * randomness and its batch buffer. Not the evaluation (eval.h).
 * Shapes: N training digits, B batch, D data dimension (784). */
#ifndef CSE599I_RUN_H
#define CSE599I_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "adam.h"
#include "config.h"
#include "data.h"
#include "iaf.h"
#include "model.h"
#include "rng.h"

typedef enum { CSE_GAUSS = 0, CSE_DISCRETE, CSE_IAF, CSE_N_KINDS } cse_kind_t;

/* "gauss", "discrete", "iaf"; cse_kind_from_name gives -1 for another. */
const char *cse_kind_name(cse_kind_t kind);
int cse_kind_from_name(const char *name);

typedef struct cse_run {
    cse_kind_t kind;
    cse599i_config_t cfg;
    model_t model;       /* float32, max_batch = cfg.train.batch */
    iaf_t flow;          /* iaf only (flow.n_params == 0 otherwise) */
    adam_t opt, opt_flow;
    rng_t rng_order;     /* batch order */
    rng_t rng_binarise;  /* dynamic binarisation */
    rng_t rng_bound;     /* the ELBO's noise */
    size_t *order;       /* (N) this epoch's permutation */
    size_t pos;          /* next position in order */
    double *xb;          /* (B,D) the batch */
    size_t step;         /* steps taken */
    double loss_ema;     /* running -ELBO, CS236's trainer's weight */
} cse_run_t;

/* A run of kind on d's training digits, every initialisation and draw
 * from seed (the model from seed, the flow from seed + 1, the order, the
 * binarisation and the ELBO's noise from streams of their own). */
int cse_run_create(cse_run_t *r, cse_kind_t kind, const cse_data_t *d,
                   uint64_t seed);
/* One step: the next B digits of a per-epoch permutation (grayscale, or
 * binarised by one draw per pixel), the linked ELBO with its backward,
 * then Adam on -ELBO for the model (and the flow). *elbo is the batch's
 * ELBO. Fails, naming the step, when the ELBO is not finite or the linked
 * code said "not implemented" (no update is taken then). */
int cse_run_step(cse_run_t *r, const cse_data_t *d, double *elbo);
/* The linked ELBO of r's kind on x (B,D), B <= max_batch, scratch reset
 * first; backward as the API's. */
double cse_run_elbo(cse_run_t *r, const double *x, size_t batch, rng_t *rng,
                    int backward);
void cse_run_free(cse_run_t *r);

#endif
