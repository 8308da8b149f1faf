/* test_utils_stable.c: the reference utils far from where naive formulas
 * work: mixture components 1000 standard deviations away, log-sum-exp of
 * +-1000, extreme variance ratios in the KL. Expected values are worked out
 * analytically in each test. Not ordinary values (test_utils_values.c).
 * Shapes: B batch, D dimension, K mixture components. */
#include <criterion/criterion.h>
#include <math.h>

#include "assignment.h"
#include "numcheck/compare.h"

#define PI 3.14159265358979323846

/* Results of magnitude ~5e5 assembled from D + 2 terms, each within an ulp
 * of 5e5 (~1.2e-10): 1e-13 relative (5e-8 absolute) is >100x that. */
static const cmp_bound_t FAR = { 0, 1e-13 };

/* z = 0 in D = 3; components shifted along dimension 0 only, by s standard
 * deviations (v = 2.25, std 1.5). log N(0 | m_k, v) = -(D log(2 pi v) +
 * s_k^2)/2. Two components at +-1000 std and one at 1001: log of the mean is
 * -(D log(2 pi v) + 1000^2)/2 + log((2 + e^{-1000.5})/3), and e^{-1000.5}
 * is below the smallest double, so log(2/3) is exact to double precision. */
Test(utils_stable, mixture_components_1000_std_away)
{
    enum { D = 3, K = 3 };
    const double v0 = 2.25, sd = 1.5;
    double z[D] = { 0, 0, 0 };
    double m[K * D] = { 1000 * sd, 0, 0, -1000 * sd, 0, 0, 1001 * sd, 0, 0 };
    double v[K * D];
    for (size_t i = 0; i < K * D; i++)
        v[i] = v0;
    double out;
    log_normal_mixture(z, m, v, 1, K, D, &out);
    cr_assert(isfinite(out), "mixture far away gave %g", out);
    double want = -0.5 * (D * log(2 * PI * v0) + 1e6) + log(2.0 / 3.0);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, want, out, FAR, "mixture 1000 std away"), "%s",
              r.message);
}

/* One component at 1000 std, one at 2000: the far one contributes
 * e^{-(2000^2 - 1000^2)/2} = 0 in double, so the value is the near
 * component's log-density minus log 2. */
Test(utils_stable, mixture_one_near_one_farther)
{
    enum { D = 1, K = 2 };
    double z[D] = { 0 }, m[K] = { 2000.0, -1000.0 }, v[K] = { 1, 1 };
    double out;
    log_normal_mixture(z, m, v, 1, K, D, &out);
    double want = -0.5 * (log(2 * PI) + 1e6) - log(2.0);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, want, out, FAR, "mixture 1000/2000 std away"),
              "%s", r.message);
}

/* Exact answers (1000, -1000, 1000 + log 2, 0): one log and one addition
 * of rounding, so 4 ulp of the result (rel 1e-15, with 1e-300 absolute for
 * the exact 0) is enough, and the naive forms (inf, -inf, NaN) fail it. */
Test(utils_stable, log_mean_exp_of_large_values)
{
    const cmp_bound_t ulps = { 1e-300, 1e-15 };
    cmp_report_t r;
    double big[2] = { 1000, 1000 };
    double small[4] = { -1000, -1000, -1000, -1000 };
    double mixed[2] = { 0, -1000 };
    double wide[3] = { 1000, -1000, 1000 };
    cr_assert(compare_scalar(&r, 1000, log_mean_exp(big, 2), ulps,
                             "log_mean_exp[1000, 1000]"), "%s", r.message);
    cr_assert(compare_scalar(&r, -1000, log_mean_exp(small, 4), ulps,
                             "log_mean_exp[-1000 x4]"), "%s", r.message);
    cr_assert(compare_scalar(&r, 1000 + log(2.0), log_sum_exp(big, 2), ulps,
                             "log_sum_exp[1000, 1000]"), "%s", r.message);
    /* log(1 + e^-1000): e^-1000 is below the smallest double. */
    cr_assert(compare_scalar(&r, 0, log_sum_exp(mixed, 2), ulps,
                             "log_sum_exp[0, -1000]"), "%s", r.message);
    cr_assert(compare_scalar(&r, 1000 + log(2.0 / 3.0), log_mean_exp(wide, 3),
                             ulps, "log_mean_exp[1000, -1000, 1000]"), "%s", r.message);
}

/* Variances 1e-200 against 1e200: the ratio overflows and its log is the
 * whole answer. KL = (log(pv/qv) + qv/pv - 1)/2 = (400 log 10 + 1e-400 - 1)/2
 * with the 1e-400 gone; the other way round, qv/pv = 1e400 makes the KL
 * infinite, which is the right double answer. */
Test(utils_stable, kl_with_extreme_variance_ratio)
{
    double qm = 0, pm = 0, qv = 1e-200, pv = 1e200, out;
    kl_normal(&qm, &qv, &pm, &pv, 1, 1, &out);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, 0.5 * (400 * log(10.0) - 1), out,
                             (cmp_bound_t){ 0, 1e-13 }, "KL(var 1e-200 || 1e200)"),
              "%s", r.message);
    kl_normal(&qm, &pv, &pm, &qv, 1, 1, &out);
    cr_assert(isinf(out) && out > 0, "KL(var 1e200 || 1e-200) should be +Inf, got %g",
              out);
}
