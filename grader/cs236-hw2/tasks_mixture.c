/* tasks_mixture.c: runner tasks for log_normal_mixture: values on random
 * and extreme inputs (K = 500, CS236's prior), far from every mode, K = 1
 * (runner-ref adds log_normal there, the identity's other side), a
 * permutation of the components, and the backward.
 * Shapes: B batch, K components, D dimension; z (B,D), m and v (K,D). */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cs236-hw2/tasks.h"
#include "vg_error.h"

typedef struct mixture_state {
    size_t batch, k, dim;
    double *z;          /* (B,D) */
    double *m, *v;      /* (K,D) */
    double *pm, *pv;    /* (K,D) permuted components; (B,D) broadcast ones */
    double *out, *alt;  /* (B) */
    double *dout;       /* (B) */
    grad_case_t g;
} mixture_state_t;

static mixture_state_t *mixture_alloc(runner_ctx_t *ctx, size_t batch, size_t k,
                                      size_t dim)
{
    static mixture_state_t s;
    size_t bd = batch * dim, kd = k * dim;
    size_t wide = kd > bd ? kd : bd;
    double *block = inputs_block(ctx, bd + 2 * kd + 2 * wide + 3 * batch);
    if (!block)
        return NULL;
    s.batch = batch;
    s.k = k;
    s.dim = dim;
    s.z = block;
    s.m = s.z + bd;
    s.v = s.m + kd;
    s.pm = s.v + kd;
    s.pv = s.pm + wide;
    s.out = s.pv + wide;
    s.alt = s.out + batch;
    s.dout = s.alt + batch;
    inputs_poison(s.out, batch);
    ctx->state = &s;
    return &s;
}

static int emit_out(runner_ctx_t *ctx, mixture_state_t *s)
{
    log_normal_mixture(s->z, s->m, s->v, s->batch, s->k, s->dim, s->out);
    return runner_emit(ctx, "out", s->out, s->batch);
}

/* ---- values ------------------------------------------------------------ */

static int values_prepare(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "random");
    int extreme = strcmp(c, "extreme") == 0;
    if (!extreme && strcmp(c, "random"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c);
    mixture_state_t *s = extreme ? mixture_alloc(ctx, 6, 500, 10)
                                 : mixture_alloc(ctx, 6, 5, 3);
    if (!s)
        return VG_ERR;
    size_t kd = s->k * s->dim, bd = s->batch * s->dim;
    if (!extreme) {
        inputs_uniform(&ctx->in_rng, s->z, bd, -3, 3);
        inputs_uniform(&ctx->in_rng, s->m, kd, -3, 3);
        inputs_log_uniform(&ctx->in_rng, s->v, kd, 0.1, 10);
        return VG_OK;
    }
    /* CS236's prior scale (means ~ N(0,1)/sqrt(K*Z)), variances over six
     * decades; rows: on top of one narrow component, at the prior's
     * centre, and 30 units away, so the responsibilities range from one
     * component to a near-uniform spread. */
    inputs_normal(&ctx->in_rng, s->m, kd, 0, 1);
    inputs_log_uniform(&ctx->in_rng, s->v, kd, 1e-4, 1e2);
    for (size_t b = 0; b < s->batch; b++) {
        double *zb = s->z + b * s->dim;
        size_t comp = (size_t)rng_below(&ctx->in_rng, s->k);
        for (size_t j = 0; j < s->dim; j++) {
            if (b % 3 == 0)
                zb[j] = s->m[comp * s->dim + j] + 1e-3 * rng_normal(&ctx->in_rng);
            else if (b % 3 == 1)
                zb[j] = 0.1 * rng_normal(&ctx->in_rng);
            else
                zb[j] = 30.0 + rng_normal(&ctx->in_rng);
        }
    }
    return VG_OK;
}

static int values_run(runner_ctx_t *ctx)
{
    mixture_state_t *s = ctx->state;
    if (emit_out(ctx, s))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    size_t kd = s->k * s->dim;
    /* log sum instead of log mean: off by log K. */
    for (size_t b = 0; b < s->batch; b++)
        s->alt[b] = s->out[b] + log((double)s->k);
    runner_emit(ctx, "hint:log_sum", s->alt, s->batch);
    for (size_t i = 0; i < kd; i++)
        s->pv[i] = s->v[i] * s->v[i];
    log_normal_mixture(s->z, s->m, s->pv, s->batch, s->k, s->dim, s->alt);
    runner_emit(ctx, "hint:var_squared", s->alt, s->batch);
    for (size_t i = 0; i < kd; i++)
        s->pv[i] = sqrt(s->v[i]);
    log_normal_mixture(s->z, s->m, s->pv, s->batch, s->k, s->dim, s->alt);
    runner_emit(ctx, "hint:var_sqrt", s->alt, s->batch);
    return VG_OK;
}

/* ---- far from every mode: every component's density underflows -------- */

static int stable_prepare(runner_ctx_t *ctx)
{
    mixture_state_t *s = mixture_alloc(ctx, 4, 10, 4);
    if (!s)
        return VG_ERR;
    size_t kd = s->k * s->dim;
    inputs_uniform(&ctx->in_rng, s->m, kd, -1, 1);
    inputs_log_uniform(&ctx->in_rng, s->v, kd, 0.5, 2);
    /* 1000 standard deviations out (v <= 2: sd <= 1.5), on both sides and
     * in a mix of directions: log-densities near -5e5 per coordinate. */
    for (size_t b = 0; b < s->batch; b++)
        for (size_t j = 0; j < s->dim; j++) {
            double side = ((b + j) % 2 ? -1.0 : 1.0);
            s->z[b * s->dim + j] = side * (1500.0 + rng_uniform(&ctx->in_rng));
        }
    return VG_OK;
}

