/* cse_setup.h: what the cse599i-hw2 tests share: a small float64 model and
 * flow of the assignment's shape, seeded grayscale and binary digits,
 * finite-difference problems over the model's and the flow's parameters
 * (one coordinate space: the model's first, then the flow's), and sample
 * statistics. Not a test itself.
 * Shapes: B batch, D data dimension (784), Z latent (10), H hidden. */
#ifndef VG_TEST_CSE_SETUP_H
#define VG_TEST_CSE_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "numcheck/finite_diff.h"

/* The assignment's model (784 -> H ELU -> H ELU -> 2Z, Z -> H ELU -> H ELU
 * -> 784) with H = hidden, float64, max_batch rows, from seed. Asserts. */
void small_model(model_t *m, size_t hidden, size_t max_batch, uint64_t seed);
/* The assignment's flow (Z = 10) with n_steps steps of MADEs of width
 * hidden, float64, from seed. Asserts. */
void small_flow(iaf_t *f, size_t n_steps, size_t hidden, size_t max_batch,
                uint64_t seed);

/* x (B,D): 0/1 pixels, each 1 with probability p, from seed. */
void binary_digits(double *x, size_t batch, size_t d, double p, uint64_t seed);
/* a (n): uniform in [lo, hi) from seed. */
void uniform_fill(double *a, size_t n, double lo, double hi, uint64_t seed);

/* A scalar function of the model's parameters and, when flow is not NULL,
 * the flow's after them, for fd_check: f(p) reads p->user. */
typedef struct param_problem {
    model_t *m;
    iaf_t *flow;
    double (*f)(struct param_problem *p);
    void *user;
} param_problem_t;
fd_problem_t param_fd_problem(param_problem_t *p);
/* The gradients in the same coordinates (model's, then flow's), malloc'd. */
double *grads_copy(const model_t *m, const iaf_t *flow);

/* sum_b w[b] a[b]. */
double dot(const double *w, const double *a, size_t n);
/* Mean and its standard error (sd / sqrt(n)) of a (n), n >= 2. */
void mean_se(const double *a, size_t n, double *mean, double *se);

#endif
