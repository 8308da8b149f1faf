/* checks_short_run.c: how a short training run is judged: the bound's own
 * nelbo on the weights it trained against the reference bound's there
 * (tracking), then the test NELBO (ssvae: accuracy and NELBO) that
 * runner-ref measured on those weights, against the prediction bounds from
 * thresholds.json. The catalogue entries live in checks_models.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs236-hw2/checks_models.h"
#include "driver/hints.h"
#include "driver/profile.h"
#include "numcheck/stats.h"
#include "driver/thresholds.h"
#include "vg_error.h"

/* ---- short runs ------------------------------------------------------------------ */

/* The metrics a short run of model k is judged on (its thresholds.json
 * entries), in metrics; returns how many. ssvae: the accuracy, the
 * assignment's figure of merit, and the NELBO, which is what the bound
 * adds (the labelled loss alone trains the classifier to about the same
 * accuracy in 200 steps); the others: the NELBO. */
static size_t short_metrics(const kind_info_t *k, const char *metrics[2])
{
    int ssvae = !strcmp(k->name, "ssvae");
    metrics[0] = ssvae ? "accuracy" : "nelbo";
    metrics[1] = "nelbo";
    return ssvae ? 2 : 1;
}

/* The bound's own values on the trained weights against the reference
 * bound's on the same weights (independent noise): 1 when they agree
 * within z s_ref sqrt(1/R + 1/R_ref) + 1e-9 + 1e-5 |expected| (as the
 * value checks; Student's t with R_ref - 1 degrees of freedom). */
static int tracks(verdict_t *v, const case_data_t *cd, const kind_info_t *k)
{
    const proto_array_t *g = eval_array(v, cd->sub, "track_nelbo", "submission", 0);
    const proto_array_t *e = g ? eval_array(v, cd->ref, "track_nelbo", "reference", 0) : NULL;
    if (!e)
        return -1;
    double z = case_param(cd, "track_z"), ms, ss, mr, sr;
    stats_mean_sd(g->data, g->n, &ms, &ss);
    stats_mean_sd(e->data, e->n, &mr, &sr);
    mc_term_t t;
    mc_term(&t, "your bound's nelbo on your trained weights", ms, ss,
            (double)g->n, mr, sr, (double)e->n, z, 1e-9, 1e-5);
    if (t.ok)
        return 1;
    verdict_set(v, t.finite ? OUTCOME_FAILED : OUTCOME_NAN, 0, "After training, "
                "your %s, called on your trained weights and the test subset "
                "(%zu calls, fresh noise), reports nelbo %.6g on average; the "
                "reference bound on the same weights gives %.6g (sd %.3g over "
                "%zu calls): |diff| %.3g > %.3g. A short run scores only when "
                "the bound that trained the model reports that bound's value "
                "(a bound reporting 0 or a constant while its backward trains "
                "the model must not pass); the value checks of this file say "
                "what is wrong with the values. Failed.", k->bound, g->n, ms, mr, sr, e->n,
                fabs(ms - mr), t.tol + 1e-5 * fabs(mr));
    return 0;
}

/* One metric against its prediction bound: 1, partial_score or 0, with
 * its sentence appended. */
