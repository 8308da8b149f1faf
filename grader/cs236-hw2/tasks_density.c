/* tasks_density.c: runner tasks for log_normal and kl_normal: values on
 * random and extreme inputs, the identity KL(q||q) = 0 (with KL(q||p) at a
 * p far from q beside it), the Monte Carlo estimate of the KL (trusted
 * code, from the input stream), and both backwards. In runner-ref the
 * value tasks also emit "hint:*" arrays, the reference's values under a
 * known mistake, for the driver's hints.
 * Shapes: B batch, D dimension; every array (B,D) unless said. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cs236-hw2/tasks.h"
#include "vg_error.h"

#define LOG_2PI 1.8378770664093454835606594728112353

typedef struct density_state {
    size_t batch, dim;
    double *x, *m, *v;      /* (B,D) log_normal's; kl: qm, qv */
    double *pm, *pv;        /* (B,D) kl's p */
    double *t;              /* (B,D) a transformed variance (hints) */
    double *t2;             /* (B,D) a second one */
    double *out;            /* (B) */
    double *alt;            /* (B) hint values */
    double *dout;           /* (B) upstream gradient */
    grad_case_t g;
} density_state_t;

static density_state_t *density_alloc(runner_ctx_t *ctx, size_t batch, size_t dim)
{
    static density_state_t s;
    size_t bd = batch * dim;
    double *block = inputs_block(ctx, 7 * bd + 3 * batch);
    if (!block)
        return NULL;
    s.batch = batch;
    s.dim = dim;
    s.x = block;
    s.m = block + bd;
    s.v = block + 2 * bd;
    s.pm = block + 3 * bd;
    s.pv = block + 4 * bd;
    s.t = block + 5 * bd;
    s.t2 = block + 6 * bd;
    s.out = block + 7 * bd;
    s.alt = s.out + batch;
    s.dout = s.alt + batch;
    inputs_poison(s.out, batch);
    ctx->state = &s;
    return &s;
}

/* Rows of the "extreme" case, one regime per row; D is large so the sums
 * are long. Row r: 0 tiny variances, 1 huge variances, 2 far from the mean,
 * 3 an ordinary row. */
static void extreme_rows(runner_ctx_t *ctx, density_state_t *s, double *x,
                         double *m, double *v)
{
    size_t d = s->dim;
    for (size_t b = 0; b < s->batch; b++) {
        double *xb = x + b * d, *mb = m + b * d, *vb = v + b * d;
        inputs_uniform(&ctx->in_rng, mb, d, -3, 3);
        switch (b % 4) {
        case 0:
            inputs_log_uniform(&ctx->in_rng, vb, d, 1e-8, 1e-6);
            for (size_t j = 0; j < d; j++)
                xb[j] = mb[j] + sqrt(vb[j]) * rng_normal(&ctx->in_rng);
            break;
        case 1:
            inputs_log_uniform(&ctx->in_rng, vb, d, 1e6, 1e8);
            for (size_t j = 0; j < d; j++)
                xb[j] = mb[j] + sqrt(vb[j]) * rng_normal(&ctx->in_rng);
            break;
        case 2:
            inputs_log_uniform(&ctx->in_rng, vb, d, 0.5, 2);
            for (size_t j = 0; j < d; j++)
                xb[j] = mb[j] + 1e3 * (rng_uniform(&ctx->in_rng) < 0.5 ? -1 : 1);
            break;
        default:
            inputs_log_uniform(&ctx->in_rng, vb, d, 1e-2, 1e2);
            inputs_uniform(&ctx->in_rng, xb, d, -5, 5);
        }
    }
}

static int case_is_extreme(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "random");
    if (strcmp(c, "random") && strcmp(c, "extreme"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c), 0;
    return strcmp(c, "extreme") == 0;
}

static void transform(double *dst, const double *src, size_t n, int squared)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = squared ? src[i] * src[i] : sqrt(src[i]);
}

/* ---- log_normal ---------------------------------------------------------- */

