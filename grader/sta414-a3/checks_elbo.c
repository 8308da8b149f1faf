/* checks_elbo.c: the checks of elbo.c (part 2 of STA414 A3): the estimate
 * against the reference's by a z-test of means (any correct estimator
 * passes), the mean over the batch (not the sum), and the gradient against
 * central differences of the submission's own estimate at one noise
 * stream (tasks_elbo.c). */
#include <math.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "driver/evaluate.h"
#include "numcheck/stats.h"
#include "sta414-a3/catalogue.h"
#include "driver/stat_checks.h"

static void eval_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "elbo on 10 test digits", 0);
}

/* The batch of N copies of one digit against that digit alone: equal
 * means for a batch mean, N times for a sum. The single digit's mean must
 * be an ELBO (at most -1 nat: 784 Bernoulli pixels at the initial model),
 * so that a constant does not pass. */
static void eval_batch_mean(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *b = eval_array(v, cd->sub, "batch", "submission", 0);
    const proto_array_t *s = b ? eval_array(v, cd->sub, "single", "submission", b->n) : NULL;
    if (!s)
        return;
    for (size_t i = 0; i < b->n; i++)
        if (!isfinite(b->data[i]) || !isfinite(s->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "elbo returned %s (call %zu)",
                        eval_nonfinite_word(isfinite(b->data[i]) ? s->data[i]
                                                                 : b->data[i]), i);
            return;
        }
    double mb, sb, ms, ss;
    stats_mean_sd(b->data, b->n, &mb, &sb);
    stats_mean_sd(s->data, s->n, &ms, &ss);
    double copies = case_param(cd, "copies");
    if (!(ms <= -1)) {
        verdict_set(v, OUTCOME_FAILED, 0, "elbo of one digit averages %.6g over %zu "
                    "calls: not an ELBO (log p(x) of 784 Bernoulli pixels under the "
                    "initial model is about -540), so there is no batch mean to "
                    "check", ms, s->n);
        return;
    }
    double se = sqrt(sb * sb / (double)b->n + ss * ss / (double)s->n);
    double zb = case_param(cd, "z_bound");
    double z = se > 0 ? fabs(mb - ms) / se : (mb == ms ? 0 : INFINITY);
    if (z <= zb) {
        verdict_set(v, OUTCOME_PASSED, 1, "elbo of %g copies of a digit averages "
                    "%.6g, of the digit alone %.6g: %.2f standard errors apart "
                    "(bound %g): a mean over the batch", copies, mb, ms, z, zb);
        return;
    }
    verdict_set(v, OUTCOME_FAILED, 0, "elbo of a batch of %g copies of one digit "
                "averages %.6g over %zu calls, of that digit alone %.6g: %.1f "
                "standard errors apart (bound %g), where a mean over the batch "
                "gives the same expectation", copies, mb, b->n, ms, z, zb);
    if (fabs(mb / ms - copies) < 0.1 * copies)
        verdict_append(v, "\nHint: the batch's value is about %g times the "
                       "digit's: a sum over the batch, where the mean is due.",
                       copies);
}

static void more_batch_mean(const check_conf_t *c, const char *root, char *buf,
                            size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound"), p = stats_normal_tail2(zb);
    snprintf(buf, cap, "With this profile: %.2e per seed, %.2e over the %zu seeds.",
             p, p * (double)c->n_seeds, c->n_seeds);
}

static void eval_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "elbo's gradient (backward = 1) against central differences "
                        "of elbo at the same noise");
}

/* ---- 2.4: the short run, scored by runner-ref ----------------------------- */

typedef struct short_spread {
    double seeds, mean, sd, iters;
} short_spread_t;

static int short_spread(short_spread_t *s, const char *root, char *why, size_t cap)
{
    cJSON *doc = chk_thresholds(root, "sta414-a3", why, cap);
    if (!doc)
        return -1;
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "short_run");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(r, "seeds");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(r, "mean");
    const cJSON *sd = cJSON_GetObjectItemCaseSensitive(r, "sd");
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(r, "iters");
    int ok = cJSON_IsNumber(n) && cJSON_IsNumber(m) && cJSON_IsNumber(sd) &&
             cJSON_IsNumber(it);
    if (ok)
        *s = (short_spread_t){ n->valuedouble, m->valuedouble, sd->valuedouble,
                               it->valuedouble };
    else
        snprintf(why, cap, "thresholds.json: no short_run.seeds, mean, sd, iters");
    cJSON_Delete(doc);
    return ok ? 0 : -1;
}

