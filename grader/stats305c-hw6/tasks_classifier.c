/* tasks_classifier.c: runner tasks of bce.c and classifier.c (problem 2):
 * the mean BCE with logits on random and extreme logits and its backward
 * (runner/grad_task.h: the reference's gradient verified by central
 * differences in runner-ref), the classifier's loss on the course's
 * annulus data and its gradient in the network's 35 parameters, and the
 * student's training run, whose weights runner-ref scores (accuracy on
 * the training points, cls_run.h). Shapes: N points or logits, P
 * parameters, T iterations. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "runner/grad_task.h"
#include "runner/inputs.h"
#include "runner/runner.h"
#include "stats305c-hw6/cls_run.h"
#include "stats305c-hw6/fixture.h"
#include "stats305c-hw6/tasks.h"
#include "vg_error.h"

#define BCE_N 12

/* ---- bce_with_logits_mean: values and backward ---------------------------- */

typedef struct bce_state {
    size_t n;
    double logits[BCE_N], y[BCE_N];   /* (N) */
    double dout[1], out[1];
    grad_case_t g;
} bce_state_t;

static bce_state_t bs;

/* Extreme logits: +-1e3 (a rounded sigmoid is 0 or 1 there), +-40 (its
 * complement under 1e-17), +-1e-8, and ordinary ones; each label drawn. */
static void extreme_logits(runner_ctx_t *ctx, double *l, size_t n)
{
    static const double mag[] = { 1e3, 700, 40, 1e-8 };
    for (size_t i = 0; i < n; i++) {
        double m = i < 8 ? mag[i / 2] : 3 * rng_normal(&ctx->in_rng);
        l[i] = i % 2 ? -m : m;
    }
}

static int bce_values_prepare(runner_ctx_t *ctx)
{
    ctx->state = &bs;
    s305_testing_file = "bce.c";
    const char *c = runner_param_str(ctx, "case", "random");
    bs.n = BCE_N;
    if (strcmp(c, "extreme") == 0) {
        extreme_logits(ctx, bs.logits, bs.n);
    } else if (strcmp(c, "random") == 0) {
        bs.n = 7; /* N is an argument */
        inputs_normal(&ctx->in_rng, bs.logits, bs.n, 0, 3);
    } else {
        return runner_fail(ctx, "parameter case=%s: expected random or extreme", c);
    }
    s305_binary(ctx, bs.y, bs.n);
    return ctx->failed ? VG_ERR : VG_OK;
}

static int bce_values_run(runner_ctx_t *ctx)
{
    bs.out[0] = bce_with_logits_mean(bs.logits, bs.y, bs.n);
    return runner_emit(ctx, "out", bs.out, 1);
}

static double bce_objective(void *p)
{
    (void)p;
    return bs.dout[0] * bce_with_logits_mean(bs.logits, bs.y, bs.n);
}

static void bce_backward(void *p, double *const grad[GRAD_MAX_INPUTS])
{
    (void)p;
    bce_with_logits_mean_backward(grad[0], bs.dout[0], bs.logits, bs.y, bs.n);
}

static int bce_backward_prepare(runner_ctx_t *ctx)
{
    ctx->state = &bs;
    s305_testing_file = "bce.c";
    bs.n = 9;
    inputs_normal(&ctx->in_rng, bs.logits, bs.n, 0, 3);
    s305_binary(ctx, bs.y, bs.n);
    inputs_normal(&ctx->in_rng, bs.dout, 1, 0, 1);
    grad_case_t *g = &bs.g;
    memset(g, 0, sizeof *g);
    g->n_in = 1;
    g->name[0] = "logits";
    g->in[0] = bs.logits;
    g->len[0] = bs.n;
    g->objective = bce_objective;
    g->backward = bce_backward;
    g->task_state = &bs;
    return grad_prepare(ctx, g);
}

static int bce_backward_run(runner_ctx_t *ctx)
{
    return grad_run(ctx, &bs.g);
}

/* ---- classifier_loss and train_classifier ---------------------------------- */

typedef struct cls_state {
    annulus_net_t net;
    size_t n, iters;
    double lr;
    double *x, *y;          /* (N,2), (N) */
    double *g0, *out;       /* (P) starting gradients, (P + T) outputs */
} cls_state_t;

static cls_state_t cs;

static int cls_prepare_common(runner_ctx_t *ctx, size_t out_n)
{
    ctx->state = &cs;
    stats305c_config_t sc = config_stats305c_hw6();
    cs.n = sc.annulus_n;
    cs.iters = sc.cls_iters;
    cs.lr = sc.cls_lr;
    if (annulus_net_create(&cs.net, cs.n, ctx->seed) != VG_OK)
        return runner_fail(ctx, "annulus_net_create: %s", vg_error_last());
    double *b = inputs_block(ctx, 3 * cs.n + cs.net.n_params + out_n);
    if (!b)
        return VG_ERR;
    cs.x = b;
    cs.y = b + 2 * cs.n;
    cs.g0 = cs.y + cs.n;
    cs.out = cs.g0 + cs.net.n_params;
    inputs_poison(cs.out, out_n);
    s305_cls_data(ctx->seed, cs.x, cs.y, cs.n);
    return VG_OK;
}

