/* checks_iwae.c: how the IWAE checks judge a run: iw = 1, 10, 100, 1000
 * against the reference within Monte Carlo tolerance, iw = 1 against the
 * ELBO, the tightening from iw = 1 to the largest iw against the
 * reference's, non-increasing in iw within its own Monte Carlo error (only
 * for a bound that tightens), and the ELBO terms kl and rec the bound
 * fills; values outside a sanity range fail every part. The catalogue
 * entries live in checks_models.c. */
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

/* Relative floor of the IWAE comparisons: rounding of equivalent formulas
 * (the noise dominates every tolerance by far). */
#define IWAE_FLOOR_REL 1e-9

/* ---- IWAE ------------------------------------------------------------------------ */

typedef struct iwae_data {
    const proto_array_t *iw, *niwae, *kl, *rec, *elbo;
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
    size_t n = d->n_iw * d->R * d->G;
    if (!(d->niwae = eval_array(v, r, "niwae", side, n)) ||
        !(d->kl = eval_array(v, r, "kl", side, n)) ||
        !(d->rec = eval_array(v, r, "rec", side, n)) ||
        (with_elbo && !(d->elbo = eval_array(v, r, "elbo", side, d->R * d->G))))
        return VG_ERR;
    return VG_OK;
}

/* The mean and pooled within-call spread over the (R,G) calls of array a,
 * laid out (n_iw,R,G), at the i-th iw; returns the spread's degrees of
 * freedom. */
static double at_iw(const iwae_data_t *x, const proto_array_t *a, size_t i,
                    double *mean, double *sd)
{
    double df;
    grouped_mean_sd(a->data + i * x->R * x->G, x->R, x->G, 1, mean, sd, &df);
    return df;
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
        double ms, ss, mr, sr;
        at_iw(s, s->niwae, i, &ms, &ss);
        at_iw(r, r->niwae, i, &mr, &sr);
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
static int iwae_monotone(verdict_t *v, tally_t *t, const iwae_data_t *s,
                         double zp, int gate)
{
    size_t RG = s->R * s->G, pairs = s->n_iw ? s->n_iw - 1 : 0;
    int ok_all = 1;
    double df = (double)(s->G * (s->R - 1)), means[8];
    for (size_t i = 0; i < s->n_iw && i < 8; i++) {
        double sd;
        at_iw(s, s->niwae, i, &means[i], &sd);
    }
    double *d = calloc(RG + 1, sizeof *d);   /* (R,G) paired differences */
    if (!d)
        return 1;
    verdict_append(v, "\nNot increasing with iw (paired over your %zu calls; a "
                   "pair fails when it rises by more than %g standard errors%s):",
                   RG, zp, gate ? "" : "; scored only for a bound that tightens "
                   "as the reference's does, which yours does not, since a "
                   "constant never increases");
    for (size_t i = 0; i + 1 < s->n_iw && i + 1 < 8; i++) {
        for (size_t j = 0; j < RG; j++)
            d[j] = s->niwae->data[(i + 1) * RG + j] - s->niwae->data[i * RG + j];
        double md, sd, dfd;
        grouped_mean_sd(d, s->R, s->G, 1, &md, &sd, &dfd);
        double se = sd / sqrt((double)RG);
        int ok = isfinite(md) && md <= zp * se;
        t->passed += ok && gate;
        t->parts++;
        ok_all &= ok;
        verdict_append(v, "\n  iw %4.0f -> %4.0f: %.6g -> %.6g, change %+.4g "
                       "(standard error %.3g)  %s", s->iw->data[i],
                       s->iw->data[i + 1], means[i], means[i + 1], md, se,
                       !ok ? "INCREASES" : gate ? "ok" : "not scored");
    }
    free(d);
    t->rate += (double)pairs * stats_t_tail1(zp, df);
    return ok_all;
}

/* Per call (R,G): niwae at iw = 1 minus niwae at the largest iw. */
static void gap_of(double *d, const iwae_data_t *x)
{
    size_t RG = x->R * x->G, last = x->n_iw - 1;
    for (size_t j = 0; j < RG; j++)
        d[j] = x->niwae->data[j] - x->niwae->data[last * RG + j];
}

/* Part: the bound tightens from iw = 1 to the largest iw by as much as the
 * reference's, within Monte Carlo error. One-sided (only falling short
 * fails): your gap's mean against the reference's, tolerance z s_d
 * sqrt(1/(R G) + 1/(R_ref G)) with s_d the reference's pooled within-call
 * spread of the paired gap; a correct bound's gap has the reference's
 * expectation, so this is Student's t with G(R_ref - 1) degrees of freedom
 * and fails it with probability P(t > z). An ELBO returned for the IWAE
 * (gap 0) or a constant fails it. Returns 1 when it passes. */
static int iwae_tightens(verdict_t *v, tally_t *t, const iwae_data_t *s,
                         const iwae_data_t *r, double z, double fa)
{
    double *ds = calloc(s->R * s->G + r->R * r->G + 1, sizeof *ds);
    if (!ds)
        return 0;
    double *dr = ds + s->R * s->G;
    gap_of(ds, s);
    gap_of(dr, r);
    double ms, ss, dfs, mr, sr, dfr;
    grouped_mean_sd(ds, s->R, s->G, 1, &ms, &ss, &dfs);
    grouped_mean_sd(dr, r->R, r->G, 1, &mr, &sr, &dfr);
    free(ds);
    double tol = z * sr * sqrt(1.0 / (double)(s->R * s->G) +
                               1.0 / (double)(r->R * r->G)) + fa;
    int ok = isfinite(ms) && mr - ms <= tol;
    t->parts++;
    t->passed += ok;
    t->rate += stats_t_tail1(z, dfr);
    verdict_append(v, "\nTightening from iw = 1 to iw = %.0f (paired call by "
                   "call; it must not fall short of the reference's by more "
                   "than %g x its spread x sqrt(1/%zu + 1/%zu)):\n  yours %.4g, "
                   "the reference's %.4g (sd %.3g): short by %.3g %s %.3g  %s",
                   s->iw->data[s->n_iw - 1], z, s->R * s->G, r->R * r->G, ms,
                   mr, sr, mr - ms, ok ? "<=" : ">", tol, ok ? "ok" : "WRONG");
    if (!ok && isfinite(ms) && fabs(ms) <= tol)
        verdict_append(v, "\n  (your bound does not tighten at all with more "
                       "samples: with iw samples it is -log of the MEAN of the "
                       "iw importance weights, not the ELBO of one of them)");
    return ok;
}

/* Part: the ELBO terms kl and rec the bound fills (from its first
 * importance sample, assignment.h), at every iw, against the reference's
 * within z s sqrt(1/(R G) + 1/(R_ref G)) + 1e-9 + 1e-5 |expected| (the
 * value checks' floor, for the vae's closed-form KL). */
static void iwae_terms(verdict_t *v, tally_t *t, const iwae_data_t *s,
                       const iwae_data_t *r, double z, double fa)
{
    const proto_array_t *sa[2] = { s->kl, s->rec }, *ra[2] = { r->kl, r->rec };
    const char *names[2] = { "kl", "rec" };
    size_t RGs = s->R * s->G, RGr = r->R * r->G;
    int ok_all = 1;
    verdict_append(v, "\nThe terms kl and rec (the ELBO of the first "
                   "importance sample) against the reference's:");
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < s->n_iw; i++) {
            double ms, ss, mr, sr;
            at_iw(s, sa[k], i, &ms, &ss);
            double dfr = at_iw(r, ra[k], i, &mr, &sr);
            mc_term_t m;
            mc_term(&m, names[k], ms, ss, (double)RGs, mr, sr, (double)RGr, z,
                    fa, 1e-5);
            ok_all &= m.ok;
            t->nonfinite += !m.finite;
            t->rate += stats_t_tail2(z, dfr);
            if (!m.ok || i == s->n_iw - 1)
                verdict_append(v, "\n  %-3s at iw = %-5.0f expected %.8g (sd "
                               "%.3g), got %.8g: |diff| %.3g %s %.3g  %s",
                               names[k], s->iw->data[i], mr, sr, ms,
                               fabs(ms - mr), m.ok ? "<=" : ">",
                               m.tol + 1e-5 * fabs(mr), m.ok ? "ok" : "WRONG");
        }
    t->parts++;
    t->passed += ok_all;
}

