/* tasks_flow.c: runner tasks of flow.c (the inverse autoregressive flow):
 * iaf_step's outputs on fixed inputs (both runners the same), its
 * backward (runner/grad_task.h, in z_in and M of the step's MADE
 * parameters), its Jacobian by central differences of the implementation's
 * own step in float64 (the driver takes its log|det| and its shape),
 * iaf_sample's log q_T over repeated calls, and iaf_elbo's mean and
 * gradient as the ELBOs' (tasks_elbo.c). The model and flow are the
 * course's, seeded, in float64; the encoder's log variance at LOGVAR_BIAS.
 * Shapes: B batch, Z latent, D data dimension, R repeats, M coordinates. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cse599i-hw2/fixture.h"
#include "cse599i-hw2/tasks.h"
#include "vg_error.h"

#define MAX_ROWS 20
#define MAX_Z 16
#define N_COORDS 16
#define MAX_COORDS 32
#define LOGVAR_BIAS -4.0

typedef struct flow_state {
    model_t model;
    iaf_t flow;
    size_t t, batch, zdim, repeats;
    double *x;                   /* (B,D) */
    double *z_in, *z_out, *dz_out; /* (B,Z) */
    double *logdet, *dlogdet;    /* (B) */
    double *out;                 /* task outputs */
    size_t coord[MAX_COORDS];
    double *theta;               /* (M) the MADE parameters' values */
    size_t m;
    double step;
    grad_case_t g;
} flow_state_t;

static flow_state_t st;

/* Model and flow (float64, max_batch rows), the step from parameter "t",
 * and a block for B rows plus extra doubles. */
static int common_prepare(runner_ctx_t *ctx, size_t batch, size_t max_batch,
                          size_t extra)
{
    ctx->state = &st;
    st.t = runner_param_size(ctx, "t", 0, 0, IAF_MAX_STEPS - 1);
    st.batch = batch;
    if (ctx->failed || cse_model(ctx, &st.model, NN_FLOAT64, max_batch, ctx->seed) ||
        cse_flow(ctx, &st.flow, NN_FLOAT64, max_batch, ctx->seed ^ 0x1afull))
        return VG_ERR;
    cse_logvar_bias(&st.model, LOGVAR_BIAS);
    if (st.t >= st.flow.cfg.n_steps)
        return runner_fail(ctx, "t=%zu: the flow has %zu steps", st.t, st.flow.cfg.n_steps);
    size_t Z = st.zdim = st.flow.cfg.z_dim, D = st.model.cfg.x_dim;
    size_t bz = batch * Z;
    double *b = inputs_block(ctx, batch * D + 3 * bz + 2 * batch + MAX_COORDS + extra);
    if (!b)
        return VG_ERR;
    st.x = b;
    st.z_in = st.x + batch * D;
    st.z_out = st.z_in + bz;
    st.dz_out = st.z_out + bz;
    st.logdet = st.dz_out + bz;
    st.dlogdet = st.logdet + batch;
    st.theta = st.dlogdet + batch;
    st.out = st.theta + MAX_COORDS;
    inputs_poison(st.out, extra);
    return VG_OK;
}

/* The index in the flow's block of step t's first s bias (the MADE's last
 * layer's biases are (m | s)). */
static size_t s_bias_index(size_t t)
{
    const mlp_t *net = &st.flow.made[t].net;
    size_t L = net->spec.n_layers;
    size_t elt = st.flow.dtype == NN_FLOAT32 ? sizeof(float) : sizeof(double);
    return (size_t)((const char *)net->b[L - 1] - (const char *)st.flow.params) / elt +
           st.zdim;
}

static int step_call(const double *z_in, double *z_out, double *logdet)
{
    scratch_reset(&st.model);
    return iaf_step(&st.model, &st.flow, st.t, z_in, st.batch, z_out, logdet);
}

/* ---- iaf_step's values -------------------------------------------------- */

/* case random: z_in ~ N(0, 1.5^2), the flow as initialised (sigma about
 * sigmoid(1) = 0.73, spread by the weights); extreme: s's biases at
 * alternately -1e3 and +1e3 (log sigma -1e3 and -0, sigma 0 and 1). */
