/* checks_models.c: the checks of vae.c, gmvae.c, ssvae.c and the bonus
 * fsvae.c: the negative ELBO's value on a pretrained model within Monte
 * Carlo tolerance, nelbo = the sum of its terms, the batch mean on an odd
 * batch, the gradient of the whole bound by central differences of the
 * submission's own bound (common random numbers), the backward contract,
 * the IWAE bounds, and short training runs judged against the reference's
 * spread over seeds. Numbered after CS236 HW2: 1 VAE, 2 GMVAE, 3 IWAE,
 * 4 SSVAE, 5 FSVAE (bonus). Each entry says how its tolerance or
 * false-fail rate is derived; `vaegrade explain ID` prints it with the
 * rates computed for the profile's knobs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "evaluate.h"
#include "hints.h"
#include "profile.h"
#include "numcheck/stats.h"
#include "thresholds.h"
#include "vg_error.h"

/* ---- what every model check needs to know about its model ----------------- */

typedef struct kind_info {
    const char *name;        /* "vae" */
    const char *bound;       /* "vae_negative_elbo_bound" */
    size_t n_terms;
    const char *terms[3];    /* the bound's terms, nelbo their sum */
    int deterministic[3];    /* 1: no noise in it given x (closed forms) */
} kind_info_t;

static const kind_info_t kinds[] = {
    { "vae", "vae_negative_elbo_bound", 2, { "kl", "rec" }, { 1, 0 } },
    { "gmvae", "gmvae_negative_elbo_bound", 2, { "kl", "rec" }, { 0, 0 } },
    { "ssvae", "ssvae_negative_elbo_bound", 3, { "kl_y", "kl_z", "rec" }, { 1, 1, 0 } },
    { "fsvae", "fsvae_negative_elbo_bound", 2, { "kl_z", "rec" }, { 1, 0 } },
};

static const kind_info_t *kind_of(const check_def_t *d)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(d->task, kinds[i].name, strlen(kinds[i].name)) == 0 &&
            d->task[strlen(kinds[i].name)] == '_')
            return &kinds[i];
    return &kinds[0];
}

static const char *const part_names[] = {
    "encoder", "decoder", "classifier", "mixture prior",
};
static const char *const part_calls[] = {
    "encoder_backward(model, dqm, dqv)",
    "decoder_backward(model, dz, dlogits)",
    "classifier_backward(model, dylogits) (after log_softmax_backward)",
    "prior_backward(model, draw) (after gaussian_parameters_backward)",
};

/* ---- Monte Carlo comparisons ------------------------------------------------ */

/* One term: the submission's mean of n_sub independent repeats against the
 * reference's of n_ref, tolerance z * s_ref * sqrt(1/n_sub + 1/n_ref) plus
 * a floor for terms without noise. Through the one comparator, so the
 * message reads like every other. */
typedef struct mc_term {
    double mean_sub, mean_ref, sd_sub, sd_ref, tol;
    int ok, finite;
    cmp_report_t rep;
} mc_term_t;

static void mc_term(mc_term_t *t, const char *what, double mean_sub,
                    double sd_sub, double n_sub, double mean_ref, double sd_ref,
                    double n_ref, double z, double floor_abs, double floor_rel)
{
    t->mean_sub = mean_sub;
    t->mean_ref = mean_ref;
    t->sd_sub = sd_sub;
    t->sd_ref = sd_ref;
    t->tol = z * sd_ref * sqrt(1.0 / n_sub + 1.0 / n_ref) + floor_abs;
    cmp_bound_t b = { t->tol, floor_rel };
    t->ok = compare_scalar(&t->rep, mean_ref, mean_sub, b, what);
    t->finite = isfinite(mean_sub);
}

/* Mean and within-group pooled standard deviation of x laid out (R,G):
 * groups hold different digits, so their spread is not noise. R = 1 or
 * G = 0 gives sd 0. df: the pooled estimate's degrees of freedom. */
static void grouped_mean_sd(const double *x, size_t R, size_t G, size_t stride,
                            double *mean, double *sd, double *df)
{
    double m = 0, ss = 0;
    for (size_t r = 0; r < R; r++)
        for (size_t g = 0; g < G; g++)
            m += x[(r * G + g) * stride];
    m /= (double)(R * G);
    for (size_t g = 0; g < G; g++) {
        double mg = 0;
        for (size_t r = 0; r < R; r++)
            mg += x[(r * G + g) * stride];
        mg /= (double)R;
        for (size_t r = 0; r < R; r++) {
            double d = x[(r * G + g) * stride] - mg;
            ss += d * d;
        }
    }
    *mean = m;
    *df = (double)(G * (R - 1));
    *sd = R > 1 ? sqrt(ss / *df) : 0;
}

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
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        if (i == 5 && batch == 100)
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

