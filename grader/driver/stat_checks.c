/* stat_checks.c: the statistical and finite-difference evaluations that
 * the catalogues of sta414-a3, cse599i-hw2 and stats305c-hw6 share
 * (stat_checks.h). */
#include "driver/stat_checks.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "driver/evaluate.h"
#include "numcheck/compare.h"
#include "numcheck/stats.h"

/* The index of the first non-finite value of a (n), or n. */
static size_t first_nonfinite(const double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(a[i]))
            return i;
    return n;
}

void chk_eval_mc(verdict_t *v, const case_data_t *cd, const char *what,
                  int variance_test)
{
    const proto_array_t *r = eval_array(v, cd->ref, "values", "reference", 0);
    const proto_array_t *s = r ? eval_array(v, cd->sub, "values", "submission", 0) : NULL;
    if (!s)
        return;
    size_t bad = first_nonfinite(s->data, s->n);
    if (bad < s->n) {
        verdict_set(v, OUTCOME_NAN, 0, "%s: call %zu of %zu returned %s", what,
                    bad + 1, s->n, eval_nonfinite_word(s->data[bad]));
        return;
    }
    double ms, ss, mr, sr;
    stats_mean_sd(s->data, s->n, &ms, &ss);
    stats_mean_sd(r->data, r->n, &mr, &sr);
    double se = sqrt(ss * ss / (double)s->n + sr * sr / (double)r->n);
    double zb = case_param(cd, "z_bound");
    double z = se > 0 ? fabs(ms - mr) / se : (ms == mr ? 0 : INFINITY);
    if (!(z <= zb)) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s: your mean over %zu calls is %.6g "
                    "(sd %.3g); the reference's over %zu calls is %.6g (sd %.3g): "
                    "%.1f standard errors apart, more than the bound %g. Both "
                    "estimate the same expectation when yours is correct.",
                    what, s->n, ms, ss, r->n, mr, sr, z, zb);
        if (fabs(mr) > 0 && fabs(ms / mr - 1) < 0.02 && z > zb)
            verdict_append(v, "\nHint: the means differ by under 2%%: a term "
                           "missing or a constant off?");
        return;
    }
    if (variance_test && sr > 0) {
        double f = ss * ss / (sr * sr);
        double p = stats_f_tail_upper(f, (double)s->n - 1, (double)r->n - 1);
        double alpha = case_param(cd, "var_alpha");
        if (p < alpha) {
            verdict_set(v, OUTCOME_FAILED, 0, "%s: the mean agrees (%.6g against "
                        "%.6g, %.1f standard errors) but your estimates vary %.2g "
                        "times as much as the reference's (variance ratio, "
                        "P(F > f) = %.2g < %g): are all K samples averaged?",
                        what, ms, mr, z, f, p, alpha);
            return;
        }
    }
    verdict_set(v, OUTCOME_PASSED, 1, "%s: mean %.6g over %zu calls against the "
                "reference's %.6g over %zu: %.2f standard errors apart (bound %g)",
                what, ms, s->n, mr, r->n, z, zb);
}

void chk_eval_fd(verdict_t *v, const case_data_t *cd, const char *what)
{
    const proto_array_t *a = eval_array(v, cd->sub, "analytic", "submission", 0);
    const proto_array_t *n = a ? eval_array(v, cd->sub, "numeric", "submission", a->n) : NULL;
    if (!n)
        return;
    size_t bad = first_nonfinite(n->data, n->n);
    if (bad < n->n) {
        verdict_set(v, OUTCOME_NAN, 0, "%s: the estimate itself is %s near "
                    "coordinate %zu (central differences of your forward)",
                    what, eval_nonfinite_word(n->data[bad]), bad);
        return;
    }
    double big = 0;
    for (size_t i = 0; i < n->n; i++)
        big = fmax(big, fabs(n->data[i]));
    if (big < 1e-8) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s: your estimate does not change when "
                    "the parameters move (every central difference under 1e-8), so "
                    "there is no gradient to check: is the forward computed?", what);
        return;
    }
    cmp_bound_t b = { case_param(cd, "fd_abs_tol"), case_param(cd, "fd_rel_tol") };
    eval_compare(v, cd, what, n->data, a->data, n->n, b, 0);
}

void chk_more_mc(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound"), p = stats_normal_tail2(zb);
    snprintf(buf, cap, "With this profile: the two means beyond %g standard errors "
             "with probability %.2e per seed (normal approximation of means of "
             "%g and more i.i.d. calls), %.2e over the %zu seeds.", zb, p,
             conf_param(c, "repeats"), p * (double)c->n_seeds, c->n_seeds);
}

void chk_more_mc_var(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound"), p = stats_normal_tail2(zb);
    double a = conf_param(c, "var_alpha");
    snprintf(buf, cap, "With this profile: the mean test fails a correct estimator "
             "with probability %.2e, the variance test with %.2e (the reference's "
             "own estimator; a correct one of lower variance never), <= %.2e per "
             "seed, %.2e over the %zu seeds.", p, a, p + a,
             (p + a) * (double)c->n_seeds, c->n_seeds);
}

struct cJSON *chk_thresholds(const char *root, const char *assignment,
                             char *why, size_t cap)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/fixtures/%s/thresholds.json",
             root ? root : ".", assignment);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, cap, "cannot open %s (make fixtures-thresholds-%s "
                 "makes it)", path, assignment);
        return NULL;
    }
    char *text = malloc(1 << 16);
    size_t n = text ? fread(text, 1, (1 << 16) - 1, f) : 0;
    fclose(f);
    if (!text) {
        snprintf(why, cap, "no memory to read %s", path);
        return NULL;
    }
    text[n] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        snprintf(why, cap, "%s is not JSON", path);
    return doc;
}

double chk_lower_bound(double mean, double sd, double n, double alpha)
{
    double t = stats_t_quantile(1.0 - alpha, n - 1.0);
    return mean - t * sd * sqrt(1.0 + 1.0 / n);
}
