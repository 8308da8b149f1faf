/* test_utils_values.c: the reference utils against closed forms that each
 * test computes on its own (by hand in 1-D, from densities rather than
 * log-densities, in long double), and against identities. Not gradients
 * (test_utils_grad.c), not far-from-the-mode inputs (test_utils_stable.c).
 * Shapes: B batch, D dimension, K mixture components. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "numcheck/compare.h"
#include "utils_inputs.h"

#define PI 3.14159265358979323846

/* Values of O(1-10) computed through a handful of libm calls, each within
 * 1 ulp: 1e-13 absolute and relative leaves >100x headroom over the ~1e-15
 * such chains reach, and still catches any wrong term. */
static const cmp_bound_t CLOSE = { 1e-13, 1e-13 };

static void expect(const double *expected, const double *got, size_t n,
                   cmp_bound_t bound, const char *what)
{
    cmp_report_t r;
    cr_assert(compare_arrays(&r, expected, got, n, bound, what), "%s", r.message);
}

/* ---- log_normal ---------------------------------------------------------- */

Test(utils_log_normal, one_dimension_by_hand)
{
    /* log N(1 | 0, 1) = -(log 2pi + 1)/2; log N(3 | 1, 4) = -(log 8pi + 1)/2,
     * since (3-1)^2/4 = 1. */
    double x[2] = { 1, 3 }, m[2] = { 0, 1 }, v[2] = { 1, 4 }, out[2];
    log_normal(x, m, v, 2, 1, out);
    double want[2] = { -0.5 * (log(2 * PI) + 1), -0.5 * (log(8 * PI) + 1) };
    expect(want, out, 2, CLOSE, "log_normal 1-D (B=2)");
}

/* Against the product of the densities (exp form), which shares no code
 * path with a sum of log-densities. Inputs keep every density in
 * [1e-3, 1], so the product of D=6 neither under- nor overflows. */
Test(utils_log_normal, matches_product_of_densities)
{
    enum { B = 5, D = 6 };
    double x[B * D], m[B * D], v[B * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 11);
    fill_uniform(&rng, x, B * D, -2, 2);
    fill_uniform(&rng, m, B * D, -2, 2);
    fill_uniform(&rng, v, B * D, 0.3, 3);
    log_normal(x, m, v, B, D, out);
    for (size_t b = 0; b < B; b++) {
        double p = 1;
        for (size_t d = b * D; d < (b + 1) * D; d++) {
            double r = x[d] - m[d];
            p *= exp(-r * r / (2 * v[d])) / sqrt(2 * PI * v[d]);
        }
        want[b] = log(p);
    }
    expect(want, out, B, CLOSE, "log_normal (B=5, D=6)");
}

/* ---- kl_normal ----------------------------------------------------------- */

Test(utils_kl_normal, one_dimension_by_hand)
{
    /* KL(N(1,4) || N(0,1)) = (log(1/4) + (4 + 1)/1 - 1)/2 = 2 - log 2;
     * KL(N(0,1) || N(1,4)) = (log 4 + (1 + 1)/4 - 1)/2 = log 2 - 1/4. */
    double qm[2] = { 1, 0 }, qv[2] = { 4, 1 }, pm[2] = { 0, 1 }, pv[2] = { 1, 4 };
    double out[2];
    kl_normal(qm, qv, pm, pv, 2, 1, out);
    double want[2] = { 2 - log(2.0), log(2.0) - 0.25 };
    expect(want, out, 2, CLOSE, "kl_normal 1-D (B=2)");
}

/* The header's formula, term by term, on random inputs. */
Test(utils_kl_normal, matches_formula)
{
    enum { B = 4, D = 7 };
    double qm[B * D], qv[B * D], pm[B * D], pv[B * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 12);
    fill_uniform(&rng, qm, B * D, -2, 2);
    fill_uniform(&rng, pm, B * D, -2, 2);
    fill_uniform(&rng, qv, B * D, 0.1, 3);
    fill_uniform(&rng, pv, B * D, 0.1, 3);
    kl_normal(qm, qv, pm, pv, B, D, out);
    for (size_t b = 0; b < B; b++) {
        double s = 0;
        for (size_t d = b * D; d < (b + 1) * D; d++) {
            double r = qm[d] - pm[d];
            s += log(pv[d] / qv[d]) + (qv[d] + r * r) / pv[d] - 1;
        }
        want[b] = 0.5 * s;
    }
    expect(want, out, B, CLOSE, "kl_normal (B=4, D=7)");
}

