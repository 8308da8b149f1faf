/* checks_elbo.c: how the ELBO checks of every model judge a run: the value
 * on a pretrained model within Monte Carlo tolerance (also on an odd
 * batch), nelbo = the sum of its terms, the whole-bound gradient against
 * central differences of the submission's own bound, and the backward
 * contract. The catalogue entries live in checks_models.c. */
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

static const char *const part_names[] = {
    "encoder", "decoder", "classifier", "mixture prior",
};
static const char *const part_calls[] = {
    "encoder_backward(model, dqm, dqv)",
    "decoder_backward(model, dz, dlogits)",
    "classifier_backward(model, dylogits) (after log_softmax_backward)",
    "prior_backward(model, draw) (after gaussian_parameters_backward)",
};

/* ---- 1.9 and kin: the value of the bound ------------------------------------ */

/* Named mistakes, from the means alone: each candidate is what the
 * submission's nelbo (or term) would be under that mistake, with a
 * tolerance scaled like the candidate. */
static void value_hints(verdict_t *v, const kind_info_t *k, const mc_term_t *t,
                        double batch)
{
    const mc_term_t *nelbo = &t[0];
    double kl = 0, rec = t[k->n_terms].mean_ref;
    for (size_t i = 0; i + 1 < k->n_terms; i++)
        kl += t[1 + i].mean_ref;
    double got = nelbo->mean_sub, tol = 2 * nelbo->tol + 1e-6 * fabs(nelbo->mean_ref);
    struct { double value, scale; const char *text; } c[] = {
        { batch * nelbo->mean_ref, batch, "your nelbo is the batch size times "
          "the expected one: a sum over the batch where the mean was due "
          "(divide by B, here the number of rows passed)" },
        { -nelbo->mean_ref, 1, "your nelbo is minus the expected one: the sign "
          "is flipped (the NEGATIVE ELBO is positive, about -log p(x))" },
        { rec, 1, "your nelbo matches the reconstruction term alone: the KL "
          "term is missing from it" },
        { rec + 2 * kl, 1, "your nelbo matches rec + 2 x KL: the KL is "
          "counted twice" },
        { kl - rec, 1, "your nelbo matches KL - rec: the reconstruction term "
          "lost its minus (rec = -E log p(x|z), a positive number)" },
        { nelbo->mean_ref * batch / 100.0, 1, "your nelbo matches the sum over "
          "the rows divided by 100: divide by the batch size passed, not by a "
          "fixed 100" },
    };
    /* A candidate names a mistake only when nelbo itself is wrong and the
     * mistake's value is told apart from the right one (farther from it
     * than twice the window), so a right nelbo never reads as "KL
     * missing". */
    for (size_t i = 0; !nelbo->ok && i < sizeof c / sizeof c[0]; i++) {
        if (i == 5 && batch == 100)
            continue;
        if (fabs(c[i].value - nelbo->mean_ref) <= 2 * c[i].scale * tol)
            continue;
        if (fabs(got - c[i].value) <= c[i].scale * tol) {
            verdict_append(v, "\nHint: %s.", c[i].text);
            return;
        }
    }
    const mc_term_t *r = &t[k->n_terms];
    if (!r->ok && fabs(r->mean_sub + r->mean_ref) <= 2 * r->tol)
        verdict_append(v, "\nHint: your rec is minus the expected one: rec is "
                       "-E log p(x|z) (minus the log-likelihood), a positive "
                       "number.");
}

/* Spread of a noisy term above this fraction of its size is noise, not
 * rounding: equally correct codes differ by float32 rounding (~1e-7
 * relative, and only when a buffer's alignment changes between calls),
 * while a sampled KL over 100 digits spreads by ~1e-2 of its size. */
#define SPREAD_NOT_ROUNDING 1e-4