static int step_values_prepare(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "random");
    if (strcmp(c, "random") && strcmp(c, "extreme"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c);
    if (common_prepare(ctx, 6, MAX_ROWS, 0))
        return VG_ERR;
    inputs_normal(&ctx->in_rng, st.z_in, st.batch * st.zdim, 0, 1.5);
    if (strcmp(c, "extreme") == 0) {
        size_t i0 = s_bias_index(st.t);
        for (size_t j = 0; j < st.zdim; j++)
            iaf_param_set(&st.flow, i0 + j, j % 2 ? 1e3 : -1e3);
    }
    inputs_poison(st.z_out, st.batch * st.zdim);
    inputs_poison(st.logdet, st.batch);
    return VG_OK;
}

static int step_values_run(runner_ctx_t *ctx)
{
    if (step_call(st.z_in, st.z_out, st.logdet) != 0)
        return runner_fail(ctx, "iaf_step returned failure");
    return runner_emit(ctx, "z_out", st.z_out, st.batch * st.zdim) ||
           runner_emit(ctx, "logdet", st.logdet, st.batch);
}

/* ---- the Jacobian by central differences -------------------------------- */

/* out: J (B,Z,Z), J[b][j][k] = d z_out[b][j] / d z_in[b][k], by central
 * differences (step fd_step) of the implementation's own iaf_step. Every
 * row moves at once: rows do not interact. */
static int jac_prepare(runner_ctx_t *ctx)
{
    st.step = runner_param_double(ctx, "fd_step", 1e-6, 1e-9, 1e-2);
    if (common_prepare(ctx, 4, MAX_ROWS, 4 * MAX_Z * MAX_Z + 2 * MAX_ROWS * MAX_Z))
        return VG_ERR;
    if (st.zdim > MAX_Z)
        return runner_fail(ctx, "Z = %zu > %d", st.zdim, MAX_Z);
    inputs_normal(&ctx->in_rng, st.z_in, st.batch * st.zdim, 0, 1.5);
    return VG_OK;
}

static int jac_run(runner_ctx_t *ctx)
{
    size_t B = st.batch, Z = st.zdim;
    double *J = st.out, *zp = J + B * Z * Z, *zm = zp + B * Z;
    if (step_call(st.z_in, st.z_out, st.logdet) != 0)
        return runner_fail(ctx, "iaf_step returned failure");
    double order[MAX_Z];
    size_t ord[MAX_Z];
    iaf_order(&st.flow, st.t, ord);
    for (size_t k = 0; k < Z; k++) {
        double ld[MAX_ROWS];
        order[k] = (double)ord[k];
        for (size_t b = 0; b < B; b++)
            st.z_in[b * Z + k] += st.step;
        int rc = step_call(st.z_in, zp, ld);
        for (size_t b = 0; b < B; b++)
            st.z_in[b * Z + k] -= 2 * st.step;
        rc |= step_call(st.z_in, zm, ld);
        for (size_t b = 0; b < B; b++)
            st.z_in[b * Z + k] += st.step;
        if (rc != 0)
            return runner_fail(ctx, "iaf_step returned failure");
        for (size_t b = 0; b < B; b++)
            for (size_t j = 0; j < Z; j++)
                J[(b * Z + j) * Z + k] = (zp[b * Z + j] - zm[b * Z + j]) / (2 * st.step);
    }
    return runner_emit(ctx, "jacobian", J, B * Z * Z) ||
           runner_emit(ctx, "z_out", st.z_out, B * Z) ||
           runner_emit(ctx, "logdet", st.logdet, B) ||
           runner_emit(ctx, "order", order, Z) ||
           runner_emit_scalar(ctx, "zdim", (double)Z);
}

/* ---- iaf_step_backward --------------------------------------------------- */

static void theta_write(void)
{
    for (size_t j = 0; j < N_COORDS; j++)
        iaf_param_set(&st.flow, st.coord[j], st.theta[j]);
}

static double step_objective(void *p)
{
    (void)p;
    theta_write();
    if (step_call(st.z_in, st.z_out, st.logdet) != 0)
        return NAN;
    double f = 0;
    for (size_t i = 0; i < st.batch * st.zdim; i++)
        f += st.dz_out[i] * st.z_out[i];
    for (size_t b = 0; b < st.batch; b++)
        f += st.dlogdet[b] * st.logdet[b];
    return f;
}

