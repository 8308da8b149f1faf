/* tasks_optim.c: runner tasks of optim.c (problem 1): gradient descent on
 * the course's two 2-D quadratics and on a shifted 3-D one, and the
 * student's own optimiser on the course's 10-D quadratic and on the same
 * shifted to a hidden centre. runner-sub runs the submission and emits its
 * iterates and losses; runner-ref emits the problem (a, c, x0, lr, iters),
 * drawn from the same input stream, from which the driver computes the
 * closed form and f of the submission's iterates itself (checks_optim.c):
 * runner-ref never runs the reference here, the reference is graded as
 * any submission is. Shapes: N dimension, T iterations. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "stats305c-hw6/fixture.h"
#include "stats305c-hw6/tasks.h"
#include "vg_error.h"

#define MAX_N 10
#define SHIFT_N 3      /* the shifted GD case's dimension: N is an input */

typedef struct optim_state {
    size_t n, iters;
    double lr;
    double a[MAX_N], c[MAX_N], x0[MAX_N];   /* (N) */
    quadratic_t q;
    objective_t f;
    double *xs, *losses;                     /* (T+1,N), (T+1) */
    /* the second problem of run_my_optimizer (shifted) */
    double c2[MAX_N];
    quadratic_t q2;
    objective_t f2;
    double *xs2, *losses2;
} optim_state_t;

static optim_state_t st;

static int alloc_runs(runner_ctx_t *ctx, int two)
{
    size_t rows = st.iters + 1, one = rows * st.n + rows;
    double *b = inputs_block(ctx, two ? 2 * one : one);
    if (!b)
        return VG_ERR;
    st.xs = b;
    st.losses = b + rows * st.n;
    inputs_poison(b, two ? 2 * one : one);
    if (two) {
        st.xs2 = b + one;
        st.losses2 = st.xs2 + rows * st.n;
    }
    return VG_OK;
}

/* ---- run_optimization: the course's settings and a shifted one ---------- */

static int gd_prepare(runner_ctx_t *ctx)
{
    ctx->state = &st;
    stats305c_config_t sc = config_stats305c_hw6();
    const char *c = runner_param_str(ctx, "case", "course-a");
    memset(st.c, 0, sizeof st.c);
    st.lr = sc.gd_lr;
    st.iters = sc.gd_iters;
    if (strcmp(c, "course-a") == 0 || strcmp(c, "course-b") == 0) {
        st.n = 2;
        const double *a = c[7] == 'a' ? sc.gd_a1 : sc.gd_a2;
        for (size_t i = 0; i < 2; i++) {
            st.a[i] = a[i];
            st.x0[i] = sc.gd_x0;
        }
    } else if (strcmp(c, "shifted") == 0) {
        /* |1 - 2 lr a| in (0.04, 0.92): a descent that converges, at
         * rates other than the course's; c hidden (never printed). */
        st.n = SHIFT_N;
        inputs_uniform(&ctx->in_rng, st.a, st.n, 0.05, 0.6);
        inputs_uniform(&ctx->in_rng, st.c, st.n, -5, 5);
        inputs_uniform(&ctx->in_rng, st.x0, st.n, -10, 10);
    } else {
        return runner_fail(ctx, "parameter case=%s: expected course-a, course-b "
                           "or shifted", c);
    }
    if (ctx->failed)
        return VG_ERR;
    st.q = (quadratic_t){ st.n, st.a, st.c };
    st.f = quadratic_objective(&st.q);
    return alloc_runs(ctx, 0);
}

static int emit_problem(runner_ctx_t *ctx, const double *c2)
{
    double scal[2] = { st.lr, (double)st.iters };
    return runner_emit(ctx, "a", st.a, st.n) || runner_emit(ctx, "c", st.c, st.n) ||
           runner_emit(ctx, "x0", st.x0, st.n) || runner_emit(ctx, "lr_iters", scal, 2) ||
           (c2 ? runner_emit(ctx, "c2", c2, st.n) : 0);
}

static int gd_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref)
        return emit_problem(ctx, NULL);
    run_optimization(&st.f, st.x0, st.lr, st.iters, st.xs, st.losses);
    return runner_emit(ctx, "xs", st.xs, (st.iters + 1) * st.n) ||
           runner_emit(ctx, "losses", st.losses, st.iters + 1);
}

/* ---- run_my_optimizer: the course's 10-D problem, and shifted ------------ */

static int my_prepare(runner_ctx_t *ctx)
{
    ctx->state = &st;
    stats305c_config_t sc = config_stats305c_hw6();
    st.n = sc.hd_n;
    st.iters = sc.hd_iters;
    st.lr = 0;
    if (st.n > MAX_N)
        return runner_fail(ctx, "the course's problem has %zu > %d dimensions",
                           st.n, MAX_N);
    stats305c_hd_coefficients(st.a, st.n);
    memset(st.c, 0, sizeof st.c);
    for (size_t i = 0; i < st.n; i++)
        st.x0[i] = sc.hd_x0;
    /* The hidden centre: as far from x0 as the course's minimum is, or
     * farther (x0 - c in [5, 15]), so that reaching it is the same work. */
    inputs_uniform(&ctx->in_rng, st.c2, st.n, -5, 5);
    st.q = (quadratic_t){ st.n, st.a, NULL };
    st.f = quadratic_objective(&st.q);
    st.q2 = (quadratic_t){ st.n, st.a, st.c2 };
    st.f2 = quadratic_objective(&st.q2);
    return alloc_runs(ctx, 1);
}

static int my_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref)
        return emit_problem(ctx, st.c2);
    const size_t rows = st.iters + 1;
    run_my_optimizer(&st.f, st.x0, st.iters, st.xs, st.losses);
    if (not_implemented_which())
        return VG_OK;
    run_my_optimizer(&st.f2, st.x0, st.iters, st.xs2, st.losses2);
    return runner_emit(ctx, "xs", st.xs, rows * st.n) ||
           runner_emit(ctx, "losses", st.losses, rows) ||
           runner_emit(ctx, "xs_shifted", st.xs2, rows * st.n) ||
           runner_emit(ctx, "losses_shifted", st.losses2, rows);
}

const runner_task_t s305_tasks_optim[] = {
    { "run_optimization.run", gd_prepare, gd_run },
    { "run_my_optimizer.run", my_prepare, my_run },
};
const size_t n_s305_tasks_optim = sizeof s305_tasks_optim / sizeof s305_tasks_optim[0];
