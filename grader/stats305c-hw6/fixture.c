/* fixture.c: models, digits, coordinates and noise streams for
 * stats305c-hw6's tasks (fixture.h). Runs before the seccomp filter: it
 * opens files. */
#include "stats305c-hw6/fixture.h"

#include <stdio.h>
#include <string.h>

#include "binarised.h"
#include "config.h"
#include "runner/inputs.h"
#include "vg_error.h"

#define STREAM_SALT_SUB 0x3053053053053053ull
#define STREAM_SALT_REF 0x6c56c56c56c56c56ull

const char *s305_testing_file = NULL;

int s305_model(runner_ctx_t *ctx, model_t *m, nn_dtype_t dtype,
               size_t max_batch, uint64_t seed)
{
    model_config_t cfg = config_model_stats305c_hw6();
    if (model_create(m, &cfg, dtype, max_batch, seed) != VG_OK)
        return runner_fail(ctx, "model_create: %s", vg_error_last());
    return VG_OK;
}

void s305_logvar_bias(model_t *m, double value)
{
    const mlp_t *net = &m->enc.net;
    size_t L = net->spec.n_layers, Z = m->cfg.z_dim;
    size_t elt = m->dtype == NN_FLOAT32 ? sizeof(float) : sizeof(double);
    size_t b0 = (size_t)((const char *)net->b[L - 1] - (const char *)m->params) / elt;
    for (size_t j = 0; j < Z; j++)
        model_param_set(m, b0 + Z + j, value);
}

static int load_rows(runner_ctx_t *ctx, const char *file, double *x,
                     size_t first, size_t n)
{
    char img[4200];
    snprintf(img, sizeof img, "%s/mnist-full/%s",
             ctx->fixtures ? ctx->fixtures : "fixtures", file);
    dataset_t ds;
    if (binarised_load(&ds, img, NULL, first, n,
                       config_stats305c_hw6().binarise_above) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    memcpy(x, ds.x, n * ds.d * sizeof *x);
    dataset_free(&ds);
    return VG_OK;
}

int s305_digits(runner_ctx_t *ctx, double *x, size_t first, size_t n)
{
    return load_rows(ctx, "t10k-images-idx3-ubyte.gz", x, first, n);
}

int s305_train_digits(runner_ctx_t *ctx, double *x, size_t n)
{
    return load_rows(ctx, "train-images-idx3-ubyte.gz", x, 0, n);
}

void s305_binary(runner_ctx_t *ctx, double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = rng_uniform(&ctx->in_rng) < 0.5 ? 0.0 : 1.0;
}

void s305_coords(runner_ctx_t *ctx, const model_t *m, size_t *coord,
                 size_t n, size_t n_enc)
{
    /* The last layers of both networks: every encoder weight there moves
     * mu or log var for every digit; a first-layer weight of a pixel
     * that is 0 in every digit has a gradient of exactly 0. */
    const mlp_spec_t *es = &m->enc.net.spec, *ds = &m->dec.net.spec;
    size_t e_last = es->sizes[es->n_layers - 1] * es->sizes[es->n_layers] +
                    es->sizes[es->n_layers];
    size_t d_last = ds->sizes[ds->n_layers - 1] * ds->sizes[ds->n_layers] +
                    ds->sizes[ds->n_layers];
    size_t ne = m->enc.net.n_params, nd = m->dec.net.n_params;
    for (size_t i = 0; i < n; i++) {
        size_t span = i < n_enc ? e_last : d_last;
        size_t base = i < n_enc ? ne - e_last : ne + nd - d_last;
        size_t j = (size_t)(rng_uniform(&ctx->in_rng) * (double)span);
        coord[i] = base + (j < span ? j : span - 1);
    }
}

/* splitmix64's finaliser: a bijection that scatters nearby inputs. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint64_t s305_stream_seed(const runner_ctx_t *ctx, uint64_t index)
{
    uint64_t salt = ctx->role_ref ? STREAM_SALT_REF : STREAM_SALT_SUB;
    return mix64(mix64(ctx->seed ^ salt) + index);
}