/* The per-call spread part: your calls' variance against the reference's
 * (Fisher's F with R - 1 and R_ref - 1 degrees of freedom, two-sided):
 * noise reused across rows or labels, or no noise at all, changes the
 * spread of a per-call mean without moving the mean. 1 when it passes;
 * *counted 0 when the reference's nelbo has no spread to compare with. */
static int spread_part(verdict_t *v, const mc_term_t *t, double n_sub,
                       double n_ref, double alpha, int *counted)
{
    *counted = t->sd_ref > 0;
    if (!*counted)
        return 1;
    double f = (t->sd_sub * t->sd_sub) / (t->sd_ref * t->sd_ref);
    double p = stats_f_p2(f, n_sub - 1, n_ref - 1);
    int ok = isfinite(f) && p >= alpha;
    verdict_append(v, "\n  spread of nelbo from call to call: yours %.3g, the "
                   "reference's %.3g (ratio of variances %.3g, two-sided "
                   "p = %.2g %s %g)  %s", t->sd_sub, t->sd_ref, f, p,
                   ok ? ">=" : "<", alpha, ok ? "ok" : "WRONG");
    if (!ok && isfinite(f))
        verdict_append(v, "\nHint: each call's value is a mean over the rows "
                       "with one fresh sample per row; %s.", f > 1
                       ? "a spread this much larger than the reference's comes "
                         "from noise shared by the rows (or the labels): every "
                         "row (and label) draws its own eps"
                       : "a spread this much smaller than the reference's means "
                         "less noise than one sample per row (z = m, or eps "
                         "averaged)");
    return ok;
}