static int loss_prepare(runner_ctx_t *ctx)
{
    return cls_prepare_common(ctx, 1);
}

static int loss_run(runner_ctx_t *ctx)
{
    cs.out[0] = classifier_loss(&cs.net, cs.x, cs.y, cs.n, 0);
    return runner_emit(ctx, "out", cs.out, 1);
}

/* The gradient from random starting values of net->grads, so that a
 * backward that overwrites (=) instead of adding shows: what it added is
 * emitted as "d_params", the raw accumulator as "d_params.raw" (eval_gradient's names). */
static int grad_prepare_cls(runner_ctx_t *ctx)
{
    if (cls_prepare_common(ctx, 2 * 35 + 1))
        return VG_ERR;
    if (cs.net.n_params != 35)
        return runner_fail(ctx, "the network has %zu parameters, not 35",
                           cs.net.n_params);
    inputs_normal(&ctx->in_rng, cs.g0, cs.net.n_params, 0, 1);
    return VG_OK;
}

static int grad_run_cls(runner_ctx_t *ctx)
{
    const size_t P = cs.net.n_params;
    memcpy(cs.net.grads, cs.g0, P * sizeof *cs.g0);
    double v = classifier_loss(&cs.net, cs.x, cs.y, cs.n, 1);
    double *grad = cs.out, *raw = cs.out + P;
    for (size_t i = 0; i < P; i++) {
        raw[i] = cs.net.grads[i];
        grad[i] = raw[i] - cs.g0[i];
    }
    return runner_emit(ctx, "d_params", grad, P) ||
           runner_emit(ctx, "d_params.raw", raw, P) ||
           runner_emit_scalar(ctx, "value", v);
}

/* runner-sub trains with the submission's train_classifier and emits the
 * weights and its losses; runner-ref, given those weights, emits the
 * training accuracy (annulus_net_accuracy: trusted code), the accuracy of
 * its own run from the same seed, and, for the message, the loss at the
 * initial and the trained weights by its own classifier_loss. */
static int train_prepare(runner_ctx_t *ctx)
{
    stats305c_config_t sc = config_stats305c_hw6();
    if (cls_prepare_common(ctx, sc.cls_iters + 35 + 2))  /* + ref: 2 + T */
        return VG_ERR;
    if (!ctx->role_ref)
        return VG_OK;
    /* Scoring only: the weights come on the input pipe. */
    const proto_array_t *w = runner_input(ctx, "params");
    if (!w || w->n != cs.net.n_params)
        return runner_fail(ctx, "expected %zu trained parameters on the input "
                           "pipe, got %zu", cs.net.n_params, w ? w->n : 0);
    cs.out[0] = classifier_loss(&cs.net, cs.x, cs.y, cs.n, 0);
    /* The reference's own run from the same seed: rounding alone moves a
     * correct run's accuracy from it a little (checks_classifier.c). */
    annulus_net_t own;
    if (annulus_net_create(&own, cs.n, ctx->seed) != VG_OK)
        return runner_fail(ctx, "annulus_net_create: %s", vg_error_last());
    int rc = train_classifier(&own, cs.x, cs.y, cs.n, cs.lr, cs.iters, cs.out + 2);
    cs.out[1] = rc == 0 ? annulus_net_accuracy(&own, cs.x, cs.y, cs.n) : NAN;
    annulus_net_free(&own);
    memcpy(cs.net.params, w->data, cs.net.n_params * sizeof *w->data);
    return VG_OK;
}

static int train_run(runner_ctx_t *ctx)
{
    const size_t P = cs.net.n_params;
    if (ctx->role_ref) {
        double acc = annulus_net_accuracy(&cs.net, cs.x, cs.y, cs.n);
        double loss = classifier_loss(&cs.net, cs.x, cs.y, cs.n, 0);
        return runner_emit_scalar(ctx, "accuracy", acc) ||
               runner_emit_scalar(ctx, "ref_accuracy", cs.out[1]) ||
               runner_emit_scalar(ctx, "initial_loss", cs.out[0]) ||
               runner_emit_scalar(ctx, "final_loss", loss);
    }
    double *losses = cs.out, *params = cs.out + cs.iters;
    int rc = train_classifier(&cs.net, cs.x, cs.y, cs.n, cs.lr, cs.iters, losses);
    if (not_implemented_which())
        return VG_OK;
    if (rc != 0)
        return runner_fail(ctx, "train_classifier returned %d (failure)", rc);
    memcpy(params, cs.net.params, P * sizeof *params);
    return runner_emit(ctx, "params", params, P) ||
           runner_emit(ctx, "losses", losses, cs.iters);
}

const runner_task_t s305_tasks_classifier[] = {
    { "bce_with_logits_mean.values", bce_values_prepare, bce_values_run },
    { "bce_with_logits_mean.backward", bce_backward_prepare, bce_backward_run },
    { "classifier_loss.values", loss_prepare, loss_run },
    { "classifier_loss.gradient", grad_prepare_cls, grad_run_cls },
    { "train_classifier.run", train_prepare, train_run },
};
const size_t n_s305_tasks_classifier =
    sizeof s305_tasks_classifier / sizeof s305_tasks_classifier[0];
