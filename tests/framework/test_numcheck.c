/* test_numcheck.c: the comparator and the finite-difference checker, on
 * inputs whose right answers are known exactly (binary fractions, closed-form
 * gradients), and the distribution tails of the statistical checks. Not a
 * test of any assignment function. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "numcheck/compare.h"
#include "numcheck/finite_diff.h"
#include "numcheck/stats.h"

static int has(const char *haystack, const char *needle)
{
    return strstr(haystack, needle) != NULL;
}

/* ---- compare_arrays ------------------------------------------------------ */

Test(numcheck_compare, equal_arrays_pass)
{
    double e[4] = { 1, -2, 0, 1e300 };
    cmp_report_t r;
    cr_assert_eq(compare_arrays(&r, e, e, 4, (cmp_bound_t){ 0, 0 }, "eq"), 1);
    cr_assert(r.ok && r.n == 4 && r.n_bad == 0 && r.nonfinite == 0);
    cr_assert(has(r.message, "eq: all 4"), "%s", r.message);
}

Test(numcheck_compare, wrong_element_named_by_index)
{
    double e[6] = { 1, 2, 3, 4, 5, 6 };
    double g[6] = { 1, 2, 3, 4.5, 5, 6 };
    cmp_report_t r;
    int ok = compare_arrays(&r, e, g, 6, (cmp_bound_t){ 1e-12, 1e-9 }, "kl");
    cr_assert_eq(ok, 0);
    cr_assert_eq(r.ok, 0);
    cr_assert_eq(r.n_bad, 1);
    cr_assert_eq(r.worst, 3);
    cr_assert_eq(r.expected, 4.0);
    cr_assert_eq(r.got, 4.5);
    cr_assert_eq(r.abs_err, 0.5);
    cr_assert_eq(r.rel_err, 0.125);
    cr_assert(has(r.message, "kl:"), "%s", r.message);
    cr_assert(has(r.message, "worst at [3]"), "%s", r.message);
    cr_assert(has(r.message, "expected 4, got 4.5"), "%s", r.message);
    cr_assert(has(r.message, "1 of 6 outside"), "%s", r.message);
}

/* Binary fractions make every error and bound exact, so margins are exact. */
Test(numcheck_compare, margin_is_percent_of_bound)
{
    cmp_report_t r;
    cr_assert_eq(compare_scalar(&r, 1.0, 1.25, (cmp_bound_t){ 0.5, 0 }, "a"), 1);
    cr_assert_eq(r.margin_pct, 50.0);
    cr_assert_eq(compare_scalar(&r, 1.0, 2.0, (cmp_bound_t){ 0.5, 0 }, "a"), 0);
    cr_assert_eq(r.margin_pct, 200.0);
    cr_assert(has(r.message, "200% of the bound"), "%s", r.message);
    /* tol = 0 + 0.015625 * 64 = 1, err = 0.5: the relative part alone. */
    cr_assert_eq(compare_scalar(&r, 64.0, 64.5, (cmp_bound_t){ 0, 0.015625 }, "r"), 1);
    cr_assert_eq(r.margin_pct, 50.0);
    /* On the bound exactly is inside it. */
    cr_assert_eq(compare_scalar(&r, 64.0, 65.0, (cmp_bound_t){ 0, 0.015625 }, "r"), 1);
    cr_assert_eq(r.margin_pct, 100.0);
}

Test(numcheck_compare, worst_is_largest_margin_and_pass_reports_headroom)
{
    double e[3] = { 0, 0, 0 };
    double g[3] = { 0.25, -0.5, 0.125 };
    cmp_report_t r;
    cr_assert_eq(compare_arrays(&r, e, g, 3, (cmp_bound_t){ 1, 0 }, "h"), 1);
    cr_assert_eq(r.worst, 1);
    cr_assert_eq(r.margin_pct, 50.0);
    cr_assert(has(r.message, "closest to the bound at [1]"), "%s", r.message);
}

Test(numcheck_compare, zero_bound_means_exact)
{
    cmp_report_t r;
    cr_assert_eq(compare_scalar(&r, 0.1, 0.1, (cmp_bound_t){ 0, 0 }, "x"), 1);
    cr_assert_eq(compare_scalar(&r, 0.1, nextafter(0.1, 1), (cmp_bound_t){ 0, 0 }, "x"), 0);
    cr_assert(isinf(r.margin_pct));
    cr_assert_eq(compare_scalar(&r, 0.0, 1e-300, (cmp_bound_t){ 0, 0 }, "x"), 0);
    cr_assert(isinf(r.rel_err), "relative to 0 is infinite, got %g", r.rel_err);
}

