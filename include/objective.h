/* objective.h: an objective a student's optimiser sees only through
 * callbacks (STATS 305C HW6, problem 1), and the course's quadratic
 * f(x) = sum a_i (x_i - c_i)^2 made into one. Not an optimiser: those are
 * the student's (stats305c-hw6/assignment.h). Shapes: N the dimension. */
#ifndef VG_OBJECTIVE_H
#define VG_OBJECTIVE_H

#include <stddef.h>

/* f: R^N -> R, its value and gradient at x (N). grad OVERWRITES g (N).
 * ctx is the objective's own data, passed back to both; the optimiser
 * never reads it (the grader may shift the minimiser to a hidden c, so
 * only the callbacks say where it is). */
typedef struct objective {
    size_t n;                                             /* N */
    double (*value)(const void *ctx, const double *x);
    void (*grad)(const void *ctx, const double *x, double *g);
    const void *ctx;
} objective_t;

/* f(x) = sum a_i (x_i - c_i)^2: a (N) positive curvatures, c (N) the
 * minimiser, or NULL for 0 (the course's sum a_i x_i^2). The arrays are
 * read at each call, not copied: they and q must outlive the objective. */
typedef struct quadratic {
    size_t n;          /* N */
    const double *a;   /* (N) */
    const double *c;   /* (N) or NULL */
} quadratic_t;

/* The objective of q: value f(x) as above, gradient 2 a_i (x_i - c_i). */
objective_t quadratic_objective(const quadratic_t *q);

#endif