static int stable_run(runner_ctx_t *ctx)
{
    return emit_out(ctx, ctx->state);
}

/* ---- K = 1 -------------------------------------------------------------- */

static int k1_prepare(runner_ctx_t *ctx)
{
    mixture_state_t *s = mixture_alloc(ctx, 5, 1, 4);
    if (!s)
        return VG_ERR;
    inputs_uniform(&ctx->in_rng, s->z, 20, -3, 3);
    inputs_uniform(&ctx->in_rng, s->m, 4, -3, 3);
    inputs_log_uniform(&ctx->in_rng, s->v, 4, 0.1, 10);
    for (size_t b = 0; b < 5; b++)
        for (size_t j = 0; j < 4; j++) {
            s->pm[b * 4 + j] = s->m[j];
            s->pv[b * 4 + j] = s->v[j];
        }
    return VG_OK;
}

static int k1_run(runner_ctx_t *ctx)
{
    mixture_state_t *s = ctx->state;
    if (emit_out(ctx, s))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    log_normal(s->z, s->pm, s->pv, s->batch, s->dim, s->alt);
    return runner_emit(ctx, "log_normal", s->alt, s->batch);
}

/* ---- permutation of the components ------------------------------------ */

static int permutation_prepare(runner_ctx_t *ctx)
{
    mixture_state_t *s = mixture_alloc(ctx, 6, 7, 3);
    if (!s)
        return VG_ERR;
    inputs_uniform(&ctx->in_rng, s->z, 18, -3, 3);
    inputs_uniform(&ctx->in_rng, s->m, 21, -3, 3);
    inputs_log_uniform(&ctx->in_rng, s->v, 21, 0.1, 10);
    size_t perm[7];
    for (size_t c = 0; c < 7; c++)
        perm[c] = c;
    rng_shuffle(&ctx->in_rng, perm, 7);
    for (size_t c = 0; c < 7; c++)
        for (size_t j = 0; j < 3; j++) {
            s->pm[c * 3 + j] = s->m[perm[c] * 3 + j];
            s->pv[c * 3 + j] = s->v[perm[c] * 3 + j];
        }
    return VG_OK;
}

static int permutation_run(runner_ctx_t *ctx)
{
    mixture_state_t *s = ctx->state;
    if (emit_out(ctx, s))
        return VG_ERR;
    inputs_poison(s->alt, s->batch);
    log_normal_mixture(s->z, s->pm, s->pv, s->batch, s->k, s->dim, s->alt);
    return runner_emit(ctx, "out_permuted", s->alt, s->batch);
}

/* ---- backward ----------------------------------------------------------- */

static double mixture_objective(void *p)
{
    mixture_state_t *s = p;
    log_normal_mixture(s->z, s->m, s->v, s->batch, s->k, s->dim, s->out);
    double f = 0;
    for (size_t b = 0; b < s->batch; b++)
        f += s->dout[b] * s->out[b];
    return f;
}

static void mixture_grad(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    mixture_state_t *s = p;
    log_normal_mixture_backward(grad[0], grad[1], grad[2], s->dout, s->z, s->m,
                                s->v, s->batch, s->k, s->dim);
}

static int backward_prepare(runner_ctx_t *ctx)
{
    mixture_state_t *s = mixture_alloc(ctx, 4, 3, 3);
    if (!s)
        return VG_ERR;
    /* z among the components, so that every responsibility matters. */
    inputs_uniform(&ctx->in_rng, s->z, 12, -1.5, 1.5);
    inputs_uniform(&ctx->in_rng, s->m, 9, -1.5, 1.5);
    inputs_log_uniform(&ctx->in_rng, s->v, 9, 0.5, 2);
    inputs_normal(&ctx->in_rng, s->dout, s->batch, 0, 1);
    grad_case_t *g = &s->g;
    memset(g, 0, sizeof *g);
    g->n_in = 3;
    g->name[0] = "z";
    g->name[1] = "m";
    g->name[2] = "v";
    g->in[0] = s->z;
    g->in[1] = s->m;
    g->in[2] = s->v;
    g->len[0] = 12;
    g->len[1] = g->len[2] = 9;
    g->objective = mixture_objective;
    g->backward = mixture_grad;
    g->task_state = s;
    return grad_prepare(ctx, g);
}

static int backward_run(runner_ctx_t *ctx)
{
    mixture_state_t *s = ctx->state;
    return grad_run(ctx, &s->g);
}

const runner_task_t tasks_mixture[] = {
    { "log_normal_mixture.values", values_prepare, values_run },
    { "log_normal_mixture.stable", stable_prepare, stable_run },
    { "log_normal_mixture.k1", k1_prepare, k1_run },
    { "log_normal_mixture.permutation", permutation_prepare, permutation_run },
    { "log_normal_mixture.backward", backward_prepare, backward_run },
};
const size_t n_tasks_mixture = sizeof tasks_mixture / sizeof tasks_mixture[0];
