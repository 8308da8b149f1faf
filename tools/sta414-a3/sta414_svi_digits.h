/* sta414_svi_digits.h: the digits sta414-train fits by SVI in part 4 and
 * their fitted q = N(mu, diag exp(2 logsig)). Shapes: N digits, D data
 * dimension, Z latent. */
#ifndef VG_STA414_SVI_DIGITS_H
#define VG_STA414_SVI_DIGITS_H

#include <stddef.h>

#define SVI_DIGITS 4
#define SVI_MAX_LATENT 8

typedef struct svi_digits {
    size_t n;                              /* N <= SVI_DIGITS */
    const double *x[SVI_DIGITS];           /* (D) each, not owned */
    int label[SVI_DIGITS];
    double mu[SVI_DIGITS][SVI_MAX_LATENT];     /* (Z) */
    double logsig[SVI_DIGITS][SVI_MAX_LATENT]; /* (Z) */
    double elbo_first[SVI_DIGITS], elbo_last[SVI_DIGITS];
} svi_digits_t;

#endif
