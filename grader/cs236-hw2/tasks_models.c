/* tasks_models.c: runner tasks for the bounds of vae.c, gmvae.c, ssvae.c
 * and fsvae.c: repeated evaluations on the test subset, the gradient of the
 * whole bound against central differences of the same function (common
 * random numbers), the backward contract (accumulate; nothing without
 * backward), the IWAE bounds (with the terms they fill), and short
 * training runs whose weights the driver hands to runner-ref for
 * evaluation, with the bound's own values on those weights from each side.
 * Every task reports numbers
 * only; means, spreads, tolerances and thresholds are the driver's.
 * Shapes: N digits, B batch, D data dimension, R repeats, G groups of B
 * digits, NIW importance-sample counts, P parameters, M checked
 * coordinates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "assignment.h"
#include "config.h"
#include "not_implemented.h"
#include "numcheck/finite_diff.h"
#include "runner/inputs.h"
#include "cs236-hw2/model_fixture.h"
#include "runner/runner.h"
#include "cs236-hw2/tasks.h"
#include "train.h"
#include "vg_error.h"

/* Rows the value, gradient and IWAE models are built for: the subset. */
#define SUBSET_ROWS 100
#define N_IW 4
static const size_t iw_values[N_IW] = { 1, 10, 100, 1000 };

/* Parts of a model's parameter block, in its layout enc | dec | cls |
 * prior (model.h); the driver names them in messages by this index. */
enum { PART_ENC = 0, PART_DEC, PART_CLS, PART_PRIOR, N_PARTS };

typedef struct model_task {
    model_kind_t kind;
    model_t model;
    size_t n, rows;            /* N digits used, rows allocated (>= N) */
    double *x, *y;             /* (rows,D) digits; (rows,Y) fsvae labels */
    size_t repeats, groups;    /* R, G */
    size_t n_iw;               /* importance-sample counts used */
    double *out;               /* task outputs, see each task */
    /* gradient task */
    size_t m;                  /* M coordinates */
    size_t *coord;             /* (M) parameter indices */
    double *part;              /* (M) part of each, as doubles to emit */
    double *analytic, *numeric; /* (M) */
    uint64_t noise_seed;
    /* short runs */
    train_data_t data;
    trainer_t trainer;
    train_bounds_t bounds;
    size_t iters;
    double *track;             /* (R) the bound's nelbo per call, trained weights */
} model_task_t;

static model_task_t task;

static int task_kind(runner_ctx_t *ctx)
{
    int k = mf_kind_of_task(ctx->task);
    if (k < 0)
        return runner_fail(ctx, "task %s names no model", ctx->task);
    task.kind = (model_kind_t)k;
    ctx->state = &task;
    return VG_OK;
}

/* The names of the terms a kind's bound fills (assignment.h). */
static size_t term_names(model_kind_t kind, const char *names[3])
{
    switch (kind) {
    case MODEL_SSVAE:
        names[0] = "kl_y", names[1] = "kl_z", names[2] = "rec";
        return 3;
    case MODEL_FSVAE:
        names[0] = "kl_z", names[1] = "rec";
        return 2;
    default:
        names[0] = "kl", names[1] = "rec";
        return 2;
    }
}

static double term_value(const bound_terms_t *t, const char *name)
{
    if (!strcmp(name, "kl"))
        return t->kl;
    if (!strcmp(name, "kl_y"))
        return t->kl_y;
    if (!strcmp(name, "kl_z"))
        return t->kl_z;
    return t->rec;
}

/* ---- value: R evaluations on N digits, independent noise each ------------ */

static int value_prepare(runner_ctx_t *ctx)
{
    if (task_kind(ctx))
        return VG_ERR;
    task.n = runner_param_size(ctx, "digits", SUBSET_ROWS, 1, SUBSET_ROWS);
    task.repeats = runner_param_size(ctx, "repeats", 100, 1, 100000);
    /* runner-ref may take more calls than the submission: its spread is the
     * tolerance's, and its results are cached. */
    if (ctx->role_ref)
        task.repeats = runner_param_size(ctx, "ref_repeats", task.repeats, 1, 100000);
    if (ctx->failed)
        return VG_ERR;
    task.rows = SUBSET_ROWS;
    if (mf_model(ctx, &task.model, task.kind, NN_FLOAT32, SUBSET_ROWS, 1,
                 ctx->seed) ||
        mf_digits(ctx, &task.x, &task.y, task.kind, task.n, task.rows))
        return VG_ERR;
    /* ret | nelbo | three terms, R each */
    task.out = inputs_block(ctx, 5 * task.repeats);
    if (!task.out)
        return VG_ERR;
    inputs_poison(task.out, 5 * task.repeats);
    return VG_OK;
}

