/* tasks_elbo.c: runner tasks of elbo.c's elbo: repeated estimates on
 * fixed test digits (each call its own noise stream, for the driver's
 * z-test against runner-ref's), the batch mean (a batch of N copies of one
 * digit against single-digit calls), and the gradient against central
 * differences of the submission's own estimate at one fixed noise stream
 * (common random numbers: any reparameterised estimator is a smooth
 * function of the parameters once its draws are fixed, whatever order it
 * draws them in). The model is the course's, seeded, in float64, its
 * encoder's log-sd biases at -2 (fixture.h) for all but the short run.
 * Shapes: B batch, D data dimension, R repeats, M coordinates. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "sta414-a3/fixture.h"
#include "sta414-a3/short_run.h"
#include "sta414-a3/tasks.h"
#include "vg_error.h"

#define MAX_ROWS 20
#define MAX_COORDS 32
/* q's log sd about -2 (sd ~0.14): narrower than the prior, as trained. */
#define LOGSIG_BIAS -2.0

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
    if (ctx->failed ||
        s414_model(ctx, &st.model, NN_FLOAT64, MAX_ROWS, ctx->seed, 1.0))
        return VG_ERR;
    s414_logsig_bias(&st.model, LOGSIG_BIAS);
    size_t D = st.model.cfg.x_dim;
    st.x = inputs_block(ctx, MAX_ROWS * D + out_n);
    if (!st.x)
        return VG_ERR;
    st.out = st.x + MAX_ROWS * D;
    inputs_poison(st.out, out_n);
    return VG_OK;
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
    return s414_digits(ctx, st.x, 0, st.batch);
}

static int mc_run(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < st.repeats; r++)
        st.out[r] = call(st.x, st.batch, s414_stream_seed(ctx, r), 0);
    return runner_emit(ctx, "values", st.out, st.repeats);
}

/* ---- batch mean: N copies of one digit against that digit alone --------- */

static int batch_prepare(runner_ctx_t *ctx)
{
    st.batch = runner_param_size(ctx, "copies", 20, 2, MAX_ROWS);
    st.repeats = runner_param_size(ctx, "repeats", 100, 2, 100000);
    if (common_prepare(ctx, 2 * st.repeats) || s414_digits(ctx, st.x, 0, 1))
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
        batch[r] = call(st.x, st.batch, s414_stream_seed(ctx, 2 * r), 0);
        single[r] = call(st.x, 1, s414_stream_seed(ctx, 2 * r + 1), 0);
    }
    return runner_emit(ctx, "batch", batch, st.repeats) ||
           runner_emit(ctx, "single", single, st.repeats);
}

/* ---- gradient at one fixed noise stream --------------------------------- */

static int grad_prepare_task(runner_ctx_t *ctx)
{
    st.batch = runner_param_size(ctx, "digits", 4, 1, MAX_ROWS);
    st.m = runner_param_size(ctx, "coords", 24, 2, MAX_COORDS);
    st.step = runner_param_double(ctx, "fd_step", 1e-5, 1e-9, 1e-2);
    /* analytic (M) | numeric (M) | value */
    if (common_prepare(ctx, 2 * st.m + 1) || s414_digits(ctx, st.x, 0, st.batch))
        return VG_ERR;
    s414_coords(ctx, &st.model, st.coord, st.m, st.m / 2);
    return VG_OK;
}

static int grad_run_task(runner_ctx_t *ctx)
{
    uint64_t seed = s414_stream_seed(ctx, 0);
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
    model_t model;             /* float32, batch 100 */
    vae_short_t run;
    size_t iters, n;           /* steps; digits trained on or scored */
    double *x;                 /* (N,D) */
    double *params;            /* (P) the trained weights, as doubles */
} short_state_t;

static short_state_t sr;

static int short_prepare(runner_ctx_t *ctx)
{
    ctx->state = &sr;
    sr.iters = runner_param_size(ctx, "iters", S414_SHORT_ITERS, 1, 1000000);
    if (ctx->failed ||
        s414_model(ctx, &sr.model, NN_FLOAT32, 100, ctx->seed, 1.0))
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
        sr.n = S414_SHORT_TEST;
        sr.x = inputs_block(ctx, sr.n * D);
        return sr.x ? s414_digits(ctx, sr.x, 0, sr.n) : VG_ERR;
    }
    sr.n = S414_SHORT_TRAIN;
    sr.x = inputs_block(ctx, sr.n * D + P);
    if (!sr.x || s414_train_digits(ctx, sr.x, sr.n))
        return VG_ERR;
    sr.params = sr.x + sr.n * D;
    if (vae_short_init(&sr.run, &sr.model, config_sta414_a3().train, sr.n)
        != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    return VG_OK;
}

static int short_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref) {
        double v = vae_test_elbo(&sr.model, elbo, sr.x, sr.n, S414_SHORT_EVAL_SEED);
        return runner_emit_scalar(ctx, "test_elbo", v);
    }
    if (vae_short_train(&sr.model, elbo, &sr.run, sr.x, sr.n, sr.iters,
                        s414_stream_seed(ctx, 0)) != VG_OK)
        return runner_fail(ctx, "training with your elbo: %s", vg_error_last());
    if (not_implemented_which())
        return VG_OK;
    for (size_t i = 0; i < sr.model.n_params; i++)
        sr.params[i] = model_param_get(&sr.model, i);
    return runner_emit(ctx, "params", sr.params, sr.model.n_params);
}

const runner_task_t s414_tasks_elbo[] = {
    { "elbo.short_run", short_prepare, short_run },
    { "elbo.monte_carlo", mc_prepare, mc_run },
    { "elbo.batch_mean", batch_prepare, batch_run },
    { "elbo.gradient", grad_prepare_task, grad_run_task },
};
const size_t n_s414_tasks_elbo = sizeof s414_tasks_elbo / sizeof s414_tasks_elbo[0];