static void eval_short_run(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *t = eval_array(v, cd->ref, "test_elbo", "reference", 1);
    if (!t)
        return;
    short_spread_t s;
    char why[4400];
    if (short_spread(&s, cd->root, why, sizeof why)) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", why);
        return;
    }
    if (case_param(cd, "iters") != s.iters) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the profile's run of %g "
                    "steps has no thresholds (thresholds.json's are for %g)",
                    case_param(cd, "iters"), s.iters);
        return;
    }
    double bound = chk_lower_bound(s.mean, s.sd, s.seeds, case_param(cd, "alpha"));
    double got = t->data[0];
    if (isfinite(got) && got >= bound) {
        verdict_set(v, OUTCOME_PASSED, 1, "after %g Adam steps with your elbo, the "
                    "reference's test ELBO on 1000 test digits is %.3f; the "
                    "reference's own runs give %.3f +- %.3f over %g seeds, bound "
                    "%.3f", s.iters, got, s.mean, s.sd, s.seeds, bound);
        return;
    }
    verdict_set(v, OUTCOME_FAILED, 0, "after %g Adam steps with your elbo, the "
                "reference's test ELBO on 1000 test digits is %.3f, under the bound "
                "%.3f (the reference's own runs: %.3f +- %.3f over %g seeds): "
                "training with your estimate's gradient does not learn as the "
                "course's does", s.iters, got, bound, s.mean, s.sd, s.seeds);
}

static void more_short_run(const check_conf_t *c, const char *root, char *buf,
                           size_t cap)
{
    short_spread_t s;
    char why[4400];
    if (short_spread(&s, root, why, sizeof why)) {
        snprintf(buf, cap, "(%s)", why);
        return;
    }
    double a = conf_param(c, "alpha");
    snprintf(buf, cap, "With this profile: bound %.3f (the reference's %.3f +- %.3f "
             "over %g seeds), false-fail rate %g per seed, %g over the %zu seeds.",
             chk_lower_bound(s.mean, s.sd, s.seeds, a), s.mean, s.sd, s.seeds, a,
             a * (double)c->n_seeds, c->n_seeds);
}

