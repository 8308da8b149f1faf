/* test_importance.c: importance.c of the cse599i-hw2 reference: M = 1
 * equals the discrete ELBO in expectation, the estimate is non-decreasing
 * in M beyond its Monte Carlo error, chunking past max_batch changes
 * nothing but rounding, and rows are independent of the batch they sit in.
 * Shapes: B batch, D data dimension (784), Z latent (10), M samples. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cse_setup.h"
#include "vg_error.h"

enum { B = 2, D = 784, Z = 10, H = 6 };

static model_t model;
static double x[B * D];

static void setup(void)
{
    small_model(&model, H, 16, 21);
    binary_digits(x, B, D, 0.2, 22);
}

static void teardown(void)
{
    model_free(&model);
}

TestSuite(importance, .init = setup, .fini = teardown);

static void is(const model_t *m_const, size_t m, uint64_t seed, double *out)
{
    model_t *mm = (model_t *)m_const;
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(mm);
    cr_assert_eq(log_marginal_is(mm, x, B, m, &rng, out), 0, "%s",
                 vg_error_last());
}

/* At M = 1 the row-major noise of B rows is the ELBO's: the estimate is
 * log p(x|z) + log r(z) - log q(z|x), the ELBO with the Monte Carlo KL at
 * the same z, so (mean over rows) - discrete_output_elbo = KL_closed -
 * KL_mc, of mean 0. N = 2000 seeds, 5 standard errors: false-fail rate
 * 5.7e-7 by the CLT. */
Test(importance, m1_is_the_elbo_in_expectation)
{
    enum { N = 2000 };
    static double d[N];
    for (size_t n = 0; n < N; n++) {
        double out[B];
        is(&model, 1, 300 + n, out);
        rng_t rng;
        rng_seed(&rng, 300 + n);
        scratch_reset(&model);
        double e = discrete_output_elbo(&model, x, B, &rng, 0);
        d[n] = (out[0] + out[1]) / B - e;
    }
    double m, se;
    mean_se(d, N, &m, &se);
    cr_assert(fabs(m) < 5 * se, "IS(M=1) - ELBO: mean %.5f, %.1f standard "
              "errors (%.5f) from 0", m, fabs(m) / se, se);
}

/* E[IS_M] is non-decreasing in M (Burda et al. 2016, theorem 1). Over
 * R = 30 seeds per M, the mean at each M in 1, 10, 100, 1000 is at least
 * the previous one's minus 5 standard errors of their difference (the
 * seeds differ between M, so the errors add in quadrature): a one-sided
 * false-fail rate under 2.9e-7 per step by the CLT, 8.6e-7 for the three.
 * The largest is the best estimate of log p(x): it is above M = 1's. */
Test(importance, non_decreasing_in_m)
{
    enum { R = 30 };
    const size_t ms[4] = { 1, 10, 100, 1000 };
    double mean[4], se[4];
    for (size_t k = 0; k < 4; k++) {
        double v[R];
        for (size_t r = 0; r < R; r++) {
            double out[B];
            is(&model, ms[k], 1000 * (k + 1) + r, out);
            v[r] = (out[0] + out[1]) / B;
        }
        mean_se(v, R, &mean[k], &se[k]);
    }
    for (size_t k = 1; k < 4; k++) {
        double tol = 5 * sqrt(se[k] * se[k] + se[k - 1] * se[k - 1]);
        cr_assert(mean[k] >= mean[k - 1] - tol,
                  "mean IS at M = %zu: %.4f, below M = %zu's %.4f by more "
                  "than 5 standard errors (%.4f)", ms[k], mean[k], ms[k - 1],
                  mean[k - 1], tol);
    }
    /* strictly: this untrained model's posterior is far from q, so the
     * gap log p(x) - ELBO is many standard errors wide (an average of
     * log-weights instead of weights has no gap at all) */
    double gap_tol = 5 * sqrt(se[3] * se[3] + se[0] * se[0]);
    cr_assert(mean[3] - mean[0] > gap_tol, "M = 1000: %.4f, M = 1: %.4f, "
              "not 5 standard errors (%.4f) above", mean[3], mean[0],
              gap_tol);
}

/* M = 40 through a model of max_batch 16 (chunks 16, 16, 8) and through a
 * copy of max_batch 64 (one chunk): the same noise in the same order, so
 * the same estimate to summation rounding (the log-sum-exp's running max
 * may rescale in another place: 1e-12 relative). */
Test(importance, chunks_change_nothing)
{
    model_t big;
    small_model(&big, H, 64, 21);
    cr_assert_eq(model_copy_params(&big, &model), 0);
    double a[B], b[B];
    is(&model, 40, 77, a);
    rng_t rng;
    rng_seed(&rng, 77);
    scratch_reset(&big);
    cr_assert_eq(log_marginal_is(&big, x, B, 40, &rng, b), 0);
    for (size_t i = 0; i < B; i++)
        cr_assert(fabs(a[i] - b[i]) <= 1e-12 * fabs(b[i]),
                  "row %zu: chunked %.15g, whole %.15g", i, a[i], b[i]);
    model_free(&big);
}

/* Row b's samples come after rows 0..b-1's: row 0 alone, at the same seed,
 * is row 0 of the batch; and each is a finite log-probability (< 0). */
Test(importance, rows_stand_alone)
{
    double both[B], one;
    is(&model, 25, 88, both);
    rng_t rng;
    rng_seed(&rng, 88);
    scratch_reset(&model);
    cr_assert_eq(log_marginal_is(&model, x, 1, 25, &rng, &one), 0);
    cr_assert(fabs(one - both[0]) <= 1e-12 * fabs(one), "%.15g vs %.15g", one,
              both[0]);
    for (size_t i = 0; i < B; i++)
        cr_assert(isfinite(both[i]) && both[i] < 0, "row %zu: %g", i, both[i]);
}

/* Log-weights of about -1e5 (every logit pushed to -1e3 by the decoder's
 * output bias, against digits with ~150 ones each): exp of a log-weight
 * underflows to 0, a log-sum-exp does not. The estimate is then finite
 * and within the log-weights' own range: max over i of log w_i minus at
 * most log M, and at least their mean (Jensen). */
Test(importance, finite_for_tiny_weights)
{
    mlp_t *net = &model.dec.net;
    size_t L = net->spec.n_layers;
    for (size_t j = 0; j < D; j++)
        ((double *)net->b[L - 1])[j] = -1e3;
    double out[B];
    is(&model, 30, 99, out);
    double ones = 0;
    for (size_t i = 0; i < D; i++)
        ones += x[i];
    for (size_t b = 0; b < B; b++)
        cr_assert(isfinite(out[b]) && out[b] < -500 * ones,
                  "row %zu: %g with %g ones at logits ~ -1e3", b, out[b],
                  ones);
    /* M = 1 at the same seed is row b's first log-weight; the M = 30
     * estimate is at least the mean of its 30 log-weights, and each
     * log-weight is within a few hundred of the others here (the 784
     * logits move by O(1) with z), so within 1e3 of M = 1's */
    double one[B];
    is(&model, 1, 99, one);
    for (size_t b = 0; b < B; b++)
        cr_assert(fabs(out[b] - one[b]) < 1e3, "row %zu: M = 30 %g, M = 1 %g",
                  b, out[b], one[b]);
}