Test(numcheck_compare, nan_in_got_is_reported_as_nan)
{
    double e[4] = { 1, 2, 3, 4 };
    double g[4] = { 1, 200, NAN, 4 };
    cmp_report_t r;
    cr_assert_eq(compare_arrays(&r, e, g, 4, (cmp_bound_t){ 1e-9, 1e-9 }, "v"), 0);
    cr_assert_eq(r.n_bad, 2);
    cr_assert_eq(r.nonfinite, 1);
    /* NaN outranks a finite mismatch however large. */
    cr_assert_eq(r.worst, 2);
    cr_assert(has(r.message, "got NaN where 3 (finite) was expected"), "%s", r.message);
    cr_assert(!has(r.message, "rel err"), "a NaN is not an error size: %s", r.message);
}

Test(numcheck_compare, infinities)
{
    cmp_report_t r;
    cr_assert_eq(compare_scalar(&r, -INFINITY, -INFINITY, (cmp_bound_t){ 0, 0 }, "i"), 1);
    cr_assert_eq(compare_scalar(&r, -INFINITY, INFINITY, (cmp_bound_t){ 1, 1 }, "i"), 0);
    cr_assert(has(r.message, "got +Inf where -Inf was expected"), "%s", r.message);
    cr_assert_eq(compare_scalar(&r, 5.0, -INFINITY, (cmp_bound_t){ 1, 1 }, "i"), 0);
    cr_assert(has(r.message, "got -Inf where 5 (finite) was expected"), "%s", r.message);
    /* And the other way round: a non-finite expected value is a test bug,
     * said as such. */
    cr_assert_eq(compare_scalar(&r, NAN, 5.0, (cmp_bound_t){ 1, 1 }, "i"), 0);
    cr_assert_eq(r.nonfinite, 1);
    cr_assert(has(r.message, "expected value is NaN"), "%s", r.message);
    cr_assert_eq(compare_scalar(&r, NAN, NAN, (cmp_bound_t){ 1, 1 }, "i"), 0);
}

Test(numcheck_compare, first_failures_listed_then_counted)
{
    double e[10] = { 0 };
    double g[10] = { 0, 1, 0, 2, 3, 4, 5, 6, 0, 7 };
    cmp_report_t r;
    cr_assert_eq(compare_arrays(&r, e, g, 10, (cmp_bound_t){ 0.5, 0 }, "p"), 0);
    cr_assert_eq(r.n_bad, 7);
    cr_assert_eq(r.worst, 9);
    cr_assert(has(r.message, "[1] expected 0 got 1; [3] expected 0 got 2; "
                  "[4] expected 0 got 3; [5] expected 0 got 4; ... (3 more)"),
              "%s", r.message);
}

Test(numcheck_compare, indexed_reports_given_indices)
{
    double e[2] = { 1, 2 };
    double g[2] = { 1, 3 };
    size_t idx[2] = { 17, 42 };
    cmp_report_t r;
    cr_assert_eq(compare_arrays_indexed(&r, e, g, idx, 2, (cmp_bound_t){ 0, 0 }, "s"), 0);
    cr_assert_eq(r.worst, 42);
    cr_assert(has(r.message, "worst at [42]"), "%s", r.message);
}

Test(numcheck_compare, empty_passes)
{
    cmp_report_t r;
    cr_assert_eq(compare_arrays(&r, NULL, NULL, 0, (cmp_bound_t){ 0, 0 }, NULL), 1);
    cr_assert(has(r.message, "0 elements"), "%s", r.message);
}

/* ---- fd_check -------------------------------------------------------------- */

/* f(x) = sum_i sin(x_i) x_{(i+1) mod n} + 1/2 sum x_i^2, with gradient
 * cos(x_i) x_{i+1} + sin(x_{i-1}) + x_i: smooth, coupled, O(1). */
static double smooth_f(void *ctx, const double *x)
{
    size_t n = *(const size_t *)ctx;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += sin(x[i]) * x[(i + 1) % n] + 0.5 * x[i] * x[i];
    return s;
}

static void smooth_grad(double *g, const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g[i] = cos(x[i]) * x[(i + 1) % n] + sin(x[(i + n - 1) % n]) + x[i];
}

static void fill(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = sin(3.7 * (double)i + 0.3) * 1.5;
}

/* The default options: h = 1e-5 gives truncation ~ h^2 |f'''| / 6 ~ 1e-11
 * and rounding ~ 1e-16 * |f| / h ~ 1e-10 here, far under 1e-8 + 1e-6 |g|. */
