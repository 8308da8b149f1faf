/* grad_task.c: the backward-check engine (grad_task.h). The expected side's
 * finite differences go through the one checker, fd_check, over all the
 * differentiated inputs seen as one vector. */
#include "runner/grad_task.h"

#include <stdio.h>
#include <string.h>

#include "numcheck/finite_diff.h"
#include "runner/inputs.h"
#include "vg_error.h"

int grad_prepare(runner_ctx_t *ctx, grad_case_t *g)
{
    size_t total = 0;
    for (size_t i = 0; i < g->n_in; i++)
        if (!g->skip[i])
            total += 2 * g->len[i];
    double *block = inputs_block(ctx, total);   /* grad | init per input */
    if (!block)
        return VG_ERR;
    for (size_t i = 0; i < g->n_in; i++) {
        if (g->skip[i]) {
            g->grad[i] = g->init[i] = NULL;
            continue;
        }
        g->grad[i] = block;
        g->init[i] = block + g->len[i];
        block += 2 * g->len[i];
        inputs_normal(&ctx->in_rng, g->init[i], g->len[i], 0.0, 1.0);
    }
    return VG_OK;
}

/* The differentiated inputs as one vector for fd_check: coordinate j lives
 * in input `which` at offset j - start. */
static double *coordinate(grad_case_t *g, size_t j)
{
    for (size_t i = 0; i < g->n_in; i++) {
        if (g->skip[i])
            continue;
        if (j < g->len[i])
            return &g->in[i][j];
        j -= g->len[i];
    }
    return NULL;
}

static double fd_get(void *p, size_t j)
{
    return *coordinate(p, j);
}

static void fd_set(void *p, size_t j, double v)
{
    *coordinate(p, j) = v;
}

static double fd_f(void *p)
{
    grad_case_t *g = p;
    return g->objective(g->task_state);
}

static int verify(runner_ctx_t *ctx, grad_case_t *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n_in; i++)
        if (!g->skip[i])
            n += g->len[i];
    double *analytic = inputs_block(ctx, n);   /* (n) what backward added */
    if (!analytic)
        return VG_ERR;
    size_t o = 0;
    for (size_t i = 0; i < g->n_in; i++) {
        if (g->skip[i])
            continue;
        for (size_t j = 0; j < g->len[i]; j++)
            analytic[o + j] = g->grad[i][j] - g->init[i][j];
        o += g->len[i];
    }
    fd_options_t opt = fd_options_default();
    opt.step = runner_param_double(ctx, "fd_step", opt.step, 1e-12, 1e-1);
    opt.bound.abs = runner_param_double(ctx, "fd_abs", opt.bound.abs, 0, 1);
    opt.bound.rel = runner_param_double(ctx, "fd_rel", opt.bound.rel, 0, 1);
    opt.max_coords = runner_param_size(ctx, "fd_max_coords", 0, 0, 1u << 30);
    opt.seed = ctx->seed;
    opt.what = "reference gradient vs central differences";
    if (ctx->failed)
        return VG_ERR;
    fd_problem_t prob = { n, fd_get, fd_set, fd_f, g };
    cmp_report_t rep;
    int ok = fd_check(&rep, &prob, analytic, &opt);
    runner_emit_scalar(ctx, "fd.ok", ok);
    runner_emit_scalar(ctx, "fd.margin_pct", rep.margin_pct);
    if (!ok)
        return runner_fail(ctx, "%s", rep.message);
    snprintf(ctx->message, sizeof ctx->message, "%s", rep.message);
    return VG_OK;
}

int grad_run(runner_ctx_t *ctx, grad_case_t *g)
{
    for (size_t i = 0; i < g->n_in; i++)
        if (!g->skip[i])
            memcpy(g->grad[i], g->init[i], g->len[i] * sizeof(double));
    g->backward(g->task_state, g->grad);
    char name[48];
    for (size_t i = 0; i < g->n_in; i++) {
        if (g->skip[i])
            continue;
        snprintf(name, sizeof name, "d_%s.raw", g->name[i]);
        if (runner_emit(ctx, name, g->grad[i], g->len[i]))
            return VG_ERR;
        /* What the backward added; in place, the raw values are out. */
        for (size_t j = 0; j < g->len[i]; j++)
            g->grad[i][j] -= g->init[i][j];
        snprintf(name, sizeof name, "d_%s", g->name[i]);
        if (runner_emit(ctx, name, g->grad[i], g->len[i]))
            return VG_ERR;
        for (size_t j = 0; j < g->len[i]; j++)
            g->grad[i][j] += g->init[i][j];
    }
    return ctx->role_ref ? verify(ctx, g) : VG_OK;
}
