/* figures.c: figures.h's sample grids. The decoder is the framework's, so
 * the grid shows the model the linked ELBO trained. */
#include "figures.h"

#include <stdlib.h>

#include "png_grid.h"
#include "prob.h"
#include "rng.h"
#include "vg_error.h"

int cse_figure_samples(const char *path, cse_run_t *r, uint64_t seed)
{
    model_t *m = &r->model;
    const size_t n = CSE_GRID_SIDE * CSE_GRID_SIDE, D = m->cfg.x_dim,
                 Z = m->cfg.z_dim, B = m->max_batch;
    double *z = malloc(n * Z * sizeof *z);
    double *img = malloc(n * D * sizeof *img); /* (n,D) */
    int status = VG_ERR;
    if (!z || !img) {
        vg_error_set("cse_figure_samples: out of memory");
        goto cleanup;
    }
    rng_t rng;
    rng_seed(&rng, seed);
    rng_normal_fill(&rng, z, n * Z);
    for (size_t at = 0; at < n; at += B) {
        size_t b = n - at < B ? n - at : B;
        if (decoder_forward(m, img + at * D, z + at * Z, NULL, b) != VG_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < n * D; i++) {
        double v = img[i];
        if (r->kind != CSE_GAUSS)
            v = sigmoid(v);
        img[i] = v < 0.0 ? 0.0 : v > 1.0 ? 1.0 : v;
    }
    if (png_write_grid(path, img, CSE_GRID_SIDE, CSE_GRID_SIDE, 28, 28) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(z);
    free(img);
    return status;
}
