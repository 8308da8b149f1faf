/* evaluate.c: the evaluation of a trained model on test data, as CS236's
 * evaluate_lower_bound and evaluate_classifier: ELBO terms and IWAE bounds
 * averaged over repeats, classifier accuracy. Every figure is a function of
 * the weights alone (its own seeded rng). Not the training loop (train.c).
 * Shapes: B chunk (<= max_batch), D data dimension, Y labels, N digits. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "not_implemented.h"
#include "vg_error.h"

static int bound_not_implemented(const char *who)
{
    return vg_error_set("%s: %s is not implemented (it called "
                        "not_implemented()); nothing to evaluate. Implement "
                        "it first (course staff: SUBMISSION=reference trains the reference)",
                        who, not_implemented_which());
}

static void terms_add(bound_terms_t *acc, const bound_terms_t *t, double w)
{
    acc->nelbo += w * t->nelbo;
    acc->niwae += w * t->niwae;
    acc->kl += w * t->kl;
    acc->kl_z += w * t->kl_z;
    acc->kl_y += w * t->kl_y;
    acc->rec += w * t->rec;
}

static int eval_check(const model_t *m, size_t n, size_t repeats,
                      const char *who)
{
    if (n < 1 || repeats < 1)
        return vg_error_set("%s: nothing to evaluate (%zu digits, %zu "
                            "repeats)", who, n, repeats);
    if (m->max_batch < 1)
        return vg_error_set("%s: model not created", who);
    return VG_OK;
}

int eval_elbo(bound_terms_t *out, model_t *model, const train_bounds_t *bounds,
              const double *x, const double *y, size_t n, size_t repeats,
              uint64_t seed)
{
    int fs = model->cfg.kind == MODEL_FSVAE;
    size_t d = model->cfg.x_dim, y_dim = model->cfg.y_dim;
    memset(out, 0, sizeof *out);
    if (eval_check(model, n, repeats, "eval_elbo") != VG_OK)
        return VG_ERR;
    if (fs ? !bounds->fs_elbo || !y : !bounds->elbo)
        return vg_error_set("eval_elbo: no bound (or no labels) for %s",
                            config_kind_name(model->cfg.kind));
    rng_t rng;
    rng_seed(&rng, seed);
    bound_terms_t acc = {0};
    for (size_t rep = 0; rep < repeats; rep++) {
        for (size_t off = 0; off < n; off += model->max_batch) {
            size_t c = n - off < model->max_batch ? n - off : model->max_batch;
            bound_terms_t terms = {0};
            scratch_reset(model);
            not_implemented_reset();
            double v = fs ? bounds->fs_elbo(model, x + off * d,
                                            y + off * y_dim, c, &rng, &terms, 0)
                          : bounds->elbo(model, x + off * d, c, &rng, &terms, 0);
            if (not_implemented_which())
                return bound_not_implemented("eval_elbo");
            if (!isfinite(v))
                return vg_error_set("eval_elbo: the bound is %g on rows "
                                    "%zu..%zu (repeat %zu)", v, off,
                                    off + c - 1, rep);
            terms.nelbo = v;
            terms_add(&acc, &terms, (double)c);
        }
    }
    terms_add(out, &acc, 1.0 / ((double)n * (double)repeats));
    return VG_OK;
}

size_t eval_iwae_repeats(size_t iw)
{
    return iw >= 100 ? 1 : 100 / (iw ? iw : 1);
}

int eval_iwae(double *out, model_t *model, const train_bounds_t *bounds,
              const double *x, size_t n, size_t iw, size_t repeats,
              uint64_t seed)
{
    size_t d = model->cfg.x_dim;
    *out = NAN;
    if (eval_check(model, n, repeats, "eval_iwae") != VG_OK)
        return VG_ERR;
    if (!bounds->iwae || iw < 1)
        return vg_error_set("eval_iwae: %s has no IWAE bound, or iw is 0",
                            config_kind_name(model->cfg.kind));
    rng_t rng;
    rng_seed(&rng, seed);
    double acc = 0;
    for (size_t rep = 0; rep < repeats; rep++) {
        for (size_t off = 0; off < n; off += model->max_batch) {
            size_t c = n - off < model->max_batch ? n - off : model->max_batch;
            bound_terms_t terms = {0};
            scratch_reset(model);
            not_implemented_reset();
            double v = bounds->iwae(model, x + off * d, c, iw, &rng, &terms);
            if (not_implemented_which())
                return bound_not_implemented("eval_iwae");
            if (!isfinite(v))
                return vg_error_set("eval_iwae: the IWAE-%zu bound is %g on "
                                    "rows %zu..%zu", iw, v, off, off + c - 1);
            acc += v * (double)c;
        }
    }
    *out = acc / ((double)n * (double)repeats);
    return VG_OK;
}

int eval_accuracy(double *out, model_t *model, const double *x,
                  const uint8_t *y, size_t n)
{
    size_t d = model->cfg.x_dim, Y = model->cfg.y_dim, B = model->max_batch;
    *out = NAN;
    if (model->cfg.kind != MODEL_SSVAE)
        return vg_error_set("eval_accuracy: %s has no classifier",
                            config_kind_name(model->cfg.kind));
    if (eval_check(model, n, 1, "eval_accuracy") != VG_OK)
        return VG_ERR;
    double *logits = malloc(B * Y * sizeof *logits); /* (B,Y) */
    if (!logits)
        return vg_error_set("eval_accuracy: out of memory");
    size_t right = 0;
    int status = VG_OK;
    for (size_t off = 0; off < n; off += B) {
        size_t c = n - off < B ? n - off : B;
        if (classifier_forward(model, logits, x + off * d, c) != VG_OK) {
            status = VG_ERR;
            goto cleanup;
        }
        for (size_t r = 0; r < c; r++) {
            size_t best = 0;
            for (size_t k = 1; k < Y; k++)
                if (logits[r * Y + k] > logits[r * Y + best])
                    best = k;
            right += best == y[off + r];
        }
    }
    *out = (double)right / (double)n;
