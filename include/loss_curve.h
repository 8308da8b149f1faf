/* loss_curve.h: the loss curve of a training run, kept while it trains and
 * drawn as a PNG at the end (plot_lines): the running training loss every
 * few steps and the test NELBO at each evaluation. Its buffers are sized
 * before the first step, so recording allocates nothing and cannot fail.
 * Not a log of every step: at most about LOSS_CURVE_POINTS training points. */
#ifndef VG_LOSS_CURVE_H
#define VG_LOSS_CURVE_H

#include <stddef.h>

/* Enough points for a smooth line at any picture size worth drawing. */
#define LOSS_CURVE_POINTS 500
#define LOSS_CURVE_WIDTH 800
#define LOSS_CURVE_HEIGHT 500

typedef struct loss_curve {
    size_t iters;      /* steps of the run */
    size_t every;      /* a training point every this many steps */
    size_t n_train, cap_train;
    size_t n_test, cap_test;
    double *train_step; /* (cap_train) */
    double *train_loss; /* (cap_train) */
    double *test_step;  /* (cap_test) */
    double *test_nelbo; /* (cap_test) */
    void *block;        /* owns the four arrays */
} loss_curve_t;

/* Sized for a run of iters steps evaluated every eval_every steps (0: only
 * at the end). */
int loss_curve_create(loss_curve_t *c, size_t iters, size_t eval_every);
/* After step `step` (1-based) with the running training loss: kept at the
 * first step, every `every` steps and the last. */
void loss_curve_add_train(loss_curve_t *c, size_t step, double loss);
/* The test NELBO measured after step `step`; ignored once full. */
void loss_curve_add_test(loss_curve_t *c, size_t step, double nelbo);
/* Draws both series to path (LOSS_CURVE_WIDTH x LOSS_CURVE_HEIGHT) under
 * title; an error when nothing was recorded. */
int loss_curve_write(const loss_curve_t *c, const char *path,
                     const char *title);
void loss_curve_free(loss_curve_t *c);

#endif
