/* test_utils_sample.c: sample_gaussian's statistics, its scaling with
 * sqrt(v), its determinism and draw order, and the Monte Carlo agreement of
 * the closed-form KL. Every statistical test states its false-fail rate.
 * Not gradients (test_utils_grad.c). Shapes: n flat length, B batch, D dim. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "numcheck/compare.h"

/* A z-bound at 5 sigma fails a correct sampler with probability
 * P(|N(0,1)| > 5) = erfc(5/sqrt 2) = 5.7e-7 per bound (over the choice of
 * seed; for the fixed seed here the outcome is fixed). */
#define Z_BOUND 5.0

/* n = 200000 draws with m = 1.5, v = 4 everywhere.
 * - The sample mean is N(m, v/n): bound 5 sqrt(v/n) = 0.0224.
 * - The unbiased sample variance s^2 has variance 2 v^2/(n-1) for Gaussian
 *   data (s^2 (n-1)/v is chi-square with n-1 degrees of freedom), so its
 *   standard error is v sqrt(2/(n-1)) = 0.0126; with n-1 = 2e5 degrees of
 *   freedom the chi-square is normal to within its skewness sqrt(8/(n-1)) =
 *   0.006, so the 5-sigma rate holds.
 * - Standardised third and fourth moments are 0 and 3 with standard errors
 *   sqrt(6/n) = 0.0055 and sqrt(24/n) = 0.011 (normal data).
 * Four bounds at 5.7e-7 each: false-fail rate below 2.3e-6 by the union
 * bound. */
Test(utils_sample, moments, .timeout = 20)
{
    enum { N = 200000 };
    const double m0 = 1.5, v0 = 4.0;
    double *m = malloc(4 * N * sizeof *m);
    cr_assert_not_null(m);
    double *v = m + N, *z = v + N, *eps = z + N;   /* each (N) */
    for (size_t i = 0; i < N; i++) {
        m[i] = m0;
        v[i] = v0;
    }
    rng_t rng;
    rng_seed(&rng, 20240601);
    sample_gaussian(&rng, m, v, N, z, eps);

    double mean = 0;
    for (size_t i = 0; i < N; i++)
        mean += z[i];
    mean /= N;
    double c2 = 0, c3 = 0, c4 = 0;
    for (size_t i = 0; i < N; i++) {
        double d = z[i] - mean, d2 = d * d;
        c2 += d2;
        c3 += d2 * d;
        c4 += d2 * d2;
    }
    double var = c2 / (N - 1);
    double skew = (c3 / N) / pow(c2 / N, 1.5);
    double kurt = (c4 / N) / ((c2 / N) * (c2 / N));

    cmp_report_t r;
    cr_assert(compare_scalar(&r, m0, mean, (cmp_bound_t){ Z_BOUND * sqrt(v0 / N), 0 },
                             "sample mean"), "%s", r.message);
    cr_assert(compare_scalar(&r, v0, var,
                             (cmp_bound_t){ Z_BOUND * v0 * sqrt(2.0 / (N - 1)), 0 },
                             "sample variance"), "%s", r.message);
    cr_assert(compare_scalar(&r, 0, skew, (cmp_bound_t){ Z_BOUND * sqrt(6.0 / N), 0 },
                             "sample skewness"), "%s", r.message);
    cr_assert(compare_scalar(&r, 3, kurt, (cmp_bound_t){ Z_BOUND * sqrt(24.0 / N), 0 },
                             "sample kurtosis"), "%s", r.message);
    free(m);
}

/* With the same seed, z = m + sqrt(v) eps must be the unit draw scaled:
 * the test recomputes it from eps of a (0, 1) run. The same operations in
 * the same order give the same double; 1e-15 relative allows a different
 * but exact-to-an-ulp arrangement (fma), nothing more. */
