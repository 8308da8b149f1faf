/* checks_utils.c: the checks of utils.c (sample_gaussian, log_normal,
 * log_normal_mixture, kl_normal, log_mean_exp, log_sum_exp), numbered after
 * CS236 HW2's problems: 1 the VAE's pieces, 2 the GMVAE's, 3 the IWAE's.
 * Each entry says what it runs, with which knobs, and how its tolerance or
 * false-fail rate was derived (`vaegrade explain ID` prints it). The
 * evaluations of sample_gaussian's checks are in checks_sample.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cs236-hw2/catalogue.h"
#include "driver/checks.h"
#include "cs236-hw2/checks_utils.h"
#include "driver/evaluate.h"
#include "driver/hints.h"
#include "numcheck/stats.h"

/* Knobs shared by many checks. Values: relative 1e-9 plus absolute 1e-9,
 * because a correct submission may use another algebraically equivalent
 * formula, whose rounding differs from the reference's by ~1e-16 per term
 * times the number of terms (<= 784 here): ~1e-13 relative, four decades
 * under the bound, while any real mistake is off by far more. */
#define VALUE_TOLS \
    { "rel_tol", 1e-9, 0, 1, 0, "relative tolerance on values" }, \
    { "abs_tol", 1e-9, 0, 1, 0, "absolute tolerance on values" }
/* Gradients: compared with runner-ref's gradient, which fd_check verifies
 * on every run against central differences of the reference's forward in
 * float64 (step 1e-5, bound 1e-8 + 1e-6 |numeric|: truncation ~h^2 = 1e-10,
 * rounding ~1e-16 |f| / h = 1e-11 |f|). Inputs are O(1) (variances in
 * [0.5, 2]), so equivalent formulas agree to ~1e-15; the bound 1e-9 +
 * 1e-8 |expected| keeps six decades of headroom. */
#define GRAD_TOLS \
    { "grad_rel", 1e-8, 0, 1, 0, "relative tolerance on gradients" }, \
    { "grad_abs", 1e-9, 0, 1, 0, "absolute tolerance on gradients" }, \
    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "finite-difference step (reference check)" }, \
    { "fd_rel", 1e-6, 0, 1, 1, "finite-difference relative bound (reference check)" }, \
    { "fd_abs", 1e-8, 0, 1, 1, "finite-difference absolute bound (reference check)" }

#define GRAD_EXPLAIN \
    "The accumulators start from random values and the upstream gradient is " \
    "random (not all ones), so a backward that overwrites (=) instead of " \
    "adding (+=), or ignores dout, shows. The expected gradient is the " \
    "reference backward's on the same inputs, which runner-ref verifies on " \
    "every run against central differences of the reference forward in " \
    "float64 (fd_check: step 1e-5, bound 1e-8 + 1e-6 |numeric|, margin from " \
    "truncation ~h^2 and rounding ~1e-16 |f|/h). Your gradient must agree " \
    "with it to 1e-9 + 1e-8 |expected|: inputs are O(1) (variances in " \
    "[0.5, 2]) so any correct formula agrees to ~1e-15, while a missing " \
    "term or factor is off by O(1). The check depends only on your backward: " \
    "a wrong forward costs its own checks, not this one."

/* ---- sample_gaussian (the others are in checks_sample.c) ------------------ */

static void eval_gradient_sample(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "sample_gaussian_backward");
}

/* ---- kl_normal ---------------------------------------------------------------- */

static void eval_kl_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "kl_normal: KL(q || p) per row");
}

/* A row of KL(q || p) whose reference value exceeds this is "clearly > 0":
 * the task's p is drawn apart from q (means 6 apart at most, variances over
 * eight decades, D = 8), where the reference's KL is O(1) to O(1e4); the
 * floor only keeps the test meaningful if a profile's inputs ever made p
 * nearly q. */
#define KL_CLEARLY_POSITIVE 1e-6

