/* sta414_setup.h: what the sta414-a3 tests share: a small float64 model of
 * the assignment's shape, seeded binary digits and latents, finite-difference
 * problems over the model's parameters, and the reference functions' exact
 * expectation under a 2-D Gaussian by quadrature. Not a test itself.
 * Shapes: B batch, D data dimension (784), Z latent (2), H hidden. */
#ifndef VG_TEST_STA414_SETUP_H
#define VG_TEST_STA414_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "numcheck/finite_diff.h"

/* The assignment's model (784 -> H tanh -> 2x2, 2 -> H tanh -> 784) with
 * H = hidden, float64, max_batch rows, parameters from seed. Asserts. */
void small_model(model_t *m, size_t hidden, size_t max_batch, uint64_t seed);

/* x (B,D): 0/1 pixels, each 1 with probability p, from seed. */
void binary_digits(double *x, size_t batch, size_t d, double p, uint64_t seed);
/* a (n): uniform in [lo, hi) from seed. */
void uniform_fill(double *a, size_t n, double lo, double hi, uint64_t seed);

/* A scalar function of the model's parameters, for fd_check: f(ctx) with
 * ctx a param_problem_t whose user pointer the callback reads. */
typedef struct param_problem {
    model_t *m;
    double (*f)(struct param_problem *p);
    void *user;
} param_problem_t;
fd_problem_t param_fd_problem(param_problem_t *p);

/* The model's parameter gradients as doubles, (n_params), malloc'd. */
double *grads_copy(const model_t *m);

/* sum_b w[b] a[b]. */
double dot(const double *w, const double *a, size_t n);

/* E over z ~ N(mu, diag exp(2 logsig)) (Z = 2) of f(z), by the trapezoid
 * rule on the standard normal's grid of nodes^2 points over [-8, 8]^2,
 * f called on rows of up to max_batch z at a time: (B,Z) -> out (B).
 * Returns NAN when f fails. */
double gaussian_expectation_2d(const double *mu, const double *logsig,
                               size_t nodes, size_t max_batch,
                               int (*f)(void *ctx, const double *z, size_t n,
                                        double *out),
                               void *ctx);

#endif
