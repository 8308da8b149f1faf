/* eval_tasks.c: the task lookup of runner-eval, the one piece of compiled
 * reference code a student release ships (grader/README.md, "runner-eval").
 * It replaces tasks.c: only the short runs' tasks exist, and only their
 * evaluation half (--role ref, the trained weights on the input pipe), so
 * the release's driver can have the reference judge weights a submission
 * trained; every other task is unknown, and a short run asked to train
 * (--role sub) or without weights is refused before the reference runs. */
#include <string.h>

#include "runner/runner.h"
#include "cs236-hw2/tasks.h"

static const runner_task_t *short_run_task(const char *name)
{
    for (size_t i = 0; i < n_tasks_short_runs; i++)
        if (strcmp(tasks_short_runs[i].name, name) == 0)
            return &tasks_short_runs[i];
    return NULL;
}

static int eval_prepare(runner_ctx_t *ctx)
{
    if (!ctx->role_ref || ctx->input_fd < 0 || !runner_input(ctx, "params"))
        return runner_fail(ctx, "runner-eval only evaluates trained weights given "
                           "on the input pipe (--role ref --input-fd FD, an array "
                           "\"params\")");
    return short_run_task(ctx->task)->prepare(ctx);
}

static int eval_run(runner_ctx_t *ctx)
{
    return short_run_task(ctx->task)->run(ctx);
}

static const runner_task_t eval_task = { "short_run.evaluate", eval_prepare, eval_run };

const runner_task_t *runner_task_find(const char *name)
{
    return short_run_task(name) ? &eval_task : NULL;
}
