/* checks_is.c: the checks of the discrete-output VAE (Problem 6b of CSE
 * 599i HW2) and the importance-sampled log p(x) (Problem 2): the ELBO's
 * mean against the reference's and its gradient by finite differences of
 * the submission's own estimate (tasks_elbo.c); log_marginal_is at M = 1,
 * 10, 100 against the reference's, between the ELBO and the reference's
 * large-M estimate, non-decreasing in M and tightening as the reference's
 * does, and at M = 1 the ELBO in expectation (tasks_is.c). Every test is
 * on means of independent calls, so any correct estimator passes whatever
 * order it draws its noise in. */
#include <math.h>
#include <stdio.h>

#include "driver/evaluate.h"
#include "numcheck/stats.h"
#include "cse599i-hw2/catalogue.h"
#include "driver/stat_checks.h"

static void eval_disc_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "discrete_output_elbo on 10 binarised test digits", 0);
}

static void eval_disc_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "discrete_output_elbo's gradient (backward = 1) against "
                        "central differences of discrete_output_elbo at the same "
                        "noise");
}

/* ---- log_marginal_is ------------------------------------------------------ */

typedef struct is_data {
    const proto_array_t *m, *is;
    size_t n_m, R;
    double mean[8], sd[8];
} is_data_t;

/* Fetches one side's estimates (laid out (NM,R)) and their means. */
static int is_fetch(verdict_t *v, is_data_t *d, const proto_result_t *r,
                    const char *side, size_t want_m)
{
    if (!(d->m = eval_array(v, r, "m", side, want_m)) ||
        !(d->is = eval_array(v, r, "is", side, 0)))
        return -1;
    d->n_m = d->m->n;
    if (d->n_m == 0 || d->n_m > 8 || d->is->n % d->n_m) {
        verdict_set(v, OUTCOME_CRASHED, 0, "the %s's runner reported %zu "
                    "estimates for %zu sample counts", side, d->is->n, d->n_m);
        return -1;
    }
    d->R = d->is->n / d->n_m;
    for (size_t k = 0; k < d->n_m; k++)
        stats_mean_sd(d->is->data + k * d->R, d->R, &d->mean[k], &d->sd[k]);
    return 0;
}

/* Both sides, the submission's checked finite; 0 when the evaluation can
 * go on. */
static int is_both(verdict_t *v, const case_data_t *cd, is_data_t *s, is_data_t *r)
{
    if (is_fetch(v, r, cd->ref, "reference", 0) ||
        is_fetch(v, s, cd->sub, "submission", r->n_m))
        return -1;
    for (size_t i = 0; i < s->is->n; i++)
        if (!isfinite(s->is->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "log_marginal_is at M = %.0f, call %zu: "
                        "the mean of out over the digits is %s (a row left "
                        "unwritten, or exp of a log-weight of -500 and less?)",
                        s->m->data[i / s->R], i % s->R + 1,
                        eval_nonfinite_word(s->is->data[i]));
            return -1;
        }
    return 0;
}

/* The standard score of a - b for two means of n_a and n_b calls of
 * sample deviations sd_a, sd_b. */
static double zscore(double a, double sd_a, double n_a, double b, double sd_b,
                     double n_b)
{
    double se = sqrt(sd_a * sd_a / n_a + sd_b * sd_b / n_b);
    return se > 0 ? (a - b) / se : (a == b ? 0 : copysign(INFINITY, a - b));
}