void eval_value(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const char *names[4] = { "nelbo", k->terms[0], k->terms[1], k->terms[2] };
    size_t n_names = 1 + k->n_terms;
    double z = case_param(cd, "z"), fa = case_param(cd, "floor_abs");
    double fr = case_param(cd, "floor_rel"), digits = case_param(cd, "digits");
    double alpha = case_param(cd, "spread_alpha");
    mc_term_t t[4];
    size_t passed = 0, nonfinite = 0;
    const proto_array_t *ra = NULL;
    for (size_t i = 0; i < n_names; i++) {
        const proto_array_t *e = eval_array(v, cd->ref, names[i], "reference", 0);
        const proto_array_t *g = e ? eval_array(v, cd->sub, names[i], "submission", 0) : NULL;
        if (!g)
            return;
        ra = e;
        double ms, ss, mr, sr;
        stats_mean_sd(g->data, g->n, &ms, &ss);
        stats_mean_sd(e->data, e->n, &mr, &sr);
        char what[96];
        snprintf(what, sizeof what, "%s: mean %s", k->bound, names[i]);
        mc_term(&t[i], what, ms, ss, (double)g->n, mr, sr, (double)e->n, z, fa, fr);
        passed += t[i].ok;
        nonfinite += !t[i].finite;
    }
    size_t n_sub = cd->sub ? proto_find(cd->sub, "nelbo")->n : 0;
    double df = (double)ra->n - 1;
    verdict_set(v, OUTCOME_PASSED, 1,
                "%s on %.0f digits of the %stest subset%s: your mean over %zu "
                "repeats against the reference's over %zu (independent noise); "
                "tolerance %g x the reference's spread x sqrt(1/%zu + 1/%zu), "
                "plus %g + %g |expected| for terms without noise:",
                k->bound, digits, cd->hidden ? "hidden " : "",
                strcmp(k->name, "fsvae") ? " (pretrained model)"
                                         : " (seeded initialisation)",
                n_sub, ra->n, z, n_sub, ra->n, fa, fr);
    for (size_t i = 0; i < n_names; i++)
        verdict_append(v, "\n  %-6s expected %.8g (sd %.3g), got %.8g (sd %.3g): "
                       "|diff| %.3g %s %.3g  %s", names[i], t[i].mean_ref,
                       t[i].sd_ref, t[i].mean_sub, t[i].sd_sub,
                       fabs(t[i].mean_sub - t[i].mean_ref),
                       t[i].ok ? "<=" : ">", t[i].tol + fr * fabs(t[i].mean_ref),
                       t[i].ok ? "ok" : t[i].finite ? "WRONG" : "NOT FINITE");
    int counted = 0;
    size_t parts = n_names;
    if (!nonfinite) {
        passed += (size_t)spread_part(v, &t[0], (double)n_sub, (double)ra->n,
                                      alpha, &counted);
        parts += (size_t)counted;
    }
    double rate = (double)n_names * stats_t_tail2(z, df) + alpha;
    v->score = (double)passed / (double)parts;
    v->outcome = passed == parts ? OUTCOME_PASSED : nonfinite ? OUTCOME_NAN
               : passed ? OUTCOME_PARTIAL : OUTCOME_FAILED;
    verdict_append(v, "\n%zu of %zu parts right (the terms%s); a correct bound "
                   "fails this check with probability <= %zu x P(|t_%.0f| > %g) "
                   "+ %g = %.1e.", passed, parts, counted ? " and the spread" : "",
                   n_names, df, z, alpha, rate);
    if (passed == parts)
        return;
    if (nonfinite) {
        /* The runner repeats one call with the rows after the batch finite:
         * a NaN that goes away then came from reading past the batch. */
        const proto_array_t *probe = proto_find(cd->sub, "pad_probe_finite");
        if (digits < 100 && probe && probe->n == 1 && probe->data[0] == 1)
            verdict_append(v, "\nHint: the rows of x after row %.0f hold NaN "
                           "here, and with those rows finite your bound is "
                           "finite: the code read past the %.0f rows it was "
                           "given (loops must run to `batch`, not to a fixed "
                           "size).", digits - 1, digits);
        else
            verdict_append(v, "\nHint: your bound produced a NaN or Inf: look "
                           "for log(0), 0/0 or an unwritten term (terms are "
                           "NaN before the call).");
        return;
    }
    value_hints(v, k, t, digits);
    for (size_t i = 1; i < n_names; i++) {
        if (t[i].ok)
            continue;
        /* Only a spread well above rounding (SPREAD_NOT_ROUNDING) of a
         * term the reference computes without noise. */
        if (k->deterministic[i - 1] &&
            t[i].sd_ref <= 1e-12 * fabs(t[i].mean_ref) &&
            t[i].sd_sub > SPREAD_NOT_ROUNDING * fabs(t[i].mean_ref) + fa)
            verdict_append(v, "\nHint: your %s changes from repeat to repeat "
                           "(sd %.3g), while it has no noise in it: it is the "
                           "closed-form KL (kl_normal%s), not a sampled "
                           "estimate.", names[i], t[i].sd_sub,
                           strcmp(names[i], "kl_y") ? "" : ", kl_cat");
        const char *hint_names[2] = { "hint:kl_z_sum_y", "hint:kl_z_mean_y" };
        for (int h = 0; h < 2 && !strcmp(names[i], "kl_z"); h++) {
            const proto_array_t *a = proto_find(cd->ref, hint_names[h]);
            if (a && a->n == 1 && fabs(t[i].mean_sub - a->data[0]) <= t[i].tol +
                fr * fabs(a->data[0]))
                verdict_append(v, "\nHint: your kl_z matches %s: it is the "
                               "expectation over q(y|x), sum_y q(y|x) KL(q(z|x,y) "
                               "|| p(z)), weighted by the classifier's "
                               "probabilities.", h == 0 ? "sum_y KL(q(z|x,y) || "
                               "p(z)) with every label weighted 1"
                               : "the unweighted mean over the labels");
        }
    }
}

/* ---- nelbo = the sum of its terms ---------------------------------------------- */

