/* tasks_kl.c: value and backward tasks of kl.c's functions
 * (kl_standard_normal, log_normal_diag, log_standard_normal) on random
 * and extreme inputs, the same inputs in both runners (the input stream).
 * Shapes: B batch, Z latent. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cse599i-hw2/tasks.h"
#include "vg_error.h"

typedef enum { F_KL, F_LOGN, F_STD } fn_t;

typedef struct kl_state {
    fn_t fn;
    size_t batch, zdim;
    double *z, *mu, *var;      /* (B,Z) */
    double *out, *dout;        /* (B) */
    grad_case_t g;
} kl_state_t;

static kl_state_t st;

static int fn_of_task(runner_ctx_t *ctx)
{
    static const struct { const char *prefix; fn_t fn; } f[] = {
        { "kl.", F_KL }, { "log_normal_diag.", F_LOGN },
        { "log_standard_normal.", F_STD },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strncmp(ctx->task, f[i].prefix, strlen(f[i].prefix)) == 0) {
            st.fn = f[i].fn;
            ctx->state = &st;
            return VG_OK;
        }
    return runner_fail(ctx, "task %s names no function of kl.c", ctx->task);
}

static int state_alloc(runner_ctx_t *ctx, size_t batch, size_t zdim)
{
    size_t bz = batch * zdim;
    double *block = inputs_block(ctx, 3 * bz + 2 * batch);
    if (!block)
        return VG_ERR;
    st.batch = batch;
    st.zdim = zdim;
    st.z = block;
    st.mu = st.z + bz;
    st.var = st.mu + bz;
    st.out = st.var + bz;
    st.dout = st.out + batch;
    inputs_poison(st.out, batch);
    return VG_OK;
}

static void call_forward(double *out)
{
    size_t B = st.batch, Z = st.zdim;
    switch (st.fn) {
    case F_KL: kl_standard_normal(st.mu, st.var, B, Z, out); break;
    case F_LOGN: log_normal_diag(st.z, st.mu, st.var, B, Z, out); break;
    case F_STD: log_standard_normal(st.z, B, Z, out); break;
    }
}

/* ---- values ------------------------------------------------------------- */

/* Rows by b % 4: 0 var tiny ([1e-200, 1e-100]: -log var of 230..460, z
 * drawn from q), 1 var huge ([1e100, 1e150]), 2 mu and z far out (|.| in
 * [1e2, 1e3]), 3 ordinary. */
static void extreme_inputs(runner_ctx_t *ctx)
{
    size_t Z = st.zdim;
    for (size_t b = 0; b < st.batch; b++) {
        double *mu = st.mu + b * Z, *var = st.var + b * Z, *z = st.z + b * Z;
        inputs_uniform(&ctx->in_rng, mu, Z, -3, 3);
        switch (b % 4) {
        case 0: inputs_log_uniform(&ctx->in_rng, var, Z, 1e-200, 1e-100); break;
        case 1: inputs_log_uniform(&ctx->in_rng, var, Z, 1e100, 1e150); break;
        case 2:
            inputs_log_uniform(&ctx->in_rng, mu, Z, 1e2, 1e3);
            inputs_log_uniform(&ctx->in_rng, var, Z, 1e-1, 1e1);
            break;
        default: inputs_log_uniform(&ctx->in_rng, var, Z, 1e-2, 1e2);
        }
        for (size_t j = 0; j < Z; j++) {
            if (rng_uniform(&ctx->in_rng) < 0.5)
                mu[j] = -mu[j];
            z[j] = b % 4 == 2 ? -mu[j] : mu[j] + sqrt(var[j]) * rng_normal(&ctx->in_rng);
        }
    }
}

static int values_prepare(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "random");
    if (strcmp(c, "random") && strcmp(c, "extreme"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c);
    int extreme = strcmp(c, "extreme") == 0;
    if (fn_of_task(ctx) || ctx->failed || state_alloc(ctx, extreme ? 8 : 6, extreme ? 4 : 3))
        return VG_ERR;
    size_t bz = st.batch * st.zdim;
    if (extreme) {
        extreme_inputs(ctx);
    } else {
        inputs_uniform(&ctx->in_rng, st.mu, bz, -3, 3);
        inputs_log_uniform(&ctx->in_rng, st.var, bz, 1e-2, 1e2);
        inputs_normal(&ctx->in_rng, st.z, bz, 0, 2);
    }
    return VG_OK;
}

static int values_run(runner_ctx_t *ctx)
{
    call_forward(st.out);
    return runner_emit(ctx, "out", st.out, st.batch);
}

/* ---- backward ----------------------------------------------------------- */

static double objective(void *p)
{
    (void)p;
    call_forward(st.out);
    double f = 0;
    for (size_t b = 0; b < st.batch; b++)
        f += st.dout[b] * st.out[b];
    return f;
}

/* grad[]: as the task laid its inputs out (kl: mu, var; log_normal_diag:
 * z, mu, var; log_standard_normal: z). */
static void backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    (void)p;
    size_t B = st.batch, Z = st.zdim;
    switch (st.fn) {
    case F_KL:
        kl_standard_normal_backward(grad[0], grad[1], st.dout, st.mu, st.var, B, Z);
        break;
    case F_LOGN:
        log_normal_diag_backward(grad[0], grad[1], grad[2], st.dout, st.z, st.mu,
                                 st.var, B, Z);
        break;
    case F_STD:
        log_standard_normal_backward(grad[0], st.dout, st.z, B, Z);
        break;
    }
}

static void add_input(grad_case_t *g, const char *name, double *in, size_t n)
{
    g->name[g->n_in] = name;
    g->in[g->n_in] = in;
    g->len[g->n_in] = n;
    g->n_in++;
}

static int backward_prepare(runner_ctx_t *ctx)
{
    if (fn_of_task(ctx) || state_alloc(ctx, 4, 3))
        return VG_ERR;
    size_t bz = st.batch * st.zdim;
    inputs_normal(&ctx->in_rng, st.z, bz, 0, 1.5);
    inputs_uniform(&ctx->in_rng, st.mu, bz, -2, 2);
    inputs_log_uniform(&ctx->in_rng, st.var, bz, 0.1, 10);
    inputs_normal(&ctx->in_rng, st.dout, st.batch, 0, 1);
    grad_case_t *g = &st.g;
    memset(g, 0, sizeof *g);
    if (st.fn != F_KL)
        add_input(g, "z", st.z, bz);
    if (st.fn != F_STD) {
        add_input(g, "mu", st.mu, bz);
        add_input(g, "var", st.var, bz);
    }
    g->objective = objective;
    g->backward = backward;
    g->task_state = &st;
    return grad_prepare(ctx, g);
}

static int backward_run(runner_ctx_t *ctx)
{
    return grad_run(ctx, &st.g);
}

#define KL_TASKS(name) \
    { name ".values", values_prepare, values_run }, \
    { name ".backward", backward_prepare, backward_run }

const runner_task_t cse_tasks_kl[] = {
    KL_TASKS("kl"),
    KL_TASKS("log_normal_diag"),
    KL_TASKS("log_standard_normal"),
};
const size_t n_cse_tasks_kl = sizeof cse_tasks_kl / sizeof cse_tasks_kl[0];
