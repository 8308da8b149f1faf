/* tasks_vae.c: runner tasks of vae_terms.c and vae_elbo.c (problem 3): the
 * closed-form KL from (mu, log var) and the Bernoulli log-likelihood on
 * random and extreme inputs with their backwards (runner/grad_task.h),
 * and elbo: repeated estimates on fixed test digits (each call its own
 * noise stream, for the driver's z-test against runner-ref's), the batch
 * mean (a batch of N copies of one digit against single-digit calls), the
 * gradient against central differences of the submission's own estimate
 * at one fixed noise stream (common random numbers: any reparameterised
 * estimator is a smooth function of the parameters once its draws are
 * fixed, whatever order it draws them in), and the short run. The model
 * is the course's, seeded, in float64, its encoder's log-variance biases
 * at -4 (fixture.h) for all but the short run.
 * Shapes: B batch, D data dimension, Z latent, R repeats, M coordinates. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "config.h"
#include "runner/grad_task.h"
#include "stats305c-hw6/fixture.h"
#include "stats305c-hw6/short_run.h"
#include "stats305c-hw6/tasks.h"
#include "vg_error.h"

#define MAX_ROWS 20
#define MAX_COORDS 32
/* q's log variance about -4 (sd ~0.14): narrower than the prior, as
 * trained. */
#define LOGVAR_BIAS -4.0

typedef struct elbo_state {
    model_t model;
    size_t batch, repeats;
    double *x;                /* (MAX_ROWS,D) */
    double *out;              /* task outputs, see each task */
    size_t m;                 /* M coordinates */
    size_t coord[MAX_COORDS];
    double step;
} elbo_state_t;

static elbo_state_t st;

static double call(const double *x, size_t batch, uint64_t seed, int backward)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&st.model);
    return elbo(&st.model, x, batch, &rng, backward);
}

static int common_prepare(runner_ctx_t *ctx, size_t out_n)
{
    ctx->state = &st;
    if (ctx->failed || s305_model(ctx, &st.model, NN_FLOAT64, MAX_ROWS, ctx->seed))
        return VG_ERR;
    s305_logvar_bias(&st.model, LOGVAR_BIAS);
    size_t D = st.model.cfg.x_dim;
    st.x = inputs_block(ctx, MAX_ROWS * D + out_n);
    if (!st.x)
        return VG_ERR;
    st.out = st.x + MAX_ROWS * D;
    inputs_poison(st.out, out_n);
    return VG_OK;
}

/* ---- vae_terms.c: the closed-form KL and the Bernoulli likelihood -------- */

#define T_ROWS 8
#define T_D 40       /* pixels of the likelihood's rows: D is an argument */

typedef struct terms_state {
    int is_kl;
    size_t batch, dim;                       /* B, and Z or D */
    double mu[T_ROWS * T_D], lv[T_ROWS * T_D];  /* kl: mu, logvar (B,Z) */
    double x[T_ROWS * T_D], l[T_ROWS * T_D];    /* bern: x, logits (B,D) */
    double out[T_ROWS], dout[T_ROWS];        /* (B) */
    grad_case_t g;
} terms_state_t;

static terms_state_t ts;

static int terms_case_extreme(runner_ctx_t *ctx, int is_kl, const char *file)
{
    ctx->state = &ts;
    ts.is_kl = is_kl;
    s305_testing_file = file;
    const char *c = runner_param_str(ctx, "case", "random");
    if (strcmp(c, "random") && strcmp(c, "extreme"))
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c), -1;
    return strcmp(c, "extreme") == 0;
}

static void terms_forward(double *out)
{
    if (ts.is_kl)
        kl_gaussian_logvar(ts.mu, ts.lv, ts.batch, ts.dim, out);
    else
        bernoulli_log_likelihood(ts.x, ts.l, ts.batch, ts.dim, out);
}

static int terms_values_run(runner_ctx_t *ctx)
{
    terms_forward(ts.out);
    return runner_emit(ctx, "out", ts.out, ts.batch);
}

