/* model_fixture.c: models, digits and noise streams for the model tasks
 * (model_fixture.h). Runs before the seccomp filter: it opens files. */
#include "cs236-hw2/model_fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"
#include "config.h"
#include "idx.h"
#include "runner/inputs.h"
#include "vg_error.h"

/* Salts of the two roles' noise streams (any two different constants). */
#define STREAM_SALT_SUB 0x5ab5ab5ab5ab5ab5ull
#define STREAM_SALT_REF 0x7ef7ef7ef7ef7ef7ull
/* Digits per class in a subset (fixtures/README.md, rules 4 and 5), and
 * where the hidden subset starts in each class's t10k order. */
#define SUBSET_PER_CLASS 10
#define HIDDEN_OFFSET 10

int mf_kind_of_task(const char *task)
{
    static const struct { const char *prefix; model_kind_t kind; } k[] = {
        { "vae_", MODEL_VAE }, { "gmvae_", MODEL_GMVAE },
        { "ssvae_", MODEL_SSVAE }, { "fsvae_", MODEL_FSVAE },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (strncmp(task, k[i].prefix, strlen(k[i].prefix)) == 0)
            return (int)k[i].kind;
    return -1;
}

int mf_hidden(runner_ctx_t *ctx)
{
    return strcmp(runner_param_str(ctx, "subset", "public"), "hidden") == 0;
}

int mf_model(runner_ctx_t *ctx, model_t *m, model_kind_t kind,
             nn_dtype_t dtype, size_t max_batch, int pretrained,
             uint64_t seed)
{
    model_config_t cfg = config_model_default(kind);
    if (model_create(m, &cfg, dtype, max_batch, seed) != VG_OK)
        return runner_fail(ctx, "model_create: %s", vg_error_last());
    if (!pretrained || kind == MODEL_FSVAE)
        return VG_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/pretrained/%s.ckpt",
             ctx->fixtures ? ctx->fixtures : "fixtures", config_kind_name(kind));
    if (checkpoint_load(m, path, NULL) != VG_OK)
        return runner_fail(ctx, "the pretrained %s model: %s (make fixtures "
                           "makes it)", config_kind_name(kind), vg_error_last());
    return VG_OK;
}

/* The grayscale twin of a subset: t10k digits whose rank within their class
 * (in file order) is in [offset, offset + SUBSET_PER_CLASS), in file order. */
static int grayscale_twin(runner_ctx_t *ctx, double *x, double *y, size_t n,
                          size_t offset)
{
    char img[4200], lab[4200];
    const char *fx = ctx->fixtures ? ctx->fixtures : "fixtures";
    snprintf(img, sizeof img, "%s/mnist-full/t10k-images-idx3-ubyte.gz", fx);
    snprintf(lab, sizeof lab, "%s/mnist-full/t10k-labels-idx1-ubyte.gz", fx);
    dataset_t ds;
    if (dataset_load(&ds, img, lab) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    size_t count[256] = { 0 }, got = 0;
    const size_t D = ds.d, Y = 10;
    for (size_t i = 0; i < ds.n && got < n; i++) {
        uint8_t c = ds.y[i];
        size_t rank = count[c]++;
        if (c >= Y || rank < offset || rank >= offset + SUBSET_PER_CLASS)
            continue;
        memcpy(x + got * D, ds.x + i * D, D * sizeof *x);
        y[got * Y + c] = 1.0;
        got++;
    }
    dataset_free(&ds);
    if (got < n)
        return runner_fail(ctx, "the t10k file has no %zu digits for the "
                           "grayscale twin", n);
    return VG_OK;
}

int mf_digits(runner_ctx_t *ctx, double **x, double **y, model_kind_t kind,
              size_t n, size_t rows)
{
    model_config_t cfg = config_model_default(kind);
    const size_t D = cfg.x_dim, Y = cfg.y_dim;
    int hidden = mf_hidden(ctx);
    if (n > 10 * SUBSET_PER_CLASS || rows < n)
        return runner_fail(ctx, "%zu digits asked of a subset of %d (rows %zu)",
                           n, 10 * SUBSET_PER_CLASS, rows);
    int fs = kind == MODEL_FSVAE;
    double *block = inputs_block(ctx, rows * D + (fs ? rows * Y : 0));
    if (!block)
        return VG_ERR;
    *x = block;
    *y = fs ? block + rows * D : NULL;
    inputs_poison(*x + n * D, (rows - n) * D);
    if (fs)
        return grayscale_twin(ctx, *x, *y, n, hidden ? HIDDEN_OFFSET : 0);
    char img[4200], lab[4200];
    const char *fx = ctx->fixtures ? ctx->fixtures : "fixtures";
    const char *dir = hidden ? "hidden" : "mnist-full";
    snprintf(img, sizeof img, "%s/%s/subset-images-idx3-ubyte.gz", fx, dir);
    snprintf(lab, sizeof lab, "%s/%s/subset-labels-idx1-ubyte.gz", fx, dir);
    dataset_t ds;
    if (dataset_load(&ds, img, lab) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    int rc = VG_OK;
    if (ds.d != D || ds.n < n)
        rc = runner_fail(ctx, "%s holds %zu digits of %zu pixels; %zu of %zu "
                         "wanted", img, ds.n, ds.d, n, D);
    else
        memcpy(*x, ds.x, n * D * sizeof **x);
    dataset_free(&ds);
    return rc;
}

/* splitmix64's finaliser: a bijection that scatters nearby inputs. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t mf_stream_seed(const runner_ctx_t *ctx, uint64_t index)
{
    uint64_t salt = ctx->role_ref ? STREAM_SALT_REF : STREAM_SALT_SUB;
    return mix64(mix64(ctx->seed ^ salt) + index);
}

static void terms_poison(bound_terms_t *t)
{
    t->nelbo = t->niwae = t->kl = t->kl_z = t->kl_y = t->rec = NAN;
}

double mf_elbo(model_t *m, const double *x, const double *y, size_t batch,
               rng_t *rng, bound_terms_t *terms, int backward)
{
    scratch_reset(m);
    terms_poison(terms);
    switch (m->cfg.kind) {
    case MODEL_VAE:
        return vae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_GMVAE:
        return gmvae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_SSVAE:
        return ssvae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_FSVAE:
        return fsvae_negative_elbo_bound(m, x, y, batch, rng, terms, backward);
    }
    return NAN;
}

double mf_iwae(model_t *m, const double *x, size_t batch, size_t iw,
               rng_t *rng, bound_terms_t *terms)
{
    scratch_reset(m);
    terms_poison(terms);
    if (m->cfg.kind == MODEL_GMVAE)
        return gmvae_negative_iwae_bound(m, x, batch, iw, rng, terms);
    return vae_negative_iwae_bound(m, x, batch, iw, rng, terms);
}