const check_def_t s414_checks_elbo[] = {
    {
        .id = "2.1-elbo-monte-carlo",
        .title = "elbo: the estimate agrees with the reference's in the mean",
        .file = "elbo.c",
        .functions = "elbo",
        .task = "elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mc,
        .explain_more = chk_more_mc,
        .params = { { "repeats", 100, 10, 100000, 1, "your calls" },
                    { "ref_repeats", 400, 10, 100000, 1, "the reference's calls" },
                    { "digits", 10, 1, 20, 1, "test digits per call" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "elbo(x, B = 10 test digits, backward = 0) on the course's model "
            "initialised from the seed (float64), 100 calls each with its own noise "
            "stream, against 400 calls of the reference's on streams of its own. "
            "Any correct estimator of the batch-mean ELBO has the same expectation, "
            "so the test is |mean - mean_ref| <= 5 se, se = sqrt(s^2/100 + "
            "s_ref^2/400) from the calls' own sample deviations (their relative "
            "error ~1/sqrt(2 x 100) = 7%, which moves the bound by 7%, not the "
            "rate materially). False-fail rate, normal approximation of a mean of "
            "100 i.i.d. calls: P(|Z| > 5) = 5.7e-7 per seed. Nothing computed "
            "(0) is ~600 standard errors off; a sum over the batch 10 times the "
            "value; log std used as a variance, or z not reparameterised through "
            "exp(logsig), tens to hundreds of standard errors.",
    },
    {
        .id = "2.2-elbo-batch-mean",
        .title = "elbo: the mean over the batch, not the sum",
        .file = "elbo.c",
        .functions = "elbo",
        .task = "elbo.batch_mean",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_batch_mean,
        .explain_more = more_batch_mean,
        .params = { { "copies", 20, 2, 20, 1, "copies of the digit in the batch" },
                    { "repeats", 100, 10, 100000, 1, "calls of each kind" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "100 calls of elbo on a batch of 20 copies of one test digit and 100 "
            "on that digit alone (B = 1), each with its own noise: a mean over "
            "the batch has the same expectation both ways, a sum 20 times it. "
            "Test: |mean_20 - mean_1| <= 5 se (se from both sets' sample "
            "deviations), and the single digit's mean at most -1 (an ELBO of 784 "
            "pixels: a constant 0 has no batch mean to check). False-fail rate "
            "P(|Z| > 5) = 5.7e-7 per seed (normal approximation of the means).",
    },
    {
        .id = "2.3-elbo-gradient",
        .title = "elbo: the gradient of the estimate by finite differences",
        .file = "elbo.c",
        .functions = "elbo",
        .task = "elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_grad,
        .params = { { "digits", 4, 1, 20, 1, "test digits per call" },
                    { "coords", 24, 2, 32, 1, "parameters checked (half the encoder's)" },
                    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "central-difference step" },
                    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" },
                    { "fd_abs_tol", 1e-6, 0, 1, 0, "absolute bound" } },
        .explain =
            "elbo(x, B = 4, backward = 1) from zeroed gradients, read at 24 "
            "parameters drawn from the seed (12 of the encoder's last layer, whose "
            "every weight moves mu or logsig, 12 of the decoder's), against central "
            "differences (step 1e-5) of your own elbo(backward = 0) with the SAME "
            "noise stream reseeded for every call: a reparameterised estimate is "
            "a smooth function of the parameters once its draws are fixed, in "
            "whatever order you draw them, so any correct estimator passes. Bound "
            "1e-6 + 1e-5 |numeric|: the estimate is ~550 and sums 784 x 500 "
            "products in float64, rounding ~1e-16 x 550 x sqrt(784 x 500) / 1e-5 "
            "= 3e-6 at worst, usually ~1e-9 (the same sums in the same order "
            "cancel); truncation h^2 f''' / 6 ~ 1e-10. Measured (the check "
            "prints its closest coordinate): the reference at 0.4% of the bound "
            "(4e-9 absolute), a correct submission with another estimator at "
            "2.8% (3e-8). Deterministic given the seed. "
            "A gradient missing the path through z = mu + exp(logsig) eps (z not "
            "reparameterised), or through log q, is off by O(1); an estimate that "
            "does not move with the parameters (every difference under 1e-8) "
            "fails: nothing computed gets nothing.",
    },
    {
        .id = "2.4-elbo-short-run",
        .title = "elbo: a short training run, scored by the reference",
        .file = "elbo.c",
        .functions = "elbo",
        .task = "elbo.short_run",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_short_run,
        .explain_more = more_short_run,
        .ref_inputs = { "params", NULL },
        .params = { { "iters", 200, 1, 1000000, 1, "Adam steps (thresholds.json's)" },
                    { "alpha", 1e-3, 1e-9, 0.5, 0, "false-fail rate" } },
        .explain =
            "The course's model (float32, initialised from the seed) trained for "
            "200 Adam steps (lr 1e-3, PyTorch's betas: the course's) on "
            "minibatches of 100 of the first 10,000 training digits (binarised "
            "at 0.5, a fresh permutation each epoch), ascending YOUR elbo "
            "(backward = 1). The trained weights go to runner-ref, whose own elbo "
            "scores them: the test ELBO on the first 1000 test digits (one "
            "sample each, a fixed stream). Pass: at least the one-sided "
            "prediction bound mean - t_{19, 1 - 1e-3} sd sqrt(1 + 1/20) of the "
            "reference trained and scored the same way over 20 seeds "
            "(fixtures/sta414-a3/thresholds.json, `make "
            "fixtures-thresholds-sta414-a3`): a new run of the reference falls "
            "under it with probability 1e-3 when the runs' scores are normal. "
            "An elbo that returns a constant leaves the weights where they "
            "started (test ELBO about -545, ~200 nats under); a gradient with "
            "the wrong sign or missing the encoder's path learns less. A sum "
            "over the batch trains alike (Adam does not see the gradient's "
            "scale): 2.1 and 2.2 catch it.",
    },
};
const size_t n_s414_checks_elbo = sizeof s414_checks_elbo / sizeof s414_checks_elbo[0];
