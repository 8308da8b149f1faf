/* runner.h: what a check task sees inside a runner (runner-ref or
 * runner-sub-<file>): its seed and parameters, two random streams, and the
 * calls that put outputs in the result arena. A task is split in two, both
 * in the runner's forked child: prepare (trusted code only: inputs,
 * fixtures, allocation) before the seccomp filter, run (which calls the
 * implementation under test) after it. The child's only way out is the
 * arena (arena.h); the parent alone writes the result pipe (supervise.h).
 * Not a judge: a task reports what the implementation returned and never
 * compares it with anything; the driver does. */
#ifndef VG_RUNNER_H
#define VG_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "runner/protocol.h"
#include "rng.h"

#define RUNNER_MAX_PARAMS 32
#define RUNNER_MAX_EMITTED 64
#define RUNNER_MAX_NAME 48    /* bytes of an array's name, its NUL included */

/* Exit statuses: the parent's when it decides, the child's (passed on by
 * the parent) otherwise. The status frame says more. */
enum {
    RUNNER_EXIT_OK = 0,
    RUNNER_EXIT_USAGE = 2,       /* bad arguments or an unknown task */
    RUNNER_EXIT_TASK = 3,        /* the task failed (message in status) */
    RUNNER_EXIT_SIGSYS = 90,     /* forbidden system call (event sent) */
    RUNNER_EXIT_OVER_MEMORY = 91 /* allocation refused (event sent) */
};

typedef struct runner_param {
    const char *key, *value;
} runner_param_t;

typedef struct runner_ctx {
    const char *task;
    uint64_t seed;
    int role_ref;          /* runner-ref: also emits expected-side extras
                            * (hint arrays, finite-difference verification) */
    const char *fixtures;  /* directory, or NULL */
    int result_fd;         /* the parent's only: the child closes it */
    int input_fd;          /* --input-fd: arrays from the driver, or -1 */
    proto_result_t inputs; /* what came on it (read before prepare) */
    size_t n_params;
    runner_param_t params[RUNNER_MAX_PARAMS];
    rng_t in_rng;          /* the inputs' stream: same in both runners */
    rng_t rng;             /* the stream handed to the implementation */
    void *state;           /* what prepare built for run; freed by exit */
    char message[1024];    /* a note or an error for the status document */
    size_t n_emitted;      /* arrays put in the arena */
    int failed;            /* a runner_param_* or emit call went wrong */
} runner_ctx_t;

typedef struct runner_task {
    const char *name;
    int (*prepare)(runner_ctx_t *ctx);
    int (*run)(runner_ctx_t *ctx);
} runner_task_t;

/* The task table (tasks.c) and its lookup. */
const runner_task_t *runner_task_find(const char *name);

/* Parameters passed with --param key=value. A missing key gives def; a
 * value that does not parse or is out of [lo, hi] sets ctx->failed with a
 * message and gives def, so a task reads all it needs and checks once. */
double runner_param_double(runner_ctx_t *ctx, const char *key, double def,
                           double lo, double hi);
size_t runner_param_size(runner_ctx_t *ctx, const char *key, size_t def,
                         size_t lo, size_t hi);
const char *runner_param_str(runner_ctx_t *ctx, const char *key,
                             const char *def);

/* An array the driver passed on the input pipe (such as weights a
 * submission trained, handed to runner-ref), or NULL. */
const proto_array_t *runner_input(const runner_ctx_t *ctx, const char *name);

/* Puts one array of doubles (n) in the result arena under name; a name
 * may be emitted once (a second frame of one name makes the result
 * malformed). */
int runner_emit(runner_ctx_t *ctx, const char *name, const double *x, size_t n);
int runner_emit_scalar(runner_ctx_t *ctx, const char *name, double x);

/* Records a task failure for the status document and returns VG_ERR. */
int runner_fail(runner_ctx_t *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
