/* tasks_density.c: value and backward tasks of every density function of
 * sta414-a3: density.c's (log_prior, log_q, log_likelihood,
 * joint_log_density) and part 4's top-half ones in svi.c
 * (log_p_top_given_z, joint_log_density_top), on random and extreme
 * inputs. The backwards of the decoder's densities are checked in dz and
 * in M decoder parameters, as one gradient (runner/grad_task.h): the
 * parameters are inputs the objective writes into the float64 model.
 * Shapes: B batch, D data dimension, Z latent, M coordinates. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "sta414-a3/fixture.h"
#include "sta414-a3/tasks.h"
#include "vg_error.h"

#define N_COORDS 16   /* M decoder parameters in a backward check */
#define MAX_ROWS 8

typedef enum { F_PRIOR, F_Q, F_LIK, F_JOINT, F_TOP, F_JOINT_TOP } fn_t;

typedef struct density_state {
    fn_t fn;
    size_t batch, zdim;
    model_t model;             /* the decoder's densities only */
    double *x;                 /* (B,D) */
    double *z, *mu, *logsig;   /* (B,Z) */
    double *out, *dout;        /* (B) */
    size_t coord[N_COORDS];    /* (M) parameter indices */
    double *theta;             /* (M) their values, an input of the objective */
    grad_case_t g;
} density_state_t;

static density_state_t st;

static int fn_of_task(runner_ctx_t *ctx)
{
    static const struct { const char *prefix; fn_t fn; } f[] = {
        { "log_prior.", F_PRIOR }, { "log_q.", F_Q },
        { "log_likelihood.", F_LIK }, { "joint_log_density.", F_JOINT },
        { "log_p_top_given_z.", F_TOP },
        { "joint_log_density_top.", F_JOINT_TOP },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strncmp(ctx->task, f[i].prefix, strlen(f[i].prefix)) == 0) {
            st.fn = f[i].fn;
            ctx->state = &st;
            return VG_OK;
        }
    return runner_fail(ctx, "task %s names no density", ctx->task);
}

static int uses_model(void)
{
    return st.fn != F_PRIOR && st.fn != F_Q;
}