static int log_normal_values_prepare(runner_ctx_t *ctx)
{
    int extreme = case_is_extreme(ctx);
    if (ctx->failed)
        return VG_ERR;
    density_state_t *s = extreme ? density_alloc(ctx, 4, 784)
                                 : density_alloc(ctx, 7, 5);
    if (!s)
        return VG_ERR;
    if (extreme) {
        extreme_rows(ctx, s, s->x, s->m, s->v);
    } else {
        size_t bd = s->batch * s->dim;
        inputs_uniform(&ctx->in_rng, s->x, bd, -3, 3);
        inputs_uniform(&ctx->in_rng, s->m, bd, -3, 3);
        inputs_log_uniform(&ctx->in_rng, s->v, bd, 0.1, 10);
    }
    return VG_OK;
}

static int log_normal_values_run(runner_ctx_t *ctx)
{
    density_state_t *s = ctx->state;
    size_t b = s->batch, d = s->dim, bd = b * d;
    log_normal(s->x, s->m, s->v, b, d, s->out);
    if (runner_emit(ctx, "out", s->out, b))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    transform(s->t, s->v, bd, 1);
    log_normal(s->x, s->m, s->t, b, d, s->alt);
    runner_emit(ctx, "hint:var_squared", s->alt, b);
    transform(s->t, s->v, bd, 0);
    log_normal(s->x, s->m, s->t, b, d, s->alt);
    runner_emit(ctx, "hint:var_sqrt", s->alt, b);
    for (size_t i = 0; i < b; i++)
        s->alt[i] = s->out[i] + 0.5 * (double)d * LOG_2PI;
    runner_emit(ctx, "hint:no_log_2pi", s->alt, b);
    return VG_OK;
}

static double log_normal_objective(void *p)
{
    density_state_t *s = p;
    log_normal(s->x, s->m, s->v, s->batch, s->dim, s->out);
    double f = 0;
    for (size_t b = 0; b < s->batch; b++)
        f += s->dout[b] * s->out[b];
    return f;
}

static void log_normal_grad(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    density_state_t *s = p;
    log_normal_backward(grad[0], grad[1], grad[2], s->dout, s->x, s->m, s->v,
                        s->batch, s->dim);
}

static int log_normal_backward_prepare(runner_ctx_t *ctx)
{
    density_state_t *s = density_alloc(ctx, 4, 3);
    if (!s)
        return VG_ERR;
    size_t bd = 12;
    inputs_uniform(&ctx->in_rng, s->x, bd, -2, 2);
    inputs_uniform(&ctx->in_rng, s->m, bd, -2, 2);
    inputs_log_uniform(&ctx->in_rng, s->v, bd, 0.5, 2);
    inputs_normal(&ctx->in_rng, s->dout, s->batch, 0, 1);
    grad_case_t *g = &s->g;
    memset(g, 0, sizeof *g);
    g->n_in = 3;
    g->name[0] = "x";
    g->name[1] = "m";
    g->name[2] = "v";
    g->in[0] = s->x;
    g->in[1] = s->m;
    g->in[2] = s->v;
    g->len[0] = g->len[1] = g->len[2] = bd;
    g->objective = log_normal_objective;
    g->backward = log_normal_grad;
    g->task_state = s;
    return grad_prepare(ctx, g);
}

/* ---- kl_normal ----------------------------------------------------------- */

static int kl_values_prepare(runner_ctx_t *ctx)
{
    int extreme = case_is_extreme(ctx);
    if (ctx->failed)
        return VG_ERR;
    density_state_t *s = extreme ? density_alloc(ctx, 5, 784)
                                 : density_alloc(ctx, 7, 5);
    if (!s)
        return VG_ERR;
    size_t bd = s->batch * s->dim;
    if (extreme) {
        /* q's rows in the regimes of extreme_rows (x plays no part), p's
         * means and variances from another draw; row 4: q within 1e-9 of
         * p, where the direct formula cancels. */
        extreme_rows(ctx, s, s->x, s->m, s->v);
        extreme_rows(ctx, s, s->x, s->pm, s->pv);
        size_t d = s->dim, o = 4 * d;
        for (size_t j = 0; j < d; j++) {
            s->pm[o + j] = s->m[o + j] + 1e-9 * rng_normal(&ctx->in_rng);
            s->pv[o + j] = s->v[o + j] * (1 + 1e-9 * rng_normal(&ctx->in_rng));
        }
    } else {
        inputs_uniform(&ctx->in_rng, s->m, bd, -3, 3);
        inputs_log_uniform(&ctx->in_rng, s->v, bd, 0.1, 10);
        inputs_uniform(&ctx->in_rng, s->pm, bd, -3, 3);
        inputs_log_uniform(&ctx->in_rng, s->pv, bd, 0.1, 10);
    }
    return VG_OK;
}