Test(utils_sample, scales_with_sqrt_v)
{
    enum { N = 64 };
    double zero[N] = { 0 }, one[N], m[N], v[N], z0[N], e0[N], z[N], e[N], want[N];
    for (size_t i = 0; i < N; i++) {
        one[i] = 1;
        m[i] = -2.0 + 0.0625 * (double)i;
        v[i] = 1e-4 * pow(10.0, (double)(i % 8));   /* 1e-4 .. 1e3 */
    }
    rng_t rng;
    rng_seed(&rng, 7);
    sample_gaussian(&rng, zero, one, N, z0, e0);
    rng_seed(&rng, 7);
    sample_gaussian(&rng, m, v, N, z, e);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, z0, e0, N, (cmp_bound_t){ 0, 0 }, "z of N(0,1) vs eps"),
              "%s", r.message);
    cr_assert(compare_arrays(&r, e0, e, N, (cmp_bound_t){ 0, 0 },
                             "eps does not depend on m, v"), "%s", r.message);
    for (size_t i = 0; i < N; i++)
        want[i] = m[i] + sqrt(v[i]) * e0[i];
    cr_assert(compare_arrays(&r, want, z, N, (cmp_bound_t){ 1e-15, 1e-15 },
                             "z = m + sqrt(v) eps"), "%s", r.message);
}

/* eps[i] is the i-th rng_normal of the generator, and the generator is left
 * where n draws leave it: a seed fixes every sample of the run. */
Test(utils_sample, deterministic_in_index_order)
{
    enum { N = 33 };   /* odd: the polar method's spare is left pending */
    double m[N], v[N], z[N], e[N], z2[N], e2[N], draws[N];
    for (size_t i = 0; i < N; i++) {
        m[i] = 0.5;
        v[i] = 2.0;
    }
    rng_t a, b;
    rng_seed(&a, 99);
    sample_gaussian(&a, m, v, N, z, e);
    rng_seed(&b, 99);
    for (size_t i = 0; i < N; i++)
        draws[i] = rng_normal(&b);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, draws, e, N, (cmp_bound_t){ 0, 0 },
                             "eps vs rng_normal in index order"), "%s", r.message);
    cr_assert_eq(rng_normal(&a), rng_normal(&b), "generator state after n draws");

    rng_seed(&a, 99);
    sample_gaussian(&a, m, v, N, z2, e2);
    cr_assert(memcmp(z, z2, sizeof z) == 0 && memcmp(e, e2, sizeof e) == 0,
              "same seed, different samples");
}

/* The closed-form KL against the mean of log q(z) - log p(z) over n
 * samples z ~ q. The Monte Carlo mean has standard error s/sqrt(n) with s
 * the sample std of the log-ratio; a 5-sigma bound fails with probability
 * 5.7e-7 (n = 50000 makes the CLT exact enough: the log-ratio is a
 * quadratic in Gaussians, with all moments). */
Test(utils_sample, kl_agrees_with_monte_carlo, .timeout = 20)
{
    enum { N = 50000, D = 3 };
    const double qm[D] = { 0.3, -1.0, 2.0 }, qv[D] = { 0.5, 2.0, 1.0 };
    const double pm[D] = { 0.0, 0.5, 1.0 }, pv[D] = { 1.0, 1.5, 3.0 };
    double *blk = malloc((5 * N * D + 2 * N) * sizeof *blk);
    cr_assert_not_null(blk);
    double *m = blk, *v = m + N * D, *p_m = v + N * D, *p_v = p_m + N * D;
    double *z = p_v + N * D;                     /* each (N,D) */
    double *lq = z + N * D, *lp = lq + N;        /* each (N) */
    double eps[D];
    for (size_t i = 0; i < N; i++)
        for (size_t d = 0; d < D; d++) {
            m[i * D + d] = qm[d];
            v[i * D + d] = qv[d];
            p_m[i * D + d] = pm[d];
            p_v[i * D + d] = pv[d];
        }
    rng_t rng;
    rng_seed(&rng, 4242);
    for (size_t i = 0; i < N; i++)
        sample_gaussian(&rng, qm, qv, D, z + i * D, eps);
    log_normal(z, m, v, N, D, lq);
    log_normal(z, p_m, p_v, N, D, lp);
    double mean = 0, sq = 0;
    for (size_t i = 0; i < N; i++)
        mean += lq[i] - lp[i];
    mean /= N;
    for (size_t i = 0; i < N; i++)
        sq += (lq[i] - lp[i] - mean) * (lq[i] - lp[i] - mean);
    double se = sqrt(sq / (N - 1) / N);
    double kl;
    kl_normal(qm, qv, pm, pv, 1, D, &kl);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, kl, mean, (cmp_bound_t){ Z_BOUND * se, 0 },
                             "Monte Carlo KL vs closed form"), "%s", r.message);
    free(blk);
}
