/* evaluate.h: the pieces every check's evaluation is made of: fetching a
 * runner's array, comparing through the one comparator (compare_arrays)
 * and adding hints, and wording a verdict. Not the decisions of a
 * particular check: those are in checks_*.c. */
#ifndef VG_EVALUATE_H
#define VG_EVALUATE_H

#include <stddef.h>

#include "driver/checks.h"
#include "numcheck/compare.h"

void verdict_set(verdict_t *v, outcome_t o, double score, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends to v->message. */
void verdict_append(verdict_t *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "NaN", "+Inf" or "-Inf" for a non-finite x (printf's %g would say
 * "-nan" for some NaNs); "finite" otherwise. */
const char *eval_nonfinite_word(double x);

/* The array name of r, or NULL after setting v to a grader error (a runner
 * that finished without an array it always emits). side: "submission" or
 * "reference". */
const proto_array_t *eval_array(verdict_t *v, const proto_result_t *r,
                                const char *name, const char *side,
                                size_t want_n);

/* Compares got with expected (n) under bound: passed, or failed with the
 * comparator's numbers and any hint (ref's hint arrays, batch for the
 * sum-versus-mean test); NaN/Inf where a finite value was due is the
 * outcome "nan". */
void eval_compare(verdict_t *v, const case_data_t *cd, const char *what,
                  const double *expected, const double *got, size_t n,
                  cmp_bound_t bound, double batch);

/* The usual value check: the submission's array name against runner-ref's
 * array of the same name, bound from the knobs rel_tol and abs_tol. */
void eval_values(verdict_t *v, const case_data_t *cd, const char *name,
                 const char *what);

/* The usual backward check: each d_<input> of runner-ref (whose gradient
 * fd_check has verified) against the submission's, bound from grad_rel and
 * grad_abs; a backward that overwrote its buffers is named. */
void eval_gradient(verdict_t *v, const case_data_t *cd, const char *function);

#endif
