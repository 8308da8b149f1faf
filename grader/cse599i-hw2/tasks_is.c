/* tasks_is.c: the runner task of importance.c's log_marginal_is: R calls
 * at each of a few sample counts M on fixed binarised test digits, each
 * call its own noise stream, reported as the call's mean over the rows;
 * runner-ref adds what the driver holds them to: its discrete_output_elbo
 * on the same digits (the M = 1 estimate's expectation) and a few calls at
 * a large M (the target the estimates approach from below). The model is
 * the course's, seeded, in float64, its encoder's log-variance biases at
 * LOGVAR_BIAS (a q narrower than the posterior: importance sampling then
 * gains nats as M grows). Shapes: B batch, D data dimension, R repeats,
 * NM sample counts, L large-M calls. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cse599i-hw2/fixture.h"
#include "cse599i-hw2/tasks.h"
#include "vg_error.h"

#define MAX_ROWS 8
#define N_M 3
#define LOGVAR_BIAS -4.0

static const double sample_counts[N_M] = { 1, 10, 100 };

typedef struct is_state {
    model_t model;
    size_t batch, repeats, large_m, large_repeats;
    double *x;                /* (B,D) */
    double *rows;             /* (B) one call's out */
    double *is;               /* (NM,R) per-call means */
    double *elbo;             /* (R) runner-ref only */
    double *large;            /* (L) runner-ref only */
} is_state_t;

static is_state_t st;

static int is_prepare(runner_ctx_t *ctx)
{
    ctx->state = &st;
    st.batch = runner_param_size(ctx, "digits", 2, 1, MAX_ROWS);
    st.repeats = runner_param_size(ctx, "repeats", 30, 2, 100000);
    if (ctx->role_ref)
        st.repeats = runner_param_size(ctx, "ref_repeats", st.repeats, 2, 100000);
    st.large_m = runner_param_size(ctx, "large_m", 1000, 100, 100000);
    st.large_repeats = runner_param_size(ctx, "large_repeats", 2, 1, 100);
    if (ctx->failed || cse_model(ctx, &st.model, NN_FLOAT64, 100, ctx->seed))
        return VG_ERR;
    cse_logvar_bias(&st.model, LOGVAR_BIAS);
    size_t D = st.model.cfg.x_dim, B = st.batch, R = st.repeats;
    st.x = inputs_block(ctx, B * D + B + N_M * R + R + st.large_repeats);
    if (!st.x)
        return VG_ERR;
    st.rows = st.x + B * D;
    st.is = st.rows + B;
    st.elbo = st.is + N_M * R;
    st.large = st.elbo + R;
    inputs_poison(st.is, N_M * R + R + st.large_repeats);
    return cse_test_digits(ctx, st.x, 0, B, 1);
}

/* One call at m samples from stream seed: the mean over the rows of out,
 * NaN when the call failed (or left a row unwritten). */
static double is_call(size_t m, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&st.model);
    inputs_poison(st.rows, st.batch);
    if (log_marginal_is(&st.model, st.x, st.batch, m, &rng, st.rows) != 0)
        return NAN;
    double s = 0;
    for (size_t b = 0; b < st.batch; b++)
        s += st.rows[b];
    return s / (double)st.batch;
}

static int is_run(runner_ctx_t *ctx)
{
    size_t R = st.repeats;
    for (size_t k = 0; k < N_M; k++)
        for (size_t r = 0; r < R; r++)
            st.is[k * R + r] = is_call((size_t)sample_counts[k],
                                       cse_stream_seed(ctx, k * R + r));
    if (runner_emit(ctx, "m", sample_counts, N_M) ||
        runner_emit(ctx, "is", st.is, N_M * R))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    for (size_t r = 0; r < R; r++) {
        rng_t rng;
        rng_seed(&rng, cse_stream_seed(ctx, N_M * R + r));
        scratch_reset(&st.model);
        st.elbo[r] = discrete_output_elbo(&st.model, st.x, st.batch, &rng, 0);
    }
    for (size_t l = 0; l < st.large_repeats; l++)
        st.large[l] = is_call(st.large_m, cse_stream_seed(ctx, (N_M + 1) * R + l));
    return runner_emit(ctx, "elbo", st.elbo, R) ||
           runner_emit(ctx, "large", st.large, st.large_repeats);
}

const runner_task_t cse_tasks_is[] = {
    { "log_marginal_is.estimates", is_prepare, is_run },
};
const size_t n_cse_tasks_is = sizeof cse_tasks_is / sizeof cse_tasks_is[0];