/* 3.3: each M's mean against the reference's. */
static void eval_is_values(verdict_t *v, const case_data_t *cd)
{
    is_data_t s, r;
    if (is_both(v, cd, &s, &r))
        return;
    double zb = case_param(cd, "z_bound");
    size_t bad = 0;
    char lines[1024] = "";
    size_t len = 0;
    for (size_t k = 0; k < s.n_m; k++) {
        double z = zscore(s.mean[k], s.sd[k], (double)s.R, r.mean[k], r.sd[k], (double)r.R);
        int ok = fabs(z) <= zb;
        bad += !ok;
        len += (size_t)snprintf(lines + len, len < sizeof lines ? sizeof lines - len : 0,
                                "\n  M = %-4.0f yours %.6g (sd %.3g), reference %.6g "
                                "(sd %.3g): %+.1f standard errors  %s", s.m->data[k],
                                s.mean[k], s.sd[k], r.mean[k], r.sd[k], z,
                                ok ? "ok" : "WRONG");
    }
    if (!bad)
        verdict_set(v, OUTCOME_PASSED, 1, "log_marginal_is agrees with the "
                    "reference's in the mean at every M (bound %g standard "
                    "errors; your %zu calls, its %zu):%s", zb, s.R, r.R, lines);
    else
        verdict_set(v, OUTCOME_FAILED, 0, "log_marginal_is differs from the "
                    "reference's in the mean at %zu of %zu sample counts (bound "
                    "%g standard errors; your %zu calls, its %zu):%s", bad, s.n_m,
                    zb, s.R, r.R, lines);
    double z0 = zscore(s.mean[0], s.sd[0], (double)s.R, r.mean[0], r.sd[0], (double)r.R);
    if (bad && fabs(z0) <= zb && s.mean[s.n_m - 1] < r.mean[s.n_m - 1])
        verdict_append(v, "\nHint: right at M = 1, too low beyond: the log of the "
                       "mean of the weights is due, not the mean of the log-weights.");
    else if (bad && s.mean[s.n_m - 1] - r.mean[s.n_m - 1] > 0.5 * log(s.m->data[s.n_m - 1]))
        verdict_append(v, "\nHint: about log M too high: the sum of the weights "
                       "where their mean (1/M) is due?");
}

/* 3.4: at the largest M, between the reference's ELBO and its large-M
 * estimate, each within z_bound standard errors. */
static void eval_is_between(verdict_t *v, const case_data_t *cd)
{
    is_data_t s, r;
    if (is_both(v, cd, &s, &r))
        return;
    const proto_array_t *e = eval_array(v, cd->ref, "elbo", "reference", 0);
    const proto_array_t *l = e ? eval_array(v, cd->ref, "large", "reference", 0) : NULL;
    if (!l)
        return;
    double me, se_, ml, sl;
    stats_mean_sd(e->data, e->n, &me, &se_);
    stats_mean_sd(l->data, l->n, &ml, &sl);
    /* The large-M estimate's spread: its own calls' when there are two or
     * more, else the largest M's of the regular calls (a larger M spreads
     * less). */
    if (l->n < 2)
        sl = r.sd[r.n_m - 1];
    size_t k = s.n_m - 1;
    double zb = case_param(cd, "z_bound");
    double z_lo = zscore(s.mean[k], s.sd[k], (double)s.R, me, se_, (double)e->n);
    double z_hi = zscore(s.mean[k], s.sd[k], (double)s.R, ml, sl, (double)l->n);
    int ok = z_lo >= -zb && z_hi <= zb;
    verdict_set(v, ok ? OUTCOME_PASSED : OUTCOME_FAILED, ok, "log_marginal_is at "
                "M = %.0f averages %.6g over %zu calls; the reference's ELBO on "
                "the same digits %.6g (%+.1f standard errors from it), its "
                "estimate at M = %g %.6g (%+.1f standard errors from it): %s "
                "(bound %g standard errors each way)", s.m->data[k], s.mean[k],
                s.R, me, z_lo, case_param(cd, "large_m"), ml, z_hi,
                ok ? "between the two" : z_lo < -zb ? "BELOW the ELBO, which an "
                "importance-sampling estimate with q as its proposal never is in "
                "expectation" : "ABOVE log p(x), which its expectation never is "
                "(Jensen: E log mean w <= log E mean w = log p(x))", zb);
}

/* 3.5: each consecutive pair of M not decreasing beyond z_bound standard
 * errors (one-sided), and, so that a constant earns nothing, the gain from
 * the smallest M to the largest at least the reference's less z_bound
 * standard errors of the difference. */