/* runner-ref, ssvae: kl_z as two known mistakes would give it, for the
 * driver's hints: every label's KL weighted 1 (summed over y), and
 * weighted 1/Y (the plain mean over y), instead of q(y|x). The label rows
 * are y*B + b, as the reference lays them out; the KLs have no noise. */
static int ssvae_hints(runner_ctx_t *ctx)
{
    model_t *m = &task.model;
    const size_t B = task.n, Y = m->cfg.y_dim, Z = m->cfg.z_dim, D = m->cfg.x_dim;
    const size_t YB = Y * B;
    scratch_reset(m);
    double *xr = scratch_alloc(m, YB * D);   /* (YB,D) */
    double *yr = scratch_alloc(m, YB * Y);   /* (YB,Y) one-hot */
    double *qm = scratch_alloc(m, YB * Z);   /* (YB,Z) */
    double *qv = scratch_alloc(m, YB * Z);   /* (YB,Z) */
    double *pm = scratch_alloc(m, YB * Z);   /* (YB,Z) zeros */
    double *pv = scratch_alloc(m, YB * Z);   /* (YB,Z) ones */
    double *kl = scratch_alloc(m, YB);       /* (YB) */
    if (!xr || !yr || !qm || !qv || !pm || !pv || !kl)
        return runner_fail(ctx, "ssvae hints: %s", vg_error_last());
    for (size_t y = 0; y < Y; y++) {
        memcpy(xr + y * B * D, task.x, B * D * sizeof *xr);
        for (size_t b = 0; b < B; b++)
            yr[(y * B + b) * Y + y] = 1.0;
    }
    for (size_t i = 0; i < YB * Z; i++)
        pv[i] = 1.0;
    if (encoder_forward(m, qm, qv, xr, yr, YB) != VG_OK)
        return runner_fail(ctx, "ssvae hints: %s", vg_error_last());
    kl_normal(qm, qv, pm, pv, YB, Z, kl);
    double sum = 0;
    for (size_t i = 0; i < YB; i++)
        sum += kl[i];
    return runner_emit_scalar(ctx, "hint:kl_z_sum_y", sum / (double)B) ||
           runner_emit_scalar(ctx, "hint:kl_z_mean_y", sum / (double)YB);
}

/* A batch shorter than the buffer has NaN rows after it; one more call
 * with those rows finite (copies of the first digits) tells the driver
 * whether a NaN came from reading past the batch (it goes away) or from
 * the bound itself (it stays). */
static int pad_probe(runner_ctx_t *ctx)
{
    const size_t D = task.model.cfg.x_dim, Y = task.model.cfg.y_dim;
    const size_t pad = task.rows - task.n;
    if (pad > task.n)
        return runner_emit_scalar(ctx, "pad_probe_finite", -1);
    memcpy(task.x + task.n * D, task.x, pad * D * sizeof *task.x);
    if (task.y)
        memcpy(task.y + task.n * Y, task.y, pad * Y * sizeof *task.y);
    rng_t rng;
    bound_terms_t t;
    rng_seed(&rng, mf_stream_seed(ctx, task.repeats));
    double r = mf_elbo(&task.model, task.x, task.y, task.n, &rng, &t, 0);
    inputs_poison(task.x + task.n * D, pad * D);
    if (task.y)
        inputs_poison(task.y + task.n * Y, pad * Y);
    return runner_emit_scalar(ctx, "pad_probe_finite", isfinite(r) && isfinite(t.nelbo));
}

static int value_run(runner_ctx_t *ctx)
{
    const char *names[3];
    size_t nt = term_names(task.kind, names), R = task.repeats;
    double *ret = task.out, *nelbo = ret + R, *terms = nelbo + R;
    for (size_t r = 0; r < R; r++) {
        rng_t rng;
        bound_terms_t t;
        rng_seed(&rng, mf_stream_seed(ctx, r));
        ret[r] = mf_elbo(&task.model, task.x, task.y, task.n, &rng, &t, 0);
        if (not_implemented_which())
            return VG_OK;
        nelbo[r] = t.nelbo;
        for (size_t k = 0; k < nt; k++)
            terms[k * R + r] = term_value(&t, names[k]);
    }
    if (runner_emit(ctx, "ret", ret, R) || runner_emit(ctx, "nelbo", nelbo, R))
        return VG_ERR;
    for (size_t k = 0; k < nt; k++)
        if (runner_emit(ctx, names[k], terms + k * R, R))
            return VG_ERR;
    if (ctx->role_ref && task.kind == MODEL_SSVAE && ssvae_hints(ctx) != VG_OK)
        return VG_ERR;
    if (task.n < task.rows && pad_probe(ctx) != VG_OK)
        return VG_ERR;
    return runner_emit_scalar(ctx, "digits", (double)task.n);
}

/* ---- gradient: the whole bound against central differences -------------- */

