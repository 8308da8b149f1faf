/* test_prob_avx2.c: the vector path of log_bernoulli_with_logits and its
 * backward (prob.c, taken on CPUs with AVX2 and FMA) against the
 * definitions written per pixel with softplus() and sigmoid(): row lengths
 * around the 4-pixel vector width and past the 1024-pixel flush of the
 * running product, logits from 0 to beyond exp's underflow. On a CPU
 * without AVX2 both sides are the plain loop and the test still holds.
 * Shapes: B rows, D pixels per row. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "prob.h"
#include "rng.h"

#define U (DBL_EPSILON / 2) /* unit roundoff, 2^-53 */

/* Logits that reach every branch: moderate, near 0, the -40 clamp of the
 * forward, the -708 clamp of exp, and +-1000. */
static double pick_logit(rng_t *r, size_t i)
{
    static const double edge[] = {0.0, -0.0, 40.0, -40.0, 41.5, -41.5, 707.0,
                                  -707.0, 709.0, -709.0, 1000.0, -1000.0};
    if (i % 7 == 3)
        return edge[rng_below(r, sizeof edge / sizeof *edge)];
    return 30.0 * (2.0 * rng_uniform(r) - 1.0);
}

static void fill(double *x, double *l, size_t n, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        l[i] = pick_logit(&r, i);
        /* binary pixels as in training, grayscale as fsvae and eval see */
        x[i] = i % 3 ? (double)(rng_uniform(&r) < 0.5) : rng_uniform(&r);
    }
}

/* Summing D terms in any order errs by at most D u times the sum of their
 * magnitudes (the recursive-summation bound, to first order), for the plain
 * loop and the vector path each; the product of (1 + e) factors kept in a
 * lane errs by at most one u per factor, which its log turns into an
 * absolute error of D u. So a row may differ by 2 D u S + D u, S the sum of
 * |x l - softplus(l)| over the row. A wrong branch or lane is off by at
 * least one term, which is far larger except for terms below 1e-13. */
Test(prob_avx2, log_bernoulli_matches_the_definition)
{
    static const size_t dims[] = {1, 3, 4, 5, 7, 8, 784, 1023, 1024, 1025,
                                  2051, 4100};
    for (size_t k = 0; k < sizeof dims / sizeof *dims; k++) {
        const size_t B = 3, D = dims[k];
        double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
        double out[3];
        cr_assert(x && l);
        fill(x, l, B * D, 100 + k);
        log_bernoulli_with_logits(out, x, l, B, D);
        for (size_t b = 0; b < B; b++) {
            double want = 0, mag = 0;
            for (size_t j = 0; j < D; j++) {
                double t = x[b * D + j] * l[b * D + j] - softplus(l[b * D + j]);
                want += t;
                mag += fabs(t);
            }
            double bound = 2.0 * (double)D * U * mag + (double)D * U;
            cr_assert(fabs(out[b] - want) <= bound, "D %zu row %zu: got "
                      "%.17g, want %.17g (bound %.3g)", D, b, out[b], want,
                      bound);
        }
        free(x);
        free(l);
    }
}

/* Per element: sigmoid from a few-ulp exp, one division and one multiply
 * is within 8 u relative of sigmoid()'s, which is itself that close to the
 * truth; the difference, scaling and accumulation add 3 u of the operands'
 * sizes. Where e^-|l| underflows (|l| > 708) the vector path gives exactly
 * 0 or 1 and libm a subnormal: 1e-300 absolute covers that. */
Test(prob_avx2, backward_matches_the_definition)
{
    static const size_t dims[] = {1, 3, 4, 5, 9, 784, 1030};
    for (size_t k = 0; k < sizeof dims / sizeof *dims; k++) {
        const size_t B = 4, D = dims[k];
        double *x = malloc(B * D * sizeof *x), *l = malloc(B * D * sizeof *l);
        double *got = malloc(B * D * sizeof *got), dout[4] = {-0.01, 1.0, 3.5, 0};
        cr_assert(x && l && got);
        fill(x, l, B * D, 200 + k);
        for (size_t i = 0; i < B * D; i++)
            got[i] = 0.25 * (double)(i % 5); /* it must accumulate */
        log_bernoulli_with_logits_backward(got, dout, x, l, B, D);
        for (size_t i = 0; i < B * D; i++) {
            double g = dout[i / D], s = sigmoid(l[i]), before = 0.25 * (double)(i % 5);
            double want = before + g * (x[i] - s);
            double bound = 16.0 * U * (fabs(before) + fabs(g) * (fabs(x[i]) + s)) + 1e-300;
            cr_assert(fabs(got[i] - want) <= bound, "D %zu element %zu (l %g, "
                      "x %g): got %.17g, want %.17g", D, i, l[i], x[i], got[i],
                      want);
        }
        free(x);
        free(l);
        free(got);
    }
}

/* The extremes the plain loop is exact at stay exact in whole vectors. */
Test(prob_avx2, exact_at_extreme_logits_in_a_vector)
{
    double x[8] = {1, 0, 1, 0, 1, 0, 1, 0};
    double l[8] = {1000, 1000, -1000, -1000, 1000, 1000, -1000, -1000};
    double out, dl[8] = {0}, one = 1;
    log_bernoulli_with_logits(&out, x, l, 1, 8);
    cr_assert_eq(out, -4000.0);
    log_bernoulli_with_logits_backward(dl, &one, x, l, 1, 8);
    for (int i = 0; i < 8; i++)
        cr_assert_eq(dl[i], (double)(x[i] - (l[i] > 0)), "element %d: %g", i,
                     dl[i]);
}
