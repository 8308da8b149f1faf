/* checks_short_run.c: how a short training run is judged: the test NELBO
 * (ssvae: accuracy) that runner-ref measured on the submission's trained
 * weights, against the prediction bound from thresholds.json. The
 * catalogue entries live in checks_models.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks_models.h"
#include "hints.h"
#include "profile.h"
#include "numcheck/stats.h"
#include "thresholds.h"
#include "vg_error.h"

/* ---- short runs ------------------------------------------------------------------ */

void eval_short_run(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const proto_array_t *fs = eval_array(v, cd->sub, "failed_step", "submission", 1);
    const proto_array_t *it = fs ? eval_array(v, cd->sub, "iters", "submission", 1) : NULL;
    if (!it)
        return;
    if (fs->data[0] >= 0) {
        verdict_set(v, OUTCOME_NAN, 0, "Training with your %s stopped at step "
                    "%.0f of %.0f: the loss or its gradient is not finite (a NaN "
                    "or Inf in the bound or its backward), so there is no model "
                    "to evaluate.", k->bound, fs->data[0], it->data[0]);
        return;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/%sthresholds.json",
             cd->root ? cd->root : ".", cd->hidden ? "hidden/" : "");
    short_stats_t st;
    if (thresholds_get(&st, path, k->name,
                       strcmp(k->name, "ssvae") ? "nelbo" : "accuracy") != VG_OK) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", vg_error_last());
        return;
    }
    if (st.iters != it->data[0]) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the run took %.0f steps "
                    "but %s's thresholds are for %.0f: the profile's \"iters\" "
                    "must be 0 (the file's) or the same", it->data[0], path,
                    st.iters);
        return;
    }
    int acc = strcmp(st.metric, "accuracy") == 0;
    const proto_array_t *val = eval_array(v, cd->ref, acc ? "accuracy" : "nelbo",
                                          "reference", 1);
    if (!val)
        return;
    double alpha = case_param(cd, "alpha");
    short_bounds_t b = thresholds_bounds(&st, alpha, case_param(cd, "partial_factor"));
    double x = val->data[0];
    int pass = st.lower_is_better ? x <= b.pass : x >= b.pass;
    int part = st.lower_is_better ? x <= b.partial : x >= b.partial;
    const char *cmp = st.lower_is_better ? "<=" : ">=";
    double ps = case_param(cd, "partial_score");
    verdict_set(v, pass ? OUTCOME_PASSED : part ? OUTCOME_PARTIAL
                : isfinite(x) ? OUTCOME_FAILED : OUTCOME_NAN,
                pass ? 1 : part ? ps : 0,
                "Trained %.0f steps from seed %llu with your %s (batch 100, "
                "Adam 1e-3, as CS236); the reference then measured %s: %.4g. "
                "The reference's own runs over %.0f seeds: mean %.4g, sd %.3g, "
                "worst %.4g. Full marks %s %.4g (the one-sided %.0e prediction "
                "bound mean %s t_%.0f(%.6g) x sd x sqrt(1 + 1/%.0f), which a "
                "correct run misses with probability %.0e if the runs' values "
                "are normal); %.0f%% of the points %s %.4g (%g x that margin). %s",
                st.iters, (unsigned long long)cd->seed, k->bound,
                acc ? "the classifier's accuracy on the 1000 test digits"
                    : "your model's test NELBO (the reference bound, 100 repeats, "
                      "on the test subset)", x, st.n, st.mean, st.std, st.worst,
                cmp, b.pass, alpha, st.lower_is_better ? "+" : "-", st.n - 1,
                b.t, st.n, alpha, 100 * ps, cmp, b.partial,
                case_param(cd, "partial_factor"),
                pass ? "Passed." : part ? "Partial credit." : "Failed.");
    if (!pass && !acc)
        verdict_append(v, "\nHint: the value and gradient checks of this file say "
                       "where the bound or its backward goes wrong; a bound "
                       "whose gradient is wrong trains to a worse model.");
    if (!pass && acc)
        verdict_append(v, "\nHint: the classifier learns from kl_y and from the "
                       "q(y|x)-weighted terms of the bound: check that their "
                       "gradient reaches the classifier (check 4.4).");
}

void more_short(const check_conf_t *c, const char *root, char *buf,
                       size_t cap)
{
    const kind_info_t *k = kind_of(c->def);
    const char *metric = strcmp(k->name, "ssvae") ? "nelbo" : "accuracy";
    double alpha = c->params[1], factor = c->params[2];
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/thresholds.json", root ? root : ".");
    short_stats_t st;
    if (thresholds_get(&st, path, k->name, metric) != VG_OK) {
        snprintf(buf, cap, "With this profile: alpha = %.1e; the thresholds "
                 "cannot be read: %s", alpha, vg_error_last());
        return;
    }
    short_bounds_t b = thresholds_bounds(&st, alpha, factor);
    const char *cmp = st.lower_is_better ? "<=" : ">=";
    snprintf(buf, cap, "With this profile and %s: %.0f steps; the reference's "
             "%s over %.0f seeds has mean %.6g and sd %.4g (worst %.6g). Full "
             "marks when your run's %s %s %.6g (mean %s t sd sqrt(1 + 1/%.0f), "
             "t = %.4f the 1 - alpha quantile of Student's t with %.0f degrees "
             "of freedom), which a correct run misses with probability %.1e "
             "per seed under normality; %.0f%% of the points when %s %.6g.",
             path, st.iters, metric, st.n, st.mean, st.std, st.worst, metric,
             cmp, b.pass, st.lower_is_better ? "+" : "-", st.n, b.t, st.n - 1,
             alpha, 100 * c->params[3], cmp, b.partial);
}
