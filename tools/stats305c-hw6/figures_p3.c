/* figures_p3.c: problem 3's pictures (figures.h): the decoder means of
 * prior samples as a digit grid (png_grid.h) and the encoder means of the
 * training digits as a scatter (plot.h). Both run the framework's
 * networks, so they show the model the submission's elbo() trained. */
#include "figures.h"

#include <math.h>
#include <stdlib.h>

#include "png_grid.h"
#include "prob.h"
#include "rng.h"
#include "vg_error.h"

int figure_samples(const char *path, model_t *m, uint64_t seed)
{
    enum { SIDE = 8, N = SIDE * SIDE };
    const size_t D = m->cfg.x_dim, Z = m->cfg.z_dim;
    double *z = malloc(N * Z * sizeof *z);     /* (N,Z) */
    double *img = malloc(N * D * sizeof *img); /* (N,D) */
    int status = VG_ERR;
    if (!z || !img) {
        vg_error_set("figure_samples: out of memory");
        goto cleanup;
    }
    rng_t rng;
    rng_seed(&rng, seed);
    rng_normal_fill(&rng, z, N * Z);
    for (size_t at = 0; at < N; at += m->max_batch) {
        size_t b = N - at < m->max_batch ? N - at : m->max_batch;
        if (decoder_forward(m, img + at * D, z + at * Z, NULL, b) != VG_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < N * D; i++) /* the mean of Bern(sigmoid(logit)) */
        img[i] = sigmoid(img[i]);
    status = png_write_grid(path, img, SIDE, SIDE, 28, 28);
cleanup:
    free(z);
    free(img);
    return status;
}

int figure_latent_means(const char *path, model_t *m, const dataset_t *ds,
                        const s305_binariser_t *t)
{
    const size_t D = ds->d, Z = m->cfg.z_dim, B = m->max_batch, N = ds->n;
    double *xb = malloc(B * D * sizeof *xb);       /* (B,D) */
    double *h2 = malloc(B * Z * sizeof *h2);       /* (B,Z) the log variances */
    double *mu = malloc(B * Z * sizeof *mu);       /* (B,Z) */
    double *pts = malloc(N * 2 * sizeof *pts);     /* (N,2) */
    size_t *rows = malloc(B * sizeof *rows);       /* (B) */
    int *cls = malloc(N * sizeof *cls);            /* (N) */
    int status = VG_ERR;
    if (!xb || !h2 || !mu || !pts || !rows || !cls) {
        vg_error_set("figure_latent_means: out of memory");
        goto cleanup;
    }
    if (Z != 2 || !ds->y) {
        vg_error_set("figure_latent_means: needs a 2-D latent (Z is %zu) and "
                     "labels", Z);
        goto cleanup;
    }
    for (size_t at = 0; at < N; at += B) {
        size_t b = N - at < B ? N - at : B;
        for (size_t r = 0; r < b; r++)
            rows[r] = at + r;
        s305_gather(xb, ds, rows, b, t);
        if (encoder_forward_raw(m, mu, h2, xb, NULL, b) != VG_OK)
            goto cleanup;
        for (size_t r = 0; r < b; r++) {
            pts[2 * (at + r)] = mu[r * Z];
            pts[2 * (at + r) + 1] = mu[r * Z + 1];
            cls[at + r] = ds->y[at + r] % PLOT_PALETTE;
        }
    }
    plot_frame_t fr = {path, 800, 800,
                       "problem 3: the training digits' posterior means",
                       "z#d1#u", "z#d2#u"};
    status = plot_scatter(&fr, pts, cls, N, NULL);
cleanup:
    free(xb);
    free(h2);
    free(mu);
    free(pts);
    free(rows);
    free(cls);
    return status;
}