/* KL: random (B = 6, Z = 3: zdim is an argument) mu in [-3, 3], log var
 * in [-4, 2]; extreme (B = 8, Z = 2): log var in [-60, -30] (a variance
 * of 1e-26: the -log var term dominates), in [30, 60] (exp(lv) dominates,
 * still finite), mu of 1e3 to 1e100, and ordinary rows. */
static int kl_values_prepare(runner_ctx_t *ctx)
{
    int extreme = terms_case_extreme(ctx, 1, "vae_terms.c");
    if (extreme < 0)
        return VG_ERR;
    ts.batch = extreme ? 8 : 6;
    ts.dim = extreme ? 2 : 3;
    size_t n = ts.batch * ts.dim;
    inputs_uniform(&ctx->in_rng, ts.mu, n, -3, 3);
    inputs_uniform(&ctx->in_rng, ts.lv, n, -4, 2);
    if (extreme)
        for (size_t b = 0; b < ts.batch; b++) {
            double *mu = ts.mu + b * ts.dim, *lv = ts.lv + b * ts.dim;
            switch (b % 4) {
            case 0: inputs_uniform(&ctx->in_rng, lv, ts.dim, -60, -30); break;
            case 1: inputs_uniform(&ctx->in_rng, lv, ts.dim, 30, 60); break;
            case 2: inputs_log_uniform(&ctx->in_rng, mu, ts.dim, 1e3, 1e100); break;
            default: break;
            }
        }
    inputs_poison(ts.out, ts.batch);
    return ctx->failed ? VG_ERR : VG_OK;
}

/* Bernoulli: random (B = 5, D = 40, logits N(0, 3^2)); extreme (B = 8,
 * D = 40): rows of logits +-1e3 and +-40 (log sigmoid of a rounded
 * sigmoid is -inf or 0 there), and ordinary rows. x random 0s and 1s. */
static int bern_values_prepare(runner_ctx_t *ctx)
{
    int extreme = terms_case_extreme(ctx, 0, "vae_terms.c");
    if (extreme < 0)
        return VG_ERR;
    ts.batch = extreme ? 8 : 5;
    ts.dim = T_D;
    size_t n = ts.batch * ts.dim;
    s305_binary(ctx, ts.x, n);
    inputs_normal(&ctx->in_rng, ts.l, n, 0, 3);
    if (extreme)
        for (size_t b = 0; b < ts.batch; b++)
            for (size_t j = 0; j < ts.dim && b % 4 < 2; j++) {
                double m = b % 4 == 0 ? 1e3 : 40;
                ts.l[b * ts.dim + j] = rng_uniform(&ctx->in_rng) < 0.5 ? -m : m;
            }
    inputs_poison(ts.out, ts.batch);
    return ctx->failed ? VG_ERR : VG_OK;
}

static double terms_objective(void *p)
{
    (void)p;
    terms_forward(ts.out);
    double f = 0;
    for (size_t b = 0; b < ts.batch; b++)
        f += ts.dout[b] * ts.out[b];
    return f;
}

static void terms_backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    (void)p;
    if (ts.is_kl)
        kl_gaussian_logvar_backward(grad[0], grad[1], ts.dout, ts.mu, ts.lv,
                                    ts.batch, ts.dim);
    else
        bernoulli_log_likelihood_backward(grad[0], ts.dout, ts.x, ts.l, ts.batch,
                                          ts.dim);
}

static int terms_backward_prepare(runner_ctx_t *ctx, int is_kl)
{
    ctx->state = &ts;
    ts.is_kl = is_kl;
    s305_testing_file = "vae_terms.c";
    ts.batch = 4;
    ts.dim = is_kl ? 3 : 12;
    size_t n = ts.batch * ts.dim;
    grad_case_t *g = &ts.g;
    memset(g, 0, sizeof *g);
    if (is_kl) {
        inputs_uniform(&ctx->in_rng, ts.mu, n, -3, 3);
        inputs_uniform(&ctx->in_rng, ts.lv, n, -3, 2);
        g->name[0] = "mu";
        g->in[0] = ts.mu;
        g->name[1] = "logvar";
        g->in[1] = ts.lv;
        g->len[0] = g->len[1] = n;
        g->n_in = 2;
    } else {
        s305_binary(ctx, ts.x, n);
        inputs_normal(&ctx->in_rng, ts.l, n, 0, 3);
        g->name[0] = "logits";
        g->in[0] = ts.l;
        g->len[0] = n;
        g->n_in = 1;
    }
    inputs_normal(&ctx->in_rng, ts.dout, ts.batch, 0, 1);
    g->objective = terms_objective;
    g->backward = terms_backward;
    g->task_state = &ts;
    return grad_prepare(ctx, g);
}

