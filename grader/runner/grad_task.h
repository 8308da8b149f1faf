/* grad_task.h: the common shape of every backward check. The accumulators
 * start from random values (so a backward that overwrites instead of adding
 * shows), the implementation's backward runs once, and what it added is
 * emitted as d_<input> (with the raw accumulator as d_<input>.raw). In
 * runner-ref the same gradient is also verified against central differences
 * of the objective in float64 (fd_check), so the expected gradient the
 * driver compares with is one that finite differences have just confirmed.
 * Not a gradient computer: the objective and the backward are the task's. */
#ifndef VG_RUNNER_GRAD_TASK_H
#define VG_RUNNER_GRAD_TASK_H

#include <stddef.h>
#include "runner/runner.h"

#define GRAD_MAX_INPUTS 4

typedef struct grad_case {
    size_t n_in;
    const char *name[GRAD_MAX_INPUTS];  /* "x", "m", "v", ... */
    double *in[GRAD_MAX_INPUTS];        /* (len[i]) the forward's inputs */
    size_t len[GRAD_MAX_INPUTS];
    int skip[GRAD_MAX_INPUTS];          /* 1: not differentiated (no grad) */
    double *grad[GRAD_MAX_INPUTS];      /* (len[i]) accumulators */
    double *init[GRAD_MAX_INPUTS];      /* (len[i]) their starting values */
    /* sum over b of dout[b] * out[b] at the current inputs (the forward). */
    double (*objective)(void *task_state);
    /* the backward, accumulating into grad[] (NULL entries for skipped). */
    void (*backward)(void *task_state, double *const grad[GRAD_MAX_INPUTS]);
    void *task_state;
} grad_case_t;

/* Allocates grad and init for every input not skipped (one block) and draws
 * init from the input stream. Call in prepare, after the inputs exist. */
int grad_prepare(runner_ctx_t *ctx, grad_case_t *g);
/* Runs the backward, emits d_<name> and d_<name>.raw; in runner-ref also
 * fd_check's the gradient (parameters fd_step, fd_abs, fd_rel,
 * fd_max_coords) and fails the task when differences disagree. */
int grad_run(runner_ctx_t *ctx, grad_case_t *g);

#endif