Test(numcheck_fd, passes_on_known_gradient_and_restores_exactly)
{
    enum { N = 12 };
    size_t n = N;
    double x[N], saved[N], g[N];
    fill(x, n);
    memcpy(saved, x, sizeof x);
    smooth_grad(g, x, n);
    fd_options_t opt = fd_options_default();
    cmp_report_t r;
    int ok = fd_check_array(&r, smooth_f, &n, x, n, g, &opt);
    cr_assert_eq(ok, 1, "%s", r.message);
    cr_assert_eq(r.n, N);
    cr_assert(r.margin_pct < 10, "reference should sit well under: %s", r.message);
    cr_assert(memcmp(x, saved, sizeof x) == 0, "x was not restored bit for bit");
}

Test(numcheck_fd, fails_on_wrong_gradient_and_names_coordinate)
{
    enum { N = 12 };
    size_t n = N;
    double x[N], g[N];
    fill(x, n);
    smooth_grad(g, x, n);
    g[7] *= 1.001;  /* a 0.1% error: 1000x the relative bound */
    fd_options_t opt = fd_options_default();
    opt.what = "d smooth / dx";
    cmp_report_t r;
    cr_assert_eq(fd_check_array(&r, smooth_f, &n, x, n, g, &opt), 0);
    cr_assert_eq(r.n_bad, 1);
    cr_assert_eq(r.worst, 7);
    cr_assert(has(r.message, "d smooth / dx"), "%s", r.message);
    cr_assert(has(r.message, "worst at [7]"), "%s", r.message);
}

/* |x| has a kink at 0: the check must skip it where told to. */
static double abs_sum(void *ctx, const double *x)
{
    (void)ctx;
    return fabs(x[0]) + fabs(x[1]) + fabs(x[2]);
}

Test(numcheck_fd, skip_list_excludes_kinks)
{
    double x[3] = { 0.5, 0.0, -2.0 };
    double g[3] = { 1, 123, -1 }; /* anything at the kink */
    fd_options_t opt = fd_options_default();
    cmp_report_t r;
    cr_assert_eq(fd_check_array(&r, abs_sum, NULL, x, 3, g, &opt), 0);
    cr_assert_eq(r.worst, 1);
    size_t skip[1] = { 1 };
    opt.skip = skip;
    opt.n_skip = 1;
    cr_assert_eq(fd_check_array(&r, abs_sum, NULL, x, 3, g, &opt), 1, "%s", r.message);
    cr_assert_eq(r.n, 2);
}

/* NaN once x[2] moves up: log of a negative number. */
static double log_edge(void *ctx, const double *x)
{
    (void)ctx;
    return x[0] * x[1] + log(1e-6 - x[2]);
}

Test(numcheck_fd, nan_of_f_is_reported_as_such)
{
    double x[3] = { 1, 2, 0 };
    double g[3] = { 2, 1, -1e6 };
    fd_options_t opt = fd_options_default();
    cmp_report_t r;
    cr_assert_eq(fd_check_array(&r, log_edge, NULL, x, 3, g, &opt), 0);
    cr_assert(r.nonfinite >= 1);
    cr_assert_eq(r.worst, 2);
    cr_assert(has(r.message, "f is NaN at x[2]+h"), "%s", r.message);
    cr_assert(x[2] == 0.0);
}

Test(numcheck_fd, nan_in_analytic_is_reported_as_such)
{
    enum { N = 4 };
    size_t n = N;
    double x[N], g[N];
    fill(x, n);
    smooth_grad(g, x, n);
    g[2] = NAN;
    fd_options_t opt = fd_options_default();
    cmp_report_t r;
    cr_assert_eq(fd_check_array(&r, smooth_f, &n, x, n, g, &opt), 0);
    cr_assert_eq(r.worst, 2);
    cr_assert(has(r.message, "got NaN where"), "%s", r.message);
}

/* Sampling: 5 of 40 coordinates, chosen by the seed; the same seed checks
 * the same ones, and an error at every coordinate is found by any choice. */
