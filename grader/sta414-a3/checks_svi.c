/* checks_svi.c: the checks of svi.c (part 4 of STA414 A3): the top-half
 * likelihood and joint (values, backwards), svi_top_elbo's K-sample
 * estimate (its mean and its variance against the reference's), its
 * gradient in (mu, logsig) against central differences of the
 * submission's own estimate, and the optimisation it drives, scored by
 * trusted code against the reference's spread over seeds
 * (fixtures/sta414-a3/thresholds.json). Runner side: tasks_density.c,
 * tasks_svi.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "driver/evaluate.h"
#include "numcheck/stats.h"
#include "sta414-a3/catalogue.h"
#include "driver/stat_checks.h"

static void eval_top_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_p_top_given_z: log p(top half of x | z) per row");
}

static void eval_joint_top_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "joint_log_density_top: log p(top half of x, z) per row");
}

static void eval_top_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_p_top_given_z_backward");
}

static void eval_joint_top_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "joint_log_density_top_backward");
}

static void eval_svi_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "svi_top_elbo (K = 10) at a fixed q", 1);
}

static void eval_svi_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "svi_top_elbo's (dmu, dlogsig) against central differences "
                        "of svi_top_elbo at the same noise");
}

/* ---- 4.7: the optimisation against the reference's spread ---------------- */

typedef struct spread {
    size_t n_digits;
    double seeds, mean[8], sd[8];
} spread_t;

static int spread_read(spread_t *s, const char *root, char *why, size_t cap)
{
    cJSON *doc = chk_thresholds(root, "sta414-a3", why, cap);
    if (!doc)
        return -1;
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(doc, "svi_optimise");
    const cJSON *seeds = cJSON_GetObjectItemCaseSensitive(so, "seeds");
    const cJSON *digits = cJSON_GetObjectItemCaseSensitive(so, "digits");
    int rc = -1;
    memset(s, 0, sizeof *s);
    if (cJSON_IsNumber(seeds) && cJSON_IsArray(digits) &&
        cJSON_GetArraySize(digits) <= 8) {
        s->seeds = seeds->valuedouble;
        rc = 0;
        const cJSON *d;
        cJSON_ArrayForEach(d, digits) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(d, "mean");
            const cJSON *sd = cJSON_GetObjectItemCaseSensitive(d, "sd");
            if (!cJSON_IsNumber(m) || !cJSON_IsNumber(sd)) {
                rc = -1;
                break;
            }
            s->mean[s->n_digits] = m->valuedouble;
            s->sd[s->n_digits] = sd->valuedouble;
            s->n_digits++;
        }
    }
    if (rc)
        snprintf(why, cap, "thresholds.json: no svi_optimise.seeds and "
                 "digits[].mean, .sd");
    cJSON_Delete(doc);
    return rc;
}

static double spread_bound(const spread_t *s, size_t i, double alpha)
{
    return chk_lower_bound(s->mean[i], s->sd[i], s->seeds, alpha);
}

static void eval_svi_fit(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *e = eval_array(v, cd->sub, "elbo", "submission", 0);
    if (!e)
        return;
    spread_t s;
    char why[4400];
    if (spread_read(&s, cd->root, why, sizeof why)) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", why);
        return;
    }
    if (s.n_digits < e->n) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: thresholds.json has %zu "
                    "digits, the profile asks %zu", s.n_digits, e->n);
        return;
    }
    double alpha = case_param(cd, "alpha");
    size_t passed = 0;
    char lines[2048] = "";
    size_t len = 0;
    for (size_t i = 0; i < e->n; i++) {
        double bound = spread_bound(&s, i, alpha);
        int ok = isfinite(e->data[i]) && e->data[i] >= bound;
        passed += (size_t)ok;
        len += (size_t)snprintf(lines + len, len < sizeof lines ? sizeof lines - len : 0,
                                "\n  digit %zu: your fitted q's top-half ELBO %.4f, "
                                "the reference's %.4f +- %.4f over %g seeds, bound "
                                "%.4f: %s", i, e->data[i], s.mean[i], s.sd[i],
                                s.seeds, bound, ok ? "reached" : "NOT reached");
    }
    double score = (double)passed / (double)e->n;
    verdict_set(v, passed == e->n ? OUTCOME_PASSED : OUTCOME_FAILED, score,
                "SVI with your svi_top_elbo (the course's Adam loop, scored by the "
                "grader's own estimate of the top-half ELBO): %zu of %zu digits "
                "reach the reference's spread%s", passed, e->n, lines);
}