Test(utils_kl_normal, kl_of_q_with_itself_is_zero)
{
    enum { B = 3, D = 5 };
    double qm[B * D], qv[B * D], out[B], zero[B] = { 0 };
    rng_t rng;
    rng_seed(&rng, 13);
    fill_uniform(&rng, qm, B * D, -5, 5);
    fill_uniform(&rng, qv, B * D, 1e-6, 1e3);
    kl_normal(qm, qv, qm, qv, B, D, out);
    /* Exactly 0: every term is log 1 + 1 - 1 or its stable equivalent. */
    expect(zero, out, B, (cmp_bound_t){ 0, 0 }, "KL(q||q) (B=3, D=5)");
}

/* Near q = p the direct form (qv/pv - 1 - log(qv/pv)) loses every digit to
 * cancellation; the reference must not. The expected value is u - log1p(u)
 * in long double (64-bit mantissa): for u = 1e-6 its error is ~1e-19 * u
 * against a result of u^2/2, so ~1e-13 relative; the bound 1e-9 relative
 * sits well above that and far below the ~1e-4 of the naive double form. */
Test(utils_kl_normal, exact_near_q_equals_p)
{
    const double us[3] = { 1e-3, 1e-6, -1e-5 };
    for (int i = 0; i < 3; i++) {
        double qm = 0.25, pm = 0.25, pv = 0.75;
        double qv = pv * (1 + us[i]);
        double out;
        kl_normal(&qm, &qv, &pm, &pv, 1, 1, &out);
        long double u = ((long double)qv - pv) / pv;
        double want = (double)(0.5L * (u - log1pl(u)));
        cmp_report_t r;
        cr_assert(compare_scalar(&r, want, out, (cmp_bound_t){ 0, 1e-9 },
                                 "kl_normal near q = p"), "u=%g: %s", us[i], r.message);
    }
}

/* ---- log_normal_mixture ------------------------------------------------------ */

Test(utils_mixture, one_component_equals_log_normal)
{
    enum { B = 4, D = 3 };
    double z[B * D], m[D], v[D], mb[B * D], vb[B * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 21);
    fill_uniform(&rng, z, B * D, -3, 3);
    fill_uniform(&rng, m, D, -1, 1);
    fill_uniform(&rng, v, D, 0.2, 2);
    for (size_t b = 0; b < B; b++) {
        memcpy(mb + b * D, m, sizeof m);
        memcpy(vb + b * D, v, sizeof v);
    }
    log_normal_mixture(z, m, v, B, 1, D, out);
    log_normal(z, mb, vb, B, D, want);
    expect(want, out, B, CLOSE, "mixture K=1 vs log_normal (B=4, D=3)");
}

/* Against log((1/K) sum_k prod_d density) from the densities themselves;
 * inputs keep each density product well inside double range. */
Test(utils_mixture, matches_mean_of_densities)
{
    enum { B = 3, K = 4, D = 2 };
    double z[B * D], m[K * D], v[K * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 22);
    fill_uniform(&rng, z, B * D, -2, 2);
    fill_uniform(&rng, m, K * D, -2, 2);
    fill_uniform(&rng, v, K * D, 0.3, 2);
    log_normal_mixture(z, m, v, B, K, D, out);
    for (size_t b = 0; b < B; b++) {
        double s = 0;
        for (size_t k = 0; k < K; k++) {
            double p = 1;
            for (size_t d = 0; d < D; d++) {
                double r = z[b * D + d] - m[k * D + d];
                p *= exp(-r * r / (2 * v[k * D + d])) / sqrt(2 * PI * v[k * D + d]);
            }
            s += p;
        }
        want[b] = log(s / K);
    }
    expect(want, out, B, CLOSE, "log_normal_mixture (B=3, K=4, D=2)");
}

/* Reversing the components changes only the order of a sum of K terms:
 * K ulp at most, far under CLOSE. */