void eval_terms_sum(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const proto_array_t *ret = eval_array(v, cd->sub, "ret", "submission", 0);
    const proto_array_t *nelbo = ret ? eval_array(v, cd->sub, "nelbo", "submission", ret->n) : NULL;
    const proto_array_t *term[3] = { NULL };
    if (!nelbo)
        return;
    for (size_t i = 0; i < k->n_terms; i++)
        if (!(term[i] = eval_array(v, cd->sub, k->terms[i], "submission", ret->n)))
            return;
    double rel = case_param(cd, "rel_tol"), abs_tol = case_param(cd, "abs_tol");
    size_t R = ret->n;
    double sum[4096], scale[4096];
    if (R > 4096) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %zu repeats", R);
        return;
    }
    for (size_t r = 0; r < R; r++) {
        sum[r] = 0;
        scale[r] = 0;
        for (size_t i = 0; i < k->n_terms; i++) {
            sum[r] += term[i]->data[r];
            scale[r] += fabs(term[i]->data[r]);
        }
    }
    /* A NaN of the bound is said as produced (both sides of the sum are
     * the bound's, so the comparator's "expected" would be its NaN too). */
    for (size_t r = 0; r < R; r++) {
        const char *which = !isfinite(ret->data[r]) ? "the value returned"
                          : !isfinite(nelbo->data[r]) ? "terms->nelbo"
                          : !isfinite(sum[r]) ? "a term" : NULL;
        if (which) {
            verdict_set(v, OUTCOME_NAN, 0, "%s: %s is not finite on call %zu "
                        "(returned %g, nelbo %g, the terms' sum %g): your bound "
                        "produced a NaN or Inf (log(0), 0/0, an unwritten "
                        "term: terms are NaN before the call).", k->bound,
                        which, r, ret->data[r], nelbo->data[r], sum[r]);
            if (isfinite(sum[r]) && isnan(nelbo->data[r]))
                verdict_append(v, "\nHint: terms->nelbo was not written (it "
                               "is NaN before the call).");
            return;
        }
    }
    char what[160];
    snprintf(what, sizeof what, "%s: terms->nelbo against the sum of its terms "
             "(%s%s%s%s%s)", k->bound, k->terms[0], " + ", k->terms[1],
             k->n_terms > 2 ? " + " : "", k->n_terms > 2 ? k->terms[2] : "");
    /* Relative to the sum of the terms' sizes, not to nelbo: a sum of a
     * large and a nearly opposite term rounds at their size. */
    cmp_report_t rep;
    int ok = 1;
    size_t bad = 0;
    for (size_t r = 0; r < R && ok; r++) {
        cmp_bound_t b = { abs_tol + rel * scale[r], 0 };
        ok = compare_scalar(&rep, sum[r], nelbo->data[r], b, what);
        bad = r;
    }
    if (!ok) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s (repeat %zu)", rep.message, bad);
        return;
    }
    snprintf(what, sizeof what, "%s: the value returned against terms->nelbo",
             k->bound);
    for (size_t r = 0; r < R && ok; r++) {
        cmp_bound_t b = { abs_tol + rel * scale[r], 0 };
        ok = compare_scalar(&rep, nelbo->data[r], ret->data[r], b, what);
        bad = r;
    }
    if (!ok) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s (repeat %zu)", rep.message, bad);
        return;
    }
    /* The sum holds; it scores only for a bound whose value is an ELBO's
     * (0 = 0 + 0 and constants hold it too): nelbo's mean plausible
     * against the reference's on the same digits, and changing from call
     * to call as a one-sample bound with fresh noise does. */
    const proto_array_t *rn = eval_array(v, cd->ref, "nelbo", "reference", 0);
    if (!rn)
        return;
    double ms, ss, mr, sr;
    stats_mean_sd(nelbo->data, R, &ms, &ss);
    stats_mean_sd(rn->data, rn->n, &mr, &sr);
    if (!plausible(ms, mr, PLAUSIBLE_FACTOR)) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s: terms->nelbo equals the sum of "
                    "its terms, but your nelbo (mean %.6g over %zu calls) is not "
                    "a plausible negative ELBO: the reference's on the same "
                    "digits is %.6g, and this check needs the same sign and "
                    "within a factor %g (a sum of zeros or of constants adds up "
                    "too, and earns nothing here).", k->bound, ms, R, mr,
                    PLAUSIBLE_FACTOR);
        return;
    }
    if (R > 1 && sr > 0 && ss == 0) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s: terms->nelbo equals the sum of "
                    "its terms, but it is %.10g on every one of %zu calls with "
                    "fresh noise, where a one-sample bound changes from call to "
                    "call (the reference's spread: %.3g): a constant adds up "
                    "too, and earns nothing here.", k->bound, ms, R, sr);
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "%s: on %zu calls, terms->nelbo equals "
                "the sum of its terms and the value returned equals "
                "terms->nelbo, within %g + %g x (the terms' sizes); nelbo "
                "(mean %.6g) is a plausible negative ELBO (the reference's: "
                "%.6g)", k->bound, R, abs_tol, rel, ms, mr);
}

