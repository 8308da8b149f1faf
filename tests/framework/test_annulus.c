/* test_annulus.c: STATS 305C HW6 problem 2's course code (annulus.h): the
 * data's classes, radii, balance and determinism, and the network's shape,
 * initialisation, predictions and accuracy. Not the loss or training (the
 * stats305c-hw6 suite). Shapes: N points, P parameters. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "annulus.h"
#include "config.h"
#include "prob.h"
#include "vg_error.h"

enum { N = 501 };

/* Radii in their class's ring, labels alternating (ceil(N/2) positives),
 * angles spread over the circle: each class's ~250 points put ~63 in each
 * quadrant (binomial sd 6.8); the bounds 30..95 are >= 4.7 sd away, so
 * P(false fail) < 8 cells x 2.6e-6 = 2e-5 (and the seed is fixed, so a
 * pass repeats). */
Test(annulus, data_classes_radii_and_balance)
{
    static double x[N * 2], y[N], x2[N * 2], y2[N];
    rng_t r;
    rng_seed(&r, 3);
    annulus_data(x, y, N, &r);
    size_t pos = 0, quad[2][4] = {{0}};
    for (size_t i = 0; i < N; i++) {
        double rad = hypot(x[2 * i], x[2 * i + 1]);
        cr_assert(y[i] == (i % 2 == 0 ? 1.0 : 0.0), "label %zu", i);
        if (y[i] == 1.0)
            cr_assert(rad >= 0 && rad <= 2.5 + 1e-12, "positive at %g", rad);
        else
            cr_assert(rad >= 3.5 - 1e-12 && rad <= 5 + 1e-12, "negative at %g", rad);
        pos += y[i] == 1.0;
        int q = (x[2 * i] >= 0) + 2 * (x[2 * i + 1] >= 0);
        quad[(size_t)y[i]][q]++;
    }
    cr_assert_eq(pos, (N + 1) / 2);
    for (int c = 0; c < 2; c++)
        for (int q = 0; q < 4; q++)
            cr_assert(quad[c][q] >= 30 && quad[c][q] <= 95,
                      "class %d quadrant %d: %zu of ~63", c, q, quad[c][q]);
    rng_seed(&r, 3);
    annulus_data(x2, y2, N, &r);
    cr_assert(memcmp(x, x2, sizeof x) == 0 && memcmp(y, y2, sizeof y) == 0,
              "a seed fixes the data");
}

Test(annulus, network_shape_init_and_predictions)
{
    annulus_net_t a, b;
    cr_assert_eq(annulus_net_create(&a, 8, 9), VG_OK, "%s", vg_error_last());
    cr_assert_eq(annulus_net_create(&b, 8, 9), VG_OK);
    const mlp_spec_t *s = &a.mlp.spec;
    cr_assert(s->n_layers == 3 && s->sizes[0] == 2 && s->sizes[1] == 3 &&
              s->sizes[2] == 5 && s->sizes[3] == 1);
    cr_assert(s->acts[0] == NN_RELU && s->acts[1] == NN_RELU &&
              s->acts[2] == NN_IDENTITY);
    cr_assert_eq(a.n_params, 35u);
    cr_assert(memcmp(a.params, b.params, 35 * sizeof(double)) == 0, "seeded");
    /* nn.Linear's bound 1/sqrt(fan_in): layer 0's weights within 1/sqrt 2 */
    for (size_t i = 0; i < 6; i++)
        cr_assert(fabs(((double *)a.mlp.W[0])[i]) <= 1 / sqrt(2.0));
    for (size_t i = 0; i < 35; i++)
        cr_assert_eq(a.grads[i], 0.0);
    double x[4 * 2] = {0, 0, 4, 0, -1, 1, 0, -4.5}, y[4] = {1, 0, 1, 0};
    double p[4], l[4];
    cr_assert_eq(annulus_net_predict(&a, p, x, 4), VG_OK);
    mlp_forward_naive(&a.mlp, l, x, 4);
    size_t right = 0;
    for (size_t i = 0; i < 4; i++) {
        cr_assert(fabs(p[i] - sigmoid(l[i])) <= 1e-15, "prob %zu", i);
        right += y[i] > 0.5 ? p[i] > 0.5 : p[i] < 0.5;
    }
    cr_assert_eq(annulus_net_accuracy(&a, x, y, 4), (double)right / 4);
    cr_assert_eq(annulus_net_predict(&a, p, x, 9), VG_ERR, "over max_batch");
    b.params[0] += 1.0;
    annulus_net_copy_params(&a, &b);
    cr_assert(memcmp(a.params, b.params, 35 * sizeof(double)) == 0);
    annulus_net_free(&a);
    annulus_net_free(&b);
}