typedef struct view {
    const void *p;   /* a view into the model's parameter block */
    size_t n;        /* its elements */
    size_t cols;     /* I of a weight matrix (O,I), 1 for a vector */
    int part;
} view_t;

static size_t offset_of(const model_t *m, const void *p)
{
    return (size_t)((const char *)p - (const char *)m->params) /
           (size_t)m->dtype;
}

/* Columns of the first layer a gradient can reach: inputs that are not 0
 * in some row (a weight from a pixel that is 0 everywhere has gradient 0,
 * and checks nothing). active (I) is 1 for those. */
static void active_inputs(unsigned char *active, size_t cols,
                          const double *x, const double *y, size_t batch,
                          size_t x_dim, size_t y_dim)
{
    memset(active, 0, cols);
    for (size_t b = 0; b < batch; b++) {
        for (size_t i = 0; i < x_dim && i < cols; i++)
            active[i] |= x[b * x_dim + i] != 0;
        for (size_t i = 0; y && i < y_dim && x_dim + i < cols; i++)
            active[x_dim + i] |= y[b * y_dim + i] != 0;
    }
    /* The ssvae's encoder sees every label (the expectation over y). */
    for (size_t i = x_dim; !y && i < cols; i++)
        active[i] = 1;
}

static void add_coord(size_t idx, int part)
{
    for (size_t j = 0; j < task.m; j++)
        if (task.coord[j] == idx)
            return;
    task.coord[task.m] = idx;
    task.part[task.m++] = part;
}

/* per_w weights and per_b biases of every layer of net, uniformly, first
 * layer's weights among active columns only. */
static void pick_net(runner_ctx_t *ctx, const mlp_t *net, int part,
                     size_t per_w, size_t per_b, const unsigned char *active)
{
    const model_t *m = &task.model;
    for (size_t l = 0; l < net->spec.n_layers; l++) {
        size_t I = net->spec.sizes[l], O = net->spec.sizes[l + 1];
        size_t w0 = offset_of(m, net->W[l]), b0 = offset_of(m, net->b[l]);
        for (size_t k = 0, tries = 0; k < per_w && tries < 100 * per_w; tries++) {
            size_t o = (size_t)rng_below(&ctx->in_rng, O);
            size_t i = (size_t)rng_below(&ctx->in_rng, I);
            if (l == 0 && active && !active[i])
                continue;
            add_coord(w0 + mlp_weight_index(&net->spec, l, o, i), part);
            k++;
        }
        for (size_t k = 0; k < per_b; k++)
            add_coord(b0 + (size_t)rng_below(&ctx->in_rng, O), part);
    }
}

/* The gmvae prior: the `comps` components nearest the batch's posterior
 * means (largest log N(qm_b | pm_k, pv_k) over b), where the gradient of
 * log p(z) is not negligible; per_c means and per_c raw variances each. */
static int pick_prior(runner_ctx_t *ctx, size_t comps, size_t per_c)
{
    model_t *m = &task.model;
    const size_t K = m->cfg.k, Z = m->cfg.z_dim, B = task.n;
    double *buf = inputs_block(ctx, 2 * K * Z + 2 * B * Z + 2 * K);
    if (!buf)
        return VG_ERR;
    double *raw = buf, *qm = raw + 2 * K * Z, *qv = qm + B * Z;  /* (2K,Z) (B,Z) (B,Z) */
    double *best = qv + B * Z;                                   /* (K) */
    double *taken = best + K;                                    /* (K) */
    prior_get(m, raw);
    if (encoder_forward(m, qm, qv, task.x, NULL, B) != VG_OK)
        return runner_fail(ctx, "encoder_forward: %s", vg_error_last());
    for (size_t k = 0; k < K; k++) {
        best[k] = -INFINITY;
        for (size_t b = 0; b < B; b++) {
            double lp = 0;
            for (size_t j = 0; j < Z; j++) {
                double v = softplus(raw[(K + k) * Z + j]) + 1e-8;
                double d = qm[b * Z + j] - raw[k * Z + j];
                lp -= 0.5 * (log(v) + d * d / v);
            }
            best[k] = fmax(best[k], lp);
        }
    }
    size_t p0 = offset_of(m, m->prior.raw);
    for (size_t c = 0; c < comps && c < K; c++) {
        size_t top = K;
        for (size_t k = 0; k < K; k++)
            if (!taken[k] && (top == K || best[k] > best[top]))
                top = k;
        taken[top] = 1;
        for (size_t s = 0; s < per_c; s++) {
            add_coord(p0 + top * Z + (size_t)rng_below(&ctx->in_rng, Z), PART_PRIOR);
            add_coord(p0 + (K + top) * Z + (size_t)rng_below(&ctx->in_rng, Z),
                      PART_PRIOR);
        }
    }
    return VG_OK;
}