static void eval_kl_identity(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *g = eval_array(v, cd->sub, "out", "submission", 0);
    const proto_array_t *qp = g ? eval_array(v, cd->sub, "out_qp", "submission", g->n) : NULL;
    const proto_array_t *rqp = qp ? eval_array(v, cd->ref, "out_qp", "reference", g->n) : NULL;
    if (!rqp)
        return;
    double zeros[64] = { 0 };
    if (g->n > 64) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %zu rows", g->n);
        return;
    }
    double abs_tol = case_param(cd, "abs_tol");
    cmp_bound_t b = { abs_tol, 0 };
    eval_compare(v, cd, "kl_normal: KL(q || q) per row", zeros, g->data, g->n, b, 0);
    if (v->outcome != OUTCOME_PASSED) {
        if (!isfinite(g->data[0]))
            return;
        int same = 1;
        for (size_t i = 1; i < g->n; i++)
            same &= fabs(g->data[i] - g->data[0]) <= 1e-9 * fabs(g->data[0]);
        if (same && g->n > 1)
            verdict_append(v, "\nHint: every row gives %.10g whatever q: a term that "
                           "does not depend on q is off, or the value is not computed "
                           "from the inputs (the rows have 8 dimensions; each "
                           "dimension's 1/2 (qv/pv - 1 - log(qv/pv)) + (qm-pm)^2/(2pv) "
                           "is 0 at p = q).", g->data[0]);
        return;
    }
    /* The identity's other half: 0 only at p = q. */
    size_t tested = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (!isfinite(qp->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "kl_normal: KL(q || q) is 0, but your code "
                        "produced %s for KL(q || p) in row %zu, where the reference "
                        "gives %.10g: every KL of finite inputs is finite (an output "
                        "never written stays NaN).", eval_nonfinite_word(qp->data[i]),
                        i, rqp->data[i]);
            return;
        }
        if (!(rqp->data[i] > KL_CLEARLY_POSITIVE))
            continue;
        tested++;
        if (!(qp->data[i] > abs_tol)) {
            verdict_set(v, OUTCOME_FAILED, 0, "kl_normal: KL(q || q) is 0, but KL(q || "
                        "p) at a p far from q is %.10g in row %zu (the reference: "
                        "%.10g): a KL is 0 only at p = q and positive elsewhere, so "
                        "this check needs KL(q || p) > %g wherever the reference's "
                        "exceeds %g.", qp->data[i], i, rqp->data[i], abs_tol,
                        KL_CLEARLY_POSITIVE);
            double neg[64];
            for (size_t j = 0; j < g->n; j++)
                neg[j] = -rqp->data[j];
            if (hints_match(neg, qp->data, g->n, 1e-6))
                verdict_append(v, "\nHint: your KL(q || p) is minus the reference's "
                               "in every row: the sign is flipped.");
            return;
        }
    }
    if (!tested) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: no row of KL(q || p) is "
                    "clearly positive for the reference (> %g)", KL_CLEARLY_POSITIVE);
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "kl_normal: KL(q || q) within %g of 0 in all "
                "%zu rows, and KL(q || p) > %g in the %zu rows where p is far from q",
                abs_tol, g->n, abs_tol, tested);
}

static void eval_kl_monte_carlo(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *kl = eval_array(v, cd->sub, "out", "submission", 0);
    const proto_array_t *mc = kl ? eval_array(v, cd->sub, "mc_mean", "submission", kl->n) : NULL;
    const proto_array_t *se = mc ? eval_array(v, cd->sub, "mc_se", "submission", kl->n) : NULL;
    if (!se)
        return;
    double zb = case_param(cd, "z_bound");
    size_t worst = 0;
    double worst_score = -1;
    for (size_t b = 0; b < kl->n; b++) {
        double s = fabs(kl->data[b] - mc->data[b]) / se->data[b];
        if (!isfinite(kl->data[b]))
            s = INFINITY;
        if (s > worst_score) {
            worst_score = s;
            worst = b;
        }
    }
    double samples = case_param(cd, "samples");
    double rate = (double)kl->n * stats_normal_tail2(zb);
    int ok = worst_score <= zb;
    verdict_set(v, ok ? OUTCOME_PASSED : isfinite(kl->data[worst]) ? OUTCOME_FAILED : OUTCOME_NAN,
                ok, "kl_normal: closed form against the average of log q(z) - log p(z) "
                "over %.0f draws z ~ q; worst row %zu: closed form %.10g, Monte Carlo "
                "%.10g +- %.3g (standard error), standard score %.2f; %s the bound %g "
                "(a correct KL fails with probability %.1e)", samples, worst,
                kl->data[worst], mc->data[worst], se->data[worst], worst_score,
                ok ? "within" : "OUTSIDE", zb, rate);
    if (ok)
        return;
    /* A factor hint holds only when every row's ratio is within its own
     * Monte Carlo slack (zb standard errors) of the factor. */
    static const struct { double factor; const char *text; } factors[] = {
        { 2.0, "the closed form is about twice the Monte Carlo value in every "
               "row: the 1/2 in front of the sum is missing" },
        { 0.5, "the closed form is about half the Monte Carlo value in every row: "
               "a factor 2 is missing" },
        { -1.0, "the closed form is about minus the Monte Carlo value in every "
                "row: the sign is flipped (a KL is never negative)" },
    };
    for (size_t f = 0; f < sizeof factors / sizeof factors[0]; f++) {
        int all = 1;
        for (size_t b = 0; b < kl->n; b++) {
            double slack = zb * se->data[b] * fabs(factors[f].factor);
            all &= fabs(kl->data[b] - factors[f].factor * mc->data[b]) <= slack;
        }
        if (all) {
            verdict_append(v, "\nHint: %s.", factors[f].text);
            return;
        }
    }
}

