/* tasks_svi.c: runner tasks of svi.c's svi_top_elbo (part 4): repeated
 * K-sample estimates at a fixed q (each call its own noise stream, for
 * the driver's tests of the mean and of the variance against
 * runner-ref's), the gradient in (mu, logsig) against central
 * differences of the submission's own estimate at one noise stream, and
 * the optimisation: the course's Adam loop driven by the submission's step
 * on fixed digits, the q it reaches scored by trusted code (svi_eval.h).
 * The model: svi_eval.h's (seeded, decoder sharpened), float64 for the
 * estimates and gradients, float32 for the optimisation (as trained).
 * Shapes: D data dimension, Z latent, R repeats, N digits. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "sta414-a3/fixture.h"
#include "sta414-a3/svi_eval.h"
#include "sta414-a3/tasks.h"
#include "vg_error.h"

#define MAX_DIGITS 8
#define MAX_K 64

typedef struct svi_state {
    model_t model;
    size_t k, repeats, n;
    double *x;                 /* (N,D) */
    double *mu, *logsig;       /* (Z) the fixed q */
    double *out;               /* task outputs, see each task */
    double step;
    s414_svi_opts_t opts;
} svi_state_t;

static svi_state_t st;

static int common_prepare(runner_ctx_t *ctx, nn_dtype_t dtype, size_t rows,
                          size_t n_digits, size_t out_n)
{
    ctx->state = &st;
    if (ctx->failed ||
        s414_model(ctx, &st.model, dtype, rows, S414_SVI_MODEL_SEED,
                   S414_SVI_DEC_SCALE))
        return VG_ERR;
    const size_t D = st.model.cfg.x_dim, Z = st.model.cfg.z_dim;
    st.n = n_digits;
    st.x = inputs_block(ctx, n_digits * D + 2 * Z + out_n);
    if (!st.x)
        return VG_ERR;
    st.mu = st.x + n_digits * D;
    st.logsig = st.mu + Z;
    st.out = st.logsig + Z;
    inputs_poison(st.out, out_n);
    /* digits 20.. of the test set: others than the ELBO tasks' */
    if (s414_digits(ctx, st.x, 20, n_digits))
        return VG_ERR;
    inputs_normal(&ctx->in_rng, st.mu, Z, 0, 1);
    inputs_uniform(&ctx->in_rng, st.logsig, Z, -1.5, -0.5);
    return VG_OK;
}

static double call(uint64_t seed, double *dmu, double *dlogsig)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&st.model);
    return svi_top_elbo(&st.model, st.x, st.mu, st.logsig, st.k, &rng, dmu, dlogsig);
}

/* ---- repeated estimates at a fixed q ------------------------------------ */

static int mc_prepare(runner_ctx_t *ctx)
{
    st.k = runner_param_size(ctx, "k", 10, 1, MAX_K);
    st.repeats = runner_param_size(ctx, "repeats", 200, 3, 100000);
    if (ctx->role_ref)
        st.repeats = runner_param_size(ctx, "ref_repeats", st.repeats, 3, 100000);
    return common_prepare(ctx, NN_FLOAT64, MAX_K, 1, st.repeats);
}

static int mc_run(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < st.repeats; r++)
        st.out[r] = call(s414_stream_seed(ctx, r), NULL, NULL);
    return runner_emit(ctx, "values", st.out, st.repeats);
}

/* ---- gradient in (mu, logsig) at one noise stream ------------------------ */

static int grad_prepare(runner_ctx_t *ctx)
{
    st.k = runner_param_size(ctx, "k", 10, 1, MAX_K);
    st.step = runner_param_double(ctx, "fd_step", 1e-6, 1e-9, 1e-2);
    /* init (2Z) | analytic (2Z) | numeric (2Z) */
    if (common_prepare(ctx, NN_FLOAT64, MAX_K, 1, 6 * 2))
        return VG_ERR;
    /* the accumulators start from random values: += shows */
    inputs_normal(&ctx->in_rng, st.out, 2 * st.model.cfg.z_dim, 0, 1);
    return VG_OK;
}

static int grad_run(runner_ctx_t *ctx)
{
    const size_t Z = st.model.cfg.z_dim, n = 2 * Z;
    double *init = st.out, *analytic = init + n, *numeric = analytic + n;
    uint64_t seed = s414_stream_seed(ctx, 0);
    memcpy(analytic, init, n * sizeof *analytic);
    call(seed, analytic, analytic + Z);
    for (size_t j = 0; j < n; j++)
        analytic[j] -= init[j];
    for (size_t j = 0; j < n; j++) {
        double *p = j < Z ? &st.mu[j] : &st.logsig[j - Z], t = *p;
        *p = t + st.step;
        double fp = call(seed, NULL, NULL);
        *p = t - st.step;
        double fm = call(seed, NULL, NULL);
        *p = t;
        numeric[j] = (fp - fm) / (2 * st.step);
    }
    return runner_emit(ctx, "analytic", analytic, n) ||
           runner_emit(ctx, "numeric", numeric, n);
}

/* ---- the optimisation ----------------------------------------------------- */

static int fit_prepare(runner_ctx_t *ctx)
{
    size_t n = runner_param_size(ctx, "digits", 2, 1, MAX_DIGITS);
    st.opts = s414_svi_opts_default();
    st.opts.iters = runner_param_size(ctx, "iters", st.opts.iters, 1, 100000);
    st.opts.k = runner_param_size(ctx, "k", st.opts.k, 1, MAX_K);
    st.opts.lr = runner_param_double(ctx, "lr", st.opts.lr, 1e-6, 1);
    st.opts.samples = runner_param_size(ctx, "samples", st.opts.samples, 1, 1000000);
    return common_prepare(ctx, NN_FLOAT32, MAX_K, n, n);
}

/* Digit i is fitted with the stream of (seed, i) and scored with a stream
 * fixed per digit (the thresholds tool's), so that the spread over seeds
 * is the fit's alone. */
static int fit_run(runner_ctx_t *ctx)
{
    const size_t D = st.model.cfg.x_dim, Z = st.model.cfg.z_dim;
    double mu[8], logsig[8];
    if (Z > 8)
        return runner_fail(ctx, "latent of %zu > 8", Z);
    for (size_t i = 0; i < st.n; i++) {
        if (s414_svi_run(&st.model, svi_top_elbo, st.x + i * D, &st.opts,
                         s414_stream_seed(ctx, i), 4140 + i, mu, logsig,
                         &st.out[i]) != VG_OK) {
            if (not_implemented_which())
                return VG_OK;
            return runner_fail(ctx, "digit %zu: %s", i, vg_error_last());
        }
    }
    return runner_emit(ctx, "elbo", st.out, st.n);
}

const runner_task_t s414_tasks_svi[] = {
    { "svi_top_elbo.monte_carlo", mc_prepare, mc_run },
    { "svi_top_elbo.gradient", grad_prepare, grad_run },
    { "svi.optimise", fit_prepare, fit_run },
};
const size_t n_s414_tasks_svi = sizeof s414_tasks_svi / sizeof s414_tasks_svi[0];
