/* tasks_sample.c: runner tasks for sample_gaussian and its backward.
 * Each emits the raw draws; moments, scaling and the stream (two calls
 * continuing the rng passed in) are judged by the driver.
 * Shapes: N samples per coordinate, C coordinates, n flat length. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cs236-hw2/tasks.h"
#include "vg_error.h"

typedef struct sample_state {
    size_t n;              /* values per call */
    size_t coords;         /* C: distinct (m, v) pairs, tiled over the call */
    double *m, *v;         /* (n) tiled inputs */
    double *z, *eps;       /* (n) outputs */
    double *z2, *eps2;     /* (n) second call (stream) */
    double *dz;            /* (n) upstream gradient (backward) */
    grad_case_t g;
} sample_state_t;

static sample_state_t *sample_alloc(runner_ctx_t *ctx, size_t n, size_t coords)
{
    static sample_state_t s;
    double *block = inputs_block(ctx, 7 * n);
    if (!block)
        return NULL;
    s.n = n;
    s.coords = coords;
    s.m = block;
    s.v = block + n;
    s.z = block + 2 * n;
    s.eps = block + 3 * n;
    s.z2 = block + 4 * n;
    s.eps2 = block + 5 * n;
    s.dz = block + 6 * n;
    ctx->state = &s;
    return &s;
}

/* m in [m_lo, m_hi), v log-uniform in [v_lo, v_hi), C coordinates tiled
 * over n values so value i has coordinate i mod C. */
static void sample_inputs(runner_ctx_t *ctx, sample_state_t *s, double m_abs,
                          double v_lo, double v_hi)
{
    inputs_uniform(&ctx->in_rng, s->m, s->coords, -m_abs, m_abs);
    inputs_log_uniform(&ctx->in_rng, s->v, s->coords, v_lo, v_hi);
    for (size_t i = s->coords; i < s->n; i++) {
        s->m[i] = s->m[i % s->coords];
        s->v[i] = s->v[i % s->coords];
    }
    inputs_poison(s->z, s->n);
    inputs_poison(s->eps, s->n);
    inputs_poison(s->z2, s->n);
    inputs_poison(s->eps2, s->n);
}

/* ---- moments: N x C draws of C different Gaussians ---------------------- */

static int moments_prepare(runner_ctx_t *ctx)
{
    size_t samples = runner_param_size(ctx, "samples", 20000, 100, 1000000);
    size_t coords = runner_param_size(ctx, "coords", 6, 1, 64);
    if (ctx->failed)
        return VG_ERR;
    sample_state_t *s = sample_alloc(ctx, samples * coords, coords);
    if (!s)
        return VG_ERR;
    sample_inputs(ctx, s, 5.0, 1e-2, 1e2);
    return VG_OK;
}

static int moments_run(runner_ctx_t *ctx)
{
    sample_state_t *s = ctx->state;
    sample_gaussian(&ctx->rng, s->m, s->v, s->n, s->z, s->eps);
    if (runner_emit(ctx, "m", s->m, s->coords) ||
        runner_emit(ctx, "v", s->v, s->coords) ||
        runner_emit(ctx, "z", s->z, s->n))
        return VG_ERR;
    return VG_OK;
}

/* ---- scaling: variances over eight decades, z against its own eps ------- */

/* n coordinates (the knob "n", default def), means within 5 and variances
 * over eight decades: the inputs of scaling and stream. */
static int wide_prepare(runner_ctx_t *ctx, size_t def)
{
    size_t n = runner_param_size(ctx, "n", def, 2, 100000);
    if (ctx->failed)
        return VG_ERR;
    sample_state_t *s = sample_alloc(ctx, n, n);
    if (!s)
        return VG_ERR;
    sample_inputs(ctx, s, 5.0, 1e-4, 1e4);
    return VG_OK;
}

static int scaling_prepare(runner_ctx_t *ctx)
{
    return wide_prepare(ctx, 64);
}

static int scaling_run(runner_ctx_t *ctx)
{
    sample_state_t *s = ctx->state;
    sample_gaussian(&ctx->rng, s->m, s->v, s->n, s->z, s->eps);
    if (runner_emit(ctx, "m", s->m, s->n) || runner_emit(ctx, "v", s->v, s->n) ||
        runner_emit(ctx, "z", s->z, s->n) || runner_emit(ctx, "eps", s->eps, s->n))
        return VG_ERR;
    return VG_OK;
}

