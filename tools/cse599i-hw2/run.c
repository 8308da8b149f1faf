/* run.c: run.h's training runs of cse599i-train. */
#include "run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "train.h"
#include "vg_error.h"

static const char *const kind_names[CSE_N_KINDS] = {"gauss", "discrete",
                                                    "iaf"};

const char *cse_kind_name(cse_kind_t kind)
{
    return kind < CSE_N_KINDS ? kind_names[kind] : "?";
}

int cse_kind_from_name(const char *name)
{
    for (int k = 0; k < CSE_N_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

int cse_run_create(cse_run_t *r, cse_kind_t kind, const cse_data_t *d,
                   uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->cfg = config_cse599i_hw2();
    r->loss_ema = NAN;
    const model_config_t mc = config_model_cse599i_hw2();
    const train_config_t *tc = &r->cfg.train;
    const size_t N = d->all.train.n, B = tc->batch, D = mc.x_dim;
    if (d->all.train.d != D || N < B)
        return vg_error_set("cse_run_create: %zu training digits of %zu "
                            "pixels; the model needs %zu-pixel digits and a "
                            "batch of %zu", N, d->all.train.d, D, B);
    if (model_create(&r->model, &mc, NN_FLOAT32, B, seed) != VG_OK ||
        adam_init(&r->opt, r->model.n_params, r->model.dtype, tc->lr,
                  tc->beta1, tc->beta2, tc->adam_eps) != VG_OK)
        return VG_ERR;
    model_zero_grad(&r->model);
    if (kind == CSE_IAF) {
        if (iaf_create(&r->flow, &r->cfg.iaf, NN_FLOAT32, B, seed + 1) != VG_OK ||
            adam_init(&r->opt_flow, r->flow.n_params, r->flow.dtype, tc->lr,
                      tc->beta1, tc->beta2, tc->adam_eps) != VG_OK)
            return VG_ERR;
        iaf_zero_grad(&r->flow);
    }
    r->order = malloc(N * sizeof *r->order);
    r->xb = malloc(B * D * sizeof *r->xb);
    if (!r->order || !r->xb)
        return vg_error_set("cse_run_create: out of memory");
    for (size_t i = 0; i < N; i++)
        r->order[i] = i;
    /* Streams apart from the model's initialisation, and from each other. */
    rng_seed(&r->rng_order, seed ^ 0x0c5e599100000001ULL);
    rng_seed(&r->rng_binarise, seed ^ 0x0c5e599100000002ULL);
    rng_seed(&r->rng_bound, seed ^ 0x0c5e599100000003ULL);
    r->pos = N; /* the first step shuffles */
    return VG_OK;
}

double cse_run_elbo(cse_run_t *r, const double *x, size_t batch, rng_t *rng,
                    int backward)
{
    scratch_reset(&r->model);
    switch (r->kind) {
    case CSE_GAUSS:
        return gaussian_elbo(&r->model, x, batch, r->cfg.sigma, rng, backward);
    case CSE_DISCRETE:
        return discrete_output_elbo(&r->model, x, batch, rng, backward);
    default:
        return iaf_elbo(&r->model, &r->flow, x, batch, rng, backward);
    }
}

/* Adam descends: the ELBO's gradient, negated, is the loss's; the step
 * consumes (zeroes) it for the next backward to accumulate into. */
static void descend(adam_t *opt, void *params, void *grads, size_t n)
{
    float *g = grads;
    for (size_t i = 0; i < n; i++)
        g[i] = -g[i];
    adam_step_consume(opt, params, grads);
}

int cse_run_step(cse_run_t *r, const cse_data_t *d, double *elbo)
{
    const size_t N = d->all.train.n, B = r->model.max_batch;
    if (r->pos + B > N) { /* a new epoch: a fresh permutation */
        rng_shuffle(&r->rng_order, r->order, N);
        r->pos = 0;
    }
    if (r->kind == CSE_GAUSS)
        cse_batch_gray(r->xb, d, r->order + r->pos, B);
    else
        cse_batch_binary(r->xb, d, r->order + r->pos, B, &r->rng_binarise);
    r->pos += B;
    double v = cse_run_elbo(r, r->xb, B, &r->rng_bound, 1);
    *elbo = v;
    if (not_implemented_which())
        return vg_error_set("%s is not implemented (the submission lacks it, "
                            "or it still calls not_implemented)",
                            not_implemented_which());
    if (!isfinite(v)) {
        /* The next step must not see this one's partial gradients. */
        model_zero_grad(&r->model);
        if (r->kind == CSE_IAF)
            iaf_zero_grad(&r->flow);
        return vg_error_set("%s's ELBO returned %g at step %zu%s%s",
                            cse_kind_name(r->kind), v, r->step + 1,
                            *vg_error_last() ? ": " : "", vg_error_last());
    }
    descend(&r->opt, r->model.params, r->model.grads, r->model.n_params);
    if (r->kind == CSE_IAF)
        descend(&r->opt_flow, r->flow.params, r->flow.grads, r->flow.n_params);
    r->step++;
    r->loss_ema = isnan(r->loss_ema)
                      ? -v
                      : (1 - TRAIN_LOSS_EMA) * r->loss_ema + TRAIN_LOSS_EMA * -v;
    return VG_OK;
}

void cse_run_free(cse_run_t *r)
{
    free(r->order);
    free(r->xb);
    adam_free(&r->opt);
    adam_free(&r->opt_flow);
    if (r->kind == CSE_IAF)
        iaf_free(&r->flow);
    model_free(&r->model);
    memset(r, 0, sizeof *r);
}
