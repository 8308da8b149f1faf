/* figures.h: STA414 A3's pictures of a trained model, written as PNG into
 * a folder by sta414-train: (a) prior samples, (c) latent interpolations,
 * (e) top halves completed by SVI (libpng grids); (b) the latent scatter
 * and (d) part 4's contours (plot.h, PLplot).
 * Shapes: N digits, D data dimension (784), Z latent (2). */
#ifndef VG_STA414_FIGURES_H
#define VG_STA414_FIGURES_H

#include <stddef.h>
#include <stdint.h>

#include "idx.h"
#include "model.h"
#include "sta414_svi_digits.h"

/* (a) prior_samples.png: 2 x 10, Bernoulli means of decoder(z) for 10
 * z ~ N(0, I) (top row) and a binary sample under each (bottom row). */
int figure_prior_samples(const char *dir, model_t *model, uint64_t seed);

/* (c) interpolations.png: 3 x 10, each row the Bernoulli means along the
 * line between the encoder means of two training digits of different
 * classes (the first of classes 0 and 1, 3 and 8, 4 and 9). */
int figure_interpolations(const char *dir, model_t *model,
                          const dataset_t *train);

/* (b) latent_scatter.png: the encoder means of every training digit in
 * the 2-D latent space, coloured by class. */
int figure_latent_scatter(const char *dir, model_t *model,
                          const dataset_t *train);

/* (d) top_half_posterior.png: for the first fitted digit, isocontours of
 * the joint p(z, top half) (blue) with those of its fitted q (red) over
 * them, each at 0.2 .. 0.99 of its maximum (as the course's
 * skillcontour!) on a 100 x 100 grid over q's mean +- 6 of its larger sd
 * (at least +- 0.5). */
int figure_top_half_posterior(const char *dir, model_t *model,
                              const svi_digits_t *fits);

/* (e) top_half_completion.png: one row per fitted digit: the true digit,
 * then its top half above the Bernoulli means of the bottom half decoded
 * from a z drawn from the digit's fitted q. */
int figure_completions(const char *dir, model_t *model,
                       const svi_digits_t *fits, uint64_t seed);

#endif
