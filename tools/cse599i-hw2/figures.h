/* figures.h: cse599i-train's sample grids (libpng, png_grid.h): 10 x 10
 * digits decoded from z ~ N(0, I) by a trained run's decoder -- for the
 * Gaussian VAE its mean g(z) clipped to [0,1] (the picture), for
 * the discrete ones the Bernoulli means sigmoid(logits). The loss curves
 * are loss_curve.h's. Shapes: D data dimension, Z latent. */
#ifndef CSE599I_FIGURES_H
#define CSE599I_FIGURES_H

#include <stdint.h>

#include "run.h"

#define CSE_GRID_SIDE 10

/* path: the 10 x 10 grid, z drawn from seed. */
int cse_figure_samples(const char *path, cse_run_t *r, uint64_t seed);

#endif