/* ---- the gradient of the whole bound ----------------------------------------- */

/* Checks one side's differences against its own gradient; 1 when all agree. */
static int gradient_agrees(cmp_report_t *rep, const proto_result_t *r,
                           cmp_bound_t b, const char *what, size_t *m_out)
{
    const proto_array_t *c = proto_find(r, "coord"), *an = proto_find(r, "analytic");
    const proto_array_t *nu = proto_find(r, "numeric");
    if (!c || !an || !nu || an->n != c->n || nu->n != c->n) {
        snprintf(rep->message, sizeof rep->message, "the runner reported no "
                 "gradient coordinates");
        return -1;
    }
    size_t idx[4096];
    size_t m = c->n < 4096 ? c->n : 4096;
    for (size_t j = 0; j < m; j++)
        idx[j] = (size_t)c->data[j];
    *m_out = m;
    return compare_arrays_indexed(rep, nu->data, an->data, idx, m, b, what);
}

static void gradient_hints(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *ps = proto_find(cd->sub, "part_abs");
    const proto_array_t *pr = proto_find(cd->ref, "part_abs");
    const proto_array_t *part = proto_find(cd->sub, "part");
    const proto_array_t *an = proto_find(cd->sub, "analytic");
    const proto_array_t *nu = proto_find(cd->sub, "numeric");
    if (!ps || !pr || ps->n != pr->n || !part || !an || !nu)
        return;
    for (size_t p = 0; p < ps->n && p < 4; p++)
        if (ps->data[p] == 0 && pr->data[p] > 0) {
            verdict_append(v, "\nHint: your backward never reaches the %s: "
                           "every gradient there is 0. Is %s called?",
                           part_names[p], part_calls[p]);
            return;
        }
    /* One constant ratio, per part that fails. */
    for (size_t p = 0; p < 4; p++) {
        double c = 0;
        int have = 0, consistent = 1;
        for (size_t j = 0; j < an->n; j++) {
            if ((size_t)part->data[j] != p || fabs(nu->data[j]) < 1e-6)
                continue;
            double r = an->data[j] / nu->data[j];
            if (!have)
                c = r, have = 1;
            else if (fabs(r - c) > 1e-3 * fabs(c))
                consistent = 0;
        }
        if (!have || !consistent || fabs(c - 1) < 1e-3)
            continue;
        verdict_append(v, "\nHint: in the %s your gradient is %.6g x the "
                       "central differences of your own bound everywhere%s.",
                       part_names[p], c,
                       fabs(c + 1) < 1e-3 ? ": the sign is flipped"
                       : c > 1.5 && fabs(c - round(c)) < 1e-3 ? ": a factor too "
                         "many (is the backward of a sum where the bound takes "
                         "a mean, or a term counted twice?)"
                       : "");
        return;
    }
}

/* After the gradient agreed with the differences of the submission's own
 * bound: that property holds for any constant (0 = 0), so it scores only
 * for a bound whose value is plausibly an ELBO's on these rows and whose
 * backward reaches every part the reference's gradient clearly does. */