static void eval_is_monotone(verdict_t *v, const case_data_t *cd)
{
    is_data_t s, r;
    if (is_both(v, cd, &s, &r))
        return;
    double zb = case_param(cd, "z_bound");
    size_t bad = 0, last = s.n_m - 1;
    char lines[1024] = "";
    size_t len = 0;
    for (size_t k = 0; k < last; k++) {
        double z = zscore(s.mean[k + 1], s.sd[k + 1], (double)s.R, s.mean[k], s.sd[k],
                          (double)s.R);
        int ok = z >= -zb;
        bad += !ok;
        len += (size_t)snprintf(lines + len, len < sizeof lines ? sizeof lines - len : 0,
                                "\n  M %4.0f -> %4.0f: %.6g -> %.6g (%+.1f standard "
                                "errors)  %s", s.m->data[k], s.m->data[k + 1], s.mean[k],
                                s.mean[k + 1], z, ok ? "ok" : "DECREASES");
    }
    double gs = s.mean[last] - s.mean[0], gr = r.mean[last] - r.mean[0];
    double se = sqrt((s.sd[0] * s.sd[0] + s.sd[last] * s.sd[last]) / (double)s.R +
                     (r.sd[0] * r.sd[0] + r.sd[last] * r.sd[last]) / (double)r.R);
    int tight = gs >= gr - zb * se;
    len += (size_t)snprintf(lines + len, len < sizeof lines ? sizeof lines - len : 0,
                            "\n  gain M %.0f -> %.0f: yours %+.4g, the reference's "
                            "%+.4g (standard error of the difference %.3g)  %s",
                            s.m->data[0], s.m->data[last], gs, gr, se,
                            tight ? "ok" : "TOO SMALL");
    if (!bad && tight)
        verdict_set(v, OUTCOME_PASSED, 1, "log_marginal_is does not decrease with "
                    "M and tightens as the reference's does (bound %g standard "
                    "errors):%s", zb, lines);
    else
        verdict_set(v, OUTCOME_FAILED, 0, "log_marginal_is %s (bound %g standard "
                    "errors):%s", bad ? "decreases as M grows" : "does not tighten "
                    "with M as the reference's does", zb, lines);
    if (!tight && fabs(gs) <= zb * se)
        verdict_append(v, "\nHint: no gain at all: averaging the log-weights gives "
                       "the ELBO at every M; the log of the mean of the weights "
                       "(log-sum-exp - log M) is due.");
}

/* 3.6: the M = 1 estimate against the reference's ELBO on the same digits
 * (log w of one sample is the one-sample ELBO with the Monte Carlo KL:
 * equal in expectation). */
static void eval_is_m1(verdict_t *v, const case_data_t *cd)
{
    is_data_t s, r;
    if (is_both(v, cd, &s, &r))
        return;
    const proto_array_t *e = eval_array(v, cd->ref, "elbo", "reference", 0);
    if (!e)
        return;
    if (s.m->data[0] != 1) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the first sample count is "
                    "%g, not 1", s.m->data[0]);
        return;
    }
    double me, sde;
    stats_mean_sd(e->data, e->n, &me, &sde);
    /* Welch's test with the M = 1 calls' spread and the ELBO calls' own
     * (the ELBO's closed-form KL spreads less than log w does). */
    double zb = case_param(cd, "z_bound");
    double z = zscore(s.mean[0], s.sd[0], (double)s.R, me, sde, (double)e->n);
    int ok = fabs(z) <= zb;
    verdict_set(v, ok ? OUTCOME_PASSED : OUTCOME_FAILED, ok, "log_marginal_is at "
                "M = 1 averages %.6g over %zu calls (sd %.3g); the reference's "
                "discrete_output_elbo on the same digits %.6g over %zu calls (sd "
                "%.3g): %+.1f standard errors apart (bound %g)%s", s.mean[0], s.R,
                s.sd[0], me, e->n, sde, z, zb, ok ? "" : ": with one sample the "
                "estimate is log p(x|z) + log r(z) - log q(z|x), the one-sample "
                "ELBO, whose expectation is the ELBO's");
}