static int gradient_prepare(runner_ctx_t *ctx)
{
    if (task_kind(ctx))
        return VG_ERR;
    size_t batch = runner_param_size(ctx, "batch", 5, 1, 20);
    size_t per_w = runner_param_size(ctx, "per_layer", 4, 1, 1000);
    size_t per_b = runner_param_size(ctx, "per_bias", 2, 0, 1000);
    size_t comps = runner_param_size(ctx, "prior_components", 4, 1, 100);
    size_t pretrained = runner_param_size(ctx, "pretrained", 1, 0, 1);
    if (ctx->failed)
        return VG_ERR;
    model_t *m = &task.model;
    /* float64, so the differences measure the bound and not float32's
     * rounding. */
    if (mf_model(ctx, m, task.kind, NN_FLOAT64, SUBSET_ROWS, (int)pretrained,
                 ctx->seed))
        return VG_ERR;
    double *all_x, *all_y;
    if (mf_digits(ctx, &all_x, &all_y, task.kind, SUBSET_ROWS, SUBSET_ROWS))
        return VG_ERR;
    /* B distinct digits of the subset, drawn from the inputs' stream. */
    const size_t D = m->cfg.x_dim, Y = m->cfg.y_dim;
    task.n = batch;
    task.x = inputs_block(ctx, batch * (D + Y));
    if (!task.x)
        return VG_ERR;
    task.y = all_y ? task.x + batch * D : NULL;
    size_t idx[SUBSET_ROWS];
    for (size_t i = 0; i < SUBSET_ROWS; i++)
        idx[i] = i;
    rng_shuffle(&ctx->in_rng, idx, SUBSET_ROWS);
    for (size_t b = 0; b < batch; b++) {
        memcpy(task.x + b * D, all_x + idx[b] * D, D * sizeof *task.x);
        if (task.y)
            memcpy(task.y + b * Y, all_y + idx[b] * Y, Y * sizeof *task.y);
    }
    /* Coordinates: every layer of every network, and the prior. */
    size_t cap = 3 * NN_MAX_LAYERS * (per_w + per_b) + 2 * comps * 4 * per_w + 1;
    double *block = inputs_block(ctx, 3 * cap);
    task.coord = calloc(cap, sizeof *task.coord);   /* (cap), freed by exit */
    if (!block || !task.coord)
        return runner_fail(ctx, "no memory for %zu coordinates", cap);
    task.part = block;                        /* (cap) */
    task.analytic = block + cap;              /* (cap) */
    task.numeric = block + 2 * cap;           /* (cap) */
    unsigned char active[1024];
    size_t cols = m->enc.net.spec.sizes[0];
    if (cols > sizeof active)
        return runner_fail(ctx, "encoder input of %zu columns", cols);
    active_inputs(active, cols, task.x, task.y, batch, D,
                  task.kind == MODEL_SSVAE ? Y : (task.y ? Y : 0));
    pick_net(ctx, &m->enc.net, PART_ENC, per_w, per_b, active);
    pick_net(ctx, &m->dec.net, PART_DEC, per_w, per_b, NULL);
    if (task.kind == MODEL_SSVAE)
        pick_net(ctx, &m->cls.net, PART_CLS, per_w, per_b, active);
    if (task.kind == MODEL_GMVAE && pick_prior(ctx, comps, per_w))
        return VG_ERR;
    task.noise_seed = mf_stream_seed(ctx, 0);
    return VG_OK;
}

/* The bound at the current parameters with the noise replayed: a smooth
 * deterministic function of the parameters (common random numbers). */
static double crn_value(void *unused)
{
    (void)unused;
    rng_t rng;
    bound_terms_t t;
    rng_seed(&rng, task.noise_seed);
    return mf_elbo(&task.model, task.x, task.y, task.n, &rng, &t, 0);
}

static double coord_get(void *unused, size_t j)
{
    (void)unused;
    return model_param_get(&task.model, task.coord[j]);
}

static void coord_set(void *unused, size_t j, double v)
{
    (void)unused;
    model_param_set(&task.model, task.coord[j], v);
}

