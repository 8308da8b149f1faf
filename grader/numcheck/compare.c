/* compare.c: the one comparator of compare.h. It decides and it words the
 * message; it never prints, and it knows nothing about what is compared
 * beyond the name the caller gives. */
#include "numcheck/compare.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* How many failing pairs a message lists after the worst one. */
#define CMP_FIRST_PAIRS 4

/* Appends to a fixed buffer; output beyond its end is dropped, never
 * overflowed, so a long message is cut rather than lost. */
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    if (*len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    *len += (size_t)w;
    if (*len >= cap)
        *len = cap - 1;
}

/* An element matches as a non-finite pair only when both are the same
 * infinity (log 0 = -inf on both sides, say); NaN never matches. */
static int nonfinite_pair(double e, double g)
{
    return !isfinite(e) || !isfinite(g);
}

static int same_infinity(double e, double g)
{
    return isinf(e) && isinf(g) && (e > 0) == (g > 0);
}

/* err as a percentage of tol; a zero bound is used up by any error. */
static double margin_of(double err, double tol)
{
    if (tol > 0)
        return 100.0 * err / tol;
    return err == 0 ? 0.0 : INFINITY;
}

static void word_value(char *out, size_t cap, double x)
{
    if (isnan(x))
        snprintf(out, cap, "NaN");
    else if (isinf(x))
        snprintf(out, cap, x > 0 ? "+Inf" : "-Inf");
    else
        snprintf(out, cap, "%.10g", x);
}

/* "got NaN where 1.5 was expected": a non-finite mismatch is said as such,
 * never as an error size. */
static void append_nonfinite(char *buf, size_t cap, size_t *len, double e,
                             double g)
{
    char es[32], gs[32];
    word_value(es, sizeof es, e);
    word_value(gs, sizeof gs, g);
    if (isfinite(e))
        append(buf, cap, len, "got %s where %s (finite) was expected", gs, es);
    else if (isfinite(g))
        append(buf, cap, len, "expected value is %s (got %s): the expected side "
               "is not finite", es, gs);
    else
        append(buf, cap, len, "got %s where %s was expected", gs, es);
}

int compare_arrays_indexed(cmp_report_t *r, const double *expected,
                           const double *got, const size_t *index, size_t n,
                           cmp_bound_t bound, const char *what)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    if (!what)
        what = "values";

    /* One pass decides every element and keeps the worst: a non-finite
     * mismatch outranks any finite one, then the largest margin wins, then
     * the first index. */
    int have_worst = 0, worst_bad = 0, worst_nonfinite = 0;
    size_t worst_j = 0;
    double worst_margin = -1;
    for (size_t j = 0; j < n; j++) {
        double e = expected[j], g = got[j];
        int bad, nf = 0;
        double margin;
        if (nonfinite_pair(e, g)) {
            bad = !same_infinity(e, g);
            nf = bad;
            margin = bad ? INFINITY : 0.0;
        } else {
            double err = fabs(g - e);
            double tol = bound.abs + bound.rel * fabs(e);
            bad = !(err <= tol);
            margin = margin_of(err, tol);
        }
        r->n_bad += (size_t)bad;
        r->nonfinite += nf;
        int better = !have_worst
            || (bad && !worst_bad)
            || (bad == worst_bad && nf && !worst_nonfinite)
            || (bad == worst_bad && nf == worst_nonfinite && margin > worst_margin);
        if (better) {
            have_worst = 1;
            worst_bad = bad;
            worst_nonfinite = nf;
            worst_j = j;
            worst_margin = margin;
        }
    }
    r->ok = r->n_bad == 0;

    char *m = r->message;
    size_t cap = sizeof r->message, len = 0;
    if (n == 0) {
        append(m, cap, &len, "%s: nothing to compare (0 elements)", what);
        return r->ok;
    }

    double e = expected[worst_j], g = got[worst_j];
    r->worst = index ? index[worst_j] : worst_j;
    r->expected = e;
    r->got = g;
    r->abs_err = fabs(g - e);
    r->rel_err = e != 0 ? r->abs_err / fabs(e)
                        : (r->abs_err == 0 ? 0.0 : INFINITY);
    r->margin_pct = worst_margin;

    if (r->ok)
        append(m, cap, &len, "%s: all %zu within |got-exp| <= %g + %g*|exp|; "
               "closest to the bound at [%zu]: ", what, n, bound.abs,
               bound.rel, r->worst);
    else
        append(m, cap, &len, "%s: %zu of %zu outside |got-exp| <= %g + %g*|exp|"
               "%s; worst at [%zu]: ", what, r->n_bad, n, bound.abs, bound.rel,
               r->nonfinite ? " (some not finite)" : "", r->worst);
    if (worst_nonfinite) {
        append_nonfinite(m, cap, &len, e, g);
    } else {
        append(m, cap, &len, "expected %.10g, got %.10g, abs err %.3g, "
               "rel err %.3g (%.3g%% of the bound)", e, g, r->abs_err,
               r->rel_err, r->margin_pct);
    }
    if (r->ok)
        return 1;

    append(m, cap, &len, "; first failing:");
    size_t listed = 0;
    for (size_t j = 0; j < n && listed < CMP_FIRST_PAIRS; j++) {
        double ej = expected[j], gj = got[j];
        int bad = nonfinite_pair(ej, gj)
            ? !same_infinity(ej, gj)
            : !(fabs(gj - ej) <= bound.abs + bound.rel * fabs(ej));
        if (!bad)
            continue;
        char es[32], gs[32];
        word_value(es, sizeof es, ej);
        word_value(gs, sizeof gs, gj);
        append(m, cap, &len, "%s [%zu] expected %s got %s", listed ? ";" : "",
               index ? index[j] : j, es, gs);
        listed++;
    }
    if (r->n_bad > listed)
        append(m, cap, &len, "; ... (%zu more)", r->n_bad - listed);
    return 0;
}

int compare_arrays(cmp_report_t *r, const double *expected, const double *got,
                   size_t n, cmp_bound_t bound, const char *what)
{
    return compare_arrays_indexed(r, expected, got, NULL, n, bound, what);
}

int compare_scalar(cmp_report_t *r, double expected, double got,
                   cmp_bound_t bound, const char *what)
{
    return compare_arrays_indexed(r, &expected, &got, NULL, 1, bound, what);
}