static double judge(verdict_t *v, const case_data_t *cd, const short_stats_t *st,
                    double x, const char *what)
{
    double alpha = case_param(cd, "alpha"), ps = case_param(cd, "partial_score");
    short_bounds_t b = thresholds_bounds(st, alpha, case_param(cd, "partial_factor"));
    int pass = st->lower_is_better ? x <= b.pass : x >= b.pass;
    int part = st->lower_is_better ? x <= b.partial : x >= b.partial;
    const char *cmp = st->lower_is_better ? "<=" : ">=";
    verdict_append(v, "\n%s: %.4g. The reference's own runs over %.0f seeds: "
                   "mean %.4g, sd %.3g, worst %.4g. Full marks %s %.4g (the "
                   "one-sided %.0e prediction bound mean %s t_%.0f(%.6g) x sd x "
                   "sqrt(1 + 1/%.0f), which a correct run misses with "
                   "probability %.0e if the runs' values are normal); %.0f%% of "
                   "the points %s %.4g (%g x that margin).  %s", what, x, st->n,
                   st->mean, st->std, st->worst, cmp, b.pass, alpha,
                   st->lower_is_better ? "+" : "-", st->n - 1, b.t, st->n,
                   alpha, 100 * ps, cmp, b.partial,
                   case_param(cd, "partial_factor"),
                   pass ? "ok" : part ? "PARTIAL" : "WRONG");
    return pass ? 1 : part ? ps : 0;
}

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
    const char *metrics[2];
    size_t n_metrics = short_metrics(k, metrics);
    int ssvae = n_metrics == 2;
    short_stats_t st[2];
    for (size_t m = 0; m < n_metrics; m++) {
        if (thresholds_get(&st[m], path, k->name, metrics[m]) != VG_OK) {
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", vg_error_last());
            return;
        }
        if (st[m].iters != it->data[0]) {
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: the run took %.0f "
                        "steps but %s's thresholds are for %.0f: the profile's "
                        "\"iters\" must be 0 (the file's) or the same",
                        it->data[0], path, st[m].iters);
            return;
        }
    }
    if (tracks(v, cd, k) <= 0)
        return;
    double x[2], score = 1;
    for (size_t m = 0; m < n_metrics; m++) {
        const proto_array_t *val = eval_array(v, cd->ref, metrics[m], "reference", 1);
        if (!val)
            return;
        x[m] = val->data[0];
    }
    verdict_set(v, OUTCOME_PASSED, 1, "Trained %.0f steps from seed %llu with "
                "your %s (batch 100, Adam 1e-3, as CS236); your bound's own "
                "nelbo on the trained weights agrees with the reference "
                "bound's. The reference then measured:", st[0].iters,
                (unsigned long long)cd->seed, k->bound);
    int nonfinite = 0;
    for (size_t m = 0; m < n_metrics; m++) {
        double s_m = judge(v, cd, &st[m], x[m], !strcmp(metrics[m], "accuracy")
                           ? "the classifier's accuracy on the 1000 test digits"
                           : "your model's test NELBO (the reference bound, 100 "
                             "repeats, on the test subset)");
        score = s_m < score ? s_m : score;
        nonfinite |= !isfinite(x[m]);
    }
    v->score = score;
    v->outcome = score == 1 ? OUTCOME_PASSED : score > 0 ? OUTCOME_PARTIAL
               : nonfinite ? OUTCOME_NAN : OUTCOME_FAILED;
    verdict_append(v, "\n%s", score == 1 ? "Passed." : score > 0
                   ? "Partial credit." : "Failed.");
    if (score < 1 && !ssvae)
        verdict_append(v, "\nHint: the value and gradient checks of this file say "
                       "where the bound or its backward goes wrong; a bound "
                       "whose gradient is wrong trains to a worse model.");
    if (score < 1 && ssvae)
        verdict_append(v, "\nHint: the encoder and decoder learn from the "
                       "bound's gradient (a NELBO far above the reference's says "
                       "they did not), the classifier from kl_y and the "
                       "q(y|x)-weighted terms: check 4.4.");
}

void more_short(const check_conf_t *c, const char *root, char *buf,
                size_t cap)
{
    const kind_info_t *k = kind_of(c->def);
    const char *metrics[2];
    size_t n_metrics = short_metrics(k, metrics);
    double alpha = c->params[1], factor = c->params[2];
    double tr = c->params[5], tz = c->params[6];
    double track_rate = stats_t_tail2(tz, tr - 1);
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/%sthresholds.json", root ? root : ".",
             c->visibility == VIS_HIDDEN ? "hidden/" : "");
    size_t len = (size_t)snprintf(buf, cap, "With this profile and %s: the "
        "tracking part fails a correct bound with probability P(|t_%.0f| > %g) "
        "= %.2e.", path, tr - 1, tz, track_rate);
    for (size_t m = 0; m < n_metrics && len < cap; m++) {
        short_stats_t st;
        if (thresholds_get(&st, path, k->name, metrics[m]) != VG_OK) {
            snprintf(buf + len, cap - len, " The %s thresholds cannot be read: "
                     "%s", metrics[m], vg_error_last());
            return;
        }
        short_bounds_t b = thresholds_bounds(&st, alpha, factor);
        const char *cmp = st.lower_is_better ? "<=" : ">=";
        len += (size_t)snprintf(buf + len, cap - len, " %.0f steps; the "
            "reference's %s over %.0f seeds has mean %.6g and sd %.4g (worst "
            "%.6g). Full marks on it when your run's %s %s %.6g (mean %s t sd "
            "sqrt(1 + 1/%.0f), t = %.4f the 1 - alpha quantile of Student's t "
            "with %.0f degrees of freedom), which a correct run misses with "
            "probability %.1e per seed under normality; %.0f%% of the points "
            "when %s %.6g.", st.iters, metrics[m], st.n, st.mean, st.std,
            st.worst, metrics[m], cmp, b.pass, st.lower_is_better ? "+" : "-",
            st.n, b.t, st.n - 1, alpha, 100 * c->params[3], cmp, b.partial);
    }
    if (len < cap)
        snprintf(buf + len, cap - len, " In all <= %.2e per seed.",
                 track_rate + (double)n_metrics * alpha);
}