static int kl_values_run(runner_ctx_t *ctx)
{
    density_state_t *s = ctx->state;
    size_t b = s->batch, d = s->dim, bd = b * d;
    kl_normal(s->m, s->v, s->pm, s->pv, b, d, s->out);
    if (runner_emit(ctx, "out", s->out, b))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    kl_normal(s->pm, s->pv, s->m, s->v, b, d, s->alt);
    runner_emit(ctx, "hint:swapped", s->alt, b);
    transform(s->t, s->v, bd, 1);
    transform(s->t2, s->pv, bd, 1);
    kl_normal(s->m, s->t, s->pm, s->t2, b, d, s->alt);
    runner_emit(ctx, "hint:var_squared", s->alt, b);
    transform(s->t, s->v, bd, 0);
    transform(s->t2, s->pv, bd, 0);
    kl_normal(s->m, s->t, s->pm, s->t2, b, d, s->alt);
    runner_emit(ctx, "hint:var_sqrt", s->alt, b);
    for (size_t i = 0; i < b; i++)
        s->alt[i] = s->out[i] + 0.5 * (double)d;
    runner_emit(ctx, "hint:no_minus_one", s->alt, b);
    return VG_OK;
}

/* KL(q || q) for random q: exactly zero in exact arithmetic. q's second
 * copy lives in other buffers (x, t), so the identity is seen through the
 * values, not through equal pointers. KL(q || p) at a random p far from q
 * (out_qp, in alt) is the identity's other half: 0 only at p = q, which a
 * function returning 0 everywhere does not have. */
static int kl_identity_prepare(runner_ctx_t *ctx)
{
    density_state_t *s = density_alloc(ctx, 6, 8);
    if (!s)
        return VG_ERR;
    size_t bd = 48;
    inputs_uniform(&ctx->in_rng, s->m, bd, -3, 3);
    inputs_log_uniform(&ctx->in_rng, s->v, bd, 1e-4, 1e4);
    memcpy(s->x, s->m, bd * sizeof *s->x);
    memcpy(s->t, s->v, bd * sizeof *s->t);
    inputs_uniform(&ctx->in_rng, s->pm, bd, -3, 3);
    inputs_log_uniform(&ctx->in_rng, s->pv, bd, 1e-4, 1e4);
    inputs_poison(s->alt, s->batch);
    return VG_OK;
}

static int kl_identity_run(runner_ctx_t *ctx)
{
    density_state_t *s = ctx->state;
    kl_normal(s->m, s->v, s->x, s->t, s->batch, s->dim, s->out);
    kl_normal(s->m, s->v, s->pm, s->pv, s->batch, s->dim, s->alt);
    if (runner_emit(ctx, "out", s->out, s->batch) ||
        runner_emit(ctx, "out_qp", s->alt, s->batch))
        return VG_ERR;
    return VG_OK;
}

/* The closed form against a sample average of log q(z) - log p(z) over
 * z ~ q, computed here by trusted code from the input stream: the mean and
 * its standard error per row, for the driver's z-test. */
