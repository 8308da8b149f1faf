/* checks_sample.c: the evaluations of sample_gaussian's checks (1.1
 * moments, 1.2 scaling, 1.3 the rng stream) and the statistics their
 * false-fail rates come from. The catalogue entries are in
 * checks_utils.c; the backward check is the shared eval_gradient. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cs236-hw2/checks_utils.h"
#include "driver/evaluate.h"
#include "driver/hints.h"
#include "numcheck/stats.h"

/* ---- statistics ----------------------------------------------------------- */

/* Wilson-Hilferty: for s2 the unbiased variance of k+1 normal draws of
 * variance v, (s2/v)^(1/3) is N(1 - 2/(9k), 2/(9k)) to within ~1e-3 in
 * probability for k > 1000; returns that standard score. (Also for s2 the
 * mean square of k draws of known mean: then k s2 / v is chi2_k.) */
static double variance_score(double s2, double v, double k)
{
    double a = 2.0 / (9.0 * k);
    return (cbrt(s2 / v) - (1.0 - a)) / sqrt(a);
}

/* Is eps a plausible sample of n independent N(0,1)? Under that
 * hypothesis t = sqrt(n) mean(eps) is exactly N(0,1) and S = sum eps^2
 * exactly chi2_n; the test bounds |t| and the Wilson-Hilferty score w of
 * S/n by zb. It tells real noise from zeros, constants, tiny or huge
 * values; it says nothing about the order of the draws (1.3 does). */
typedef struct noise_test {
    double t, w, mean_square;
    int ok;
} noise_test_t;

static void noise_test(noise_test_t *r, const double *eps, size_t n, double zb)
{
    double sum = 0, sum2 = 0;
    for (size_t i = 0; i < n; i++) {
        sum += eps[i];
        sum2 += eps[i] * eps[i];
    }
    r->t = sum / sqrt((double)n);
    r->mean_square = sum2 / (double)n;
    r->w = variance_score(r->mean_square, 1.0, (double)n);
    r->ok = fabs(r->t) <= zb && fabs(r->w) <= zb;
}

/* noise_test's false-fail rate for real N(0,1) noise, by the union bound:
 * P(|Z| > zb) for t, plus the exact chi2_n mass outside the interval of S
 * where |w| <= zb (w is increasing in S). The interval's ends, in S/n, go
 * to lo_out and hi_out. */
static double noise_test_rate(size_t n, double zb, double *lo_out, double *hi_out)
{
    double k = (double)n, a = 2.0 / (9.0 * k);
    double lo = 1.0 - a - zb * sqrt(a), hi = 1.0 - a + zb * sqrt(a);
    double slo = lo > 0 ? lo * lo * lo : 0, shi = hi * hi * hi;
    *lo_out = slo;
    *hi_out = shi;
    return stats_normal_tail2(zb) + stats_chi2_outside(k * slo, k * shi, (unsigned)n);
}

/* ---- 1.1 moments ------------------------------------------------------------ */