static int gradient_run(runner_ctx_t *ctx)
{
    model_t *m = &task.model;
    double h = runner_param_double(ctx, "fd_step", 1e-4, 1e-9, 1e-1);
    if (ctx->failed)
        return VG_ERR;
    model_zero_grad(m);
    rng_t rng;
    bound_terms_t t;
    rng_seed(&rng, task.noise_seed);
    double value = mf_elbo(m, task.x, task.y, task.n, &rng, &t, 1);
    if (not_implemented_which())
        return VG_OK;
    /* How much gradient each part received at all: a part never reached
     * is named by the driver. */
    double part_abs[N_PARTS] = { 0 };
    size_t enc = m->enc.net.n_params, dec = m->dec.net.n_params;
    size_t cls = task.kind == MODEL_SSVAE ? m->cls.net.n_params : 0;
    for (size_t i = 0; i < m->n_params; i++) {
        int p = i < enc ? PART_ENC : i < enc + dec ? PART_DEC
              : i < enc + dec + cls ? PART_CLS : PART_PRIOR;
        part_abs[p] += fabs(model_grad_get(m, i));
    }
    for (size_t j = 0; j < task.m; j++)
        task.analytic[j] = model_grad_get(m, task.coord[j]);
    fd_problem_t p = { task.m, coord_get, coord_set, crn_value, NULL };
    cmp_report_t rep;
    fd_nonfinite_t nf;
    double coord_d[4096];
    if (task.m > 4096)
        return runner_fail(ctx, "%zu coordinates", task.m);
    size_t ident[4096];
    for (size_t j = 0; j < task.m; j++) {
        ident[j] = j;
        coord_d[j] = (double)task.coord[j];
    }
    int rc = fd_central(&rep, &nf, &p, h, ident, task.m, task.numeric,
                        "the bound's central differences");
    if (not_implemented_which())
        return VG_OK;
    if (rc != 0) {
        /* f itself not finite, or a coordinate that would not restore: the
         * driver reports the message. */
        snprintf(ctx->message, sizeof ctx->message, "%s", rep.message);
        inputs_poison(task.numeric, task.m);
    }
    double nonfinite[3] = { nf.seen, nf.seen ? coord_d[nf.coord] : -1,
                            nf.seen ? nf.value : 0 };
    if (runner_emit_scalar(ctx, "value", value) ||
        runner_emit(ctx, "part_abs", part_abs, N_PARTS) ||
        runner_emit(ctx, "coord", coord_d, task.m) ||
        runner_emit(ctx, "part", task.part, task.m) ||
        runner_emit(ctx, "analytic", task.analytic, task.m) ||
        runner_emit(ctx, "numeric", task.numeric, task.m) ||
        runner_emit(ctx, "fd_nonfinite", nonfinite, 3) ||
        runner_emit_scalar(ctx, "fd_failed", rc != 0))
        return VG_ERR;
    return VG_OK;
}

/* ---- backward contract: accumulate, and nothing without backward -------- */

static int contract_prepare(runner_ctx_t *ctx)
{
    if (task_kind(ctx))
        return VG_ERR;
    const char *c = runner_param_str(ctx, "case", "accumulates");
    if (strcmp(c, "accumulates") && strcmp(c, "no_backward"))
        return runner_fail(ctx, "case=%s: accumulates or no_backward", c);
    task.n = runner_param_size(ctx, "batch", 5, 1, SUBSET_ROWS);
    if (ctx->failed)
        return VG_ERR;
    if (mf_model(ctx, &task.model, task.kind, NN_FLOAT64, SUBSET_ROWS, 1,
                 ctx->seed) ||
        mf_digits(ctx, &task.x, &task.y, task.kind, task.n, SUBSET_ROWS))
        return VG_ERR;
    size_t P = task.model.n_params;
    task.out = inputs_block(ctx, 3 * P);   /* (P) first, (P) second, (P) probe */
    if (!task.out)
        return VG_ERR;
    task.noise_seed = mf_stream_seed(ctx, 0);
    return VG_OK;
}

static void grads_copy(double *dst, const model_t *m)
{
    for (size_t i = 0; i < m->n_params; i++)
        dst[i] = model_grad_get(m, i);
}

static int contract_run(runner_ctx_t *ctx)
{
    model_t *m = &task.model;
    size_t P = m->n_params;
    double *first = task.out, *second = task.out + P;
    int accumulates = !strcmp(runner_param_str(ctx, "case", "accumulates"),
                              "accumulates");
    rng_t rng;
    bound_terms_t t;
    if (accumulates) {
        /* Twice from zero with the same noise: the second call must add
         * the same gradient again. */
        model_zero_grad(m);
        rng_seed(&rng, task.noise_seed);
        mf_elbo(m, task.x, task.y, task.n, &rng, &t, 1);
        grads_copy(first, m);
        rng_seed(&rng, task.noise_seed);
        mf_elbo(m, task.x, task.y, task.n, &rng, &t, 1);
        grads_copy(second, m);
    } else {
        /* First what backward = 1 adds from zero (the driver wants it
         * plausible: leaving gradients alone is only worth points for a
         * bound that writes them when asked), then random gradients (the
         * model is float64: its block is doubles) and a call without
         * backward: they must be left alone. */
        model_zero_grad(m);
        rng_seed(&rng, task.noise_seed);
        mf_elbo(m, task.x, task.y, task.n, &rng, &t, 1);
        grads_copy(task.out + 2 * P, m);
        double *g = m->grads;
        inputs_normal(&ctx->in_rng, g, P, 0.0, 1.0);
        grads_copy(first, m);
        rng_seed(&rng, task.noise_seed);
        mf_elbo(m, task.x, task.y, task.n, &rng, &t, 0);
        grads_copy(second, m);
    }
    if (not_implemented_which())
        return VG_OK;
    const double *probe = accumulates ? first : task.out + 2 * P;
    /* The driver holds the submission's gradient to the size of the
     * reference's: runner-ref sends that one number, not three arrays of
     * the model's size (megabytes per case in a release's data). */
    if (ctx->role_ref) {
        double l1 = 0;
        for (size_t i = 0; i < P; i++)
            l1 += fabs(probe[i]);
        return runner_emit_scalar(ctx, "probe_l1", l1);
    }
    if (runner_emit(ctx, "first", first, P) ||
        runner_emit(ctx, "second", second, P) ||
        runner_emit(ctx, "probe", probe, P))
        return VG_ERR;
    return VG_OK;
}

