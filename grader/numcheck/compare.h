/* compare.h: the one numeric comparator (style rule 6). Every value check of
 * the grader and of the tests goes through compare_arrays, so every failure
 * reads the same way: where, expected, got, by how much, how close to the bound.
 * Not a statistical test: bounds are fixed by the caller, with their reason. */
#ifndef VG_NUMCHECK_COMPARE_H
#define VG_NUMCHECK_COMPARE_H

#include <stddef.h>

/* An element is within the bound iff |got - exp| <= abs + rel * |exp|. */
typedef struct cmp_bound {
    double abs, rel;
} cmp_bound_t;

/* What one comparison found. On a failure `worst` is the worst failing
 * element (a non-finite mismatch before any finite one, else the largest
 * margin); on a pass it is the element closest to the bound, so a report
 * shows the headroom. */
typedef struct cmp_report {
    int ok;
    size_t n;          /* elements compared */
    size_t n_bad;      /* elements outside the bound (non-finite ones too) */
    size_t worst;      /* index of the worst element, as reported */
    double expected, got;
    double abs_err;    /* |got - expected| at worst */
    double rel_err;    /* abs_err / |expected| (inf when expected is 0) */
    double margin_pct; /* abs_err as a percentage of the bound at worst */
    int nonfinite;     /* elements where exactly one side, or an expected
                        * side, is NaN/Inf and the two are not the same Inf */
    char message[1024];
} cmp_report_t;

/* Compares got (n) with expected (n) elementwise. Returns 1 when every
 * element is within the bound, 0 otherwise; always fills r, whose message
 * names `what`, the worst index with both values, the absolute and relative
 * error, the margin and the first failing pairs. Equal infinities match;
 * NaN never does and is reported as NaN, never as a size of error. */
int compare_arrays(cmp_report_t *r, const double *expected, const double *got,
                   size_t n, cmp_bound_t bound, const char *what);

/* The same, with the index printed for element j taken from index[j] (NULL:
 * j itself); for callers that compare a subset, such as fd_check. */
int compare_arrays_indexed(cmp_report_t *r, const double *expected,
                           const double *got, const size_t *index, size_t n,
                           cmp_bound_t bound, const char *what);

/* One value: compare_arrays with n = 1. */
int compare_scalar(cmp_report_t *r, double expected, double got,
                   cmp_bound_t bound, const char *what);

#endif
