/* samples.c: the 10 x 20 grid of samples from p(x) that vae-train saves,
 * one rule per model (train.h, sample_grid). Not the PNG writing
 * (png_grid.c). Shapes: S samples (200), Z latent, Y labels, K components,
 * D data dimension. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prob.h"
#include "vg_error.h"

/* z (S,Z) from the model's prior; for gmvae a component k uniform in 0..K-1
 * then z = m_k + sqrt(v_k) eps. */
static int sample_prior(double *z, model_t *m, size_t s, rng_t *rng)
{
    size_t Z = m->cfg.z_dim;
    if (m->cfg.kind != MODEL_GMVAE) {
        rng_normal_fill(rng, z, s * Z);
        return VG_OK;
    }
    size_t K = m->cfg.k;
    double *raw = malloc(4 * K * Z * sizeof *raw); /* (2K,Z) then pm, pv */
    if (!raw)
        return vg_error_set("sample_grid: out of memory");
    double *pm = raw + 2 * K * Z, *pv = pm + K * Z; /* (K,Z) each */
    prior_get(m, raw);
    gaussian_parameters(pm, pv, raw, 1, K * Z);
    for (size_t i = 0; i < s; i++) {
        size_t k = (size_t)rng_below(rng, K);
        for (size_t j = 0; j < Z; j++)
            z[i * Z + j] = pm[k * Z + j] + sqrt(pv[k * Z + j]) * rng_normal(rng);
    }
    free(raw);
    return VG_OK;
}

int sample_grid(double *images, model_t *model, uint64_t seed)
{
    const size_t S = SAMPLE_ROWS * SAMPLE_COLS;
    size_t Z = model->cfg.z_dim, Y = model->cfg.y_dim, D = model->cfg.x_dim;
    model_kind_t kind = model->cfg.kind;
    int labelled = kind == MODEL_SSVAE || kind == MODEL_FSVAE;
    rng_t rng;
    rng_seed(&rng, seed);
    double *z = malloc(S * (Z + Y) * sizeof *z); /* (S,Z) then y (S,Y) */
    if (!z)
        return vg_error_set("sample_grid: out of memory");
    double *y = z + S * Z;
    int status = VG_OK;

    if (kind == MODEL_FSVAE) {
        /* one latent per column, shared down the column: rows differ only
         * by their label, which shows what the label alone controls */
        rng_normal_fill(&rng, z, SAMPLE_COLS * Z);
        for (size_t r = 1; r < SAMPLE_ROWS; r++)
            memcpy(z + r * SAMPLE_COLS * Z, z, SAMPLE_COLS * Z * sizeof *z);
    } else if ((status = sample_prior(z, model, S, &rng)) != VG_OK) {
        goto cleanup;
    }
    memset(y, 0, S * Y * sizeof *y);
    for (size_t i = 0; labelled && i < S; i++)
        y[i * Y + (i / SAMPLE_COLS) % Y] = 1.0; /* row i is label i */

    for (size_t off = 0; off < S; off += model->max_batch) {
        size_t c = S - off < model->max_batch ? S - off : model->max_batch;
        status = decoder_forward(model, images + off * D, z + off * Z,
                                 labelled ? y + off * Y : NULL, c);
        if (status != VG_OK)
            goto cleanup;
    }
    /* Bernoulli decoders give logits; fsvae's Gaussian decoder its mean */
    if (kind != MODEL_FSVAE)
        for (size_t i = 0; i < S * D; i++)
            images[i] = sigmoid(images[i]);
cleanup:
    free(z);
    return status;
}
