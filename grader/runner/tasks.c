/* tasks.c: the runner's task catalogue, gathered from the tasks_*.c tables.
 * Not the check catalogue: checks (grader/checks*.c) say which task to run
 * with which parameters and how to judge its outputs. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/arena.h"
#include "runner/runner.h"
#include "runner/tasks.h"

/* runner.echo: emits every array of the input pipe back, bit for bit. The
 * protocol's self-test (tests/grader): it calls no implementation. */
static int echo_run(runner_ctx_t *ctx)
{
    for (size_t i = 0; i < ctx->inputs.n_arrays; i++) {
        const proto_array_t *a = &ctx->inputs.arrays[i];
        if (runner_emit(ctx, a->name, a->data, a->n))
            return -1;
    }
    return 0;
}

/* runner.forge --param case=...: does, from the child, what submission
 * code could do to its results (it shares the child's memory), so the
 * suite can check what the parent makes of each (tests/grader). */
static int forge_run(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "");
    double one = 1.0;
    if (runner_emit(ctx, "x", &one, 1))
        return -1;
    if (strcmp(c, "dup") == 0)
        return runner_emit(ctx, "x", &one, 1);
    if (strcmp(c, "kind") == 0)
        return arena_put((proto_kind_t)7, "y", &one, sizeof one);
    if (strcmp(c, "overflow") == 0)
        return arena_put(PROTO_ARRAY, "y", &one, RUNNER_ARENA_BYTES), 0;
    if (strcmp(c, "status") == 0) {
        const char *forged = "{\"ok\":true,\"not_implemented\":null,\"message\":\"\"}";
        return arena_put(PROTO_STATUS, "status", forged, strlen(forged));
    }
    if (strcmp(c, "exit") == 0)
        exit(0);
    if (strcmp(c, "fail") == 0)
        return runner_fail(ctx, "forged failure");
    if (strcmp(c, "segv") == 0)
        raise(SIGSEGV);
    if (strcmp(c, "fd3") == 0) {
        ssize_t ignored = write(3, "VGR1", 4);
        (void)ignored;
    }
    return 0;
}

static const runner_task_t tasks_runner[] = {
    { "runner.echo", NULL, echo_run },
    { "runner.forge", NULL, forge_run },
};
static const size_t n_tasks_runner = sizeof tasks_runner / sizeof tasks_runner[0];

typedef struct table {
    const runner_task_t *tasks;
    const size_t *n;
} table_t;

static const table_t tables[] = {
    { tasks_runner, &n_tasks_runner },
    { tasks_sample, &n_tasks_sample },
    { tasks_density, &n_tasks_density },
    { tasks_mixture, &n_tasks_mixture },
    { tasks_lse, &n_tasks_lse },
    { tasks_models, &n_tasks_models },
    { tasks_short_runs, &n_tasks_short_runs },
};

const runner_task_t *runner_task_find(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (size_t i = 0; i < *tables[t].n; i++)
            if (strcmp(tables[t].tasks[i].name, name) == 0)
                return &tables[t].tasks[i];
    return NULL;
}