/* ---- IWAE: iw = 1, 10, 100, 1000 and the ELBO on the same noise -------- */

static int iwae_prepare(runner_ctx_t *ctx)
{
    if (task_kind(ctx))
        return VG_ERR;
    task.n = runner_param_size(ctx, "digits", 20, 1, SUBSET_ROWS);
    size_t group = runner_param_size(ctx, "group", 5, 1, SUBSET_ROWS);
    task.repeats = runner_param_size(ctx, "repeats", 4, 1, 10000);
    if (ctx->role_ref)
        task.repeats = runner_param_size(ctx, "ref_repeats", task.repeats, 1, 10000);
    size_t max_iw = runner_param_size(ctx, "max_iw", 1000, 1, 1000);
    if (ctx->failed)
        return VG_ERR;
    if (task.n % group)
        return runner_fail(ctx, "digits=%zu is not a multiple of group=%zu",
                           task.n, group);
    task.groups = task.n / group;
    task.n_iw = 0;
    while (task.n_iw < N_IW && iw_values[task.n_iw] <= max_iw)
        task.n_iw++;
    if (mf_model(ctx, &task.model, task.kind, NN_FLOAT32, SUBSET_ROWS, 1,
                 ctx->seed) ||
        mf_digits(ctx, &task.x, &task.y, task.kind, task.n, SUBSET_ROWS))
        return VG_ERR;
    size_t RG = task.repeats * task.groups;
    /* niwae | kl | rec (NIW,R,G) each | elbo (R,G) */
    task.out = inputs_block(ctx, (3 * N_IW + 1) * RG);
    if (!task.out)
        return VG_ERR;
    inputs_poison(task.out, (3 * N_IW + 1) * RG);
    return VG_OK;
}

static int iwae_run(runner_ctx_t *ctx)
{
    const size_t R = task.repeats, G = task.groups, RG = R * G;
    const size_t B = task.n / G, D = task.model.cfg.x_dim;
    double *niwae = task.out, *kl = niwae + N_IW * RG, *rec = kl + N_IW * RG;
    double *elbo = rec + N_IW * RG;
    rng_t rng;
    bound_terms_t t;
    /* runner-ref also gives the ELBO on its calls, for the check that
     * iw = 1 is the ELBO; the submission's runner never calls its own ELBO
     * here, so a broken ELBO costs the ELBO's checks, not this one. */
    for (size_t r = 0; ctx->role_ref && r < R; r++)
        for (size_t g = 0; g < G; g++) {
            rng_seed(&rng, mf_stream_seed(ctx, r * G + g));
            elbo[r * G + g] = mf_elbo(&task.model, task.x + g * B * D, NULL, B,
                                      &rng, &t, 0);
        }
    /* Each (repeat, group) replays one seed for every iw: whatever order
     * the noise is drawn in, a paired difference between two iw values is
     * a difference on the same digits. */
    for (size_t i = 0; i < task.n_iw; i++)
        for (size_t r = 0; r < R; r++)
            for (size_t g = 0; g < G; g++) {
                rng_seed(&rng, mf_stream_seed(ctx, r * G + g));
                size_t at = (i * R + r) * G + g;
                niwae[at] = mf_iwae(&task.model, task.x + g * B * D, B,
                                    iw_values[i], &rng, &t);
                if (not_implemented_which())
                    return VG_OK;
                /* The ELBO's terms from the first importance sample
                 * (assignment.h): their expectation is the ELBO's. */
                kl[at] = t.kl;
                rec[at] = t.rec;
            }
    double iws[N_IW], shape[2] = { (double)R, (double)G };
    for (size_t i = 0; i < task.n_iw; i++)
        iws[i] = (double)iw_values[i];
    if (runner_emit(ctx, "iw", iws, task.n_iw) ||
        runner_emit(ctx, "shape", shape, 2) ||
        runner_emit(ctx, "niwae", niwae, task.n_iw * RG) ||
        runner_emit(ctx, "kl", kl, task.n_iw * RG) ||
        runner_emit(ctx, "rec", rec, task.n_iw * RG) ||
        (ctx->role_ref && runner_emit(ctx, "elbo", elbo, RG)))
        return VG_ERR;
    return VG_OK;
}