static void step_backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    (void)p;
    theta_write();
    iaf_zero_grad(&st.flow);
    scratch_reset(&st.model);
    if (iaf_step_backward(&st.model, &st.flow, st.t, grad[0], st.dz_out,
                          st.dlogdet, st.z_in, st.batch) != 0) {
        for (size_t i = 0; i < st.batch * st.zdim; i++)
            grad[0][i] = NAN;
        return;
    }
    for (size_t j = 0; j < N_COORDS; j++)
        grad[1][j] += iaf_grad_get(&st.flow, st.coord[j]);
}

/* 1 when c is among coord[0..n-1]. */
static int drawn(size_t c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (st.coord[i] == c)
            return 1;
    return 0;
}

/* M distinct coordinates of step t's MADE, drawn from the input stream
 * among its kept weights and biases (a masked weight's gradient is 0 both
 * ways). Distinct: theta_write writes every coordinate in turn, so a
 * repeated one would undo its twin's finite-difference probe. */
static void made_coords(runner_ctx_t *ctx, size_t n)
{
    size_t first = (size_t)((const char *)st.flow.made[st.t].net.params -
                            (const char *)st.flow.params) /
                   (st.flow.dtype == NN_FLOAT32 ? sizeof(float) : sizeof(double));
    size_t span = st.flow.made[st.t].net.n_params;
    for (size_t i = 0; i < n; i++) {
        size_t c;
        do {
            size_t j = (size_t)(rng_uniform(&ctx->in_rng) * (double)span);
            c = first + (j < span ? j : span - 1);
        } while (iaf_param_get(&st.flow, c) == 0.0 || drawn(c, i));  /* masked: 0 */
        st.coord[i] = c;
    }
}

static int step_backward_prepare(runner_ctx_t *ctx)
{
    if (common_prepare(ctx, 4, MAX_ROWS, 0))
        return VG_ERR;
    size_t bz = st.batch * st.zdim;
    inputs_normal(&ctx->in_rng, st.z_in, bz, 0, 1.5);
    inputs_normal(&ctx->in_rng, st.dz_out, bz, 0, 1);
    inputs_normal(&ctx->in_rng, st.dlogdet, st.batch, 0, 1);
    made_coords(ctx, N_COORDS);
    for (size_t j = 0; j < N_COORDS; j++)
        st.theta[j] = iaf_param_get(&st.flow, st.coord[j]);
    grad_case_t *g = &st.g;
    memset(g, 0, sizeof *g);
    g->name[0] = "z_in";
    g->in[0] = st.z_in;
    g->len[0] = bz;
    g->name[1] = "theta";
    g->in[1] = st.theta;
    g->len[1] = N_COORDS;
    g->n_in = 2;
    g->objective = step_objective;
    g->backward = step_backward;
    g->task_state = &st;
    return grad_prepare(ctx, g);
}

static int step_backward_run(runner_ctx_t *ctx)
{
    return grad_run(ctx, &st.g);
}

/* ---- iaf_sample: the mean of log q_T over calls -------------------------- */

static int sample_prepare(runner_ctx_t *ctx)
{
    size_t batch = runner_param_size(ctx, "digits", 10, 1, MAX_ROWS);
    st.repeats = runner_param_size(ctx, "repeats", 100, 2, 100000);
    if (ctx->role_ref)
        st.repeats = runner_param_size(ctx, "ref_repeats", st.repeats, 2, 100000);
    if (common_prepare(ctx, batch, MAX_ROWS, st.repeats))
        return VG_ERR;
    return cse_test_digits(ctx, st.x, 0, batch, 1);
}

static int sample_run(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < st.repeats; r++) {
        rng_t rng;
        rng_seed(&rng, cse_stream_seed(ctx, r));
        scratch_reset(&st.model);
        inputs_poison(st.logdet, st.batch);
        double s = NAN;
        if (iaf_sample(&st.model, &st.flow, st.x, st.batch, &rng, st.z_out,
                       st.logdet) == 0) {
            s = 0;
            for (size_t b = 0; b < st.batch; b++)
                s += st.logdet[b];
            s /= (double)st.batch;
        }
        st.out[r] = s;
    }
    return runner_emit(ctx, "values", st.out, st.repeats);
}

