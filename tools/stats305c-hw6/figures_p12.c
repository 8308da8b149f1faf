/* figures_p12.c: problems 1 and 2's pictures (figures.h): loss curves,
 * gradient descent over the objective's contours, the classifier's
 * probability and the annulus data, all through plot.h. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "vg_error.h"

/* The picture's size: the course's figures are about 10 x 7 inches. */
#define FIG_W 800
#define FIG_H 560

int s305_path_in(char *out, const char *dir, const char *name)
{
    if (snprintf(out, S305_PATH_LEN, "%s/%s", dir, name) >= S305_PATH_LEN)
        return vg_error_set("path too long: %s/%s", dir, name);
    return VG_OK;
}

int figure_losses(const char *path, const char *title, const char *xlabel,
                  const plot_series_t *series, size_t nseries)
{
    size_t total = 0;
    for (size_t s = 0; s < nseries; s++)
        total += series[s].n;
    double *y = malloc((total ? total : 1) * sizeof *y);
    plot_series_t *pos = malloc((nseries ? nseries : 1) * sizeof *pos);
    int status = VG_ERR;
    if (!y || !pos) {
        vg_error_set("figure_losses: out of memory");
        goto cleanup;
    }
    size_t at = 0;
    for (size_t s = 0; s < nseries; s++) {
        pos[s] = series[s];
        pos[s].y = y + at;
        for (size_t i = 0; i < series[s].n; i++)
            y[at + i] = series[s].y[i] > 0 ? log10(series[s].y[i]) : NAN;
        at += series[s].n;
    }
    plot_frame_t f = {path, FIG_W, FIG_H, title, xlabel,
                      "log#d10#u of the objective"};
    status = plot_lines(&f, pos, nseries, 0);
cleanup:
    free(y);
    free(pos);
    return status;
}

int figure_gd_contours(const char *path, const char *title, const double a[2],
                       const double *xs, size_t n)
{
    enum { G = 200 };          /* the course's grid_size */
    const double W = 12.0;     /* the course's width */
    double *f = malloc(G * G * sizeof *f); /* (G,G) */
    double *px = malloc(2 * n * sizeof *px);
    int status = VG_ERR;
    if (!f || !px) {
        vg_error_set("figure_gd_contours: out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < G; j++)
        for (size_t i = 0; i < G; i++) {
            double u = -W + 2 * W * (double)i / (G - 1);
            double v = -W + 2 * W * (double)j / (G - 1);
            f[j * G + i] = a[0] * u * u + a[1] * v * v;
        }
    for (size_t k = 0; k < n; k++) { /* the path wants x and y apart */
        px[k] = xs[2 * k];
        px[n + k] = xs[2 * k + 1];
    }
    plot_grid_t g = {f, G, G, -W, W, -W, W, NULL, 20, "f(x) = a#d1#u x#d1#u#u2#d + a#d2#u x#d2#u#u2#d"};
    plot_series_t p = {"gradient descent iterates", px, px + n, n};
    plot_frame_t fr = {path, FIG_W, FIG_H, title, "x#d1#u", "x#d2#u"};
    status = plot_contours(&fr, &g, NULL, &p, 1);
cleanup:
    free(f);
    free(px);
    return status;
}

int figure_probability(const char *path, annulus_net_t *net, const double *x,
                       size_t n)
{
    enum { G = 121 };  /* a step of 0.1 over [-6, 6] */
    const double W = 6.0;
    static const double levels[] = {0.1, 0.25, 0.75, 0.9};
    static const double half[] = {0.5};
    double *pts = malloc(2 * G * G * sizeof *pts); /* (G*G, 2) */
    double *prob = malloc(G * G * sizeof *prob);   /* (G,G) */
    plot_series_t *dots = malloc((n ? n : 1) * sizeof *dots);
    int status = VG_ERR;
    if (!pts || !prob || !dots) {
        vg_error_set("figure_probability: out of memory");
        goto cleanup;
    }
    for (size_t j = 0; j < G; j++)
        for (size_t i = 0; i < G; i++) {
            pts[2 * (j * G + i)] = -W + 2 * W * (double)i / (G - 1);
            pts[2 * (j * G + i) + 1] = -W + 2 * W * (double)j / (G - 1);
        }
    const size_t chunk = net->mlp.max_batch;
    for (size_t at = 0; at < (size_t)G * G; at += chunk) {
        size_t b = G * G - at < chunk ? G * G - at : chunk;
        if (annulus_net_predict(net, prob + at, pts + 2 * at, b) != 0)
            goto cleanup;
    }
    /* Each point its own one-point path: a dot, no line joining them. */
    for (size_t i = 0; i < n; i++) {
        dots[i].name = i ? NULL : "training points";
        dots[i].x = x + 2 * i;
        dots[i].y = x + 2 * i + 1;
        dots[i].n = 1;
    }
    plot_grid_t under = {prob, G, G, -W, W, -W, W, levels, 4,
                         "P(y = 1 | x) = 0.1, 0.25, 0.75, 0.9"};
    plot_grid_t over = {prob, G, G, -W, W, -W, W, half, 1,
                        "P(y = 1 | x) = 1/2"};
    plot_frame_t fr = {path, FIG_W, FIG_H,
                       "problem 2: the trained classifier's probabilities",
                       "x#d1#u", "x#d2#u"};
    status = plot_contours(&fr, &under, &over, dots, n);
cleanup:
    free(pts);
    free(prob);
    free(dots);
    return status;
}

int figure_annulus_data(const char *path, const double *x, const double *y,
                        size_t n)
{
    /* Palette entries as the course's colours: 3 red (y = 1), 0 blue. */
    static const char *const names[PLOT_PALETTE] = {
        "y = 0", NULL, NULL, "y = 1", NULL, NULL, NULL, NULL, NULL, NULL};
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    if (!cls)
        return vg_error_set("figure_annulus_data: out of memory");
    for (size_t i = 0; i < n; i++)
        cls[i] = y[i] > 0.5 ? 3 : 0;
    plot_frame_t fr = {path, FIG_W, FIG_H, "problem 2: the annulus data",
                       "x#d1#u", "x#d2#u"};
    int status = plot_scatter(&fr, x, cls, n, names);
    free(cls);
    return status;
}
