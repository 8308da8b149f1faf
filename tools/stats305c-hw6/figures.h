/* figures.h: STATS 305C HW6's pictures, written as PNG by stats305c-train:
 * problem 1's loss curves and iterates over the objective's contours,
 * problem 2's predicted probability with the data, problem 3's samples
 * and latent means (plot.h through PLplot; digit grids through libpng).
 * Not the runs that make what they draw (p1.c, p2.c, vae_run.c).
 * Shapes: T iterations, N points or dimension, D 784, Z 2. */
#ifndef S305_FIGURES_H
#define S305_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "annulus.h"
#include "idx.h"
#include "model.h"
#include "plot.h"
#include "step.h"

#define S305_PATH_LEN 4096

/* out = dir/name; VG_ERR with a message when it does not fit. */
int s305_path_in(char *out, const char *dir, const char *name);

/* Loss curves as log10 of the loss: nseries series of (iteration, loss).
 * Not PLOT_LOG_Y: the runs span up to 40 decades, and a log axis labels
 * every one of them on top of each other. A loss <= 0 (a run that reached
 * the minimum exactly) is drawn as a gap. */
int figure_losses(const char *path, const char *title, const char *xlabel,
                  const plot_series_t *series, size_t nseries);

/* 20 contours of f(x) = a_1 x_1^2 + a_2 x_2^2 over [-12, 12]^2 (the
 * course's visualize_gradient_descent) with the iterates xs (n, 2) over
 * them as a path. */
int figure_gd_contours(const char *path, const char *title, const double a[2],
                       const double *xs, size_t n);

/* The classifier's P(y = 1 | x) over [-6, 6]^2 (a 121 x 121 grid): its
 * contours at 0.1, 0.25, 0.75, 0.9 (blue), the decision boundary 1/2
 * (red), and the n points x (n, 2) on top (green dots). plot.h has no
 * colour map for the course's pcolormesh; the contours carry the same
 * information. */
int figure_probability(const char *path, annulus_net_t *net, const double *x,
                       size_t n);

/* The n points x (n, 2) coloured by their labels y (n) of 0s and 1s
 * (the course's red and blue scatter of the data). */
int figure_annulus_data(const char *path, const double *x, const double *y,
                        size_t n);

/* An 8 x 8 grid of decoder means sigmoid(decoder(z)), z ~ N(0, I) drawn
 * from seed (the course's problem 3e). */
int figure_samples(const char *path, model_t *m, uint64_t seed);

/* The encoder means of every digit of ds (binarised by t), coloured by
 * class (the course's problem 3f). */
int figure_latent_means(const char *path, model_t *m, const dataset_t *ds,
                        const s305_binariser_t *t);

#endif