static void gradient_nontrivial(verdict_t *v, const case_data_t *cd,
                                const kind_info_t *k)
{
    const proto_array_t *vs = proto_find(cd->sub, "value");
    const proto_array_t *vr = proto_find(cd->ref, "value");
    const proto_array_t *ps = proto_find(cd->sub, "part_abs");
    const proto_array_t *pr = proto_find(cd->ref, "part_abs");
    if (!vs || !vr || vs->n != 1 || vr->n != 1 || !ps || !pr || ps->n != pr->n) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the runners reported "
                    "no bound value or gradient sizes");
        return;
    }
    if (!plausible(vs->data[0], vr->data[0], PLAUSIBLE_FACTOR)) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s: your gradient agrees with the "
                    "differences of your own bound, but your bound is %.6g on "
                    "these rows, where the reference's (its own noise) is %.6g: "
                    "not a plausible negative ELBO (same sign, within a factor "
                    "%g). The gradient of a constant agrees with its differences "
                    "too (both 0), so this check scores only for a bound that "
                    "computes the ELBO.", k->bound, vs->data[0], vr->data[0],
                    PLAUSIBLE_FACTOR);
        return;
    }
    /* A part where the reference's gradient is non-zero must get some:
     * 1e-3 of the reference's there is far below any correct bound's
     * (another noise draw moves it by tens of percent) and far above 0. */
    for (size_t p = 0; p < ps->n && p < 4; p++)
        if (pr->data[p] > 0 && !(ps->data[p] >= 1e-3 * pr->data[p])) {
            verdict_set(v, OUTCOME_FAILED, 0, "%s: your gradient agrees with "
                        "the differences of your own bound, but your backward "
                        "adds %g in all (sum of |g|) to the %s, where the "
                        "reference's adds %g: a bound whose gradient is 0 "
                        "there earns nothing here. Is %s called?", k->bound,
                        ps->data[p], part_names[p], pr->data[p], part_calls[p]);
            return;
        }
    verdict_append(v, "\nYour bound is %.6g on these rows (the reference's, "
                   "its own noise: %.6g), and your backward reaches every part.",
                   vs->data[0], vr->data[0]);
}