cleanup:
    free(logits);
    return status;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* fsvae models grayscale digits with their labels, so its ELBO is taken on
 * the subset's grayscale twin: the test split's first subset.n / Y digits of
 * each class in t10k order (the subset's own rule, fixtures/README.md), with
 * one-hot labels. */
static int eval_fsvae(bound_terms_t *out, model_t *model,
                      const train_bounds_t *bounds, const train_data_t *data)
{
    const dataset_t *ds = &data->test;
    size_t Y = model->cfg.y_dim, D = ds->d, per_class = data->subset.n / Y;
    size_t n = per_class * Y, got = 0, count[256] = {0};
    if (!ds->y || n == 0)
        return vg_error_set("train_evaluate: fsvae needs the test labels and "
                            "a subset of at least %zu digits", Y);
    double *x = malloc(n * (D + Y) * sizeof *x); /* (N,D) then y (N,Y) */
    if (!x)
        return vg_error_set("train_evaluate: out of memory");
    double *y = x + n * D;
    memset(y, 0, n * Y * sizeof *y);
    for (size_t i = 0; i < ds->n && got < n; i++) {
        uint8_t c = ds->y[i];
        if (c >= Y || count[c] == per_class)
            continue;
        count[c]++;
        memcpy(x + got * D, ds->x + i * D, D * sizeof *x);
        y[got * Y + c] = 1.0;
        got++;
    }
    int status = got < n ? vg_error_set("train_evaluate: the test split has "
                                        "fewer than %zu digits of some label",
                                        per_class)
                         : eval_elbo(out, model, bounds, x, y, n,
                                     EVAL_REPEATS, EVAL_SEED);
    free(x);
    return status;
}

int train_evaluate(eval_report_t *r, model_t *model,
                   const train_bounds_t *bounds, const train_data_t *data,
                   int iwae)
{
    static const size_t iws[EVAL_N_IW] = {1, 10, 100, 1000};
    const dataset_t *sub = &data->subset;
    model_kind_t kind = model->cfg.kind;
    memset(r, 0, sizeof *r);
    r->accuracy = NAN;
    if (kind == MODEL_FSVAE) {
        if (eval_fsvae(&r->elbo, model, bounds, data) != VG_OK)
            return VG_ERR;
    } else if (eval_elbo(&r->elbo, model, bounds, sub->x, NULL, sub->n,
                         EVAL_REPEATS, EVAL_SEED) != VG_OK) {
        return VG_ERR;
    }
    if (iwae && bounds->iwae && (kind == MODEL_VAE || kind == MODEL_GMVAE)) {
        for (size_t i = 0; i < EVAL_N_IW; i++) {
            double t0 = now_s();
            r->iw[i] = iws[i];
            if (eval_iwae(&r->niwae[i], model, bounds, sub->x, sub->n, iws[i],
                          eval_iwae_repeats(iws[i]), EVAL_SEED) != VG_OK)
                return VG_ERR;
            r->niwae_s[i] = now_s() - t0;
            r->n_iw = i + 1;
        }
    }
    if (kind == MODEL_SSVAE) {
        if (eval_accuracy(&r->accuracy, model, data->test.x, data->test.y,
                          data->test.n) != VG_OK)
            return VG_ERR;
        r->has_accuracy = 1;
    }
    return VG_OK;
}
