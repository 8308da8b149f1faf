/* hints.c: mistake patterns (hints.h). Each test is strict (a pattern must
 * hold at every element to within 1e-6 relative), so a hint is only given
 * when it explains all the numbers, never as a guess. */
#include "driver/hints.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Relative agreement a pattern must reach at every element: far above the
 * 1e-16 rounding of an equivalent formula, far below any other mistake. */
#define HINT_REL 1e-6

static const struct { const char *label, *text; } labels[] = {
    { "var_squared", "your values match the formula with v squared in place of v: v is already the variance (do not square it, and do not use it as a standard deviation)" },
    { "var_sqrt", "your values match the formula with sqrt(v) in place of v: v is the variance, not the standard deviation" },
    { "no_log_2pi", "your values lack the normalising constant -D/2 log(2 pi)" },
    { "swapped", "your values match KL(p || q): the arguments q and p are swapped" },
    { "no_minus_one", "your values lack the -1 inside the sum over dimensions (each dimension adds 1/2 too much)" },
    { "log_sum", "your values are log sum_k N(z | m_k, v_k), not the log of the uniform mixture: the weights 1/K (a -log K) are missing" },
    { "log_sum_exp", "your values match log_sum_exp: log_mean_exp also divides by n (subtract log n)" },
    { "log_mean_exp", "your values match log_mean_exp: log_sum_exp does not divide by n" },
    { "std_as_var", "z matches m + v * eps: v is a variance, so scale eps by sqrt(v)" },
    { "overwrote", "the gradient buffers hold exactly the gradient: the backward overwrote them (=) instead of adding to them (+=); backward passes accumulate" },
};

const char *hints_label_text(const char *label)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].label, label) == 0)
            return labels[i].text;
    return NULL;
}

static void append(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buf, size_t cap, const char *fmt, ...)
{
    size_t len = strlen(buf);
    if (len + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, cap - len, fmt, ap);
    va_end(ap);
}

int hints_match(const double *candidate, const double *got, size_t n, double rel)
{
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(candidate[i]) || !isfinite(got[i]))
            return 0;
        if (fabs(got[i] - candidate[i]) > rel * fabs(candidate[i]) + 1e-300)
            return 0;
    }
    return 1;
}

/* got = c * expected at every element where expected is not tiny, for one
 * c: returns 1 and c. */
static int constant_ratio(const double *e, const double *g, size_t n, double *c)
{
    int have = 0;
    double r0 = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(e[i]) || !isfinite(g[i]))
            return 0;
        if (fabs(e[i]) < 1e-12) {
            if (fabs(g[i]) > 1e-9)
                return 0;
            continue;
        }
        double r = g[i] / e[i];
        if (!have) {
            r0 = r;
            have = 1;
        } else if (fabs(r - r0) > HINT_REL * fabs(r0)) {
            return 0;
        }
    }
    *c = r0;
    return have;
}

static int near(double x, double target)
{
    return fabs(x - target) <= HINT_REL * fabs(target);
}

void hints_append(char *buf, size_t cap, const double *expected,
                  const double *got, size_t n, const proto_result_t *ref,
                  double batch)
{
    /* Non-finite values first: they say the most. */
    for (size_t i = 0; i < n; i++) {
        if (isfinite(got[i]) || !isfinite(expected[i]))
            continue;
        if (isnan(got[i]))
            append(buf, cap, "\nHint: your code produced NaN at [%zu]: look for "
                   "0/0, inf - inf or the log of a negative; an output element your "
                   "function never writes also stays NaN (outputs are NaN before "
                   "the call).", i);
        else if (got[i] < 0)
            append(buf, cap, "\nHint: [%zu] is -inf where %.10g was expected: the "
                   "log of 0. If it is the log of a sum of exp(), the sum underflowed "
                   "to 0 before the log: shift by the largest term first, log sum "
                   "exp(a_k) = M + log sum exp(a_k - M), M = max a_k.", i, expected[i]);
        else
            append(buf, cap, "\nHint: [%zu] is +inf where %.10g was expected: if "
                   "it comes from exp() of a large value, that overflowed: shift by "
                   "the largest term before exponentiating.", i, expected[i]);
        return;
    }
    /* A known mistake that runner-ref computed. */
    if (ref) {
        for (size_t a = 0; a < ref->n_arrays; a++) {
            const proto_array_t *h = &ref->arrays[a];
            if (strncmp(h->name, "hint:", 5) != 0 || h->n != n)
                continue;
            const char *text = hints_label_text(h->name + 5);
            /* A mistake whose values the correct ones also match (within
             * HINT_REL everywhere) explains nothing: it is not named. */
            if (text && hints_match(h->data, got, n, HINT_REL) &&
                !hints_match(h->data, expected, n, HINT_REL)) {
                append(buf, cap, "\nHint: %s.", text);
                return;
            }
        }
    }
    double c;
    if (!constant_ratio(expected, got, n, &c))
        return;
    if (near(c, 0.5))
        append(buf, cap, "\nHint: got = expected / 2 everywhere: a factor 2 is "
               "missing (or a 1/2 too many).");
    else if (near(c, 2.0))
        append(buf, cap, "\nHint: got = 2 x expected everywhere: a factor 1/2 is "
               "missing (or a 2 too many).");
    else if (near(c, -1.0))
        append(buf, cap, "\nHint: got = -expected everywhere: the sign is flipped.");
    else if (batch > 1 && near(c, batch))
        append(buf, cap, "\nHint: got = %g x expected (the batch size): a sum over "
               "the batch where the mean was due.", batch);
    else if (batch > 1 && near(c, 1.0 / batch))
        append(buf, cap, "\nHint: got = expected / %g (the batch size): a mean "
               "where a per-row value or a sum was due.", batch);
    else if (!near(c, 1.0) && c != 0)
        append(buf, cap, "\nHint: got = %.6g x expected everywhere: one constant "
               "factor is wrong.", c);
}