static void more_kl_monte_carlo(const check_conf_t *c, const char *root, char *buf,
                                size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound"), rows = 3;
    double per_seed = rows * stats_normal_tail2(zb);
    snprintf(buf, cap, "With this profile: %.0f rows, each beyond %g standard "
             "errors with probability %.2e: <= %.2e per seed, %.2e over the %zu "
             "seeds.", rows, zb, stats_normal_tail2(zb), per_seed,
             per_seed * (double)c->n_seeds, c->n_seeds);
}

static void eval_kl_gradient(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "kl_normal_backward");
}

/* ---- log_normal and the mixture -------------------------------------------------- */

static void eval_log_normal_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_normal: log N(x | m, v) per row");
}

static void eval_log_normal_gradient(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_normal_backward");
}

static void eval_mixture_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_normal_mixture: log mixture density per row");
}

static void eval_mixture_k1(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *e = eval_array(v, cd->ref, "log_normal", "reference", 0);
    const proto_array_t *g = e ? eval_array(v, cd->sub, "out", "submission", e->n) : NULL;
    if (!g)
        return;
    cmp_bound_t b = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    eval_compare(v, cd, "log_normal_mixture with K = 1 against log N(z | m, v)",
                 e->data, g->data, e->n, b, 0);
}

/* Invariance scores only with right values: a constant (or zeros) is
 * invariant too. So the unpermuted values are first compared with the
 * reference's (the value tolerances), then the permuted ones with your own
 * unpermuted ones (the tighter perm_ tolerances: only the order of a sum of
 * K terms changes). */
static void eval_mixture_permutation(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *e = eval_array(v, cd->ref, "out", "reference", 0);
    const proto_array_t *g = e ? eval_array(v, cd->sub, "out", "submission", e->n) : NULL;
    const proto_array_t *p = g ? eval_array(v, cd->sub, "out_permuted", "submission", e->n) : NULL;
    if (!p)
        return;
    cmp_bound_t vb = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    eval_compare(v, cd, "log_normal_mixture before the permutation, against the "
                 "reference", e->data, g->data, e->n, vb, 0);
    if (v->outcome != OUTCOME_PASSED) {
        verdict_append(v, "\nThe order of the components is judged only once the "
                       "values are right (check 2.3 names the usual mistakes).");
        return;
    }
    for (size_t i = 0; i < p->n; i++)
        if (!isfinite(p->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "log_normal_mixture: right before the "
                        "permutation, but your code produced %s at [%zu] with the "
                        "components permuted (%.10g before): an output never written "
                        "stays NaN", eval_nonfinite_word(p->data[i]), i, g->data[i]);
            return;
        }
    cmp_bound_t pb = { case_param(cd, "perm_abs"), case_param(cd, "perm_rel") };
    eval_compare(v, cd, "log_normal_mixture with its components permuted "
                 "(expected: your own unpermuted values, which match the reference)",
                 g->data, p->data, e->n, pb, 0);
    if (v->outcome == OUTCOME_FAILED)
        verdict_append(v, "\nHint: right in the given order, wrong in another: a "
                       "uniform mixture does not depend on the order of its "
                       "components: is one component (the first, say) treated apart?");
}

static void eval_mixture_gradient(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_normal_mixture_backward");
}