static int case_is_extreme(runner_ctx_t *ctx)
{
    const char *c = runner_param_str(ctx, "case", "random");
    if (strcmp(c, "random") && strcmp(c, "extreme"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c), 0;
    return strcmp(c, "extreme") == 0;
}

/* Buffers for B rows; the model (float64) when the function runs the
 * decoder, its decoder scaled by dec_scale. */
static int state_alloc(runner_ctx_t *ctx, size_t batch, size_t zdim,
                       double dec_scale)
{
    size_t D = 784, bz = batch * zdim;
    if (uses_model()) {
        if (s414_model(ctx, &st.model, NN_FLOAT64, MAX_ROWS, ctx->seed, dec_scale))
            return VG_ERR;
        D = st.model.cfg.x_dim;
        zdim = st.model.cfg.z_dim;
        bz = batch * zdim;
    }
    double *block = inputs_block(ctx, batch * D + 3 * bz + 2 * batch + N_COORDS);
    if (!block)
        return VG_ERR;
    st.batch = batch;
    st.zdim = zdim;
    st.x = block;
    st.z = st.x + batch * D;
    st.mu = st.z + bz;
    st.logsig = st.mu + bz;
    st.out = st.logsig + bz;
    st.dout = st.out + batch;
    st.theta = st.dout + batch;
    inputs_poison(st.out, batch);
    return VG_OK;
}

/* Calls the function under test into out; its status (0 for the two that
 * cannot fail). */
static int call_forward(double *out)
{
    model_t *m = &st.model;
    size_t B = st.batch, Z = st.zdim;
    if (uses_model())
        scratch_reset(m);
    switch (st.fn) {
    case F_PRIOR:
        log_prior(st.z, B, Z, out);
        return 0;
    case F_Q:
        log_q(st.mu, st.logsig, st.z, B, Z, out);
        return 0;
    case F_LIK:
        return log_likelihood(m, st.x, st.z, B, out);
    case F_JOINT:
        return joint_log_density(m, st.x, st.z, B, out);
    case F_TOP:
        return log_p_top_given_z(m, st.x, st.z, B, out);
    case F_JOINT_TOP:
        return joint_log_density_top(m, st.x, st.z, B, out);
    }
    return -1;
}

/* ---- values ------------------------------------------------------------- */

/* z (B,Z) by rows: 0 far out (|z| in [1e2, 1e3]), 1 very far (|z| in
 * [1e100, 1e150], z^2 still finite), 2 tiny (|z| in [1e-200, 1e-100]),
 * 3.. ordinary. */
static void extreme_z(runner_ctx_t *ctx, double *z, size_t batch, size_t zdim)
{
    for (size_t b = 0; b < batch; b++) {
        double *zb = z + b * zdim;
        switch (b % 4) {
        case 0: inputs_log_uniform(&ctx->in_rng, zb, zdim, 1e2, 1e3); break;
        case 1: inputs_log_uniform(&ctx->in_rng, zb, zdim, 1e100, 1e150); break;
        case 2: inputs_log_uniform(&ctx->in_rng, zb, zdim, 1e-200, 1e-100); break;
        default: inputs_normal(&ctx->in_rng, zb, zdim, 0, 1);
        }
        for (size_t j = 0; j < zdim; j++)
            if (rng_uniform(&ctx->in_rng) < 0.5)
                zb[j] = -zb[j];
    }
}

/* log_q's rows: 0 logsig in [-300, -250] (sd ~1e-130) with z drawn from q
 * around mu = 0, 1 logsig in [250, 300] with z 1e3 from mu, 2 z 1e3 from mu
 * at logsig in [-2, 2], 3.. ordinary. The header promises finite values
 * for logsig of +-300. */
static void extreme_q(runner_ctx_t *ctx)
{
    size_t Z = st.zdim;
    for (size_t b = 0; b < st.batch; b++) {
        double *mu = st.mu + b * Z, *ls = st.logsig + b * Z, *z = st.z + b * Z;
        switch (b % 4) {
        case 0:
            inputs_uniform(&ctx->in_rng, ls, Z, -300, -250);
            for (size_t j = 0; j < Z; j++) {
                mu[j] = 0;
                z[j] = exp(ls[j]) * rng_normal(&ctx->in_rng);
            }
            break;
        case 1:
        case 2:
            inputs_uniform(&ctx->in_rng, ls, Z, b % 4 == 1 ? 250 : -2, b % 4 == 1 ? 300 : 2);
            inputs_uniform(&ctx->in_rng, mu, Z, -3, 3);
            for (size_t j = 0; j < Z; j++)
                z[j] = mu[j] + (rng_uniform(&ctx->in_rng) < 0.5 ? -1e3 : 1e3);
            break;
        default:
            inputs_uniform(&ctx->in_rng, ls, Z, -2, 1);
            inputs_uniform(&ctx->in_rng, mu, Z, -3, 3);
            inputs_uniform(&ctx->in_rng, z, Z, -4, 4);
        }
    }
}

static int values_prepare(runner_ctx_t *ctx)
{
    int extreme = case_is_extreme(ctx);
    if (fn_of_task(ctx) || ctx->failed)
        return VG_ERR;
    /* The extreme decoder's parameters x 1e3: its logits reach +-1e3, where
     * log(sigmoid(l)) of a rounded sigmoid is -inf or 0. */
    size_t B = extreme ? 8 : 6, Z = extreme ? 2 : 3;
    if (state_alloc(ctx, B, Z, extreme && uses_model() ? 1e3 : 1.0))
        return VG_ERR;
    size_t bz = st.batch * st.zdim;
    if (uses_model())
        s414_binary(ctx, st.x, st.batch * st.model.cfg.x_dim);
    if (st.fn == F_Q) {
        if (extreme) {
            extreme_q(ctx);
        } else {
            inputs_uniform(&ctx->in_rng, st.mu, bz, -3, 3);
            inputs_uniform(&ctx->in_rng, st.logsig, bz, -2, 1);
            inputs_uniform(&ctx->in_rng, st.z, bz, -4, 4);
        }
    } else if (extreme) {
        extreme_z(ctx, st.z, st.batch, st.zdim);
        if (uses_model()) /* z^2 of 1e150 is fine, a tanh of it too */
            for (size_t i = 0; i < bz; i++)
                if (fabs(st.z[i]) > 1e4)
                    st.z[i] = copysign(1e4, st.z[i]);
    } else {
        inputs_normal(&ctx->in_rng, st.z, bz, 0, 1.5);
    }
    return VG_OK;
}

static int values_run(runner_ctx_t *ctx)
{
    if (call_forward(st.out) != 0)
        return runner_fail(ctx, "%s returned failure", ctx->task);
    return runner_emit(ctx, "out", st.out, st.batch);
}

/* ---- backward ----------------------------------------------------------- */

static void theta_write(void)
{
    for (size_t j = 0; j < N_COORDS; j++)
        model_param_set(&st.model, st.coord[j], st.theta[j]);
}

static double objective(void *p)
{
    (void)p;
    if (uses_model())
        theta_write();
    if (call_forward(st.out) != 0)
        return NAN;
    double f = 0;
    for (size_t b = 0; b < st.batch; b++)
        f += st.dout[b] * st.out[b];
    return f;
}

/* grad[0..]: as the task laid its inputs out (prior: z; q: mu, logsig, z;
 * the decoder's: z, theta). Parameter gradients are read from the model,
 * zeroed before, into theta's accumulator. */
static void backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    (void)p;
    model_t *m = &st.model;
    size_t B = st.batch, Z = st.zdim;
    if (st.fn == F_PRIOR) {
        log_prior_backward(grad[0], st.dout, st.z, B, Z);
        return;
    }
    if (st.fn == F_Q) {
        log_q_backward(grad[0], grad[1], grad[2], st.dout, st.mu, st.logsig,
                       st.z, B, Z);
        return;
    }
    theta_write();
    model_zero_grad(m);
    scratch_reset(m);
    int rc = 0;
    switch (st.fn) {
    case F_LIK: rc = log_likelihood_backward(m, grad[0], st.dout, st.x, st.z, B); break;
    case F_JOINT: rc = joint_log_density_backward(m, grad[0], st.dout, st.x, st.z, B); break;
    case F_TOP: rc = log_p_top_given_z_backward(m, grad[0], st.dout, st.x, st.z, B); break;
    default: rc = joint_log_density_top_backward(m, grad[0], st.dout, st.x, st.z, B);
    }
    if (rc != 0) { /* a failure shows as NaN gradients */
        for (size_t i = 0; i < B * Z; i++)
            grad[0][i] = NAN;
        return;
    }
    for (size_t j = 0; j < N_COORDS; j++)
        grad[1][j] += model_grad_get(m, st.coord[j]);
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
    if (fn_of_task(ctx) || state_alloc(ctx, 4, 2, 1.0))
        return VG_ERR;
    size_t bz = st.batch * st.zdim;
    inputs_normal(&ctx->in_rng, st.z, bz, 0, 1.5);
    inputs_uniform(&ctx->in_rng, st.mu, bz, -2, 2);
    inputs_uniform(&ctx->in_rng, st.logsig, bz, -1, 1);
    inputs_normal(&ctx->in_rng, st.dout, st.batch, 0, 1);
    grad_case_t *g = &st.g;
    memset(g, 0, sizeof *g);
    if (st.fn == F_Q) {
        add_input(g, "mu", st.mu, bz);
        add_input(g, "logsig", st.logsig, bz);
    }
    add_input(g, "z", st.z, bz);
    if (uses_model()) {
        s414_binary(ctx, st.x, st.batch * st.model.cfg.x_dim);
        s414_coords(ctx, &st.model, st.coord, N_COORDS, 0);
        for (size_t j = 0; j < N_COORDS; j++)
            st.theta[j] = model_param_get(&st.model, st.coord[j]);
        add_input(g, "theta", st.theta, N_COORDS);
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

#define DENSITY_TASKS(name) \
    { name ".values", values_prepare, values_run }, \
    { name ".backward", backward_prepare, backward_run }

const runner_task_t s414_tasks_density[] = {
    DENSITY_TASKS("log_prior"),
    DENSITY_TASKS("log_q"),
    DENSITY_TASKS("log_likelihood"),
    DENSITY_TASKS("joint_log_density"),
    DENSITY_TASKS("log_p_top_given_z"),
    DENSITY_TASKS("joint_log_density_top"),
};
const size_t n_s414_tasks_density =
    sizeof s414_tasks_density / sizeof s414_tasks_density[0];
