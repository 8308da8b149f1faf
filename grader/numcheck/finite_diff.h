/* finite_diff.h: the one finite-difference checker (style rule 7). Central
 * differences in float64 over any problem given by callbacks, compared with
 * an analytic gradient through the one comparator (compare.h).
 * Not a gradient computer for training: it is slow on purpose (2 calls of f
 * per coordinate) and checks at most max_coords coordinates. */
#ifndef VG_NUMCHECK_FINITE_DIFF_H
#define VG_NUMCHECK_FINITE_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include "numcheck/compare.h"

/* A scalar function of n coordinates that the checker perturbs through
 * get/set, one coordinate at a time, restoring each exactly afterwards. */
typedef struct fd_problem {
    size_t n;
    double (*get)(void *ctx, size_t i);
    void (*set)(void *ctx, size_t i, double v);
    double (*f)(void *ctx);
    void *ctx;
} fd_problem_t;

typedef struct fd_options {
    double step;          /* h: numeric = (f(x+h) - f(x-h)) / 2h */
    cmp_bound_t bound;    /* analytic vs numeric, numeric as expected */
    size_t max_coords;    /* 0: every coordinate */
    const size_t *skip;   /* (n_skip) coordinates not checked (kinks) */
    size_t n_skip;
    uint64_t seed;        /* picks the coordinates when n > max_coords */
    const char *what;     /* names the gradient in messages; NULL: "gradient" */
} fd_options_t;

/* Step 1e-5, bound 1e-8 + 1e-6 |numeric|, every coordinate, seed 0: right for
 * smooth functions of O(1) values and gradients (truncation ~h^2 = 1e-10,
 * rounding ~1e-16 * |f| / h = 1e-11 |f|). Callers change what differs. */
fd_options_t fd_options_default(void);

/* Checks analytic (n) against central differences of p->f at the
 * coordinates chosen (every one not skipped when n - n_skip <= max_coords or
 * max_coords is 0, else max_coords of them picked with rng seeded from
 * opt->seed). Returns 1 when all agree, 0 otherwise (and on bad arguments);
 * always fills r, whose indices are coordinate indices. A NaN or Inf of f is
 * reported as such, with the coordinate and the side. */
int fd_check(cmp_report_t *r, const fd_problem_t *p, const double *analytic,
             const fd_options_t *opt);

/* The first non-finite evaluation of f among the perturbed points, so a
 * message can say where. */
typedef struct fd_nonfinite {
    int seen;
    size_t coord;
    char side;     /* '+' or '-' */
    double value;
} fd_nonfinite_t;

/* The differences alone, for callers that judge elsewhere (the grader's
 * driver, which holds the tolerances): numeric[j] = (f(x + h e_i) -
 * f(x - h e_i)) / (the distance actually travelled), i = coord[j], for
 * j < m, each coordinate restored bit for bit. Returns 0, with nf saying
 * whether some perturbed f was NaN or Inf; or -1 with r's message when f is
 * not finite at x itself (r->nonfinite set), a coordinate would not restore
 * or the step vanished. fd_check is this followed by compare_arrays. */
int fd_central(cmp_report_t *r, fd_nonfinite_t *nf, const fd_problem_t *p,
               double h, const size_t *coord, size_t m, double *numeric,
               const char *what);

/* The same for a function of a plain double array: x (n) is perturbed in
 * place and restored bit for bit. */
int fd_check_array(cmp_report_t *r, double (*f)(void *ctx, const double *x),
                   void *ctx, double *x, size_t n, const double *analytic,
                   const fd_options_t *opt);

#endif