void eval_model_gradient(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    cmp_bound_t b = { case_param(cd, "grad_abs"), case_param(cd, "grad_rel") };
    cmp_report_t rep;
    size_t m = 0;
    char what[200];
    /* The reference first: its own differences must agree, or the
     * check's step and bound are wrong, which is the grader's fault. */
    snprintf(what, sizeof what, "%s (reference): gradient vs central "
             "differences", k->bound);
    int ref_ok = gradient_agrees(&rep, cd->ref, b, what, &m);
    if (ref_ok != 1) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the reference's own "
                    "gradient fails this check's finite differences: %s",
                    rep.message);
        return;
    }
    const proto_array_t *failed = proto_find(cd->sub, "fd_failed");
    if (failed && failed->n == 1 && failed->data[0] != 0) {
        const proto_array_t *val = proto_find(cd->sub, "value");
        verdict_set(v, OUTCOME_NAN, 0, "%s: the bound could not be "
                    "differenced: it is %g at the unperturbed parameters, or "
                    "a parameter would not restore (the model's parameters "
                    "must not be changed by the bound)", k->bound,
                    val && val->n ? val->data[0] : NAN);
        return;
    }
    snprintf(what, sizeof what, "%s: your gradient (accumulated by backward) "
             "vs central differences of your own bound, h = %g, noise "
             "replayed", k->bound, case_param(cd, "fd_step"));
    int ok = gradient_agrees(&rep, cd->sub, b, what, &m);
    if (ok < 0) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", rep.message);
        return;
    }
    const proto_array_t *nf = proto_find(cd->sub, "fd_nonfinite");
    if (ok) {
        verdict_set(v, OUTCOME_PASSED, 1, "%s", rep.message);
        gradient_nontrivial(v, cd, k);
        return;
    }
    const proto_array_t *nu = proto_find(cd->sub, "numeric");
    size_t bad_nu = nu ? nu->n : 0;
    for (size_t j = 0; nu && j < nu->n && bad_nu == nu->n; j++)
        if (!isfinite(nu->data[j]))
            bad_nu = j;
    if (nu && bad_nu < nu->n) {
        /* Your own differences are the expected side here: a NaN in them
         * is your bound's, said as produced, never as "expected". */
        const proto_array_t *coord = proto_find(cd->sub, "coord");
        verdict_set(v, OUTCOME_NAN, 0, "%s: your bound produced %g when "
                    "parameter %.0f moved by h = %g, so its central difference "
                    "there is %g: a NaN or Inf in the bound near the point "
                    "(log(0), 0/0, exp overflow).", k->bound,
                    nf && nf->n == 3 && nf->data[0] ? nf->data[2] : nu->data[bad_nu],
                    coord && coord->n == nu->n ? coord->data[bad_nu] : (double)bad_nu,
                    case_param(cd, "fd_step"), nu->data[bad_nu]);
        return;
    }
    verdict_set(v, rep.nonfinite ? OUTCOME_NAN : OUTCOME_FAILED, 0, "%s",
                rep.message);
    const proto_array_t *coord = proto_find(cd->sub, "coord");
    const proto_array_t *part = proto_find(cd->sub, "part");
    if (coord && part)
        for (size_t j = 0; j < coord->n; j++)
            if ((size_t)coord->data[j] == rep.worst) {
                verdict_append(v, "\nThe worst coordinate, parameter %zu, is in "
                               "the %s.", rep.worst,
                               part_names[(size_t)part->data[j] & 3]);
                break;
            }
    if (nf && nf->n == 3 && nf->data[0] != 0)
        verdict_append(v, "\nYour bound is %g when parameter %.0f is moved by "
                       "h: a NaN or Inf near the point.", nf->data[2], nf->data[1]);
    gradient_hints(v, cd);
}

/* ---- the backward contract ------------------------------------------------------ */