Test(utils_mixture, permutation_invariant)
{
    enum { B = 5, K = 7, D = 3 };
    double z[B * D], m[K * D], v[K * D], pm[K * D], pvv[K * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 23);
    fill_uniform(&rng, z, B * D, -3, 3);
    fill_uniform(&rng, m, K * D, -3, 3);
    fill_uniform(&rng, v, K * D, 0.1, 4);
    for (size_t k = 0; k < K; k++) {
        memcpy(pm + (K - 1 - k) * D, m + k * D, D * sizeof *m);
        memcpy(pvv + (K - 1 - k) * D, v + k * D, D * sizeof *v);
    }
    log_normal_mixture(z, m, v, B, K, D, want);
    log_normal_mixture(z, pm, pvv, B, K, D, out);
    expect(want, out, B, CLOSE, "mixture with components reversed (B=5, K=7)");
}

/* K copies of one component are that component: log((1/K) K p) = log p. */
Test(utils_mixture, identical_components_equal_one)
{
    enum { B = 2, K = 9, D = 4 };
    double z[B * D], m[K * D], v[K * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 24);
    fill_uniform(&rng, z, B * D, -1, 1);
    fill_uniform(&rng, m, D, -1, 1);
    fill_uniform(&rng, v, D, 0.5, 1.5);
    for (size_t k = 1; k < K; k++) {
        memcpy(m + k * D, m, D * sizeof *m);
        memcpy(v + k * D, v, D * sizeof *v);
    }
    log_normal_mixture(z, m, v, B, 1, D, want);
    log_normal_mixture(z, m, v, B, K, D, out);
    expect(want, out, B, CLOSE, "mixture of 9 identical components");
}

/* ---- log_sum_exp / log_mean_exp ------------------------------------------- */

Test(utils_lse, matches_direct_formula)
{
    enum { N = 17 };
    double x[N];
    rng_t rng;
    rng_seed(&rng, 31);
    fill_uniform(&rng, x, N, -5, 5);
    double s = 0;
    for (size_t i = 0; i < N; i++)
        s += exp(x[i]);
    cmp_report_t r;
    cr_assert(compare_scalar(&r, log(s), log_sum_exp(x, N), CLOSE, "log_sum_exp"),
              "%s", r.message);
    cr_assert(compare_scalar(&r, log(s / N), log_mean_exp(x, N), CLOSE, "log_mean_exp"),
              "%s", r.message);
}

Test(utils_lse, equal_values_and_single_value)
{
    double x[5] = { 0.7, 0.7, 0.7, 0.7, 0.7 };
    cmp_report_t r;
    /* mean of exp of equal values is that value; the sum adds log n. One
     * rounding of log and one of the addition: a few ulp. */
    cr_assert(compare_scalar(&r, 0.7, log_mean_exp(x, 5), CLOSE, "lme of 5 x 0.7"),
              "%s", r.message);
    cr_assert(compare_scalar(&r, 0.7 + log(5.0), log_sum_exp(x, 5), CLOSE,
                             "lse of 5 x 0.7"), "%s", r.message);
    cr_assert(compare_scalar(&r, -3.25, log_mean_exp((double[]){ -3.25 }, 1),
                             CLOSE, "lme of one value"), "%s", r.message);
    cr_assert(compare_scalar(&r, -3.25, log_sum_exp((double[]){ -3.25 }, 1),
                             CLOSE, "lse of one value"), "%s", r.message);
}

/* More rows than any internal blocking of the batch (the reference works
 * in chunks of 64): every row must equal that row computed alone. The same
 * operations in the same order give the same double, hence the 0 bound. */
Test(utils_mixture, many_rows_equal_rows_alone)
{
    enum { B = 131, K = 4, D = 3 };
    double z[B * D], m[K * D], v[K * D], out[B], want[B];
    rng_t rng;
    rng_seed(&rng, 25);
    fill_uniform(&rng, z, B * D, -3, 3);
    fill_uniform(&rng, m, K * D, -2, 2);
    fill_uniform(&rng, v, K * D, 0.2, 2);
    log_normal_mixture(z, m, v, B, K, D, out);
    for (size_t b = 0; b < B; b++)
        log_normal_mixture(z + b * D, m, v, 1, K, D, want + b);
    expect(want, out, B, (cmp_bound_t){ 0, 0 }, "mixture, B=131 vs row by row");
}
