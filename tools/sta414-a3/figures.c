/* figures.c: the libpng-grid pictures of STA414 A3 (figures.h). Every
 * picture decodes with the framework's decoder, so it shows the model the
 * student's ELBO trained. Randomness comes from a fixed seed per picture. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "png_grid.h"
#include "rng.h"
#include "vg_error.h"

#define PATH_LEN 4096

static int path_in(char *out, const char *dir, const char *name)
{
    if (snprintf(out, PATH_LEN, "%s/%s", dir, name) >= PATH_LEN)
        return vg_error_set("path too long: %s/%s", dir, name);
    return VG_OK;
}

/* means (N,D) = sigmoid(decoder(z)) for z (N,Z), in chunks the model takes. */
static int decode_means(model_t *m, double *means, const double *z, size_t n)
{
    const size_t D = m->cfg.x_dim, Z = m->cfg.z_dim;
    for (size_t at = 0; at < n; at += m->max_batch) {
        size_t b = n - at < m->max_batch ? n - at : m->max_batch;
        if (decoder_forward(m, means + at * D, z + at * Z, NULL, b) != VG_OK)
            return VG_ERR;
    }
    for (size_t i = 0; i < n * D; i++)
        means[i] = sigmoid(means[i]);
    return VG_OK;
}

int figure_prior_samples(const char *dir, model_t *model, uint64_t seed)
{
    enum { COLS = 10 };
    const size_t D = model->cfg.x_dim, Z = model->cfg.z_dim;
    double *z = malloc(COLS * Z * sizeof *z);
    double *img = malloc(2 * COLS * D * sizeof *img); /* (2*10, D) */
    char path[PATH_LEN];
    int status = VG_ERR;
    if (!z || !img) {
        vg_error_set("figure_prior_samples: out of memory");
        goto cleanup;
    }
    rng_t rng;
    rng_seed(&rng, seed);
    rng_normal_fill(&rng, z, COLS * Z);
    if (decode_means(model, img, z, COLS) != VG_OK)
        goto cleanup;
    for (size_t i = 0; i < COLS * D; i++) /* a binary sample under each mean */
        img[COLS * D + i] = rng_uniform(&rng) < img[i] ? 1.0 : 0.0;
    if (path_in(path, dir, "prior_samples.png") != VG_OK ||
        png_write_grid(path, img, 2, COLS, 28, 28) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(z);
    free(img);
    return status;
}

/* Index of the first digit of class c, or n when there is none. */
static size_t first_of(const dataset_t *ds, int c)
{
    for (size_t i = 0; i < ds->n; i++)
        if (ds->y && ds->y[i] == c)
            return i;
    return ds->n;
}

int figure_interpolations(const char *dir, model_t *model,
                          const dataset_t *train)
{
    enum { ROWS = 3, STEPS = 10 };
    static const int pairs[ROWS][2] = {{0, 1}, {3, 8}, {4, 9}};
    const size_t D = model->cfg.x_dim, Z = model->cfg.z_dim;
    double *x = malloc(2 * D * sizeof *x);              /* (2,D) */
    double *mu = malloc(2 * Z * sizeof *mu);            /* (2,Z) */
    double *logsig = malloc(2 * Z * sizeof *logsig);    /* (2,Z) */
    double *z = malloc(ROWS * STEPS * Z * sizeof *z);   /* (30,Z) */
    double *img = malloc(ROWS * STEPS * D * sizeof *img);
    char path[PATH_LEN];
    int status = VG_ERR;
    if (!x || !mu || !logsig || !z || !img) {
        vg_error_set("figure_interpolations: out of memory");
        goto cleanup;
    }
    for (size_t r = 0; r < ROWS; r++) {
        size_t a = first_of(train, pairs[r][0]), b = first_of(train, pairs[r][1]);
        if (a == train->n || b == train->n) {
            vg_error_set("figure_interpolations: the training digits lack "
                         "class %d or %d", pairs[r][0], pairs[r][1]);
            goto cleanup;
        }
        memcpy(x, train->x + a * D, D * sizeof *x);
        memcpy(x + D, train->x + b * D, D * sizeof *x);
        if (encoder_forward_raw(model, mu, logsig, x, NULL, 2) != VG_OK)
            goto cleanup;
        for (size_t s = 0; s < STEPS; s++) {
            double t = (double)s / (STEPS - 1); /* 0 at digit a, 1 at b */
            for (size_t j = 0; j < Z; j++)
                z[(r * STEPS + s) * Z + j] = (1 - t) * mu[j] + t * mu[Z + j];
        }
    }
    if (decode_means(model, img, z, ROWS * STEPS) != VG_OK)
        goto cleanup;
    if (path_in(path, dir, "interpolations.png") != VG_OK ||
        png_write_grid(path, img, ROWS, STEPS, 28, 28) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(x);
    free(mu);
    free(logsig);
    free(z);
    free(img);
    return status;
}

int figure_completions(const char *dir, model_t *model,
                       const svi_digits_t *fits, uint64_t seed)
{
    const size_t D = model->cfg.x_dim, Z = model->cfg.z_dim, N = fits->n;
    double *img = malloc(2 * N * D * sizeof *img); /* (N*2, D) */
    double z[SVI_MAX_LATENT];
    char path[PATH_LEN];
    int status = VG_ERR;
    if (!img) {
        vg_error_set("figure_completions: out of memory");
        goto cleanup;
    }
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < N; i++) {
        double *truth = img + 2 * i * D, *joined = truth + D;
        memcpy(truth, fits->x[i], D * sizeof *truth);
        for (size_t j = 0; j < Z; j++)
            z[j] = fits->mu[i][j] + exp(fits->logsig[i][j]) * rng_normal(&rng);
        if (decode_means(model, joined, z, 1) != VG_OK)
            goto cleanup;
        /* the known top half over the decoded bottom half */
        memcpy(joined, fits->x[i], STA414_TOP_PIXELS * sizeof *joined);
    }
    if (path_in(path, dir, "top_half_completion.png") != VG_OK ||
        png_write_grid(path, img, N, 2, 28, 28) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(img);
    return status;
}