/* ---- short runs: the submission trains, runner-ref evaluates ------------ */

/* The run length of thresholds.json for kind (the driver compares the same
 * file's statistics), unless the profile set one. */
static int short_iters(runner_ctx_t *ctx, size_t *iters)
{
    *iters = runner_param_size(ctx, "iters", 0, 0, 1000000);
    if (ctx->failed || *iters)
        return ctx->failed ? VG_ERR : VG_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/thresholds.json",
             ctx->fixtures ? ctx->fixtures : "fixtures");
    FILE *f = fopen(path, "rb");
    if (!f)
        return runner_fail(ctx, "%s is missing (make fixtures makes it)", path);
    char *text = malloc(1 << 20);
    size_t len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!text)
        return runner_fail(ctx, "no memory");
    text[len] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(doc, "runs");
    const cJSON *run = cJSON_GetObjectItemCaseSensitive(runs, config_kind_name(task.kind));
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(run, "iters");
    if (cJSON_IsNumber(it) && it->valuedouble >= 1)
        *iters = (size_t)it->valuedouble;
    cJSON_Delete(doc);
    if (!*iters)
        return runner_fail(ctx, "%s has no runs.%s.iters", path,
                           config_kind_name(task.kind));
    return VG_OK;
}

/* The test subset and the buffer of track(), before the filter. */
static int track_prepare(runner_ctx_t *ctx)
{
    task.repeats = runner_param_size(ctx, ctx->role_ref ? "track_ref_repeats"
                                     : "track_repeats", ctx->role_ref ? 40 : 10,
                                     2, 10000);
    if (ctx->failed ||
        mf_digits(ctx, &task.x, &task.y, task.kind, SUBSET_ROWS, SUBSET_ROWS))
        return VG_ERR;
    task.track = inputs_block(ctx, task.repeats);   /* (R) */
    return task.track ? VG_OK : VG_ERR;
}