void eval_moments(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *m = eval_array(v, cd->ref, "m", "reference", 0);
    if (!m)
        return;
    const proto_array_t *var = eval_array(v, cd->ref, "v", "reference", m->n);
    if (!var)
        return;
    const proto_array_t *z = eval_array(v, cd->sub, "z", "submission", 0);
    if (!z)
        return;
    size_t c = m->n, n = z->n / c;
    if (c == 0 || n < 2 || z->n != n * c) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %zu draws for %zu coordinates", z->n, c);
        return;
    }
    for (size_t i = 0; i < z->n; i++)
        if (!isfinite(z->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "sample_gaussian: your code produced %s at "
                        "z[%zu] (m = %.6g, v = %.6g): every sample must be finite. z is "
                        "NaN before your call, so an element never written stays NaN; "
                        "otherwise look for sqrt of a negative or 0 * inf.",
                        eval_nonfinite_word(z->data[i]),
                        i, m->data[i % c], var->data[i % c]);
            return;
        }
    double zb = case_param(cd, "z_bound");
    double worst = -1, worst_t = 0, worst_w = 0, worst_mean = 0, worst_s2 = 0;
    size_t worst_j = 0;
    int var_is_v2 = 1, var_is_1 = 1, mean_is_0 = 1, z_is_m = 1;
    int mean_fails = 0, var_fails = 0;
    for (size_t j = 0; j < c; j++) {
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < n; i++)
            sum += z->data[i * c + j];
        double mean = sum / (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = z->data[i * c + j] - mean;
            sum2 += d * d;
            z_is_m &= z->data[i * c + j] == m->data[j];
        }
        double s2 = sum2 / (double)(n - 1), vj = var->data[j];
        double t = (mean - m->data[j]) / sqrt(vj / (double)n);
        double w = variance_score(s2, vj, (double)(n - 1));
        double score = fmax(fabs(t), fabs(w));
        if (score > worst) {
            worst = score;
            worst_j = j;
            worst_t = t;
            worst_w = w;
            worst_mean = mean;
            worst_s2 = s2;
        }
        mean_fails |= !(fabs(t) <= zb);
        var_fails |= !(fabs(w) <= zb);
        var_is_v2 &= fabs(variance_score(s2, vj * vj, (double)(n - 1))) <= zb;
        var_is_1 &= fabs(variance_score(s2, 1.0, (double)(n - 1))) <= zb;
        mean_is_0 &= fabs(mean) <= zb * sqrt(s2 / (double)n);
    }
    double rate = 2.0 * (double)c * stats_normal_tail2(zb);
    const char *verdict_word = worst <= zb ? "within" : "OUTSIDE";
    verdict_set(v, worst <= zb ? OUTCOME_PASSED : OUTCOME_FAILED,
                worst <= zb ? 1 : 0,
                "sample_gaussian: %zu draws of each of %zu Gaussians; worst is "
                "coordinate %zu (m = %.6g, v = %.6g): sample mean %.6g (standard "
                "score %.2f), sample variance %.6g (standard score %.2f); %s the "
                "bound |score| <= %g (a correct sampler fails with probability "
                "%.1e)", n, c, worst_j, m->data[worst_j], var->data[worst_j],
                worst_mean, worst_t, worst_s2, worst_w, verdict_word, zb, rate);
    if (worst <= zb)
        return;
    /* Each hint names a pattern only when every coordinate shows it and
     * the part of the test it explains is the part that failed. */
    if (var_fails && z_is_m)
        verdict_append(v, "\nHint: every draw equals m exactly: the noise "
                       "sqrt(v) * eps is not added.");
    else if (var_fails && var_is_v2)
        verdict_append(v, "\nHint: every sample variance matches v^2, not v: "
                       "%s.", hints_label_text("std_as_var"));
    else if (var_fails && var_is_1)
        verdict_append(v, "\nHint: every sample variance is 1 whatever v: eps "
                       "is not scaled by sqrt(v).");
    else if (mean_fails && mean_is_0)
        verdict_append(v, "\nHint: every sample mean is 0 whatever m: m is not "
                       "added.");
}

void more_moments(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    double coords = conf_param(c, "coords"), zb = conf_param(c, "z_bound");
    double per_seed = 2.0 * coords * stats_normal_tail2(zb);
    snprintf(buf, cap, "With this profile: 2 x %.0f scores, each beyond %g with "
             "probability %.2e, so a correct sampler fails with probability <= "
             "%.2e per seed, %.2e over the %zu seeds.", coords, zb,
             stats_normal_tail2(zb), per_seed, per_seed * (double)c->n_seeds,
             c->n_seeds);
}

/* ---- 1.2 scaling -------------------------------------------------------------- */

#define SCALING_MAX 4096