/* ---- iaf_elbo: the mean over calls, the gradient at one stream ----------- */

static double elbo_call(uint64_t seed, int backward)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&st.model);
    return iaf_elbo(&st.model, &st.flow, st.x, st.batch, &rng, backward);
}

static int elbo_mc_prepare(runner_ctx_t *ctx)
{
    return sample_prepare(ctx);
}

static int elbo_mc_run(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < st.repeats; r++)
        st.out[r] = elbo_call(cse_stream_seed(ctx, r), 0);
    return runner_emit(ctx, "values", st.out, st.repeats);
}

/* Coordinates: the first half the model's (as the ELBOs'), the rest the
 * flow's, among the kept parameters of every step. */
static int elbo_grad_prepare(runner_ctx_t *ctx)
{
    size_t batch = runner_param_size(ctx, "digits", 4, 1, MAX_ROWS);
    st.m = runner_param_size(ctx, "coords", 24, 4, MAX_COORDS);
    st.step = runner_param_double(ctx, "fd_step", 1e-5, 1e-9, 1e-2);
    if (common_prepare(ctx, batch, MAX_ROWS, 2 * MAX_COORDS + 1))
        return VG_ERR;
    size_t half = st.m / 2;
    cse_coords(ctx, &st.model, st.coord, half, half / 2);
    for (size_t i = half; i < st.m; i++) {
        size_t c;
        do {
            c = (size_t)(rng_uniform(&ctx->in_rng) * (double)st.flow.n_params);
            c = c < st.flow.n_params ? c : st.flow.n_params - 1;
        } while (iaf_param_get(&st.flow, c) == 0.0);
        st.coord[i] = c;
    }
    return cse_test_digits(ctx, st.x, 0, batch, 1);
}

static double get_param(size_t i, int flow)
{
    return flow ? iaf_param_get(&st.flow, st.coord[i]) : model_param_get(&st.model, st.coord[i]);
}

static void set_param(size_t i, int flow, double v)
{
    if (flow)
        iaf_param_set(&st.flow, st.coord[i], v);
    else
        model_param_set(&st.model, st.coord[i], v);
}

static int elbo_grad_run(runner_ctx_t *ctx)
{
    uint64_t seed = cse_stream_seed(ctx, 0);
    size_t half = st.m / 2;
    double *analytic = st.out, *numeric = st.out + st.m, *value = numeric + st.m;
    model_zero_grad(&st.model);
    iaf_zero_grad(&st.flow);
    *value = elbo_call(seed, 1);
    for (size_t j = 0; j < st.m; j++)
        analytic[j] = j < half ? model_grad_get(&st.model, st.coord[j])
                               : iaf_grad_get(&st.flow, st.coord[j]);
    for (size_t j = 0; j < st.m; j++) {
        int fl = j >= half;
        double t = get_param(j, fl);
        set_param(j, fl, t + st.step);
        double fp = elbo_call(seed, 0);
        set_param(j, fl, t - st.step);
        double fm = elbo_call(seed, 0);
        set_param(j, fl, t);
        numeric[j] = (fp - fm) / (2 * st.step);
    }
    return runner_emit(ctx, "analytic", analytic, st.m) ||
           runner_emit(ctx, "numeric", numeric, st.m) ||
           runner_emit_scalar(ctx, "value", *value);
}

const runner_task_t cse_tasks_flow[] = {
    { "iaf_step.values", step_values_prepare, step_values_run },
    { "iaf_step.jacobian", jac_prepare, jac_run },
    { "iaf_step.backward", step_backward_prepare, step_backward_run },
    { "iaf_sample.monte_carlo", sample_prepare, sample_run },
    { "iaf_elbo.monte_carlo", elbo_mc_prepare, elbo_mc_run },
    { "iaf_elbo.gradient", elbo_grad_prepare, elbo_grad_run },
};
const size_t n_cse_tasks_flow = sizeof cse_tasks_flow / sizeof cse_tasks_flow[0];
