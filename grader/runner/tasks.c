/* tasks.c: the runner's task catalogue, gathered from the tasks_*.c tables.
 * Not the check catalogue: checks (grader/checks*.c) say which task to run
 * with which parameters and how to judge its outputs. */
#include <string.h>

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

static const runner_task_t tasks_runner[] = {
    { "runner.echo", NULL, echo_run },
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
};

const runner_task_t *runner_task_find(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (size_t i = 0; i < *tables[t].n; i++)
            if (strcmp(tables[t].tasks[i].name, name) == 0)
                return &tables[t].tasks[i];
    return NULL;
}