void eval_scaling(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *m = eval_array(v, cd->ref, "m", "reference", 0);
    if (!m)
        return;
    size_t n = m->n;
    const proto_array_t *var = eval_array(v, cd->ref, "v", "reference", n);
    const proto_array_t *z = var ? eval_array(v, cd->sub, "z", "submission", n) : NULL;
    const proto_array_t *eps = z ? eval_array(v, cd->sub, "eps", "submission", n) : NULL;
    if (!eps)
        return;
    if (n > SCALING_MAX) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: scaling n = %zu > %d", n,
                    SCALING_MAX);
        return;
    }
    int zero = 1;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(eps->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "sample_gaussian: your code produced %s at "
                        "eps[%zu]: eps must return the noise drawn (it is NaN before "
                        "your call, so an element never written stays NaN)",
                        eval_nonfinite_word(eps->data[i]), i);
            return;
        }
        zero &= eps->data[i] == 0;
    }
    double zb = case_param(cd, "z_bound");
    noise_test_t nt;
    noise_test(&nt, eps->data, n, zb);
    if (!nt.ok) {
        double lo, hi, rate = noise_test_rate(n, zb, &lo, &hi);
        verdict_set(v, OUTCOME_FAILED, 0, "sample_gaussian: your eps (%zu values) "
                    "are not a plausible N(0,1) sample: sqrt(n) x mean = %.3g, mean "
                    "square %.4g (Wilson-Hilferty score %.3g); both scores must be "
                    "within %g, i.e. the mean square in [%.4g, %.4g] (real noise "
                    "fails with probability %.1e). z = m + sqrt(v) * eps is only "
                    "checked against real noise.", n, nt.t, nt.mean_square, nt.w,
                    zb, lo, hi, rate);
        if (zero)
            verdict_append(v, "\nHint: eps is all zero: it must hold the N(0,1) "
                           "noise drawn from rng, eps[i] = rng_normal(rng), that "
                           "z[i] used.");
        return;
    }
    double expected[SCALING_MAX], std_as_var[SCALING_MAX];
    for (size_t i = 0; i < n; i++) {
        expected[i] = m->data[i] + sqrt(var->data[i]) * eps->data[i];
        std_as_var[i] = m->data[i] + var->data[i] * eps->data[i];
    }
    cmp_bound_t b = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    eval_compare(v, cd, "sample_gaussian: z against m + sqrt(v) * eps (your eps)",
                 expected, z->data, n, b, 0);
    if (v->outcome == OUTCOME_PASSED) {
        verdict_append(v, "; your eps pass the N(0,1) test (scores %.2f and %.2f, "
                       "bound %g)", nt.t, nt.w, zb);
        return;
    }
    if (hints_match(std_as_var, z->data, n, 1e-6))
        verdict_append(v, "\nHint: %s.", hints_label_text("std_as_var"));
    else if (hints_match(m->data, z->data, n, 1e-6))
        verdict_append(v, "\nHint: z = m at every element: the noise sqrt(v) * "
                       "eps is not added.");
}

void more_scaling(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    double n = conf_param(c, "n"), zb = conf_param(c, "z_bound"), lo, hi;
    double rate = noise_test_rate((size_t)n, zb, &lo, &hi);
    snprintf(buf, cap, "With this profile: n = %.0f, bound %g: the mean part "
             "fails real noise with probability %.2e, the mean square outside "
             "[%.4g, %.4g] has chi2_%.0f probability %.2e (exact%s); in all <= "
             "%.2e per seed, %.2e over the %zu seeds.", n, zb,
             stats_normal_tail2(zb), lo, hi, n, rate - stats_normal_tail2(zb),
             (size_t)n % 2 ? " bounds from chi2 of n - 1 and n + 1" : "", rate,
             rate * (double)c->n_seeds, c->n_seeds);
}

/* ---- 1.3 the stream ----------------------------------------------------------- */

/* 1 when a equals b reversed, bit for bit. */
static int reversed(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[n - 1 - i])
            return 0;
    return n > 1;
}

static int all_zero(const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != 0)
            return 0;
    return 1;
}

/* The noise test at the bound 5 (a hint's condition, not a verdict). */
static int noise_plausible(const double *eps, size_t n)
{
    noise_test_t nt;
    noise_test(&nt, eps, n, 5.0);
    return nt.ok;
}