static int kl_backward_prepare(runner_ctx_t *ctx)
{
    return terms_backward_prepare(ctx, 1);
}

static int bern_backward_prepare(runner_ctx_t *ctx)
{
    return terms_backward_prepare(ctx, 0);
}

static int terms_backward_run(runner_ctx_t *ctx)
{
    return grad_run(ctx, &ts.g);
}

/* ---- repeated estimates ------------------------------------------------ */

static int mc_prepare(runner_ctx_t *ctx)
{
    st.batch = runner_param_size(ctx, "digits", 10, 1, MAX_ROWS);
    st.repeats = runner_param_size(ctx, "repeats", 100, 2, 100000);
    /* runner-ref may take more calls: its standard error is part of the
     * test's, and its results are cached. */
    if (ctx->role_ref)
        st.repeats = runner_param_size(ctx, "ref_repeats", st.repeats, 2, 100000);
    if (common_prepare(ctx, st.repeats))
        return VG_ERR;
    return s305_digits(ctx, st.x, 0, st.batch);
}

static int mc_run(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < st.repeats; r++)
        st.out[r] = call(st.x, st.batch, s305_stream_seed(ctx, r), 0);
    return runner_emit(ctx, "values", st.out, st.repeats);
}

/* ---- batch mean: N copies of one digit against that digit alone --------- */

static int batch_prepare(runner_ctx_t *ctx)
{
    st.batch = runner_param_size(ctx, "copies", 20, 2, MAX_ROWS);
    st.repeats = runner_param_size(ctx, "repeats", 100, 2, 100000);
    if (common_prepare(ctx, 2 * st.repeats) || s305_digits(ctx, st.x, 0, 1))
        return VG_ERR;
    size_t D = st.model.cfg.x_dim;
    for (size_t b = 1; b < st.batch; b++)
        memcpy(st.x + b * D, st.x, D * sizeof *st.x);
    return VG_OK;
}

static int batch_run(runner_ctx_t *ctx)
{
    double *batch = st.out, *single = st.out + st.repeats;
    for (size_t r = 0; r < st.repeats; r++) {
        batch[r] = call(st.x, st.batch, s305_stream_seed(ctx, 2 * r), 0);
        single[r] = call(st.x, 1, s305_stream_seed(ctx, 2 * r + 1), 0);
    }
    return runner_emit(ctx, "batch", batch, st.repeats) ||
           runner_emit(ctx, "single", single, st.repeats);
}

/* ---- gradient at one fixed noise stream --------------------------------- */

static int grad_prepare_task(runner_ctx_t *ctx)
{
    st.batch = runner_param_size(ctx, "digits", 4, 1, MAX_ROWS);
    st.m = runner_param_size(ctx, "coords", 24, 2, MAX_COORDS);
    st.step = runner_param_double(ctx, "fd_step", 1e-6, 1e-9, 1e-2);
    /* analytic (M) | numeric (M) | value */
    if (common_prepare(ctx, 2 * st.m + 1) || s305_digits(ctx, st.x, 0, st.batch))
        return VG_ERR;
    s305_coords(ctx, &st.model, st.coord, st.m, st.m / 2);
    return VG_OK;
}

