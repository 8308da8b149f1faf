/* figures.c: the pictures of STA414 A3 (figures.h): digit grids through
 * libpng, the scatter and contours through plot.h. Every picture runs the
 * framework's networks, so it shows the model the student's ELBO trained;
 * the contours evaluate the student's joint_log_density_top and log_q.
 * Randomness comes from a fixed seed per picture. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "plot.h"
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

int figure_latent_scatter(const char *dir, model_t *model,
                          const dataset_t *train)
{
    const size_t N = train->n, D = train->d, Z = model->cfg.z_dim;
    const size_t R = model->max_batch;
    double *mu = malloc(N * Z * sizeof *mu);  /* (N,Z) */
    double *ls = malloc(R * Z * sizeof *ls);  /* (R,Z), unused */
    int *cls = malloc(N * sizeof *cls);
    char path[PATH_LEN];
    int status = VG_ERR;
    if (!mu || !ls || !cls || Z != 2) {
        vg_error_set("figure_latent_scatter: %s", Z != 2 ? "the latent space "
                     "is not 2-D" : "out of memory");
        goto cleanup;
    }
    for (size_t at = 0; at < N; at += R) {
        size_t b = N - at < R ? N - at : R;
        if (encoder_forward_raw(model, mu + at * Z, ls, train->x + at * D,
                                NULL, b) != VG_OK)
            goto cleanup;
    }
    for (size_t i = 0; i < N; i++)
        cls[i] = train->y ? train->y[i] % PLOT_PALETTE : 0;
    plot_frame_t f = { path, 900, 800, "Posterior means of the training digits",
                       "z1", "z2" };
    if (path_in(path, dir, "latent_scatter.png") != VG_OK ||
        plot_scatter(&f, mu, cls, N, NULL) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(mu);
    free(ls);
    free(cls);
    return status;
}

/* f (n) = exp(f - max f): the density relative to its largest value, so
 * that levels are fractions of the maximum and nothing overflows. */
static void relative_density(double *f, size_t n)
{
    double top = -INFINITY;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, f[i]);
    for (size_t i = 0; i < n; i++)
        f[i] = exp(f[i] - top);
}

int figure_top_half_posterior(const char *dir, model_t *model,
                              const svi_digits_t *fits)
{
    enum { G = 100 };
    static const double levels[] = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8,
                                    0.9, 0.99};
    const size_t D = model->cfg.x_dim, Z = model->cfg.z_dim;
    const size_t R = model->max_batch;
    double *joint = malloc(G * G * sizeof *joint); /* (G,G) */
    double *q = malloc(G * G * sizeof *q);         /* (G,G) */
    double *z = malloc(G * G * Z * sizeof *z);     /* (G*G,Z) */
    double *xs = malloc(R * D * sizeof *xs);       /* (R,D) the digit */
    double *mus = malloc(R * Z * sizeof *mus);     /* (R,Z) */
    double *lss = malloc(R * Z * sizeof *lss);     /* (R,Z) */
    char path[PATH_LEN];
    int status = VG_ERR;
    if (!joint || !q || !z || !xs || !mus || !lss || Z != 2 || fits->n < 1) {
        vg_error_set("figure_top_half_posterior: %s", Z != 2 ? "the latent "
                     "space is not 2-D" : fits->n < 1 ? "no fitted digit" :
                     "out of memory");
        goto cleanup;
    }
    const double *mu = fits->mu[0], *ls = fits->logsig[0];
    /* A trained model's top-half posterior is a few tenths wide: the
     * course's fixed [-3, 3]^2 shows it as a dot, so the window is q's
     * mean +- 6 of its larger sd (at least +- 0.5), square. */
    double half = fmax(0.5, 6 * exp(fmax(ls[0], ls[1]))), lo[2], hi[2];
    for (size_t j = 0; j < 2; j++) {
        lo[j] = mu[j] - half;
        hi[j] = mu[j] + half;
    }
    for (size_t r = 0; r < G; r++)      /* row r: z2; column c: z1 */
        for (size_t c = 0; c < G; c++) {
            z[(r * G + c) * 2] = lo[0] + (hi[0] - lo[0]) * (double)c / (G - 1);
            z[(r * G + c) * 2 + 1] = lo[1] + (hi[1] - lo[1]) * (double)r / (G - 1);
        }
    for (size_t i = 0; i < R; i++) {
        memcpy(xs + i * D, fits->x[0], D * sizeof *xs);
        memcpy(mus + i * Z, mu, Z * sizeof *mus);
        memcpy(lss + i * Z, ls, Z * sizeof *lss);
    }
    for (size_t at = 0; at < G * G; at += R) {
        size_t b = G * G - at < R ? G * G - at : R;
        scratch_reset(model);
        if (joint_log_density_top(model, xs, z + at * Z, b, joint + at) != 0)
            goto cleanup;
        log_q(mus, lss, z + at * Z, b, Z, q + at);
    }
    for (size_t i = 0; i < G * G; i++)
        if (!isfinite(joint[i]) || !isfinite(q[i])) {
            vg_error_set("figure_top_half_posterior: a log density is not "
                         "finite at z = (%g, %g)", z[2 * i], z[2 * i + 1]);
            goto cleanup;
        }
    relative_density(joint, G * G);
    relative_density(q, G * G);
    plot_grid_t under = { joint, G, G, lo[0], hi[0], lo[1], hi[1], levels,
                          sizeof levels / sizeof *levels,
                          "p(z, top half)" };
    plot_grid_t over = under;
    over.f = q;
    over.name = "fitted q(z)";
    plot_frame_t f = { path, 800, 800, "Part 4: the top half's posterior and "
                       "its SVI fit", "z1", "z2" };
    if (path_in(path, dir, "top_half_posterior.png") != VG_OK ||
        plot_contours(&f, &under, &over, NULL, 0) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    free(joint);
    free(q);
    free(z);
    free(xs);
    free(mus);
    free(lss);
    return status;
}