void eval_contract(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const proto_array_t *a = eval_array(v, cd->sub, "first", "submission", 0);
    const proto_array_t *b = a ? eval_array(v, cd->sub, "second", "submission", a->n) : NULL;
    if (!b)
        return;
    cmp_report_t rep;
    char what[160];
    /* Both halves score only for a backward that writes a plausible
     * gradient when asked (from zero, backward = 1): its size (sum of |g|)
     * within a factor PLAUSIBLE_FACTOR of the reference's on the same
     * rows. A bound that never writes leaves gradients alone, and adding
     * a constant doubles, without computing anything. */
    const proto_array_t *ps = eval_array(v, cd->sub, "probe", "submission", a->n);
    const proto_array_t *pr = ps ? eval_array(v, cd->ref, "probe_l1", "reference", 1) : NULL;
    if (!pr)
        return;
    double ls = 0, lr = pr->data[0];
    for (size_t i = 0; i < a->n; i++)
        ls += fabs(ps->data[i]);
    if (!plausible(ls, lr, PLAUSIBLE_FACTOR)) {
        verdict_set(v, isfinite(ls) ? OUTCOME_FAILED : OUTCOME_NAN, 0,
                    "%s(..., backward = 1) from zeroed gradients added %g in all "
                    "(sum of |g| over the %zu parameters), where the reference's "
                    "adds %g on the same rows: not a plausible gradient (within "
                    "a factor %g). The contract scores only for a backward that "
                    "computes the gradient.", k->bound, ls, a->n, lr,
                    PLAUSIBLE_FACTOR);
        return;
    }
    if (cd->case_name && !strcmp(cd->case_name, "no_backward")) {
        snprintf(what, sizeof what, "%s(..., backward = 0): the model's "
                 "gradients after the call (expected: as before it)", k->bound);
        if (compare_arrays(&rep, a->data, b->data, a->n, (cmp_bound_t){ 0, 0 }, what)) {
            verdict_set(v, OUTCOME_PASSED, 1, "%s: with backward = 0 the %zu "
                        "gradients are left exactly as they were", k->bound, a->n);
            return;
        }
        verdict_set(v, OUTCOME_FAILED, 0, "%s\nHint: with backward = 0 the bound "
                    "must not touch the gradients (evaluation, IWAE's callers "
                    "and the grader's finite differences rely on it): call the "
                    "backward functions only when backward is set.", rep.message);
        return;
    }
    int any = 0;
    for (size_t i = 0; i < a->n; i++)
        any |= a->data[i] != 0;
    if (!any) {
        verdict_set(v, OUTCOME_FAILED, 0, "%s(..., backward = 1) added nothing "
                    "to the model's %zu gradients: backward must accumulate the "
                    "gradient of the returned value into every parameter",
                    k->bound, a->n);
        return;
    }
    /* Compared as second - first against first: what the second call added
     * must be what the first did. Both calls compute the same numbers; a
     * GEMM with beta = 1 adds its product block by block, which rounds
     * differently from one x + x: a few ulps, so 1e-12 relative (1e-15
     * absolute for exact zeros) has headroom, while a backward that zeroes
     * or overwrites is off by 100%. */
    size_t n = a->n, worst = 0, bad = 0;
    double worst_err = -1;
    for (size_t i = 0; i < n; i++) {
        double added = b->data[i] - a->data[i];
        double err = fabs(added - a->data[i]);
        double tol = 1e-15 + 1e-12 * fabs(a->data[i]);
        if (!(err <= tol)) {
            bad++;
            if (err > worst_err || isnan(err))
                worst_err = err, worst = i;
        }
    }
    if (!bad) {
        verdict_set(v, OUTCOME_PASSED, 1, "%s: a second call with backward = 1 "
                    "(same noise, gradients not zeroed between) added the same "
                    "gradient again to all %zu parameters (within 1e-15 + "
                    "1e-12 |g|): backward accumulates", k->bound, n);
        return;
    }
    verdict_set(v, OUTCOME_FAILED, 0, "%s: called twice with backward = 1 and "
                "the same noise, without zeroing in between, the gradients "
                "must double. %zu of %zu do not; worst parameter %zu: after "
                "one call %.10g, after two %.10g (expected %.10g).", k->bound,
                bad, n, worst, a->data[worst], b->data[worst], 2 * a->data[worst]);
    if (hints_match(a->data, b->data, n, 1e-9))
        verdict_append(v, "\nHint: the second call left the gradients as the "
                       "first did: backward zeroes (or overwrites) them instead "
                       "of adding to them. Never call model_zero_grad in the "
                       "bound, and add (+=) into gradient buffers.");
}

void more_value(const check_conf_t *c, const char *root, char *buf,
                size_t cap)
{
    (void)root;
    const kind_info_t *k = kind_of(c->def);
    double z = c->params[3], rr = c->params[2], alpha = c->params[6];
    double rate = (double)(k->n_terms + 1) * stats_t_tail2(z, rr - 1) + alpha;
    snprintf(buf, cap, "With this profile: %zu comparisons of means (nelbo and "
             "%zu terms), each failing a correct bound with probability "
             "P(|t_%.0f| > %g) = %.2e, and the spread part: the variance ratio "
             "of your calls' nelbo to the reference's, (R - 1, R_ref - 1) "
             "degrees of freedom, failing when its two-sided F p-value is under "
             "%g, which is that part's false-fail rate exactly when the calls' "
             "values are normal (each is a mean over the digits, so close to "
             "it). In all <= %.2e per seed.", k->n_terms + 1, k->n_terms,
             rr - 1, z, stats_t_tail2(z, rr - 1), alpha, rate);
}
