/* tasks.c: the runner core's task lookup: its own self-test tasks
 * ("runner.*"), then the linked assignment's tables (tasks.h).
 * Not the check catalogue: checks (grader/<assignment>/checks*.c) say which
 * task to run with which parameters and how to judge its outputs. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* runner.identity --param path=P: stats P from where submission code
 * runs (after the change of user and the filter; newfstatat is allowed),
 * and emits the errno (0 when it could), so the suite can check that a
 * root runner's child cannot even see into a root-only folder. */
static int identity_run(runner_ctx_t *ctx)
{
    struct stat st;
    int err = stat(runner_param_str(ctx, "path", "/"), &st) == 0 ? 0 : errno;
    return runner_emit_scalar(ctx, "stat_errno", err);
}

static const runner_task_t tasks_runner[] = {
    { "runner.echo", NULL, echo_run },
    { "runner.forge", NULL, forge_run },
    { "runner.identity", NULL, identity_run },
};
static const size_t n_tasks_runner = sizeof tasks_runner / sizeof tasks_runner[0];

const runner_task_t *runner_task_find(const char *name)
{
    for (size_t i = 0; i < n_tasks_runner; i++)
        if (strcmp(tasks_runner[i].name, name) == 0)
            return &tasks_runner[i];
    for (size_t t = 0; t < n_runner_assignment_tables; t++) {
        const runner_task_table_t *tb = &runner_assignment_tables[t];
        for (size_t i = 0; i < *tb->n; i++)
            if (strcmp(tb->tasks[i].name, name) == 0)
                return &tb->tasks[i];
    }
    return NULL;
}