static void more_is(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound");
    snprintf(buf, cap, "With this profile: P(|Z| > %g) = %.2e per comparison, one "
             "sided %.2e (normal approximation of means of %g and more calls); "
             "the check's rate is at most its comparisons' sum (its explanation "
             "counts them), over the %zu seeds that times %zu.", zb,
             stats_normal_tail2(zb), stats_normal_tail2(zb) / 2,
             conf_param(c, "repeats"), c->n_seeds, c->n_seeds);
}

#define IS_PARAMS \
    { "repeats", 30, 5, 100000, 1, "your calls per M" }, \
    { "ref_repeats", 60, 5, 100000, 1, "the reference's calls per M" }, \
    { "digits", 2, 1, 8, 1, "binarised test digits per call" }, \
    { "large_m", 1000, 100, 100000, 1, "the reference's large M" }, \
    { "large_repeats", 2, 1, 100, 1, "its calls at the large M" }, \
    { "z_bound", 5, 3, 10, 0, "bound on the standard scores" }

#define IS_INPUTS \
    "log_marginal_is(x, B = 2 binarised test digits, M) on the course's model " \
    "initialised from the seed (float64; the encoder's log-variance biases at " \
    "-4, so q is narrower than the posterior and importance sampling gains " \
    "nats as M grows), 30 calls at each M = 1, 10, 100 each with its own " \
    "noise, each call's out averaged over the 2 rows; runner-ref makes 60 " \
    "calls of its own at each M, 60 of discrete_output_elbo on the same " \
    "digits, and 2 at M = 1000. Any correct estimator has the reference's " \
    "expectation at every M, whatever order it draws its noise in. "