static void eval_value(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const char *names[4] = { "nelbo", k->terms[0], k->terms[1], k->terms[2] };
    size_t n_names = 1 + k->n_terms;
    double z = case_param(cd, "z"), fa = case_param(cd, "floor_abs");
    double fr = case_param(cd, "floor_rel"), digits = case_param(cd, "digits");
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
    double rate = (double)n_names * stats_t_tail2(z, df);
    outcome_t o = passed == n_names ? OUTCOME_PASSED
                : nonfinite ? OUTCOME_NAN
                : passed ? OUTCOME_PARTIAL : OUTCOME_FAILED;
    verdict_set(v, o, (double)passed / (double)n_names,
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
    verdict_append(v, "\n%zu of %zu terms right; a correct bound fails this "
                   "check with probability <= %zu x P(|t_%.0f| > %g) = %.1e.",
                   passed, n_names, n_names, df, z, rate);
    if (passed == n_names)
        return;
    if (nonfinite) {
        if (digits < 100)
            verdict_append(v, "\nHint: the rows of x after row %.0f hold NaN "
                           "here: a NaN means the code read past the %.0f rows "
                           "it was given (loops must run to `batch`, not to a "
                           "fixed size).", digits - 1, digits);
        else
            verdict_append(v, "\nHint: a NaN or Inf: look for log(0), 0/0 or "
                           "an unwritten term (terms are NaN before the call).");
        return;
    }
    value_hints(v, k, t, digits);
    for (size_t i = 1; i < n_names; i++) {
        if (t[i].ok)
            continue;
        if (k->deterministic[i - 1] && t[i].sd_ref == 0 && t[i].sd_sub > 0)
            verdict_append(v, "\nHint: your %s changes from repeat to repeat, "
                           "while it has no noise in it: it is the closed-form "
                           "KL (kl_normal%s), not a sampled estimate.", names[i],
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

static void eval_terms_sum(verdict_t *v, const case_data_t *cd)
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
        verdict_set(v, isfinite(nelbo->data[bad]) && isfinite(sum[bad])
                    ? OUTCOME_FAILED : OUTCOME_NAN, 0, "%s (repeat %zu)",
                    rep.message, bad);
        if (isfinite(sum[bad]) && !isfinite(nelbo->data[bad]))
            verdict_append(v, "\nHint: terms->nelbo was not written (it is NaN "
                           "before the call).");
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
        verdict_set(v, isfinite(ret->data[bad]) ? OUTCOME_FAILED : OUTCOME_NAN,
                    0, "%s (repeat %zu)", rep.message, bad);
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "%s: on %zu calls, terms->nelbo equals "
                "the sum of its terms and the value returned equals "
                "terms->nelbo, within %g + %g x (the terms' sizes)", k->bound,
                R, abs_tol, rel);
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

static void eval_model_gradient(verdict_t *v, const case_data_t *cd)
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

static void eval_contract(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    const proto_array_t *a = eval_array(v, cd->sub, "first", "submission", 0);
    const proto_array_t *b = a ? eval_array(v, cd->sub, "second", "submission", a->n) : NULL;
    if (!b)
        return;
    cmp_report_t rep;
    char what[160];
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

/* Relative floor of the IWAE comparisons: rounding of equivalent formulas
 * (the noise dominates every tolerance by far). */
#define IWAE_FLOOR_REL 1e-9

/* ---- IWAE ------------------------------------------------------------------------ */

typedef struct iwae_data {
    const proto_array_t *iw, *niwae, *elbo;
    size_t R, G, n_iw;
} iwae_data_t;

static int iwae_fetch(verdict_t *v, iwae_data_t *d, const proto_result_t *r,
                      const char *side, int with_elbo)
{
    const proto_array_t *shape = eval_array(v, r, "shape", side, 2);
    if (!shape || !(d->iw = eval_array(v, r, "iw", side, 0)))
        return VG_ERR;
    d->R = (size_t)shape->data[0];
    d->G = (size_t)shape->data[1];
    d->n_iw = d->iw->n;
    d->elbo = NULL;
    if (!(d->niwae = eval_array(v, r, "niwae", side, d->n_iw * d->R * d->G)) ||
        (with_elbo && !(d->elbo = eval_array(v, r, "elbo", side, d->R * d->G))))
        return VG_ERR;
    return VG_OK;
}

/* What the parts of the IWAE check add up to. */
typedef struct tally {
    size_t passed, parts, nonfinite;
    double rate;          /* union bound on a correct bound's failures */
} tally_t;

/* Part 1: each iw against the reference's mean (independent noise). */
static void iwae_values(verdict_t *v, tally_t *t, const iwae_data_t *s,
                        const iwae_data_t *r, double z, double fa, int *log_sum)
{
    const double fr = IWAE_FLOOR_REL;
    *log_sum = s->n_iw > 1;
    verdict_append(v, "\nAgainst the reference (your mean over %zu calls, its "
                   "over %zu; tolerance %g x its within-call spread x "
                   "sqrt(1/%zu + 1/%zu) + %g):", s->R * s->G, r->R * r->G, z,
                   s->R * s->G, r->R * r->G, fa);
    double df_ref = (double)(r->G * (r->R - 1));
    for (size_t i = 0; i < s->n_iw; i++) {
        double ms, ss, dfs, mr, sr, dfr;
        grouped_mean_sd(s->niwae->data + i * s->R * s->G, s->R, s->G, 1, &ms, &ss, &dfs);
        grouped_mean_sd(r->niwae->data + i * r->R * r->G, r->R, r->G, 1, &mr, &sr, &dfr);
        char what[96];
        snprintf(what, sizeof what, "iw = %.0f", s->iw->data[i]);
        mc_term_t m;
        mc_term(&m, what, ms, ss, (double)(s->R * s->G), mr, sr,
                (double)(r->R * r->G), z, fa, fr);
        t->passed += m.ok;
        t->nonfinite += !m.finite;
        t->parts++;
        if (s->iw->data[i] > 1 && fabs((mr - ms) - log(s->iw->data[i])) > 2 * m.tol)
            *log_sum = 0;
        verdict_append(v, "\n  iw = %-5.0f expected %.8g (sd %.3g), got %.8g: "
                       "|diff| %.3g %s %.3g  %s", s->iw->data[i], mr, sr, ms,
                       fabs(ms - mr), m.ok ? "<=" : ">", m.tol + fr * fabs(mr),
                       m.ok ? "ok" : m.finite ? "WRONG" : "NOT FINITE");
    }
    t->rate += (double)s->n_iw * stats_t_tail2(z, df_ref);
}

/* Part 2: iw = 1 against the reference's ELBO on its own calls: the IWAE
 * bound with one sample is the one-sample ELBO (the vae's with the sampled
 * KL log q - log p instead of the closed form: equal in expectation). Your
 * iw = 1 mean has the spread of an IWAE-1 call, the ELBO's mean that of
 * an ELBO call, both taken from the reference. Only your IWAE bound runs
 * here: a wrong ELBO costs the ELBO's checks, not this one. */
static void iwae_vs_elbo(verdict_t *v, tally_t *t, const iwae_data_t *s,
                         const iwae_data_t *r, double z, double fa)
{
    double ms, ss, dfs, mi, si, dfi, me, se, dfe;
    grouped_mean_sd(s->niwae->data, s->R, s->G, 1, &ms, &ss, &dfs);
    grouped_mean_sd(r->niwae->data, r->R, r->G, 1, &mi, &si, &dfi);
    grouped_mean_sd(r->elbo->data, r->R, r->G, 1, &me, &se, &dfe);
    double ns = (double)(s->R * s->G), nr = (double)(r->R * r->G);
    double tol = z * sqrt(si * si / ns + se * se / nr) + fa + IWAE_FLOOR_REL * fabs(me);
    int ok = isfinite(ms) && fabs(ms - me) <= tol;
    t->parts++;
    t->passed += ok;
    t->nonfinite += !isfinite(ms);
    /* Both spreads have G(R_ref - 1) degrees of freedom; the rate of the
     * smaller t (Welch's bound) is used. */
    t->rate += stats_t_tail2(z, dfe);
    verdict_append(v, "\nAgainst the ELBO (the reference's, on its own %zu "
                   "calls):\n  iw = 1: yours %.8g, ELBO %.8g (sd %.3g): |diff| "
                   "%.3g %s %.3g  %s", r->R * r->G, ms, me, se, fabs(ms - me),
                   ok ? "<=" : ">", tol, ok ? "ok" : isfinite(ms) ? "WRONG"
                   : "NOT FINITE");
    if (!ok && isfinite(ms))
        verdict_append(v, "\n  (with iw = 1 the IWAE bound is the ELBO: "
                       "log_mean_exp of one log-weight is that log-weight, "
                       "log p(x|z) + log p(z) - log q(z|x))");
}

/* Part 3: not increasing with iw beyond its own Monte Carlo error, each
 * pair differenced call by call (same digits, same seed). A correct
 * bound's expected gap is >= 0 for every digit, so the one-sided rate at a
 * gap of 0 bounds its failures. Returns 1 when every pair passed. */
static int iwae_monotone(verdict_t *v, tally_t *t, const iwae_data_t *s, double zp)
{
    size_t RG = s->R * s->G, pairs = s->n_iw ? s->n_iw - 1 : 0;
    int ok_all = 1;
    double df = (double)(s->G * (s->R - 1)), means[8];
    for (size_t i = 0; i < s->n_iw && i < 8; i++) {
        double sd, d2;
        grouped_mean_sd(s->niwae->data + i * RG, s->R, s->G, 1, &means[i], &sd, &d2);
    }
    double *d = calloc(RG + 1, sizeof *d);   /* (R,G) paired differences */
    if (!d)
        return 1;
    verdict_append(v, "\nNot increasing with iw (paired over your %zu calls; a "
                   "pair fails when it rises by more than %g standard errors):",
                   RG, zp);
    for (size_t i = 0; i + 1 < s->n_iw && i + 1 < 8; i++) {
        for (size_t j = 0; j < RG; j++)
            d[j] = s->niwae->data[(i + 1) * RG + j] - s->niwae->data[i * RG + j];
        double md, sd, dfd;
        grouped_mean_sd(d, s->R, s->G, 1, &md, &sd, &dfd);
        double se = sd / sqrt((double)RG);
        int ok = isfinite(md) && md <= zp * se;
        t->passed += ok;
        t->parts++;
        ok_all &= ok;
        verdict_append(v, "\n  iw %4.0f -> %4.0f: %.6g -> %.6g, change %+.4g "
                       "(standard error %.3g)  %s", s->iw->data[i],
                       s->iw->data[i + 1], means[i], means[i + 1], md, se,
                       ok ? "ok" : "INCREASES");
    }
    free(d);
    t->rate += (double)pairs * stats_t_tail1(zp, df);
    return ok_all;
}

static void eval_iwae(verdict_t *v, const case_data_t *cd)
{
    const kind_info_t *k = kind_of(cd->def);
    iwae_data_t s, r;
    if (iwae_fetch(v, &r, cd->ref, "reference", 1) ||
        iwae_fetch(v, &s, cd->sub, "submission", 0))
        return;
    if (s.n_iw != r.n_iw || s.G != r.G) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the runners' IWAE "
                    "shapes differ");
        return;
    }
    double z = case_param(cd, "z"), zp = case_param(cd, "z_paired");
    double fa = case_param(cd, "floor_abs"), B = case_param(cd, "group");
    tally_t t = { 0, 0, 0, 0 };
    int log_sum;
    verdict_set(v, OUTCOME_PASSED, 1, "%s_negative_iwae_bound on %.0f digits "
                "of the %stest subset, %zu calls of %.0f rows each (pretrained "
                "model), fresh noise per call replayed for every iw; the two "
                "runners draw independent noise.", k->name, (double)s.G * B,
                cd->hidden ? "hidden " : "", s.G, B);
    iwae_values(v, &t, &s, &r, z, fa, &log_sum);
    iwae_vs_elbo(v, &t, &s, &r, z, fa);
    int monotone = iwae_monotone(v, &t, &s, zp);
    verdict_append(v, "\n%zu of %zu parts right; a correct bound fails this "
                   "check with probability <= %.1e (the union bound over the "
                   "parts, vaegrade explain shows the terms).", t.passed,
                   t.parts, t.rate);
    v->score = (double)t.passed / (double)t.parts;
    v->outcome = t.passed == t.parts ? OUTCOME_PASSED : t.nonfinite ? OUTCOME_NAN
               : t.passed ? OUTCOME_PARTIAL : OUTCOME_FAILED;
    if (t.passed == t.parts)
        return;
    double ms, ss, df, mr, sr, dfr;
    grouped_mean_sd(s.niwae->data, s.R, s.G, 1, &ms, &ss, &df);
    grouped_mean_sd(r.niwae->data, r.R, r.G, 1, &mr, &sr, &dfr);
    if (log_sum)
        verdict_append(v, "\nHint: your bounds are lower than the expected ones "
                       "by log(iw) at every iw: log_sum_exp where log_mean_exp "
                       "was due (the mean over the iw weights).");
    else if (fabs(ms - B * mr) <= 0.02 * B * fabs(mr))
        verdict_append(v, "\nHint: your bound is about %g (the rows per call) "
                       "times the expected one: a sum over the batch where the "
                       "mean was due.", B);
    else if (fabs(ms + mr) <= 0.02 * fabs(mr))
        verdict_append(v, "\nHint: your bound is minus the expected one: the "
                       "NEGATIVE IWAE bound is -mean_b log_mean_exp(log w).");
    else if (!monotone)
        verdict_append(v, "\nHint: the IWAE bound with more samples is never "
                       "looser. A bound that grows with iw often takes "
                       "log_mean_exp over the wrong axis of the (B, IW) "
                       "log-weights, or reuses one sample.");
}

/* ---- short runs ------------------------------------------------------------------ */

static void eval_short_run(verdict_t *v, const case_data_t *cd)
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

/* ---- explain: the rates for the profile's knobs ----------------------------- */

static void more_value(const check_conf_t *c, const char *root, char *buf,
                       size_t cap)
{
    (void)root;
    const kind_info_t *k = kind_of(c->def);
    double z = c->params[3], rr = c->params[2];
    snprintf(buf, cap, "With this profile: %zu comparisons (nelbo and %zu "
             "terms), each failing a correct bound with probability P(|t_%.0f| "
             "> %g) = %.2e; in all <= %.2e per seed.", k->n_terms + 1,
             k->n_terms, rr - 1, z, stats_t_tail2(z, rr - 1),
             (double)(k->n_terms + 1) * stats_t_tail2(z, rr - 1));
}

static void more_iwae(const check_conf_t *c, const char *root, char *buf,
                      size_t cap)
{
    (void)root;
    double digits = c->params[0], group = c->params[1], r = c->params[2];
    double rr = c->params[3], z = c->params[5], zp = c->params[6];
    double G = digits / group, df = G * (rr - 1), dfp = G * (r - 1);
    double rate = 5 * stats_t_tail2(z, df) + 3 * stats_t_tail1(zp, dfp);
    snprintf(buf, cap, "With this profile: G = %.0f calls of %.0f digits; the "
             "reference's spread has %.0f degrees of freedom, yours %.0f. Five "
             "comparisons with the reference (four iw, and iw = 1 against its "
             "ELBO), each failing a correct bound with probability about "
             "P(|t_%.0f| > %g) = %.2e; three monotone pairs, each at most "
             "P(t_%.0f > %g) = %.2e. In all <= %.2e per seed.", G, group, df,
             dfp, df, z, stats_t_tail2(z, df), dfp, zp, stats_t_tail1(zp, dfp),
             rate);
}

static void more_short(const check_conf_t *c, const char *root, char *buf,
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

/* ---- knobs and texts --------------------------------------------------------- */

#define VALUE_PARAMS(digits, rep, ref_rep)                                       \
    { "digits", digits, 1, 100, 1, "digits of the test subset per call" },       \
    { "repeats", rep, 2, 100000, 1, "your calls, each with fresh noise" },       \
    { "ref_repeats", ref_rep, 2, 100000, 1, "the reference's calls" },           \
    { "z", 5, 3, 10, 0, "bound on the standardised difference of the means" },   \
    { "floor_abs", 1e-9, 0, 1, 0, "absolute floor (terms without noise)" },      \
    { "floor_rel", 1e-5, 0, 1, 0, "relative floor (terms without noise)" }

#define VALUE_EXPLAIN(model, terms)                                              \
    "Calls the bound R times with backward = 0 on the digits of the test "       \
    "subset, each call with fresh noise, and compares the mean of nelbo and "    \
    "of each term (" terms ") with the reference's mean over its own R_ref "     \
    "calls. The two runners draw from independent streams, so whatever "        \
    "order your code draws its noise in (row-major or not, +eps or -eps) the "  \
    "two means are independent estimates of the same expectation: the "         \
    "difference has standard deviation sigma sqrt(1/R + 1/R_ref), and with "    \
    "sigma estimated by the reference's spread s_ref over R_ref calls, "        \
    "(mean - mean_ref) / (s_ref sqrt(1/R + 1/R_ref)) is exactly Student's t "   \
    "with R_ref - 1 degrees of freedom when the calls' values are normal (each " \
    "is a mean over the digits, so they are, closely). The check passes a "    \
    "term when |mean - mean_ref| <= z s_ref sqrt(1/R + 1/R_ref) + floor; the "  \
    "floor (1e-9 + 1e-5 |expected|) is for terms without noise, the "           \
    "closed-form KLs, where correct code differs by rounding only: the "       \
    "networks run in float32, and a GEMM's summation order follows the "       \
    "rows' layout and the buffers' alignment, so the encoder's outputs move "   \
    "by ~1e-7 relative between equally correct codes (Higham's bound n u, n "  \
    "<= 794 inputs, u = 6e-8, is 5e-5; measured between two row layouts of "   \
    "the ssvae: 3e-9), while a real mistake moves a term by 1e-3 or more. "    \
    "False-fail rate per term: P(|t| > z), by the union bound at most (terms "  \
    "+ 1) x that per seed (printed below for this profile). Points: the "       \
    "fraction of nelbo and terms within tolerance. Named mistakes: a sum over " \
    "the batch, a flipped sign, the KL missing or doubled, rec without its "    \
    "minus, a sampled KL where the closed form is due" model "."

#define BATCH_EXPLAIN                                                            \
    "The value check on an odd batch of 97 rows (of a buffer of 100 whose "     \
    "last 3 rows hold NaN, so reading past the batch shows as NaN): every "    \
    "term is a mean over the rows passed, so a sum (97 x), a division by a "    \
    "fixed 100 (0.97 x) or a loop to a fixed size is caught. Tolerance and "    \
    "false-fail rate as the value check's."

#define GRADIENT_PARAMS(pretrained)                                              \
    { "batch", 5, 1, 20, 1, "rows of the test subset" },                         \
    { "per_layer", 4, 1, 1000, 1, "weights checked per layer (and prior component)" }, \
    { "per_bias", 2, 0, 1000, 1, "biases checked per layer" },                   \
    { "prior_components", 4, 1, 100, 1, "gmvae: components checked" },          \
    { "pretrained", pretrained, 0, 1, 1, "1: the pretrained weights; 0: a seeded initialisation" }, \
    { "fd_step", 1e-5, 1e-8, 1e-2, 1, "central-difference step h" },             \
    { "grad_abs", 1e-7, 0, 1, 0, "absolute bound" },                              \
    { "grad_rel", 1e-5, 0, 1, 0, "relative bound" }

#define GRADIENT_EXPLAIN(parts)                                                  \
    "With a float64 copy of the model and a small odd batch, the bound is "     \
    "called once with backward = 1 from zeroed gradients, then its value "      \
    "(backward = 0) is differenced centrally, h = 1e-5, at a seeded sample of " \
    "coordinates covering " parts ", the rng reseeded before every call "       \
    "(common random numbers), so the bound is a smooth deterministic "          \
    "function of the parameters. Your gradient is compared with the "           \
    "differences of YOUR OWN bound: the check depends on your backward "        \
    "matching your forward, not on your noise order or your formulas. Bound "   \
    "|analytic - numeric| <= 1e-7 + 1e-5 |numeric|: rounding costs ~eps |f| / " \
    "h ~ 1e-9 for bounds of O(100), truncation ~h^2 |f'''| ~ 1e-10, and an "    \
    "ELU kink crossed within h (its second derivative jumps) costs ~h |jump| "  \
    "~ 1e-6 at worst; measured on the reference over 300 seeds per model the "  \
    "worst coordinate sits at 2% to 24% of the bound. h = 1e-4 was rejected: " \
    "kinks made 2-4% of seeds fail at the tighter 1e-8 + 1e-6. Every "          \
    "genuine mistake (a missing part, a factor, a sign) is off by O(|g|). The " \
    "reference runs the same check; if its own gradient failed it, the "        \
    "grader would report an error, not you. Deterministic: no false-fail rate " \
    "beyond the kink case, which the 10x headroom covers."

#define CONTRACT_EXPLAIN                                                         \
    "Two cases, half the points each. accumulates: from zeroed gradients the "  \
    "bound is called twice with backward = 1 and the same noise; the second "   \
    "call must add the same gradient again (second - first = first, within "   \
    "1e-15 + 1e-12 |g|: a GEMM adds its product block by block, a few ulps), "  \
    "so a bound that zeroes or overwrites the gradients is caught. "            \
    "no_backward: the gradients hold random values and the bound is called "   \
    "with backward = 0: they must be left bit for bit. Deterministic."

#define SHORT_PARAMS                                                             \
    { "iters", 0, 0, 1e6, 1, "steps; 0: thresholds.json's run length" },         \
    { "alpha", 1e-5, 1e-9, 0.1, 0, "false-fail rate of the pass bound" },        \
    { "partial_factor", 2, 1, 100, 0, "the partial band is this x the margin" }, \
    { "partial_score", 0.5, 0, 1, 0, "fraction of the points in the partial band" }

#define SHORT_EXPLAIN(what)                                                      \
    "Trains the model for thresholds.json's run length from the check's seed "  \
    "with YOUR bound (its backward drives Adam; batch 100, lr 1e-3, dynamic "   \
    "binarisation, float32, as vae-train), in your runner; the trained weights " \
    "are handed to runner-ref, which measures " what " with the reference "     \
    "code, so nothing your code reports is trusted. The thresholds come from "  \
    "fixtures/thresholds.json (make fixtures): the reference trained the same " \
    "way from n >= 20 seeds, giving mean m and sample sd s. A new correct run " \
    "is another draw from that distribution, so the one-sided prediction "      \
    "bound m + t_{n-1, 1-alpha} s sqrt(1 + 1/n) (alpha = 1e-5) is missed by a " \
    "correct run with probability alpha exactly if the values are normal. "    \
    "Within twice that margin: half the points. Training stopping on a NaN "    \
    "loss scores 0 with the step."

#define IWAE_PARAMS                                                              \
    { "digits", 20, 1, 100, 1, "digits of the test subset" },                    \
    { "group", 5, 1, 100, 1, "rows per call (digits / group calls)" },          \
    { "repeats", 4, 2, 10000, 1, "your calls per group and iw" },                \
    { "ref_repeats", 16, 2, 10000, 1, "the reference's" },                       \
    { "max_iw", 1000, 1, 1000, 1, "largest iw (of 1, 10, 100, 1000)" },          \
    { "z", 5, 3, 10, 0, "bound on the standardised difference" },                \
    { "z_paired", 7, 3, 10, 0, "bound for the monotone pairs (your own spread)" }, \
    { "floor_abs", 1e-9, 0, 1, 0, "absolute floor" }

#define IWAE_EXPLAIN                                                             \
    "Calls the IWAE bound with iw = 1, 10, 100, 1000 on 20 digits of the test " \
    "subset in G = 4 calls of 5 rows (a batch above 1, so the (B, IW) "         \
    "bookkeeping is exercised), R times each with fresh noise (one seed per "   \
    "call, replayed for every iw), on the pretrained model. Three parts, "     \
    "eight comparisons, each worth the same. (1) Each iw against the "          \
    "reference's mean over its own R_ref calls (independent noise): the calls " \
    "hold different digits, so the spread is the reference's pooled "          \
    "within-call standard deviation s (G(R_ref - 1) degrees of freedom) and "   \
    "an iw passes when |mean - mean_ref| <= z s sqrt(1/(R G) + 1/(R_ref G)) + " \
    "1e-9: Student's t under normality (approximately, since the calls' "      \
    "spreads differ a little). (2) iw = 1 against the reference's ELBO on "    \
    "its calls: the IWAE bound with one sample is the one-sample ELBO (the "   \
    "vae's with the sampled KL log q - log p in place of the closed form: "    \
    "equal in expectation), tolerance z sqrt(s_iw1^2/(R G) + s_elbo^2/(R_ref " \
    "G)) with both spreads the reference's. Your own ELBO is not called here, " \
    "so a wrong ELBO costs the ELBO's checks only. (3) The "                    \
    "bound must not increase from one iw to the next: each pair differenced "  \
    "call by call, failing only when the mean rise exceeds z_paired standard " \
    "errors; a correct bound's gap is >= 0 for every digit, so the one-sided " \
    "rate at a gap of 0 bounds its false fails. Named mistakes: log_sum_exp "  \
    "for log_mean_exp (log iw too low), a sum over the batch, a flipped sign, " \
    "a bound that grows with iw."

const check_def_t checks_models[] = {
    /* ---- vae.c ---- */
    {
        .id = "1.9-vae-elbo-value",
        .title = "vae_negative_elbo_bound: nelbo, kl, rec on a pretrained model",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN(" (the vae's KL is kl_normal against N(0, I))",
                                 "kl closed form, rec"),
    },
    {
        .id = "1.10-vae-elbo-terms-sum",
        .title = "vae_negative_elbo_bound: nelbo = kl + rec, returned",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 0,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 5, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "On a few calls, terms->nelbo must equal terms->kl + "
            "terms->rec and the value returned must equal terms->nelbo, to "
            "1e-12 + 1e-12 x (|kl| + |rec|): a sum of two batch means and a "
            "mean of per-row sums differ by rounding only (~B eps), far under "
            "the bound. Deterministic. No reference run.",
    },
    {
        .id = "1.11-vae-elbo-batch-mean",
        .title = "vae_negative_elbo_bound: batch means on 97 rows",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 100, 100) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "1.12-vae-elbo-gradient",
        .title = "vae_negative_elbo_bound: gradient of the whole bound",
        .file = "vae.c", .functions = "vae_negative_elbo_bound (backward)",
        .task = "vae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(1) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder"),
    },
    {
        .id = "1.13-vae-backward-contract",
        .title = "vae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "vae.c", .functions = "vae_negative_elbo_bound (backward)",
        .task = "vae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 0,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "1.14-vae-short-run",
        .title = "vae: a short training run with your bound",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the test NELBO (the reference bound, 100 "
                                 "repeats, eval seed 0, on the test subset)"),
    },
    /* ---- gmvae.c ---- */
    {
        .id = "2.8-gmvae-elbo-value",
        .title = "gmvae_negative_elbo_bound: nelbo, kl, rec on a pretrained model",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN("", "kl, one-sample Monte Carlo log q(z|x) - "
                                 "log p(z) under the mixture prior; rec"),
    },
    {
        .id = "2.9-gmvae-elbo-terms-sum",
        .title = "gmvae_negative_elbo_bound: nelbo = kl + rec, returned",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 0,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 5, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "As 1.10, for the gmvae.",
    },
    {
        .id = "2.10-gmvae-elbo-batch-mean",
        .title = "gmvae_negative_elbo_bound: batch means on 97 rows",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 100, 100) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "2.11-gmvae-elbo-gradient",
        .title = "gmvae_negative_elbo_bound: gradient of the whole bound, prior included",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound (backward)",
        .task = "gmvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(1) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder and "
            "the mixture prior's means and raw variances (of the 4 components "
            "nearest the batch's posterior means, where the prior's gradient is "
            "not negligible)"),
    },
    {
        .id = "2.12-gmvae-backward-contract",
        .title = "gmvae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound (backward)",
        .task = "gmvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 0,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "2.13-gmvae-short-run",
        .title = "gmvae: a short training run with your bound",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the test NELBO (the reference bound, 100 "
                                 "repeats, eval seed 0, on the test subset)"),
    },
    /* ---- IWAE ---- */
    {
        .id = "3.4-vae-iwae",
        .title = "vae_negative_iwae_bound: iw = 1 .. 1000 against the reference, iw = 1 = ELBO, non-increasing",
        .file = "vae.c", .functions = "vae_negative_iwae_bound",
        .task = "vae_negative_iwae_bound.values", .needs_ref = 1,
        .eval = eval_iwae, .explain_more = more_iwae,
        .params = { IWAE_PARAMS },
        .explain = IWAE_EXPLAIN,
    },
    {
        .id = "3.5-gmvae-iwae",
        .title = "gmvae_negative_iwae_bound: iw = 1 .. 1000 against the reference, iw = 1 = ELBO, non-increasing",
        .file = "gmvae.c", .functions = "gmvae_negative_iwae_bound",
        .task = "gmvae_negative_iwae_bound.values", .needs_ref = 1,
        .eval = eval_iwae, .explain_more = more_iwae,
        .params = { IWAE_PARAMS },
        .explain = IWAE_EXPLAIN,
    },
    /* ---- ssvae.c ---- */
    {
        .id = "4.1-ssvae-elbo-value",
        .title = "ssvae_negative_elbo_bound: nelbo, kl_y, kl_z, rec on a pretrained model",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 30, 60) },
        .explain = VALUE_EXPLAIN(" (kl_y and kl_z are exact expectations: "
            "kl_cat, and kl_normal weighted by q(y|x))",
            "kl_y and kl_z closed forms, rec"),
    },
    {
        .id = "4.2-ssvae-elbo-terms-sum",
        .title = "ssvae_negative_elbo_bound: nelbo = kl_y + kl_z + rec, returned",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 0,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 3, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "As 1.10, for the ssvae's three terms.",
    },
    {
        .id = "4.3-ssvae-elbo-batch-mean",
        .title = "ssvae_negative_elbo_bound: batch means on 97 rows",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 30, 30) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "4.4-ssvae-elbo-gradient",
        .title = "ssvae_negative_elbo_bound: gradient of the whole bound, classifier included",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound (backward)",
        .task = "ssvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(0) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder, decoder and "
            "classifier (on a seeded initialisation: the pretrained classifier "
            "is so sure of its labels that its gradients are ~1e-9, which "
            "would check nothing)"),
    },
    {
        .id = "4.5-ssvae-backward-contract",
        .title = "ssvae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound (backward)",
        .task = "ssvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 0,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "4.6-ssvae-short-run-accuracy",
        .title = "ssvae: classification accuracy after a short run with your bound",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the classifier's accuracy on the 1000 digits "
                                 "of the test split"),
    },
    /* ---- fsvae.c (bonus) ---- */
    {
        .id = "5.1-fsvae-elbo-value",
        .title = "fsvae_negative_elbo_bound (bonus): nelbo, kl_z, rec",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound",
        .task = "fsvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN(" (rec is -log N(x | decoder mean, 0.1 I) on "
            "grayscale digits; no pretrained fsvae: a seeded initialisation)",
            "kl_z closed form, rec"),
    },
    {
        .id = "5.2-fsvae-elbo-gradient",
        .title = "fsvae_negative_elbo_bound (bonus): gradient of the whole bound",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound (backward)",
        .task = "fsvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(0) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder"),
    },
    {
        .id = "5.3-fsvae-backward-contract",
        .title = "fsvae_negative_elbo_bound (bonus): backward accumulates, backward = 0 does nothing",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound (backward)",
        .task = "fsvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 0,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
};
const size_t n_checks_models = sizeof checks_models / sizeof checks_models[0];
