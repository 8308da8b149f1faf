/* checks_vae.c: the checks of vae_terms.c and vae_elbo.c (problem 3 of STATS
 * 305C HW6): the closed-form KL from (mu, log var) and the Bernoulli
 * log-likelihood (values on random and extreme inputs, backwards), and
 * elbo: the estimate against the reference's by a z-test of means (any
 * correct estimator passes), the mean over the batch (not the sum), the
 * gradient against central differences of the submission's own estimate
 * at one noise stream, and a short training run scored by the reference
 * (tasks_vae.c). */
#include <math.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "driver/evaluate.h"
#include "numcheck/stats.h"
#include "stats305c-hw6/catalogue.h"
#include "driver/stat_checks.h"

static void eval_kl_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "kl_gaussian_logvar: KL(q || N(0, I)) per row");
}

static void eval_kl_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "kl_gaussian_logvar_backward");
}

static void eval_bern_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "bernoulli_log_likelihood: log p(x | logits) per row");
}

static void eval_bern_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "bernoulli_log_likelihood_backward");
}

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
    cJSON *doc = chk_thresholds(root, "stats305c-hw6", why, cap);
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

const check_def_t s305_checks_vae[] = {
    {
        .id = "3.1-kl-values",
        .title = "kl_gaussian_logvar: values on random and extreme (mu, log var)",
        .file = "vae_terms.c",
        .functions = "kl_gaussian_logvar",
        .task = "kl_gaussian_logvar.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_kl_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "1/2 sum (exp(lv) + mu^2 - 1 - lv) per row against the reference, half "
            "the points per input set: random (B = 6, Z = 3: zdim is an argument; "
            "mu in [-3, 3], log var in [-4, 2]) and extreme (B = 8, Z = 2; rows "
            "with log var in [-60, -30], in [30, 60], mu from 1e3 to 1e100, and "
            "ordinary ones). Bound 1e-9 + 1e-9 |expected|. Mistakes: log var "
            "taken as log sd (exp(2 lv)), the 1/2 left out, a sum over the batch.",
    },
    {
        .id = "3.2-kl-backward",
        .title = "kl_gaussian_logvar_backward: the gradient in mu and log var",
        .file = "vae_terms.c",
        .functions = "kl_gaussian_logvar_backward",
        .task = "kl_gaussian_logvar.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_kl_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "B = 4, Z = 3, mu in [-3, 3], log var in [-3, 2], a random "
                   "upstream gradient per row. " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "3.3-bernoulli-values",
        .title = "bernoulli_log_likelihood: values, logits of O(1) and of +-1e3",
        .file = "vae_terms.c",
        .functions = "bernoulli_log_likelihood",
        .task = "bernoulli_log_likelihood.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_bern_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "The Bernoulli log-mass of x summed over D = 40 pixels (d is an "
            "argument), per row, against the reference: random (B = 5, logits "
            "N(0, 3^2)) and extreme (B = 8; rows of logits +-1e3, rows of +-40, "
            "ordinary rows), x random 0s and 1s. log(sigmoid(l)) of a rounded "
            "sigmoid is -inf or 0 at such logits; x l - softplus(l) (prob.h) is "
            "exact. Bound 1e-9 + 1e-9 |expected|.",
    },
    {
        .id = "3.4-bernoulli-backward",
        .title = "bernoulli_log_likelihood_backward: the gradient in the logits",
        .file = "vae_terms.c",
        .functions = "bernoulli_log_likelihood_backward",
        .task = "bernoulli_log_likelihood.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_bern_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "B = 4, D = 12, logits N(0, 3^2), x random 0s and 1s, a random "
                   "upstream gradient per row. " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "3.5-elbo-monte-carlo",
        .title = "elbo: the estimate agrees with the reference's in the mean",
        .file = "vae_elbo.c",
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
            "(0) is hundreds of standard errors off; a sum over the batch 10 times "
            "the value; log var used as log sd in the KL, or z drawn with sd "
            "exp(lv) instead of exp(lv / 2), many standard errors. The model's "
            "log-variance biases are set to -4 (q's sd ~0.14, as trained), where "
            "those mistakes show.",
    },
    {
        .id = "3.6-elbo-batch-mean",
        .title = "elbo: the mean over the batch, not the sum",
        .file = "vae_elbo.c",
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
            "pixels, about -548 at the initial model: a constant 0 has no batch "
            "mean to check). False-fail rate "
            "P(|Z| > 5) = 5.7e-7 per seed (normal approximation of the means).",
    },
    {
        .id = "3.7-elbo-gradient",
        .title = "elbo: the gradient of the estimate by finite differences",
        .file = "vae_elbo.c",
        .functions = "elbo",
        .task = "elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_grad,
        .params = { { "digits", 4, 1, 20, 1, "test digits per call" },
                    { "coords", 24, 2, 32, 1, "parameters checked (half the encoder's)" },
                    { "fd_step", 1e-6, 1e-9, 1e-2, 1, "central-difference step" },
                    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" },
                    { "fd_abs_tol", 1e-6, 0, 1, 0, "absolute bound" } },
        .explain =
            "elbo(x, B = 4, backward = 1) from zeroed gradients, read at 24 "
            "parameters drawn from the seed (12 of the encoder's last layer, whose "
            "every weight moves mu or log var, 12 of the decoder's last layer), "
            "against central differences (step 1e-6) of your own elbo(backward = "
            "0) with the SAME "
            "noise stream reseeded for every call: a reparameterised estimate is "
            "a smooth function of the parameters once its draws are fixed, in "
            "whatever order you draw them, so any correct estimator passes. Bound "
            "1e-6 + 1e-5 |numeric|: the estimate is ~550 in float64, rounding "
            "~1e-16 x 550 x sqrt(784 x 512) / 1e-6 = 4e-5 at worst, usually ~1e-8 "
            "(the same sums in the same order cancel); truncation h^2 f''' / 6 ~ "
            "1e-12. The decoder's ReLUs are kinks: no coordinate lies after one "
            "but the encoder's, whose step moves z by ~1e-7 and the decoder's "
            "first layer's 4 x 256 pre-activations by ~1e-7; one lies within that "
            "of 0 with probability ~1e-4 per coordinate, so ~1e-3 per seed for "
            "the 12 (an upper estimate: a crossing that near the end of the step "
            "changes a difference by less than the bound). Measured (the check "
            "prints its closest coordinate): the reference at 5% to 8% of the "
            "bound (6e-8 to 9e-8 absolute, seeds 305, 1, 2). Deterministic "
            "given the seed. "
            "A gradient missing the path through z = mu + exp(lv / 2) eps (z not "
            "reparameterised) is off by O(1); an estimate that "
            "does not move with the parameters (every difference under 1e-8) "
            "fails: nothing computed gets nothing.",
    },
    {
        .id = "3.8-elbo-short-run",
        .title = "elbo: a short training run, scored by the reference",
        .file = "vae_elbo.c",
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
            "200 Adam steps (lr 3e-4 and PyTorch's betas, the course notebook's) "
            "on minibatches of 64 (the course's) of the first 10,000 training "
            "digits (binarised at 0.5, a fresh permutation each epoch), "
            "ascending YOUR elbo (backward = 1). The trained weights go to "
            "runner-ref, whose own elbo scores them: the test ELBO on the first "
            "1,000 test digits of t10k (one sample each, a fixed stream). Pass: "
            "at least the one-sided prediction bound mean - t_{19, 1 - 1e-3} sd "
            "sqrt(1 + 1/20) of the reference trained and scored the same way "
            "over 20 seeds (-188.3 +- 1.6: fixtures/stats305c-hw6/thresholds.json, "
            "`make fixtures-thresholds-stats305c-hw6`): a new run of the "
            "reference falls under it with probability 1e-3 when the runs' "
            "scores are normal. An elbo that returns a constant leaves the "
            "weights where they started (test ELBO about -545, far under); a "
            "gradient missing the path through z diverges. A sum over the batch "
            "trains alike (Adam does not see the gradient's scale): 3.5 and 3.6 "
            "catch it.",
    },
};
const size_t n_s305_checks_vae = sizeof s305_checks_vae / sizeof s305_checks_vae[0];