const check_def_t cse_checks_is[] = {
    {
        .id = "3.1-discrete-elbo-monte-carlo",
        .title = "discrete_output_elbo: the estimate agrees with the reference's in the mean",
        .file = CSE_ELBO_FILE,
        .functions = "discrete_output_elbo",
        .task = "discrete_output_elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_disc_mc,
        .explain_more = chk_more_mc,
        .params = { { "repeats", 100, 10, 100000, 1, "your calls" },
                    { "ref_repeats", 200, 10, 100000, 1, "the reference's calls" },
                    { "digits", 10, 1, 20, 1, "test digits per call" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "discrete_output_elbo(x, B = 10 binarised test digits, backward = 0) "
            "on the course's model initialised from the seed (float64, q narrower "
            "than the prior), 100 calls each with its own noise stream, against "
            "200 of the reference's: |mean - mean_ref| <= 5 se, se = "
            "sqrt(s^2/100 + s_ref^2/200). False-fail rate, normal approximation "
            "of a mean of 100 i.i.d. calls: P(|Z| > 5) = 5.7e-7 per seed. "
            "Mistakes: a squared error for the Bernoulli log-mass (hundreds of "
            "nats), the logits taken for probabilities, a sum over the batch.",
    },
    {
        .id = "3.2-discrete-elbo-gradient",
        .title = "discrete_output_elbo: the gradient of the estimate by finite differences",
        .file = CSE_ELBO_FILE,
        .functions = "discrete_output_elbo",
        .task = "discrete_output_elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_disc_grad,
        .params = { { "digits", 4, 1, 20, 1, "test digits per call" },
                    { "coords", 24, 2, 32, 1, "parameters checked (half the encoder's)" },
                    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "central-difference step" },
                    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" },
                    { "fd_abs_tol", 1e-6, 0, 1, 0, "absolute bound" } },
        .explain =
            "discrete_output_elbo(x, B = 4, backward = 1) from zeroed gradients, "
            "read at 24 parameters drawn from the seed (12 of the encoder's last "
            "layer, 12 of the decoder's), against central differences (step "
            "1e-5) of your own estimate (backward = 0) with the SAME noise stream "
            "reseeded for every call: any correct reparameterised estimator "
            "passes, whatever order it draws in. Bound 1e-6 + 1e-5 |numeric| "
            "(float64 rounding over the step under 1e-7, truncation ~1e-10). An "
            "estimate that does not move with the parameters fails.",
    },
    {
        .id = "3.3-is-values",
        .title = "log_marginal_is: the estimate agrees with the reference's at M = 1, 10, 100",
        .file = "importance.c",
        .functions = "log_marginal_is",
        .task = "log_marginal_is.estimates",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_is_values,
        .explain_more = more_is,
        .params = { IS_PARAMS },
        .explain = IS_INPUTS
            "Test at each M: |mean - mean_ref| <= 5 se (se from both sides' "
            "sample deviations). False-fail rate: 3 x P(|Z| > 5) = 1.7e-6 per "
            "seed (normal approximation of means of 30 calls; a t with 29 "
            "degrees of freedom would give 7e-5, still small). Mistakes: the "
            "mean of the log-weights (the ELBO at every M), the sum of the "
            "weights (log M too high), q's and r's roles swapped.",
    },
    {
        .id = "3.4-is-between-elbo-and-log-px",
        .title = "log_marginal_is: between the ELBO and the reference's large-M estimate",
        .file = "importance.c",
        .functions = "log_marginal_is",
        .task = "log_marginal_is.estimates",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_is_between,
        .explain_more = more_is,
        .params = { IS_PARAMS },
        .explain = IS_INPUTS
            "Test at M = 100: your mean at least the reference's ELBO less 5 "
            "standard errors (an importance-sampled estimate with q as proposal "
            "is at least the ELBO in expectation, E log mean w >= E log w) and at "
            "most the reference's estimate at M = 1000 plus 5 standard errors "
            "(its expectation grows with M towards log p(x): Burda et al. 2016, "
            "Theorem 1). False-fail rate: 2 x P(Z > 5) = 5.7e-7 per seed, the "
            "large-M side slightly more where its 2 calls' spread is "
            "underestimated (the bound then also has M = 100's gain below it). "
            "Mistakes: the sum of the weights (log 100 = 4.6 nats too high), a "
            "log-weight without log r(z).",
    },
    {
        .id = "3.5-is-monotone-in-m",
        .title = "log_marginal_is: non-decreasing in M, tightening as the reference's",
        .file = "importance.c",
        .functions = "log_marginal_is",
        .task = "log_marginal_is.estimates",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_is_monotone,
        .explain_more = more_is,
        .params = { IS_PARAMS },
        .explain = IS_INPUTS
            "Test: from M = 1 to 10 and from 10 to 100 your mean does not fall "
            "by more than 5 standard errors (independent calls), and your gain "
            "from M = 1 to 100 is at least the reference's less 5 standard "
            "errors of the difference (so that a constant, which never "
            "decreases, earns nothing). False-fail rate: 3 x P(Z > 5) = 8.6e-7 "
            "per seed (one-sided). Mistakes: the mean of the log-weights (no "
            "gain), the weights' maximum alone.",
    },
    {
        .id = "3.6-is-m1-equals-elbo",
        .title = "log_marginal_is: at M = 1, the ELBO in expectation",
        .file = "importance.c",
        .functions = "log_marginal_is",
        .task = "log_marginal_is.estimates",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_is_m1,
        .explain_more = more_is,
        .params = { IS_PARAMS },
        .explain = IS_INPUTS
            "Test: your M = 1 mean within 5 standard errors (Welch, each side's "
            "own spread) of the reference's discrete_output_elbo on the same "
            "digits: with one sample, log w = log p(x|z) + log r(z) - log q(z|x) "
            "is the one-sample ELBO with the Monte Carlo KL. False-fail rate "
            "P(|Z| > 5) = 5.7e-7 per seed. Mistakes: log r or log q left out, "
            "the Gaussian's var taken for a standard deviation in log q.",
    },
};
const size_t n_cse_checks_is = sizeof cse_checks_is / sizeof cse_checks_is[0];