/* Every iw's mean must be plausible against the reference's (same sign,
 * within SANE_FACTOR): 0.02 nat where 96 is due is not an IWAE bound
 * whose other properties would mean anything. 1 when all are. */
static int iwae_sane(verdict_t *v, const iwae_data_t *s, const iwae_data_t *r)
{
    for (size_t i = 0; i < s->n_iw; i++) {
        double ms, ss, mr, sr;
        at_iw(s, s->niwae, i, &ms, &ss);
        at_iw(r, r->niwae, i, &mr, &sr);
        if (!plausible(ms, mr, SANE_FACTOR)) {
            verdict_append(v, "\nYour bound at iw = %.0f is %.6g on average "
                           "where the reference's is %.6g: not a plausible "
                           "negative IWAE bound (same sign, within a factor "
                           "%g), so no part of this check scores.",
                           s->iw->data[i], ms, mr, SANE_FACTOR);
            return 0;
        }
    }
    return 1;
}

void eval_iwae(verdict_t *v, const case_data_t *cd)
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
    int tightens = iwae_tightens(v, &t, &s, &r, z, fa);
    int monotone = iwae_monotone(v, &t, &s, zp, tightens);
    iwae_terms(v, &t, &s, &r, z, fa);
    if (!iwae_sane(v, &s, &r))
        t.passed = 0;
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

void more_iwae(const check_conf_t *c, const char *root, char *buf,
               size_t cap)
{
    (void)root;
    double digits = c->params[0], group = c->params[1], r = c->params[2];
    double rr = c->params[3], max_iw = c->params[4], z = c->params[5];
    double zp = c->params[6];
    double G = digits / group, df = G * (rr - 1), dfp = G * (r - 1);
    double n_iw = 1;
    for (double iw = 10; iw <= max_iw; iw *= 10)
        n_iw++;
    double t2 = stats_t_tail2(z, df), t1 = stats_t_tail1(z, df);
    double tp = stats_t_tail1(zp, dfp);
    double rate = (n_iw + 1) * t2 + t1 + (n_iw - 1) * tp + 2 * n_iw * t2;
    snprintf(buf, cap, "With this profile: G = %.0f calls of %.0f digits, %.0f "
             "values of iw; the reference's spread has %.0f degrees of freedom, "
             "yours %.0f. %.0f comparisons with the reference (each iw, and "
             "iw = 1 against its ELBO), each failing a correct bound with "
             "probability about P(|t_%.0f| > %g) = %.2e; the tightening, "
             "one-sided, P(t_%.0f > %g) = %.2e; %.0f monotone pairs, each at "
             "most P(t_%.0f > %g) = %.2e; the terms kl and rec at every iw, "
             "%.0f comparisons at %.2e each. In all <= %.2e per seed.", G,
             group, n_iw, df, dfp, n_iw + 1, df, z, t2, df, z, t1, n_iw - 1,
             dfp, zp, tp, 2 * n_iw, t2, rate);
}