static int short_prepare(runner_ctx_t *ctx)
{
    if (task_kind(ctx))
        return VG_ERR;
    if (short_iters(ctx, &task.iters))
        return VG_ERR;
    model_config_t mcfg = config_model_default(task.kind);
    train_config_t tcfg = config_train_default();
    size_t labelled = task.kind == MODEL_SSVAE
                          ? tcfg.n_labelled_per_class * mcfg.y_dim : 0;
    size_t max_batch = tcfg.batch > labelled ? tcfg.batch : labelled;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/mnist-full", ctx->fixtures ? ctx->fixtures : "fixtures");
    if (model_create(&task.model, &mcfg, NN_FLOAT32, max_batch, ctx->seed) != VG_OK)
        return runner_fail(ctx, "model_create: %s", vg_error_last());
    if (ctx->role_ref) {
        /* Evaluation only: the weights come on the input pipe. */
        const proto_array_t *w = runner_input(ctx, "params");
        if (!w || w->n != task.model.n_params)
            return runner_fail(ctx, "expected %zu trained parameters on the "
                               "input pipe, got %zu", task.model.n_params,
                               w ? w->n : 0);
        for (size_t i = 0; i < w->n; i++)
            model_param_set(&task.model, i, w->data[i]);
        /* t10k for ssvae's accuracy; the subset comes from mf_digits */
        if (task.kind == MODEL_SSVAE &&
            train_data_load_parts(&task.data, dir, TRAIN_DATA_TEST) != VG_OK)
            return runner_fail(ctx, "%s", vg_error_last());
        return track_prepare(ctx);
    }
    task.bounds.elbo = task.kind == MODEL_VAE ? vae_negative_elbo_bound
                     : task.kind == MODEL_GMVAE ? gmvae_negative_elbo_bound
                     : ssvae_negative_elbo_bound;
    if (train_data_load_parts(&task.data, dir, TRAIN_DATA_TRAIN) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    if (trainer_create(&task.trainer, &task.model, &task.bounds,
                       &task.data.train, &tcfg, ctx->seed, task.iters) != VG_OK)
        return runner_fail(ctx, "trainer_create: %s", vg_error_last());
    task.out = inputs_block(ctx, task.model.n_params);
    return task.out ? track_prepare(ctx) : VG_ERR;
}

/* The bound's own values on the trained weights, called as the training
 * called it (backward = 0 here) on the test subset with fresh noise per
 * call: the submission's runner reports its bound's, runner-ref the
 * reference bound's on the same weights, and the driver wants them to
 * agree. A bound that reports 0 or a constant while its backward (or a
 * side channel) trains the model is caught here. (R) per call. */
static int track(runner_ctx_t *ctx)
{
    for (size_t r = 0; r < task.repeats; r++) {
        rng_t rng;
        bound_terms_t t;
        rng_seed(&rng, mf_stream_seed(ctx, r));
        task.track[r] = mf_elbo(&task.model, task.x, task.y, SUBSET_ROWS,
                                &rng, &t, 0);
        if (not_implemented_which())
            return VG_OK;
    }
    return runner_emit(ctx, "track_nelbo", task.track, task.repeats);
}

static int short_eval(runner_ctx_t *ctx)
{
    if (track(ctx) != VG_OK)
        return VG_ERR;
    if (task.kind == MODEL_SSVAE) {
        double acc;
        if (eval_accuracy(&acc, &task.model, task.data.test.x,
                          task.data.test.y, task.data.test.n) != VG_OK)
            return runner_fail(ctx, "eval_accuracy: %s", vg_error_last());
        if (runner_emit_scalar(ctx, "accuracy", acc))
            return VG_ERR;
    }
    /* The test NELBO for every model, the ssvae's too: its accuracy alone
     * does not show the bound (the labelled loss trains the classifier
     * whatever the bound does), its NELBO does. */
    train_bounds_t ref = { 0 };
    ref.elbo = task.kind == MODEL_VAE ? vae_negative_elbo_bound
             : task.kind == MODEL_GMVAE ? gmvae_negative_elbo_bound
                                        : ssvae_negative_elbo_bound;
    bound_terms_t t;
    if (eval_elbo(&t, &task.model, &ref, task.x, NULL, SUBSET_ROWS,
                  EVAL_REPEATS, EVAL_SEED) != VG_OK)
        return runner_fail(ctx, "eval_elbo: %s", vg_error_last());
    return runner_emit_scalar(ctx, "nelbo", t.nelbo) ||
           runner_emit_scalar(ctx, "kl", t.kl) ||
           runner_emit_scalar(ctx, "rec", t.rec);
}

/* Not trainer_ms_per_iter: its median sorts with glibc's qsort, which
 * asks the kernel for the memory size (sysinfo), which the filter forbids. */
static int short_run(runner_ctx_t *ctx)
{
    if (ctx->role_ref)
        return short_eval(ctx);
    size_t step = 0;
    int failed = 0;
    for (; step < task.iters; step++) {
        if (trainer_step(&task.trainer) != VG_OK) {
            failed = 1;
            break;
        }
    }
    if (not_implemented_which())
        return VG_OK;
    if (failed)
        snprintf(ctx->message, sizeof ctx->message, "%s", vg_error_last());
    /* The weights are taken before the bound runs again on them. */
    for (size_t i = 0; i < task.model.n_params; i++)
        task.out[i] = model_param_get(&task.model, i);
    if (runner_emit(ctx, "params", task.out, task.model.n_params) ||
        runner_emit_scalar(ctx, "iters", (double)task.iters) ||
        runner_emit_scalar(ctx, "failed_step", failed ? (double)step : -1.0) ||
        runner_emit_scalar(ctx, "running_loss", trainer_running_loss(&task.trainer)))
        return VG_ERR;
    return failed ? VG_OK : track(ctx);
}

/* ---- the table ------------------------------------------------------------ */

#define MODEL_TASKS(prefix)                                                    \
    { prefix "_negative_elbo_bound.value", value_prepare, value_run },         \
    { prefix "_negative_elbo_bound.gradient", gradient_prepare, gradient_run }, \
    { prefix "_negative_elbo_bound.backward_contract", contract_prepare,       \
      contract_run }

const runner_task_t tasks_models[] = {
    MODEL_TASKS("vae"),
    MODEL_TASKS("gmvae"),
    MODEL_TASKS("ssvae"),
    MODEL_TASKS("fsvae"),
    { "vae_negative_iwae_bound.values", iwae_prepare, iwae_run },
    { "gmvae_negative_iwae_bound.values", iwae_prepare, iwae_run },
};
const size_t n_tasks_models = sizeof tasks_models / sizeof tasks_models[0];

/* A table of their own: runner-eval holds these alone (eval_tasks.c). */
const runner_task_t tasks_short_runs[] = {
    { "vae_negative_elbo_bound.short_run", short_prepare, short_run },
    { "gmvae_negative_elbo_bound.short_run", short_prepare, short_run },
    { "ssvae_negative_elbo_bound.short_run", short_prepare, short_run },
};
const size_t n_tasks_short_runs = sizeof tasks_short_runs / sizeof tasks_short_runs[0];
