/* tasks_short_run.c: the IAF VAE's short run as a runner task:
 * runner-sub trains the course's model and 8-step flow (float32, seeded)
 * with the submission's iaf_elbo and hands back both parameter blocks;
 * runner-ref loads them and scores them with the reference's iaf_elbo
 * (the test ELBO) and iaf_sample (the importance-sampled log p(x)),
 * so nothing the submission computed is believed but the weights.
 * Shapes: N digits, D data dimension, P and F parameter counts. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cse599i-hw2/fixture.h"
#include "cse599i-hw2/short_run.h"
#include "cse599i-hw2/tasks.h"
#include "vg_error.h"

typedef struct short_state {
    model_t model;             /* float32, batch 100 */
    iaf_t flow;                /* float32 */
    cse_short_t run;
    size_t iters, n;           /* steps; digits trained on or scored */
    double *x;                 /* (N,D) */
    double *params;            /* (P + F) the trained weights, as doubles */
} short_state_t;

static short_state_t sr;

/* The block `name` (n values) from the input pipe into set(i, v). */
static int load_block(runner_ctx_t *ctx, const char *name, size_t n, model_t *m,
                      iaf_t *f)
{
    const proto_array_t *w = runner_input(ctx, name);
    if (!w || w->n != n)
        return runner_fail(ctx, "expected %zu values of %s on the input pipe, "
                           "got %zu", n, name, w ? w->n : 0);
    for (size_t i = 0; i < n; i++) {
        if (m)
            model_param_set(m, i, w->data[i]);
        else
            iaf_param_set(f, i, w->data[i]);
    }
    return VG_OK;
}

static int short_prepare(runner_ctx_t *ctx)
{
    ctx->state = &sr;
    sr.iters = runner_param_size(ctx, "iters", CSE_SHORT_ITERS, 1, 1000000);
    if (ctx->failed || cse_model(ctx, &sr.model, NN_FLOAT32, 100, ctx->seed) ||
        cse_flow(ctx, &sr.flow, NN_FLOAT32, 100, ctx->seed ^ 0x1afull))
        return VG_ERR;
    const size_t D = sr.model.cfg.x_dim, P = sr.model.n_params, F = sr.flow.n_params;
    if (ctx->role_ref) {
        /* Scoring only: the weights come on the input pipe. */
        if (load_block(ctx, "params", P, &sr.model, NULL) ||
            load_block(ctx, "flow_params", F, NULL, &sr.flow))
            return VG_ERR;
        sr.n = CSE_SHORT_TEST;
        sr.x = inputs_block(ctx, sr.n * D);
        return sr.x ? cse_test_digits(ctx, sr.x, 0, sr.n, 1) : VG_ERR;
    }
    sr.n = CSE_SHORT_TRAIN;
    sr.x = inputs_block(ctx, sr.n * D + P + F);
    if (!sr.x || cse_train_digits(ctx, sr.x, sr.n, 1))
        return VG_ERR;
    sr.params = sr.x + sr.n * D;
    if (cse_short_init(&sr.run, &sr.model, &sr.flow, sr.n) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    return VG_OK;
}

static int short_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref) {
        double e = cse_test_elbo(&sr.model, &sr.flow, iaf_elbo, sr.x, sr.n,
                                 CSE_SHORT_EVAL_SEED);
        double is = cse_test_is(&sr.model, &sr.flow, iaf_sample, sr.x,
                                CSE_SHORT_IS_DIGITS, CSE_SHORT_EVAL_SEED + 1);
        return runner_emit_scalar(ctx, "test_elbo", e) ||
               runner_emit_scalar(ctx, "test_is", is);
    }
    if (cse_short_train(&sr.model, &sr.flow, iaf_elbo, &sr.run, sr.x, sr.n,
                        sr.iters, cse_stream_seed(ctx, 0)) != VG_OK)
        return runner_fail(ctx, "training with your iaf_elbo: %s", vg_error_last());
    if (not_implemented_which())
        return VG_OK;
    const size_t P = sr.model.n_params, F = sr.flow.n_params;
    for (size_t i = 0; i < P; i++)
        sr.params[i] = model_param_get(&sr.model, i);
    for (size_t i = 0; i < F; i++)
        sr.params[P + i] = iaf_param_get(&sr.flow, i);
    return runner_emit(ctx, "params", sr.params, P) ||
           runner_emit(ctx, "flow_params", sr.params + P, F);
}

const runner_task_t cse_tasks_short_run[] = {
    { "iaf_elbo.short_run", short_prepare, short_run },
};
const size_t n_cse_tasks_short_run =
    sizeof cse_tasks_short_run / sizeof cse_tasks_short_run[0];