Test(numcheck_fd, samples_at_most_max_coords_deterministically)
{
    enum { N = 40 };
    size_t n = N;
    double x[N], g[N];
    fill(x, n);
    smooth_grad(g, x, n);
    fd_options_t opt = fd_options_default();
    opt.max_coords = 5;
    opt.seed = 1234;
    cmp_report_t r1, r2;
    cr_assert_eq(fd_check_array(&r1, smooth_f, &n, x, n, g, &opt), 1, "%s", r1.message);
    cr_assert_eq(r1.n, 5);
    cr_assert(has(r1.message, "5 of 40 coordinates"), "%s", r1.message);

    for (size_t i = 0; i < n; i++)
        g[i] += 1.0;
    cr_assert_eq(fd_check_array(&r1, smooth_f, &n, x, n, g, &opt), 0);
    cr_assert_eq(fd_check_array(&r2, smooth_f, &n, x, n, g, &opt), 0);
    cr_assert_eq(r1.n_bad, 5);
    cr_assert_str_eq(r1.message, r2.message);
}

/* get/set through a float32 store: the step travelled is what the float
 * holds, and the checker must use it (h = 2^-10 is exact in float). */
typedef struct f32_problem {
    float x[2];
} f32_problem_t;

static double f32_get(void *c, size_t i) { return ((f32_problem_t *)c)->x[i]; }
static void f32_set(void *c, size_t i, double v) { ((f32_problem_t *)c)->x[i] = (float)v; }
static double f32_f(void *c)
{
    f32_problem_t *p = c;
    return 3.0 * p->x[0] + (double)p->x[1] * p->x[1];
}

Test(numcheck_fd, float32_store)
{
    f32_problem_t s = { { 0.7f, -1.3f } };
    fd_problem_t p = { 2, f32_get, f32_set, f32_f, &s };
    double g[2] = { 3.0, 2.0 * (double)s.x[1] };
    fd_options_t opt = fd_options_default();
    opt.step = 1.0 / 1024;
    cmp_report_t r;
    cr_assert_eq(fd_check(&r, &p, g, &opt), 1, "%s", r.message);
    cr_assert(s.x[0] == 0.7f && s.x[1] == -1.3f);
}

Test(numcheck_fd, bad_arguments_fail_with_message)
{
    double x[1] = { 0 }, g[1] = { 0 };
    fd_options_t opt = fd_options_default();
    opt.step = 0;
    cmp_report_t r;
    cr_assert_eq(fd_check_array(&r, abs_sum, NULL, x, 1, g, &opt), 0);
    cr_assert(has(r.message, "step"), "%s", r.message);
}

/* ---- fd_central: the differences alone ------------------------------------ */

/* f(x) = x0^3 + 2 x1: central differences of a cubic are exact but for
 * h^2 f'''/6 = h^2 (here 1e-8 at h = 1e-4) and rounding (~1e-12). */
static double cubic(void *ctx, const double *x)
{
    (void)ctx;
    return x[0] * x[0] * x[0] + 2.0 * x[1];
}

typedef struct arr_ctx {
    double *x;
    int nan_above;   /* f is NaN when x0 > 1.5 */
} arr_ctx_t;

static double get_x(void *c, size_t i) { return ((arr_ctx_t *)c)->x[i]; }
static void set_x(void *c, size_t i, double v) { ((arr_ctx_t *)c)->x[i] = v; }
static double f_x(void *c)
{
    arr_ctx_t *a = c;
    if (a->nan_above && a->x[0] > 1.5)
        return NAN;
    return cubic(NULL, a->x);
}

Test(numcheck_fd, central_differences_and_restore)
{
    double x[2] = { 1.5, -0.25 };
    arr_ctx_t a = { x, 0 };
    fd_problem_t p = { 2, get_x, set_x, f_x, &a };
    size_t coord[2] = { 1, 0 };
    double num[2];
    cmp_report_t r;
    fd_nonfinite_t nf;
    cr_assert_eq(fd_central(&r, &nf, &p, 1e-4, coord, 2, num, "cubic"), 0);
    cr_assert_eq(nf.seen, 0);
    /* d/dx1 = 2 exactly up to rounding; d/dx0 = 3 x0^2 = 6.75 + h^2. */
    cr_assert(fabs(num[0] - 2.0) < 1e-10, "%.17g", num[0]);
    cr_assert(fabs(num[1] - 6.75) < 2e-8, "%.17g", num[1]);
    cr_assert(x[0] == 1.5 && x[1] == -0.25, "restored bit for bit");
}

