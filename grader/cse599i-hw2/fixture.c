/* fixture.c: models, flows, digits, coordinates and noise streams for
 * cse599i-hw2's tasks (fixture.h). Runs before the seccomp filter: it
 * opens files. */
#include "cse599i-hw2/fixture.h"

#include <stdio.h>
#include <string.h>

#include "config.h"
#include "idx.h"
#include "vg_error.h"

#define STREAM_SALT_SUB 0x5c5e5c5e5c5e5c5eull
#define STREAM_SALT_REF 0x7c5e7c5e7c5e7c5eull

int cse_model(runner_ctx_t *ctx, model_t *m, nn_dtype_t dtype,
              size_t max_batch, uint64_t seed)
{
    model_config_t cfg = config_model_cse599i_hw2();
    if (model_create(m, &cfg, dtype, max_batch, seed) != VG_OK)
        return runner_fail(ctx, "model_create: %s", vg_error_last());
    return VG_OK;
}

void cse_logvar_bias(model_t *m, double value)
{
    const mlp_t *net = &m->enc.net;
    size_t L = net->spec.n_layers, Z = m->cfg.z_dim;
    size_t elt = m->dtype == NN_FLOAT32 ? sizeof(float) : sizeof(double);
    size_t b0 = (size_t)((const char *)net->b[L - 1] - (const char *)m->params) / elt;
    for (size_t j = 0; j < Z; j++)
        model_param_set(m, b0 + Z + j, value);
}

int cse_flow(runner_ctx_t *ctx, iaf_t *f, nn_dtype_t dtype, size_t max_batch,
             uint64_t seed)
{
    iaf_config_t c = config_cse599i_hw2().iaf;
    if (iaf_create(f, &c, dtype, max_batch, seed) != VG_OK)
        return runner_fail(ctx, "iaf_create: %s", vg_error_last());
    return VG_OK;
}

/* Rows first..first+n-1 of split ("t10k" or "train") into x. */
static int load_rows(runner_ctx_t *ctx, double *x, const char *split,
                     size_t first, size_t n, int binarise)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/mnist-full/%s-images-idx3-ubyte.gz",
             ctx->fixtures ? ctx->fixtures : "fixtures", split);
    idx_images_t img;
    if (idx_load_images(&img, path) != VG_OK)
        return runner_fail(ctx, "%s", vg_error_last());
    size_t D = img.rows * img.cols;
    if (first + n > img.n || D != 784) {
        idx_images_free(&img);
        return runner_fail(ctx, "%s: %zu digits of %zu pixels, need %zu of 784",
                           path, img.n, D, first + n);
    }
    const uint8_t *p = img.pixels + first * D;
    for (size_t i = 0; i < n * D; i++)
        x[i] = binarise ? (p[i] >= 128 ? 1.0 : 0.0) : p[i] / 255.0;
    idx_images_free(&img);
    return VG_OK;
}

int cse_test_digits(runner_ctx_t *ctx, double *x, size_t first, size_t n,
                    int binarise)
{
    return load_rows(ctx, x, "t10k", first, n, binarise);
}

int cse_train_digits(runner_ctx_t *ctx, double *x, size_t n, int binarise)
{
    return load_rows(ctx, x, "train", 0, n, binarise);
}

void cse_coords(runner_ctx_t *ctx, const model_t *m, size_t *coord, size_t n,
                size_t n_enc)
{
    /* The encoder's coordinates come from its last layer (H -> 2Z), whose
     * every weight moves mu or the log variance for every digit; a
     * first-layer weight of a pixel that is 0 in every digit has a
     * gradient of exactly 0. */
    const mlp_spec_t *es = &m->enc.net.spec;
    size_t h = es->sizes[es->n_layers - 1], o = es->sizes[es->n_layers];
    size_t ne = m->enc.net.n_params, nd = m->dec.net.n_params;
    size_t last = h * o + o;
    for (size_t i = 0; i < n; i++) {
        size_t span = i < n_enc ? last : nd, base = i < n_enc ? ne - last : ne;
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

uint64_t cse_stream_seed(const runner_ctx_t *ctx, uint64_t index)
{
    uint64_t salt = ctx->role_ref ? STREAM_SALT_REF : STREAM_SALT_SUB;
    return mix64(mix64(ctx->seed ^ salt) + index);
}
