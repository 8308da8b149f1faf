/* tasks_lse.c: runner tasks for log_mean_exp and log_sum_exp: one scalar
 * per input vector, over vectors of ordinary values, of extreme ones (one
 * element, +-1e300, values that cancel) and of values shifted far from 0
 * (+-1000 and beyond: exp overflows or underflows unless shifted).
 * In runner-ref each also emits the other function's values as a hint. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "cs236-hw2/tasks.h"
#include "vg_error.h"

#define LSE_VECTORS 8
#define LSE_MAX_N 1000

typedef struct lse_state {
    size_t n_vec;
    size_t len[LSE_VECTORS];
    double *x[LSE_VECTORS];      /* (len[i]) */
    double out[LSE_VECTORS], alt[LSE_VECTORS];
} lse_state_t;

static const size_t lengths[LSE_VECTORS] = { 1, 2, 3, 7, 10, 100, 500, 1000 };

static int lse_prepare(runner_ctx_t *ctx)
{
    static lse_state_t s;
    const char *c = runner_param_str(ctx, "case", "random");
    int mode = strcmp(c, "random") == 0 ? 0 : strcmp(c, "extreme") == 0 ? 1
             : strcmp(c, "stable") == 0 ? 2 : -1;
    if (mode < 0)
        return runner_fail(ctx, "parameter case=%s: expected random, extreme or stable", c);
    size_t total = 0;
    for (size_t i = 0; i < LSE_VECTORS; i++)
        total += lengths[i];
    double *block = inputs_block(ctx, total);
    if (!block)
        return VG_ERR;
    s.n_vec = LSE_VECTORS;
    for (size_t i = 0; i < LSE_VECTORS; i++) {
        s.len[i] = lengths[i];
        s.x[i] = block;
        block += lengths[i];
        s.out[i] = NAN;
        double *x = s.x[i];
        size_t n = s.len[i];
        if (mode == 0) {
            inputs_normal(&ctx->in_rng, x, n, 0, 3);
        } else if (mode == 1) {
            /* i: 0 one huge value, 1 +-1e300, 2 DBL_MAX twice and a
             * small one, 3 all equal, else wide spreads. */
            if (i == 0)
                x[0] = -1e300;
            else if (i == 1) {
                x[0] = 1e300;
                x[1] = -1e300;
            } else if (i == 2) {
                x[0] = x[1] = DBL_MAX;
                x[2] = 0;
            } else if (i == 3) {
                for (size_t j = 0; j < n; j++)
                    x[j] = -12.25;
            } else {
                inputs_normal(&ctx->in_rng, x, n, 0, 200);
            }
        } else {
            /* Far from 0: exp(x) is 0 or Inf for every element. */
            double centre = (i % 2 ? -1.0 : 1.0) * (1000.0 + 500.0 * (double)i);
            inputs_normal(&ctx->in_rng, x, n, centre, 3);
        }
    }
    ctx->state = &s;
    return VG_OK;
}

static int run_with(runner_ctx_t *ctx, double (*f)(const double *, size_t),
                    double (*other)(const double *, size_t), const char *hint)
{
    lse_state_t *s = ctx->state;
    for (size_t i = 0; i < s->n_vec; i++)
        s->out[i] = f(s->x[i], s->len[i]);
    if (runner_emit(ctx, "out", s->out, s->n_vec))
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    for (size_t i = 0; i < s->n_vec; i++)
        s->alt[i] = other(s->x[i], s->len[i]);
    double lens[LSE_VECTORS];
    for (size_t i = 0; i < s->n_vec; i++)
        lens[i] = (double)s->len[i];
    runner_emit(ctx, "n", lens, s->n_vec);
    return runner_emit(ctx, hint, s->alt, s->n_vec);
}

static int lme_run(runner_ctx_t *ctx)
{
    return run_with(ctx, log_mean_exp, log_sum_exp, "hint:log_sum_exp");
}

static int lse_run(runner_ctx_t *ctx)
{
    return run_with(ctx, log_sum_exp, log_mean_exp, "hint:log_mean_exp");
}

const runner_task_t tasks_lse[] = {
    { "log_mean_exp.values", lse_prepare, lme_run },
    { "log_sum_exp.values", lse_prepare, lse_run },
};
const size_t n_tasks_lse = sizeof tasks_lse / sizeof tasks_lse[0];