/* ---- log_mean_exp / log_sum_exp -------------------------------------------------- */

static void eval_lme(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_mean_exp over 8 vectors (n = 1 .. 1000)");
}

static void eval_lse(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_sum_exp over 8 vectors (n = 1 .. 1000)");
}

/* ---- the catalogue ----------------------------------------------------------- */

const check_def_t checks_utils[] = {
    {
        .id = "1.1-sample-gaussian-moments",
        .title = "sample_gaussian: mean and variance of many draws",
        .file = "utils.c",
        .functions = "sample_gaussian",
        .task = "sample_gaussian.moments",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_moments,
        .explain_more = more_moments,
        .params = { { "samples", 20000, 100, 1e6, 1, "draws per coordinate" },
                    { "coords", 6, 1, 64, 1, "Gaussians (m, v) drawn from at once" },
                    { "z_bound", 5, 3, 10, 0, "bound on each standard score" } },
        .explain =
            "Draws N = 20000 samples from each of C = 6 Gaussians at once (m in "
            "[-5, 5], v log-uniform in [0.01, 100], tiled over one call) and tests, "
            "per coordinate, the sample mean with t = (mean - m) / sqrt(v/N), which "
            "is exactly N(0,1) for Gaussian draws, and the sample variance s2 with "
            "the Wilson-Hilferty score w = ((s2/v)^(1/3) - (1 - 2/(9k))) / "
            "sqrt(2/(9k)), k = N-1, N(0,1) to within ~1e-3 for k > 1000. Both must "
            "satisfy |score| <= 5. False-fail rate, by the union bound over the 2C "
            "= 12 scores: 12 x P(|Z| > 5) = 12 x 5.7e-7 = 6.9e-6 per seed (the "
            "profile's seeds are checked to pass with the reference). Draws that "
            "all equal m (no noise) have sample variance 0, far outside. A sampler "
            "using v as the standard deviation gives variance v^2: with v spread "
            "over four decades that moves w by far more than 5 on all but "
            "coordinates with v within ~2% of 1; check 1.2 catches it exactly.",
    },
    {
        .id = "1.2-sample-gaussian-scaling",
        .title = "sample_gaussian: z = m + sqrt(v) * eps",
        .file = "utils.c",
        .functions = "sample_gaussian",
        .task = "sample_gaussian.scaling",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_scaling,
        .explain_more = more_scaling,
        .params = { { "n", 64, 2, 4096, 1, "values drawn" },
                    { "z_bound", 5, 3, 10, 0, "bound on the noise test's two scores" },
                    { "rel_tol", 1e-9, 0, 1, 0, "relative tolerance" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute tolerance" } },
        .explain =
            "Draws n = 64 values with variances log-uniform over eight decades "
            "[1e-4, 1e4] and checks z against m + sqrt(v) * eps computed from the "
            "eps YOUR function returned, so the check holds for any order of "
            "draws. Bound 1e-12 + 1e-9 |expected|: an equivalent formula "
            "(exp(log(v)/2) for sqrt(v)) differs by ~1e-15 relative, |z| <= ~500. "
            "Because z = m with eps = 0 (or any tiny eps) satisfies that identity "
            "too, your eps must first pass a test of real N(0,1) noise: t = "
            "sqrt(n) mean(eps), exactly N(0,1), and the Wilson-Hilferty score of "
            "S = sum eps^2, which is exactly chi2_n, both within 5. False-fail "
            "rate, union bound: P(|Z| > 5) = 5.7e-7 for t, plus the exact chi2_64 "
            "mass outside the accepted S, mean square in [0.346, 2.152] (a finite "
            "Poisson sum, since n is even), 4.8e-7: 1.05e-6 per seed (computed "
            "below for the profile's n). With eps of size ~1 and v over eight "
            "decades, z = m (noise not added) or z = m + v * eps (v used as a "
            "standard deviation) is off by ~1e-2 at least; both are named in the "
            "message.",
    },
    {
        .id = "1.3-sample-gaussian-determinism",
        .title = "sample_gaussian: draws from the rng passed in, in order",
        .file = "utils.c",
        .functions = "sample_gaussian",
        .task = "sample_gaussian.stream",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_stream,
        .params = { { "n", 63, 2, 4096, 1, "values drawn per call" } },
        .explain =
            "Calls sample_gaussian twice on one rng seeded with the check's seed, "
            "then draws 3 normals and 2 uniforms from that rng, then calls it once "
            "more on a fresh rng seeded alike. Requires, bit for bit (no "
            "tolerance: the same draws give the same bits): the first call's eps "
            "is rng_normal's sequence eps[i] = rng_normal(rng), i = 0..n-1, as "
            "assignment.h specifies; the second call's eps continues it; the next "
            "draws are those that follow 2n draws (so the rng was advanced, and "
            "by exactly that much); the fresh rng's call gives the first call's "
            "eps again (no state kept between calls). n = 63 is odd, so the first "
            "call leaves rng_normal's spare normal for the second. The default "
            "profile's seed is large (7.8e15, under the profile's limit 2^53): no "
            "constant of the stub or the reference equals it, so a generator of "
            "the submission's own with a fixed seed (236, 0, 1, 42, ...) cannot "
            "match. The model checks use common random numbers, which only works "
            "if every implementation draws the same noise in the same order. "
            "Deterministic: no false fails.",
    },
    {
        .id = "1.4-kl-normal-values",
        .title = "kl_normal: values on random and extreme inputs",
        .file = "utils.c",
        .functions = "kl_normal",
        .task = "kl_normal.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_kl_values,
        .params = { VALUE_TOLS },
        .explain =
            "KL(q || p) per row against the reference on two input sets, half the "
            "points each: random (B = 7, D = 5, means in [-3, 3], variances "
            "log-uniform in [0.1, 10]) and extreme (D = 784; rows with variances "
            "in [1e-8, 1e-6], in [1e6, 1e8], ordinary ones, and a row where q is "
            "within 1e-9 of p so the KL is ~1e-9 and the direct formula cancels). "
            "Bound 1e-9 + 1e-9 |expected|: a correct submission may use another "
            "algebraically equivalent formula (log(pv/qv) or log pv - log qv, ...), "
            "whose rounding differs by ~1e-16 per term times D terms; the absolute "
            "1e-9 covers the near-equal row, where cancellation costs an "
            "equivalent formula ~1e-13 absolute. Known mistakes are named: a "
            "missing 1/2, q and p swapped, v squared or square-rooted, the -1 "
            "left out.",
    },
    {
        .id = "1.5-kl-normal-identity",
        .title = "kl_normal: KL(q || q) = 0, and KL(q || p) > 0 for p far from q",
        .file = "utils.c",
        .functions = "kl_normal",
        .task = "kl_normal.identity",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_kl_identity,
        .params = { { "abs_tol", 1e-10, 0, 1, 0, "absolute bound on KL(q || q)" } },
        .explain =
            "KL(q || q') for 6 random q (D = 8, variances log-uniform in [1e-4, "
            "1e4]; q' a copy of q in other buffers) must be 0 to within 1e-10 "
            "absolute. The direct formula gives 0 exactly (log(v/v) = 0, (v + "
            "0)/v - 1 = 0); a formula that sums the terms apart leaves ~D x 1e-16 "
            "x |log v| <= 1e-14, four decades under the bound. A function that "
            "returns 0 everywhere has that property too, so the other half of a "
            "divergence is required as well: KL(q || p) at a random p drawn apart "
            "from q must exceed the same 1e-10 in every row where the reference's "
            "exceeds 1e-6 (there it is O(1) to O(1e4)). Not a value check (1.4 and "
            "1.6 are): a KL off by a factor is still 0 only at p = q; a flipped "
            "sign is not. Deterministic: no false fails.",
    },
    {
        .id = "1.6-kl-normal-monte-carlo",
        .title = "kl_normal: agrees with a Monte Carlo estimate",
        .file = "utils.c",
        .functions = "kl_normal",
        .task = "kl_normal.monte_carlo",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_kl_monte_carlo,
        .explain_more = more_kl_monte_carlo,
        .params = { { "samples", 20000, 100, 1e7, 1, "draws z ~ q per row" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "The closed form must agree with the average of log q(z) - log p(z) "
            "over N = 20000 draws z ~ q (B = 3 rows, D = 4), which the runner "
            "computes with its own trusted formula and random stream. The test is "
            "|closed - mean| <= 5 standard errors (the standard error estimated "
            "from the same draws; its relative error ~1/sqrt(2N) = 0.5% is "
            "negligible). False-fail rate, normal approximation of the mean of "
            "20000 draws with finite variance, union bound over 3 rows: 3 x "
            "P(|Z| > 5) = 1.7e-6 per seed. A missing 1/2 or a flipped sign is off "
            "by ~100 standard errors.",
    },
    {
        .id = "1.7-sample-gaussian-backward",
        .title = "sample_gaussian_backward: gradients to m and v",
        .file = "utils.c",
        .functions = "sample_gaussian_backward",
        .task = "sample_gaussian.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_gradient_sample,
        .params = { GRAD_TOLS },
        .explain =
            "n = 12 values, m in [-2, 2], v in [0.5, 2]; eps is the seed's "
            "rng_normal sequence (the forward's, by the contract), so the "
            "reference's finite differences run through sample_gaussian with "
            "common random numbers. " GRAD_EXPLAIN,
    },
    {
        .id = "1.8-kl-normal-backward",
        .title = "kl_normal_backward: gradients to qm, qv, pm, pv",
        .file = "utils.c",
        .functions = "kl_normal_backward",
        .task = "kl_normal.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_kl_gradient,
        .params = { GRAD_TOLS },
        .explain =
            "B = 4, D = 3, random q and p. " GRAD_EXPLAIN,
    },
    {
        .id = "2.1-log-normal-values",
        .title = "log_normal: values on random and extreme inputs",
        .file = "utils.c",
        .functions = "log_normal",
        .task = "log_normal.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_log_normal_values,
        .params = { VALUE_TOLS },
        .explain =
            "log N(x | m, diag v) per row against the reference, half the points "
            "for each input set: random (B = 7, D = 5) and extreme (D = 784: "
            "variances in [1e-8, 1e-6] and in [1e6, 1e8], x 1000 away from m, an "
            "ordinary row). Bound 1e-9 + 1e-9 |expected|, because a correct "
            "submission may use another algebraically equivalent formula (the "
            "constant -D/2 log(2 pi) outside the sum, log v summed apart, ...) "
            "whose rounding differs by ~1e-16 per term over <= 784 terms. Named "
            "mistakes: v squared or square-rooted, the log(2 pi) constant missing, "
            "a factor 2.",
    },
    {
        .id = "2.2-mixture-stable",
        .title = "log_normal_mixture: finite and right far from every mode",
        .file = "utils.c",
        .functions = "log_normal_mixture",
        .task = "log_normal_mixture.stable",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mixture_values,
        .params = { VALUE_TOLS },
        .explain =
            "z sits 1500 units (over 1000 standard deviations) from every one of K "
            "= 10 components (D = 4), so each log-density is about -4e6 and exp() of "
            "it underflows to 0: log(mean(exp(.))) gives -inf, the shifted form "
            "M + log(mean(exp(a_k - M))) with M = max_k a_k is exact. Compared "
            "with the reference at 1e-9 + 1e-9 |expected| (values ~ -4e6, so the "
            "bound allows ~4e-3 absolute, far above an equivalent formula's "
            "rounding and far below any real error). -inf is reported as NaN/Inf "
            "with the hint to shift.",
    },
    {
        .id = "2.3-mixture-values",
        .title = "log_normal_mixture: values on random and extreme inputs",
        .file = "utils.c",
        .functions = "log_normal_mixture",
        .task = "log_normal_mixture.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_mixture_values,
        .params = { VALUE_TOLS },
        .explain =
            "The log of the uniform mixture per row against the reference, half "
            "the points for each set: random (B = 6, K = 5, D = 3) and extreme (K "
            "= 500 components as CS236's prior, D = 10, variances over six decades, "
            "rows on top of one narrow component, at the centre, and 30 units "
            "out). Bound 1e-9 + 1e-9 |expected|, because a correct submission may "
            "shift by another constant or sum in another order (rounding ~K x "
            "1e-16 relative). Named mistakes: log sum instead of log mean (a log K "
            "off), v squared or square-rooted.",
    },
    {
        .id = "2.4-mixture-k1-equals-log-normal",
        .title = "log_normal_mixture: K = 1 equals log_normal",
        .file = "utils.c",
        .functions = "log_normal_mixture",
        .task = "log_normal_mixture.k1",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mixture_k1,
        .params = { VALUE_TOLS },
        .explain =
            "With one component the mixture is that Gaussian: your "
            "log_normal_mixture with K = 1 must equal the REFERENCE log_normal at "
            "the same z, m, v (so a bug in your log_normal does not cost this "
            "check). Bound 1e-9 + 1e-9 |expected|, as for values.",
    },
    {
        .id = "2.5-mixture-permutation",
        .title = "log_normal_mixture: right, and invariant to the order of components",
        .file = "utils.c",
        .functions = "log_normal_mixture",
        .task = "log_normal_mixture.permutation",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mixture_permutation,
        .params = { VALUE_TOLS,
                    { "perm_rel", 1e-10, 0, 1, 0, "relative tolerance, permuted vs unpermuted" },
                    { "perm_abs", 1e-10, 0, 1, 0, "absolute tolerance, permuted vs unpermuted" } },
        .explain =
            "B = 6 rows, K = 7 components, D = 3. Your values in the given order "
            "must match the reference's (1e-9 + 1e-9 |expected|, as for values), "
            "and the same z with the components shuffled must give your own "
            "unpermuted values again, to 1e-10 + 1e-10 |value|: only the order of "
            "a sum of K exponentials changes, which moves the result by ~K x 1e-16 "
            "relative. The values come first because a constant (or 0) is "
            "invariant too: invariance of wrong values earns nothing. "
            "Deterministic: no false fails.",
    },
    {
        .id = "2.6-log-normal-backward",
        .title = "log_normal_backward: gradients to x, m, v",
        .file = "utils.c",
        .functions = "log_normal_backward",
        .task = "log_normal.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_log_normal_gradient,
        .params = { GRAD_TOLS },
        .explain =
            "B = 4, D = 3, x and m in [-2, 2], v in [0.5, 2]. " GRAD_EXPLAIN,
    },
    {
        .id = "2.7-mixture-backward",
        .title = "log_normal_mixture_backward: gradients to z, m, v",
        .file = "utils.c",
        .functions = "log_normal_mixture_backward",
        .task = "log_normal_mixture.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mixture_gradient,
        .params = { GRAD_TOLS },
        .explain =
            "B = 4, K = 3, D = 3, z among the components so that every "
            "responsibility matters. " GRAD_EXPLAIN,
    },
    {
        .id = "3.1-log-mean-exp-values",
        .title = "log_mean_exp: values on random and extreme inputs",
        .file = "utils.c",
        .functions = "log_mean_exp",
        .task = "log_mean_exp.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_lme,
        .params = { VALUE_TOLS },
        .explain =
            "log((1/n) sum exp(x_i)) of 8 vectors (n = 1, 2, 3, 7, 10, 100, 500, "
            "1000) against the reference, half the points per set: random (x ~ "
            "N(0, 9)) and extreme (a single -1e300, +-1e300, DBL_MAX twice, equal "
            "values, spreads of +-600). Bound 1e-9 + 1e-9 |expected|: log(s/n) and "
            "log(s) - log(n) differ by ~1e-16 relative. Named mistake: "
            "log_sum_exp's value (log n not subtracted).",
    },
    {
        .id = "3.2-log-mean-exp-stable",
        .title = "log_mean_exp: stable far from 0",
        .file = "utils.c",
        .functions = "log_mean_exp",
        .task = "log_mean_exp.values",
        .cases = { "stable" },
        .needs_ref = 1,
        .eval = eval_lme,
        .params = { VALUE_TOLS },
        .explain =
            "Vectors centred at +-1000 .. +-4500, where exp() overflows to +inf or "
            "underflows to 0 at every element unless shifted by the maximum. "
            "Against the reference at 1e-9 + 1e-9 |expected|.",
    },
    {
        .id = "3.3-log-sum-exp-values",
        .title = "log_sum_exp: values, extreme and far from 0",
        .file = "utils.c",
        .functions = "log_sum_exp",
        .task = "log_sum_exp.values",
        .cases = { "random", "extreme", "stable" },
        .needs_ref = 1,
        .eval = eval_lse,
        .params = { VALUE_TOLS },
        .explain =
            "log(sum exp(x_i)) on the three input sets of checks 3.1 and 3.2, a "
            "third of the points each, at 1e-9 + 1e-9 |expected| against the "
            "reference. Named mistake: log_mean_exp's value (divided by n).",
    },
};
const size_t n_checks_utils = sizeof checks_utils / sizeof checks_utils[0];
