/* evaluate.c: shared evaluation steps (evaluate.h). */
#include "driver/evaluate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "driver/hints.h"

void verdict_set(verdict_t *v, outcome_t o, double score, const char *fmt, ...)
{
    v->outcome = o;
    v->score = score;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof v->message, fmt, ap);
    va_end(ap);
}

void verdict_append(verdict_t *v, const char *fmt, ...)
{
    size_t len = strlen(v->message);
    if (len + 1 >= sizeof v->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->message + len, sizeof v->message - len, fmt, ap);
    va_end(ap);
}

const char *eval_nonfinite_word(double x)
{
    if (isnan(x))
        return "NaN";
    if (isinf(x))
        return x > 0 ? "+Inf" : "-Inf";
    return "finite";
}

const proto_array_t *eval_array(verdict_t *v, const proto_result_t *r,
                                const char *name, const char *side,
                                size_t want_n)
{
    const proto_array_t *a = r ? proto_find(r, name) : NULL;
    if (!a) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the %s runner reported "
                    "no array '%s'", side, name);
        return NULL;
    }
    if (want_n && a->n != want_n) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the %s runner's '%s' has "
                    "%zu values, %zu expected", side, name, a->n, want_n);
        return NULL;
    }
    return a;
}

void eval_compare(verdict_t *v, const case_data_t *cd, const char *what,
                  const double *expected, const double *got, size_t n,
                  cmp_bound_t bound, double batch)
{
    cmp_report_t rep;
    if (compare_arrays(&rep, expected, got, n, bound, what)) {
        verdict_set(v, OUTCOME_PASSED, 1, "%s", rep.message);
        return;
    }
    int produced_nonfinite = 0;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(got[i]) && isfinite(expected[i]))
            produced_nonfinite = 1;
    verdict_set(v, produced_nonfinite ? OUTCOME_NAN : OUTCOME_FAILED, 0, "%s",
                rep.message);
    hints_append(v->message, sizeof v->message, expected, got, n, cd->ref, batch);
}

void eval_values(verdict_t *v, const case_data_t *cd, const char *name,
                 const char *what)
{
    const proto_array_t *e = eval_array(v, cd->ref, name, "reference", 0);
    if (!e)
        return;
    const proto_array_t *g = eval_array(v, cd->sub, name, "submission", e->n);
    if (!g)
        return;
    cmp_bound_t b = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    eval_compare(v, cd, what, e->data, g->data, e->n, b, 0);
}

void eval_gradient(verdict_t *v, const case_data_t *cd, const char *function)
{
    cmp_bound_t b = { case_param(cd, "grad_abs"), case_param(cd, "grad_rel") };
    int compared = 0;
    for (size_t a = 0; a < cd->ref->n_arrays; a++) {
        const proto_array_t *e = &cd->ref->arrays[a];
        size_t len = strlen(e->name);
        if (strncmp(e->name, "d_", 2) != 0 || (len > 4 && strcmp(e->name + len - 4, ".raw") == 0))
            continue;
        const proto_array_t *g = eval_array(v, cd->sub, e->name, "submission", e->n);
        if (!g)
            return;
        char what[96], raw[64];
        snprintf(what, sizeof what, "%s: gradient %s", function, e->name);
        /* The accumulators hold finite values before the call, so a
         * non-finite gradient was written by the backward (never "left
         * unwritten", as an output would be). */
        for (size_t i = 0; i < g->n; i++)
            if (!isfinite(g->data[i]) && isfinite(e->data[i])) {
                verdict_set(v, OUTCOME_NAN, 0, "%s: your code produced %s at %s[%zu], "
                            "where %.10g was expected: the gradient buffers hold "
                            "finite values before the call, so the backward added it "
                            "(look for 0/0, inf - inf, or a log or sqrt of a "
                            "negative)", function, eval_nonfinite_word(g->data[i]), e->name,
                            i, e->data[i]);
                return;
            }
        eval_compare(v, cd, what, e->data, g->data, e->n, b, 0);
        if (v->outcome == OUTCOME_PASSED) {
            compared++;
            continue;
        }
        /* What the buffer held after the call: equal to the gradient
         * means the initial contents were overwritten. */
        snprintf(raw, sizeof raw, "%s.raw", e->name);
        const proto_array_t *r = proto_find(cd->sub, raw);
        if (r && r->n == e->n && hints_match(e->data, r->data, e->n, 1e-6))
            verdict_append(v, "\nHint: %s.", hints_label_text("overwrote"));
        else {
            int all_zero = 1;
            for (size_t i = 0; i < g->n; i++)
                all_zero &= g->data[i] == 0;
            if (all_zero)
                verdict_append(v, "\nHint: nothing was added to %s: is that "
                               "gradient computed (and not skipped)?", e->name);
        }
        return;
    }
    if (!compared) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the reference runner "
                    "reported no gradient");
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "%s: %d gradients within |got-exp| <= %g + "
                "%g*|exp| of the reference's (itself verified against central "
                "differences in float64)", function, compared, b.abs, b.rel);
}