/* ---- stream: two calls continue one stream ------------------------------ */

/* Trusted draws from the rng after the two calls: rng_normal first (it
 * reads the spare the polar method keeps), then rng_uniform (the bare
 * xoshiro state), so together they see every field of rng_t. */
#define STREAM_AFTER 5

static int stream_prepare(runner_ctx_t *ctx)
{
    /* Odd by default: the first call then leaves rng_normal's spare
     * behind, which the second call must use first. */
    return wide_prepare(ctx, 63);
}

/* Calls one and two continue the rng passed in; call three starts a fresh
 * generator seeded alike (another rng_t at another address), which gives
 * call one's noise again only if nothing is kept between calls. */
static int stream_run(runner_ctx_t *ctx)
{
    sample_state_t *s = ctx->state;
    sample_gaussian(&ctx->rng, s->m, s->v, s->n, s->z, s->eps);
    sample_gaussian(&ctx->rng, s->m, s->v, s->n, s->z2, s->eps2);
    double after[STREAM_AFTER];
    for (size_t i = 0; i < STREAM_AFTER; i++)
        after[i] = i < 3 ? rng_normal(&ctx->rng) : rng_uniform(&ctx->rng);
    if (runner_emit(ctx, "eps", s->eps, s->n) || runner_emit(ctx, "eps2", s->eps2, s->n) ||
        runner_emit(ctx, "after", after, STREAM_AFTER))
        return VG_ERR;
    rng_t fresh;
    rng_seed(&fresh, ctx->seed);
    inputs_poison(s->z, s->n);
    inputs_poison(s->eps, s->n);
    sample_gaussian(&fresh, s->m, s->v, s->n, s->z, s->eps);
    return runner_emit(ctx, "eps3", s->eps, s->n);
}

/* ---- backward ----------------------------------------------------------- */

/* sum dz . z at the current m, v, with the seed's own noise: the
 * contract's eps[i] = rng_normal(rng) in order, so the eps the backward is
 * given (drawn the same way in prepare) is this forward's eps. */
static double sample_objective(void *p)
{
    runner_ctx_t *ctx = p;
    sample_state_t *s = ctx->state;
    rng_t r;
    rng_seed(&r, ctx->seed);
    sample_gaussian(&r, s->m, s->v, s->n, s->z, s->eps2);
    double f = 0;
    for (size_t i = 0; i < s->n; i++)
        f += s->dz[i] * s->z[i];
    return f;
}

static void sample_backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    runner_ctx_t *ctx = p;
    sample_state_t *s = ctx->state;
    sample_gaussian_backward(grad[0], grad[1], s->dz, s->v, s->eps, s->n);
}

static int backward_prepare(runner_ctx_t *ctx)
{
    size_t n = runner_param_size(ctx, "n", 12, 1, 10000);
    if (ctx->failed)
        return VG_ERR;
    sample_state_t *s = sample_alloc(ctx, n, n);
    if (!s)
        return VG_ERR;
    /* Variances of order one keep central differences accurate. */
    sample_inputs(ctx, s, 2.0, 0.5, 2.0);
    inputs_normal(&ctx->in_rng, s->dz, n, 0.0, 1.0);
    rng_t r;
    rng_seed(&r, ctx->seed);
    rng_normal_fill(&r, s->eps, n);
    grad_case_t *g = &s->g;
    memset(g, 0, sizeof *g);
    g->n_in = 2;
    g->name[0] = "m";
    g->name[1] = "v";
    g->in[0] = s->m;
    g->in[1] = s->v;
    g->len[0] = g->len[1] = n;
    g->objective = sample_objective;
    g->backward = sample_backward;
    g->task_state = ctx;
    return grad_prepare(ctx, g);
}

static int backward_run(runner_ctx_t *ctx)
{
    sample_state_t *s = ctx->state;
    return grad_run(ctx, &s->g);
}

const runner_task_t tasks_sample[] = {
    { "sample_gaussian.moments", moments_prepare, moments_run },
    { "sample_gaussian.scaling", scaling_prepare, scaling_run },
    { "sample_gaussian.stream", stream_prepare, stream_run },
    { "sample_gaussian.backward", backward_prepare, backward_run },
};
const size_t n_tasks_sample = sizeof tasks_sample / sizeof tasks_sample[0];