static void more_svi_fit(const check_conf_t *c, const char *root, char *buf,
                         size_t cap)
{
    spread_t s;
    char why[4400];
    double alpha = conf_param(c, "alpha");
    if (spread_read(&s, root, why, sizeof why)) {
        snprintf(buf, cap, "(%s)", why);
        return;
    }
    size_t len = (size_t)snprintf(buf, cap, "With this profile: %g per digit, "
                                  "<= %.2g per seed over %g digits. Bounds:",
                                  alpha, alpha * conf_param(c, "digits"),
                                  conf_param(c, "digits"));
    for (size_t i = 0; i < s.n_digits && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, " digit %zu %.4f (%.4f +- "
                                "%.4f);", i, spread_bound(&s, i, alpha), s.mean[i],
                                s.sd[i]);
}

const check_def_t s414_checks_svi[] = {
    {
        .id = "4.1-log-p-top-values",
        .title = "log_p_top_given_z: values, the top half only",
        .file = "svi.c",
        .functions = "log_p_top_given_z",
        .task = "log_p_top_given_z.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_top_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "The Bernoulli log-mass of the first 392 pixels (14 rows) per row, "
            "the bottom half integrated out (its terms sum to log 1 = 0), on "
            "1.3's inputs (random 0/1 digits: the bottom half differs from the "
            "top, so counting it shows), against the reference at 1e-9 + 1e-9 "
            "|expected|; the extreme set's logits reach +-1e3.",
    },
    {
        .id = "4.2-joint-top-values",
        .title = "joint_log_density_top: values",
        .file = "svi.c",
        .functions = "joint_log_density_top",
        .task = "joint_log_density_top.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_joint_top_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log p(top half, z) = log_prior + log_p_top_given_z per row, on 4.1's "
            "inputs, at 1e-9 + 1e-9 |expected| against the reference.",
    },
    {
        .id = "4.3-log-p-top-backward",
        .title = "log_p_top_given_z_backward: gradients to z and the decoder",
        .file = "svi.c",
        .functions = "log_p_top_given_z_backward",
        .task = "log_p_top_given_z.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_top_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "As 1.7, for the top half: the bottom pixels get no gradient. "
                   CHK_GRAD_EXPLAIN,
    },
    {
        .id = "4.4-joint-top-backward",
        .title = "joint_log_density_top_backward: gradients to z and the decoder",
        .file = "svi.c",
        .functions = "joint_log_density_top_backward",
        .task = "joint_log_density_top.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_joint_top_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "As 4.3, with the prior's -z added to d z. " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "4.5-svi-elbo-monte-carlo",
        .title = "svi_top_elbo: the K-sample estimate's mean and variance",
        .file = "svi.c",
        .functions = "svi_top_elbo",
        .task = "svi_top_elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_svi_mc,
        .explain_more = chk_more_mc_var,
        .params = { { "repeats", 200, 10, 100000, 1, "your calls" },
                    { "ref_repeats", 400, 10, 100000, 1, "the reference's calls" },
                    { "k", 10, 1, 64, 1, "samples per estimate" },
                    { "z_bound", 5, 3, 10, 0, "bound on the means' standard score" },
                    { "var_alpha", 1e-6, 0, 1, 0, "the variance test's false-fail rate" } },
        .explain =
            "svi_top_elbo(K = 10, dmu = dlogsig = NULL) for one test digit at a "
            "fixed q (mu ~ N(0, 1), logsig in [-1.5, -0.5]) on the SVI model (the "
            "course's, seed 414, decoder x 3 so that the top half's likelihood "
            "depends on z), 200 calls on their own noise streams against 400 of "
            "the reference's. Mean: |mean - mean_ref| <= 5 se as in 2.1, "
            "false-fail rate 5.7e-7. Variance: an estimate that averages fewer "
            "than K samples varies more; fails when P(F > s^2 / s_ref^2) < 1e-6 "
            "with (199, 399) degrees of freedom, one-sided, so an estimator of "
            "lower variance (an exact entropy term, say) passes. Its rate 1e-6 is "
            "exact for normal estimates; these are means of 10 samples, close to "
            "normal. K ignored (one sample) gives a ratio near 10: P ~ 1e-100.",
    },
    {
        .id = "4.6-svi-elbo-gradient",
        .title = "svi_top_elbo: gradients in mu and logsig by finite differences",
        .file = "svi.c",
        .functions = "svi_top_elbo",
        .task = "svi_top_elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_svi_grad,
        .params = { { "k", 10, 1, 64, 1, "samples per estimate" },
                    { "fd_step", 1e-6, 1e-9, 1e-2, 1, "central-difference step" },
                    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" },
                    { "fd_abs_tol", 1e-5, 0, 1, 0, "absolute bound" } },
        .explain =
            "dmu, dlogsig (accumulators starting from random values, so += is "
            "required) of svi_top_elbo(K = 10) at 4.5's q, against central "
            "differences (step 1e-6) of your own estimate with the same noise "
            "stream reseeded for every call: any reparameterised estimator, "
            "whatever order it draws in, is smooth in (mu, logsig) once its draws "
            "are fixed. Bound 1e-5 + 1e-5 |numeric|: the estimate is ~200 in "
            "float64 (rounding ~1e-16 x 200 x 1e2 / 1e-6 = 2e-6 at worst), "
            "truncation h^2 f''' / 6 ~ 1e-11; measured: the reference at 0.2% "
            "of the bound, another correct estimator at 0.7%. A missing "
            "exp(logsig) of the "
            "chain rule through z = mu + exp(logsig) eps, a missing -1 of log q's "
            "d/dlogsig, or a sign are off by O(1). A constant estimate fails.",
    },
    {
        .id = "4.7-svi-optimise",
        .title = "SVI: your step reaches the reference's top-half ELBO",
        .file = "svi.c",
        .functions = "svi_top_elbo",
        .task = "svi.optimise",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_svi_fit,
        .explain_more = more_svi_fit,
        .params = { { "digits", 2, 1, 8, 1, "test digits fitted (20, 21, ...)" },
                    { "iters", 300, 1, 100000, 1, "Adam steps (the course's 300)" },
                    { "k", 10, 1, 64, 1, "samples per estimate (the course's 10)" },
                    { "lr", 5e-2, 1e-6, 1, 1, "Adam's rate (the course's 5e-2)" },
                    { "samples", 2000, 1, 1000000, 1, "samples of the final estimate" },
                    { "alpha", 1e-3, 1e-9, 0.5, 0, "false-fail rate per digit" } },
        .explain =
            "For 2 test digits (20 and 21), the course's SVI loop (svi_fit: Adam, "
            "300 steps of 5e-2, K = 10, from q = N(0, I)) driven by your "
            "svi_top_elbo on the SVI model of 4.5 (float32, as trained), one run "
            "per digit on the seed's stream; the q reached is scored by the "
            "grader's own 2000-sample estimate of the top-half ELBO (svi_eval.c: "
            "the decoder and softplus, never your code), on a stream fixed per "
            "digit. Pass per digit (half the points each): the score is at least "
            "the one-sided prediction bound mean - t_{19, 1 - 1e-3} sd sqrt(1 + "
            "1/20) of the reference's scores over 20 seeds "
            "(fixtures/sta414-a3/thresholds.json, `make "
            "fixtures-thresholds-sta414-a3`): a new run of the reference falls "
            "under it with probability 1e-3 when the scores are normal, so "
            "<= 2e-3 per grade. A step whose gradient has the wrong sign or "
            "misses the chain rule's exp, or whose estimate counts the bottom "
            "half, stops short of it.",
    },
};
const size_t n_s414_checks_svi = sizeof s414_checks_svi / sizeof s414_checks_svi[0];
