/* test_top.c: part 4's top-half likelihood is the full likelihood with the
 * bottom half summed out. For the factorised Bernoulli, summing a bottom
 * pixel over its two values multiplies by 1, so
 *   log p(top | z) = log p(x | z) - log p(bottom of x | z)
 * for ANY bottom half, where the last term is prob.h's Bernoulli log-mass
 * of pixels 392..783 alone. Also: the bottom half of x is never read, and
 * every top pixel counts.
 * Tolerance: two sums of 392 and 784 terms of O(1) in other orders differ
 * by ~784 * 1.1e-16 * 4 ~ 4e-13: 1e-11 absolute + 1e-13 relative.
 * Shapes: B batch, D data dimension (784), Z latent (2), H hidden. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sta414_setup.h"
#include "vg_error.h"

enum { B = 4, Z = 2, D = 784, H = 8, TOP = STA414_TOP_PIXELS };

Test(top, top_half_is_the_bottom_half_summed_out)
{
    cr_assert_eq(TOP, 392, "the top 14 rows of 28 are 392 pixels");
    model_t m;
    small_model(&m, H, B, 41);
    double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
    double z[B * Z], top[B], full[B];
    cr_assert(x && l);
    binary_digits(x, B, D, 0.25, 42);
    uniform_fill(z, B * Z, -3, 3, 43);
    scratch_reset(&m);
    cr_assert_eq(log_p_top_given_z(&m, x, z, B, top), 0, "%s", vg_error_last());
    cr_assert_eq(log_likelihood(&m, x, z, B, full), 0);
    cr_assert_eq(decoder_forward(&m, l, z, NULL, B), VG_OK);
    for (size_t b = 0; b < B; b++) {
        double bottom;
        log_bernoulli_with_logits(&bottom, x + b * D + TOP, l + b * D + TOP, 1,
                                  D - TOP);
        double want = full[b] - bottom;
        cr_assert(fabs(top[b] - want) <= 1e-11 + 1e-13 * fabs(want),
                  "row %zu: top %.17g, full - bottom %.17g", b, top[b], want);
    }
    free(x);
    free(l);
    model_free(&m);
}

Test(top, bottom_half_never_read_every_top_pixel_counts)
{
    model_t m;
    small_model(&m, H, 1, 44);
    double *x = malloc(D * sizeof *x), z[Z] = {0.4, -1.1}, a, b;
    cr_assert_not_null(x);
    binary_digits(x, 1, D, 0.3, 45);
    scratch_reset(&m);
    cr_assert_eq(log_p_top_given_z(&m, x, z, 1, &a), 0);
    for (size_t j = TOP; j < D; j++)
        x[j] = NAN; /* reading one would make the result NaN */
    scratch_reset(&m);
    cr_assert_eq(log_p_top_given_z(&m, x, z, 1, &b), 0);
    cr_assert_eq(a, b, "the bottom half changed log_p_top_given_z");
    for (size_t j = 0; j < TOP; j += 13) { /* flipping a top pixel moves it */
        x[j] = 1.0 - x[j];
        scratch_reset(&m);
        cr_assert_eq(log_p_top_given_z(&m, x, z, 1, &b), 0);
        cr_assert(b != a, "top pixel %zu did not count", j);
        x[j] = 1.0 - x[j];
    }
    free(x);
    model_free(&m);
}

Test(top, joint_top_is_prior_plus_top)
{
    model_t m;
    small_model(&m, H, B, 46);
    double *x = malloc(B * D * sizeof *x), z[B * Z], j[B], t[B], p[B];
    cr_assert_not_null(x);
    binary_digits(x, B, D, 0.2, 47);
    uniform_fill(z, B * Z, -3, 3, 48);
    z[1] = 1e3; /* far out: finite */
    scratch_reset(&m);
    cr_assert_eq(joint_log_density_top(&m, x, z, B, j), 0);
    cr_assert_eq(log_p_top_given_z(&m, x, z, B, t), 0);
    log_prior(z, B, Z, p);
    for (size_t b = 0; b < B; b++) {
        cr_assert(isfinite(j[b]));
        cr_assert(fabs(j[b] - (p[b] + t[b])) <= 1e-11 + 1e-13 * fabs(j[b]),
                  "row %zu: %.17g vs %.17g", b, j[b], p[b] + t[b]);
    }
    free(x);
    model_free(&m);
}