Test(numcheck_fd, central_reports_nonfinite)
{
    double x[2] = { 1.5, 0.0 };
    arr_ctx_t a = { x, 1 };
    fd_problem_t p = { 2, get_x, set_x, f_x, &a };
    size_t coord[1] = { 0 };
    double num[1];
    cmp_report_t r;
    fd_nonfinite_t nf;
    cr_assert_eq(fd_central(&r, &nf, &p, 1e-4, coord, 1, num, "f"), 0);
    cr_assert(nf.seen && nf.coord == 0 && nf.side == '+' && isnan(nf.value));
    x[0] = 2.0;   /* NaN at the point itself: an error, said */
    cr_assert_eq(fd_central(&r, &nf, &p, 1e-4, coord, 1, num, "f"), -1);
    cr_assert(r.nonfinite && has(r.message, "unperturbed"), "%s", r.message);
}

/* ---- stats: the tails the grader's false-fail rates come from ------------- */

Test(numcheck_stats, known_values)
{
    /* Cauchy (t_1): P(|T| > 1) = 1/2 exactly. */
    cr_assert(fabs(stats_t_tail2(1.0, 1.0) - 0.5) < 1e-12);
    /* t_2 has P(|T| > t) = 1 - t / sqrt(2 + t^2) in closed form. */
    for (double t = 0.5; t < 20; t *= 2)
        cr_assert(fabs(stats_t_tail2(t, 2.0) - (1 - t / sqrt(2 + t * t))) < 1e-12,
                  "t = %g", t);
    /* Large df tends to the normal: P(|Z| > 5) = erfc(5/sqrt 2). */
    cr_assert(fabs(stats_t_tail2(5.0, 1e9) / stats_normal_tail2(5.0) - 1) < 1e-6);
    /* Textbook quantile: t_10 at 0.975 is 2.228139 (to its 7 digits). */
    cr_assert(fabs(stats_t_quantile(0.975, 10) - 2.2281389) < 1e-6);
    /* One-sided tails, both sides, and the quantile inverts them. */
    cr_assert(fabs(stats_t_tail1(-1.0, 1.0) - 0.75) < 1e-12);
    double q = stats_t_quantile(1 - 1e-5, 19);
    cr_assert(fabs(stats_t_tail1(q, 19) - 1e-5) < 1e-12, "q = %.10g", q);
    double m, sd;
    double x[4] = { 1, 2, 3, 4 };
    stats_mean_sd(x, 4, &m, &sd);
    cr_assert(m == 2.5 && fabs(sd - sqrt(5.0 / 3.0)) < 1e-15);
}

Test(numcheck_stats, f_tails)
{
    /* F(1, d) is T_d squared: P(F > t^2) = P(|T| > t). */
    for (double t = 0.5; t < 20; t *= 2)
        cr_assert(fabs(stats_f_tail_upper(t * t, 1, 7) / stats_t_tail2(t, 7) - 1)
                  < 1e-10, "t = %g", t);
    /* F(2, 2) has P(F > f) = 1 / (1 + f) in closed form. */
    for (double f = 0.25; f < 100; f *= 3)
        cr_assert(fabs(stats_f_tail_upper(f, 2, 2) - 1 / (1 + f)) < 1e-12, "f = %g", f);
    /* The two-sided p-value: 1 at the median of F(d, d) (f = 1), symmetric
     * in f and 1/f when the degrees of freedom are equal. */
    cr_assert(fabs(stats_f_p2(1.0, 30, 30) - 1) < 1e-12);
    cr_assert(fabs(stats_f_p2(4.0, 30, 30) - stats_f_p2(0.25, 30, 30)) < 1e-15);
    cr_assert(stats_f_p2(25.0, 19, 39) < 1e-12);
}

Test(numcheck_stats, chi2_tails)
{
    /* chi2_2 is exponential: P(chi2_2 > x) = exp(-x/2); chi2_4 has
     * P(chi2_4 > x) = exp(-x/2) (1 + x/2). */
    for (double x = 0.5; x < 200; x *= 2) {
        cr_assert(fabs(stats_chi2_outside(0, x, 2) / exp(-x / 2) - 1) < 1e-12, "x = %g", x);
        cr_assert(fabs(stats_chi2_outside(0, x, 4) / (exp(-x / 2) * (1 + x / 2)) - 1)
                  < 1e-12, "x = %g", x);
        cr_assert(fabs(stats_chi2_outside(x, 1e4, 2) - (1 - exp(-x / 2))) < 1e-12, "x = %g", x);
    }
    /* Odd k: chi2_98's lower tail plus chi2_100's upper tail. */
    double odd = stats_chi2_outside(50, 150, 99);
    double want = stats_chi2_outside(50, 1e9, 98) + stats_chi2_outside(0, 150, 100);
    cr_assert(odd > 0 && fabs(odd / want - 1) < 1e-12, "%g against %g", odd, want);
}