static int kl_mc_prepare(runner_ctx_t *ctx)
{
    size_t samples = runner_param_size(ctx, "samples", 20000, 100, 10000000);
    if (ctx->failed)
        return VG_ERR;
    density_state_t *s = density_alloc(ctx, 3, 4);
    if (!s)
        return VG_ERR;
    size_t bd = 12;
    inputs_uniform(&ctx->in_rng, s->m, bd, -1, 1);
    inputs_log_uniform(&ctx->in_rng, s->v, bd, 0.5, 2);
    inputs_uniform(&ctx->in_rng, s->pm, bd, -1, 1);
    inputs_log_uniform(&ctx->in_rng, s->pv, bd, 0.5, 2);
    /* alt: the MC mean; t[0..B): its standard error. */
    for (size_t b = 0; b < s->batch; b++) {
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < samples; i++) {
            double lr = 0;   /* log q(z) - log p(z) */
            for (size_t j = b * s->dim; j < (b + 1) * s->dim; j++) {
                double z = s->m[j] + sqrt(s->v[j]) * rng_normal(&ctx->in_rng);
                double rq = z - s->m[j], rp = z - s->pm[j];
                lr += -0.5 * (log(s->v[j]) + rq * rq / s->v[j])
                      + 0.5 * (log(s->pv[j]) + rp * rp / s->pv[j]);
            }
            sum += lr;
            sum2 += lr * lr;
        }
        double n = (double)samples, mean = sum / n;
        double var = (sum2 - n * mean * mean) / (n - 1);
        s->alt[b] = mean;
        s->t[b] = sqrt(var > 0 ? var / n : 0);
    }
    return VG_OK;
}

static int kl_mc_run(runner_ctx_t *ctx)
{
    density_state_t *s = ctx->state;
    kl_normal(s->m, s->v, s->pm, s->pv, s->batch, s->dim, s->out);
    if (runner_emit(ctx, "out", s->out, s->batch) ||
        runner_emit(ctx, "mc_mean", s->alt, s->batch) ||
        runner_emit(ctx, "mc_se", s->t, s->batch))
        return VG_ERR;
    return VG_OK;
}

static double kl_objective(void *p)
{
    density_state_t *s = p;
    kl_normal(s->m, s->v, s->pm, s->pv, s->batch, s->dim, s->out);
    double f = 0;
    for (size_t b = 0; b < s->batch; b++)
        f += s->dout[b] * s->out[b];
    return f;
}

static void kl_grad(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    density_state_t *s = p;
    kl_normal_backward(grad[0], grad[1], grad[2], grad[3], s->dout, s->m, s->v,
                       s->pm, s->pv, s->batch, s->dim);
}

static int kl_backward_prepare(runner_ctx_t *ctx)
{
    density_state_t *s = density_alloc(ctx, 4, 3);
    if (!s)
        return VG_ERR;
    size_t bd = 12;
    inputs_uniform(&ctx->in_rng, s->m, bd, -2, 2);
    inputs_log_uniform(&ctx->in_rng, s->v, bd, 0.5, 2);
    inputs_uniform(&ctx->in_rng, s->pm, bd, -2, 2);
    inputs_log_uniform(&ctx->in_rng, s->pv, bd, 0.5, 2);
    inputs_normal(&ctx->in_rng, s->dout, s->batch, 0, 1);
    grad_case_t *g = &s->g;
    memset(g, 0, sizeof *g);
    g->n_in = 4;
    g->name[0] = "qm";
    g->name[1] = "qv";
    g->name[2] = "pm";
    g->name[3] = "pv";
    g->in[0] = s->m;
    g->in[1] = s->v;
    g->in[2] = s->pm;
    g->in[3] = s->pv;
    g->len[0] = g->len[1] = g->len[2] = g->len[3] = bd;
    g->objective = kl_objective;
    g->backward = kl_grad;
    g->task_state = s;
    return grad_prepare(ctx, g);
}

static int density_backward_run(runner_ctx_t *ctx)
{
    density_state_t *s = ctx->state;
    return grad_run(ctx, &s->g);
}

const runner_task_t tasks_density[] = {
    { "log_normal.values", log_normal_values_prepare, log_normal_values_run },
    { "log_normal.backward", log_normal_backward_prepare, density_backward_run },
    { "kl_normal.values", kl_values_prepare, kl_values_run },
    { "kl_normal.identity", kl_identity_prepare, kl_identity_run },
    { "kl_normal.monte_carlo", kl_mc_prepare, kl_mc_run },
    { "kl_normal.backward", kl_backward_prepare, density_backward_run },
};
const size_t n_tasks_density = sizeof tasks_density / sizeof tasks_density[0];