static int grad_run_task(runner_ctx_t *ctx)
{
    uint64_t seed = s305_stream_seed(ctx, 0);
    double *analytic = st.out, *numeric = st.out + st.m, *value = numeric + st.m;
    model_zero_grad(&st.model);
    *value = call(st.x, st.batch, seed, 1);
    for (size_t j = 0; j < st.m; j++)
        analytic[j] = model_grad_get(&st.model, st.coord[j]);
    for (size_t j = 0; j < st.m; j++) {
        double t = model_param_get(&st.model, st.coord[j]);
        model_param_set(&st.model, st.coord[j], t + st.step);
        double fp = call(st.x, st.batch, seed, 0);
        model_param_set(&st.model, st.coord[j], t - st.step);
        double fm = call(st.x, st.batch, seed, 0);
        model_param_set(&st.model, st.coord[j], t);
        numeric[j] = (fp - fm) / (2 * st.step);
    }
    return runner_emit(ctx, "analytic", analytic, st.m) ||
           runner_emit(ctx, "numeric", numeric, st.m) ||
           runner_emit_scalar(ctx, "value", *value);
}

/* ---- the short run: runner-sub trains, runner-ref scores ----------------- */

typedef struct short_state {
    model_t model;             /* float32, the course's batch (64) */
    vae_short_t run;
    size_t iters, n;           /* steps; digits trained on or scored */
    double *x;                 /* (N,D) */
    double *params;            /* (P) the trained weights, as doubles */
} short_state_t;

static short_state_t sr;

static int short_prepare(runner_ctx_t *ctx)
{
    ctx->state = &sr;
    sr.iters = runner_param_size(ctx, "iters", S305_SHORT_ITERS, 1, 1000000);
    if (ctx->failed ||
        s305_model(ctx, &sr.model, NN_FLOAT32, config_stats305c_hw6().train.batch,
                   ctx->seed))
        return VG_ERR;
    const size_t D = sr.model.cfg.x_dim, P = sr.model.n_params;
    if (ctx->role_ref) {
        /* Scoring only: the weights come on the input pipe. */
        const proto_array_t *w = runner_input(ctx, "params");
        if (!w || w->n != P)
            return runner_fail(ctx, "expected %zu trained parameters on the "
                               "input pipe, got %zu", P, w ? w->n : 0);
        for (size_t i = 0; i < P; i++)
            model_param_set(&sr.model, i, w->data[i]);
        sr.n = S305_SHORT_TEST;
        sr.x = inputs_block(ctx, sr.n * D);
        return sr.x ? s305_digits(ctx, sr.x, 0, sr.n) : VG_ERR;
    }
    sr.n = S305_SHORT_TRAIN;
    sr.x = inputs_block(ctx, sr.n * D + P);
    if (!sr.x || s305_train_digits(ctx, sr.x, sr.n))
        return VG_ERR;
    sr.params = sr.x + sr.n * D;
    if (vae_short_init(&sr.run, &sr.model, config_stats305c_hw6().train, sr.n)
        != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    return VG_OK;
}

static int short_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref) {
        double v = vae_test_elbo(&sr.model, elbo, sr.x, sr.n, S305_SHORT_EVAL_SEED);
        return runner_emit_scalar(ctx, "test_elbo", v);
    }
    if (vae_short_train(&sr.model, elbo, &sr.run, sr.x, sr.n, sr.iters,
                        s305_stream_seed(ctx, 0)) != VG_OK)
        return runner_fail(ctx, "training with your elbo: %s", vg_error_last());
    if (not_implemented_which())
        return VG_OK;
    for (size_t i = 0; i < sr.model.n_params; i++)
        sr.params[i] = model_param_get(&sr.model, i);
    return runner_emit(ctx, "params", sr.params, sr.model.n_params);
}

const runner_task_t s305_tasks_vae[] = {
    { "elbo.short_run", short_prepare, short_run },
    { "elbo.monte_carlo", mc_prepare, mc_run },
    { "elbo.batch_mean", batch_prepare, batch_run },
    { "elbo.gradient", grad_prepare_task, grad_run_task },
    { "kl_gaussian_logvar.values", kl_values_prepare, terms_values_run },
    { "kl_gaussian_logvar.backward", kl_backward_prepare, terms_backward_run },
    { "bernoulli_log_likelihood.values", bern_values_prepare, terms_values_run },
    { "bernoulli_log_likelihood.backward", bern_backward_prepare, terms_backward_run },
};
const size_t n_s305_tasks_vae = sizeof s305_tasks_vae / sizeof s305_tasks_vae[0];