void eval_stream(verdict_t *v, const case_data_t *cd)
{
    static const char *const names[3] = { "eps", "eps2", "eps3" };
    static const char *const calls[3] = { "the first call", "the second call",
                                          "a call on a fresh rng seeded alike" };
    const proto_array_t *re = eval_array(v, cd->ref, "eps", "reference", 0);
    if (!re)
        return;
    size_t n = re->n;
    const proto_array_t *ref[3], *sub[3];
    for (int k = 0; k < 3; k++)
        if (!(ref[k] = eval_array(v, cd->ref, names[k], "reference", n)) ||
            !(sub[k] = eval_array(v, cd->sub, names[k], "submission", n)))
            return;
    const proto_array_t *ra = eval_array(v, cd->ref, "after", "reference", 0);
    const proto_array_t *sa = ra ? eval_array(v, cd->sub, "after", "submission", ra->n) : NULL;
    if (!sa)
        return;
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < n; i++)
            if (!isfinite(sub[k]->data[i])) {
                verdict_set(v, OUTCOME_NAN, 0, "sample_gaussian: your code produced "
                            "%s at eps[%zu] in %s: eps is NaN before the call, so an "
                            "element never written stays NaN",
                            eval_nonfinite_word(sub[k]->data[i]), i,
                            calls[k]);
                return;
            }
    unsigned long long seed = (unsigned long long)cd->seed;
    cmp_bound_t exact = { 0, 0 };
    cmp_report_t rep;
    if (!compare_arrays(&rep, ref[0]->data, sub[0]->data, n, exact,
                        "sample_gaussian: eps of the first call against rng_normal's "
                        "draws from the rng passed in")) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s\nThe contract draws eps[i] = "
                    "rng_normal(rng) for i = 0..n-1 in order from the rng passed in "
                    "(assignment.h; here seeded with %llu): a seed then fixes every "
                    "sample, and the model checks replay your noise.", rep.message, seed);
        if (all_zero(sub[0]->data, n))
            verdict_append(v, "\nHint: eps is all zero: nothing was drawn.");
        else if (reversed(ref[0]->data, sub[0]->data, n))
            verdict_append(v, "\nHint: your eps is rng_normal's sequence in reverse "
                           "order: draw eps[0] first.");
        else if (rep.n_bad == n && noise_plausible(sub[0]->data, n))
            verdict_append(v, "\nHint: your eps pass a test of N(0,1) noise, but "
                           "not one equals the draw of the rng passed in at its "
                           "index: they come from another generator, another seed "
                           "(a fixed one?) or another order.");
        return;
    }
    if (!compare_arrays(&rep, ref[1]->data, sub[1]->data, n, exact,
                        "sample_gaussian: eps of a second call against the continuation "
                        "of the same rng")) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s\nThe first call's eps are right, but a "
                    "second call on the same rng must continue its stream: draw from "
                    "the rng passed in, keeping nothing of your own between calls.",
                    rep.message);
        if (memcmp(sub[1]->data, sub[0]->data, n * sizeof(double)) == 0)
            verdict_append(v, "\nHint: the second call drew the first call's noise "
                           "again: the first call did not advance the rng passed in "
                           "(drawing from a copy of *rng that is not written back, or "
                           "reseeding it).");
        return;
    }
    if (!compare_arrays(&rep, ra->data, sa->data, ra->n, exact,
                        "the next draws from the rng after the two calls")) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s\nBoth calls' eps are right, but the rng "
                    "passed in was not left where 2n = %zu draws of rng_normal leave it: "
                    "draw exactly n normals per call from it, nothing else, and leave "
                    "its state as rng_normal leaves it.", rep.message, 2 * n);
        return;
    }
    if (!compare_arrays(&rep, ref[2]->data, sub[2]->data, n, exact,
                        "sample_gaussian: eps from a fresh rng seeded alike")) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s\nTwo calls continue the stream, but a "
                    "fresh rng seeded with %llu did not give the first call's noise "
                    "again: sample_gaussian keeps state between calls (a static "
                    "generator, copy or pointer). Draw only from the rng passed in.",
                    rep.message, seed);
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "sample_gaussian: eps is rng_normal's sequence "
                "from the rng passed in (seed %llu, n = %zu per call), a second call "
                "continues it, the rng is left after exactly 2n draws, and a fresh rng "
                "seeded alike gives the first call's noise again", seed, n);
}
