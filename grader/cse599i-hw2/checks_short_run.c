/* checks_short_run.c: the check 4.8, the IAF VAE's short training run with
 * the submission's iaf_elbo, scored by runner-ref (the reference's test
 * ELBO and importance-sampled log p(x) of the weights it trained) against
 * the reference's own spread over seeds (fixtures/cse599i-hw2/
 * thresholds.json, `make fixtures-thresholds-cse599i-hw2`). Runner side:
 * tasks_short_run.c, short_run.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "driver/evaluate.h"
#include "cse599i-hw2/catalogue.h"
#include "driver/stat_checks.h"

typedef struct spread {
    double seeds, iters, elbo_mean, elbo_sd, is_mean, is_sd;
} spread_t;

static double num(const cJSON *o, const char *k, int *ok)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    *ok &= cJSON_IsNumber(x);
    return cJSON_IsNumber(x) ? x->valuedouble : NAN;
}

/* thresholds.json's short_run under root; 0, or -1 with the reason. */
static int spread_load(spread_t *s, const char *root, char *why, size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/cse599i-hw2/thresholds.json",
             root ? root : ".");
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, cap, "cannot open %s (make fixtures-thresholds-cse599i-hw2 "
                 "makes it)", path);
        return -1;
    }
    char *text = malloc(1 << 16);
    size_t n = text ? fread(text, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (!text) {
        snprintf(why, cap, "no memory to read %s", path);
        return -1;
    }
    text[n] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "short_run");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "test_elbo");
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(r, "test_is");
    int ok = 1;
    *s = (spread_t){ num(r, "seeds", &ok), num(r, "iters", &ok), num(e, "mean", &ok),
                     num(e, "sd", &ok), num(i, "mean", &ok), num(i, "sd", &ok) };
    cJSON_Delete(doc);
    if (!ok)
        snprintf(why, cap, "%s: no short_run.seeds, iters, test_elbo.mean/sd, "
                 "test_is.mean/sd", path);
    return ok ? 0 : -1;
}

static void eval_short_run(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *e = eval_array(v, cd->ref, "test_elbo", "reference", 1);
    const proto_array_t *i = e ? eval_array(v, cd->ref, "test_is", "reference", 1) : NULL;
    if (!i)
        return;
    spread_t s;
    char why[4400];
    if (spread_load(&s, cd->root, why, sizeof why)) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", why);
        return;
    }
    if (case_param(cd, "iters") != s.iters) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the profile's run of %g "
                    "steps has no thresholds (thresholds.json's are for %g)",
                    case_param(cd, "iters"), s.iters);
        return;
    }
    double a = case_param(cd, "alpha");
    double be = chk_lower_bound(s.elbo_mean, s.elbo_sd, s.seeds, a);
    double bi = chk_lower_bound(s.is_mean, s.is_sd, s.seeds, a);
    double ge = e->data[0], gi = i->data[0];
    int ok = isfinite(ge) && isfinite(gi) && ge >= be && gi >= bi;
    verdict_set(v, ok ? OUTCOME_PASSED : OUTCOME_FAILED, ok, "after %g Adam steps "
                "with your iaf_elbo, the reference scores the model and flow you "
                "trained: test ELBO %.3f (bound %.3f; the reference's own runs "
                "%.3f +- %.3f over %g seeds) and importance-sampled log p(x) %.3f "
                "(bound %.3f; %.3f +- %.3f)%s", s.iters, ge, be, s.elbo_mean,
                s.elbo_sd, s.seeds, gi, bi, s.is_mean, s.is_sd, ok ? "" :
                ": training with your estimate's gradient does not learn as the "
                "course's does");
}

static void more_short_run(const check_conf_t *c, const char *root, char *buf,
                           size_t cap)
{
    spread_t s;
    char why[4400];
    if (spread_load(&s, root, why, sizeof why)) {
        snprintf(buf, cap, "(%s)", why);
        return;
    }
    double a = conf_param(c, "alpha");
    snprintf(buf, cap, "With this profile: test ELBO at least %.3f (the "
             "reference's %.3f +- %.3f over %g seeds), log p(x) at least %.3f "
             "(%.3f +- %.3f); false-fail rate at most 2 x %g = %g per seed, %g "
             "over the %zu seeds.", chk_lower_bound(s.elbo_mean, s.elbo_sd, s.seeds, a),
             s.elbo_mean, s.elbo_sd, s.seeds,
             chk_lower_bound(s.is_mean, s.is_sd, s.seeds, a), s.is_mean, s.is_sd,
             a, 2 * a, 2 * a * (double)c->n_seeds, c->n_seeds);
}

const check_def_t cse_checks_short_run[] = {
    {
        .id = "4.8-iaf-short-run",
        .title = "iaf_elbo: a short training run of the IAF VAE, scored by the reference",
        .file = "flow.c",
        .functions = "iaf_elbo",
        .task = "iaf_elbo.short_run",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_short_run,
        .explain_more = more_short_run,
        .ref_inputs = { "params", "flow_params", NULL },
        .params = { { "iters", 200, 1, 1000000, 1, "Adam steps (thresholds.json's)" },
                    { "alpha", 1e-3, 1e-9, 0.5, 0, "false-fail rate of each bound" } },
        .explain =
            "The course's model and 8-step flow (float32, initialised from the "
            "seed) trained for 200 Adam steps (lr 1e-3, the course's) on "
            "minibatches of 100 of the first 10,000 training digits (binarised "
            "at 128, a fresh permutation each epoch), ascending YOUR iaf_elbo "
            "(backward = 1) in both parameter blocks. The trained weights go to "
            "runner-ref, whose own iaf_elbo and iaf_sample score them: the test "
            "ELBO on the first 1000 test digits and log (1/K) sum p(x|z) r(z) / "
            "q_T(z|x), z ~ q_T, K = 100, on the first 100 (fixed streams). "
            "Pass: each at least its one-sided prediction bound mean - t_{19, 1 "
            "- 1e-3} sd sqrt(1 + 1/20) from the reference trained and scored "
            "the same way over 20 seeds (fixtures/cse599i-hw2/thresholds.json, "
            "`make fixtures-thresholds-cse599i-hw2`): a new run of the "
            "reference falls under either with probability 1e-3 when the runs' "
            "scores are normal, 2e-3 for the two. An iaf_elbo that returns a "
            "constant leaves the weights where they started; a gradient that "
            "misses the flow or the log-determinants learns less.",
    },
};
const size_t n_cse_checks_short_run =
    sizeof cse_checks_short_run / sizeof cse_checks_short_run[0];
