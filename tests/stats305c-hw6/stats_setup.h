/* stats_setup.h: what the stats305c-hw6 tests share: a small float64 model
 * of the assignment's shape (two ReLU layers each way, per-layer widths,
 * log-variance encoder), seeded binary digits and uniform arrays, and
 * finite-difference problems over a model's parameters. Not a test itself.
 * Shapes: B batch, D data dimension (784), Z latent (2). */
#ifndef VG_TEST_STATS_SETUP_H
#define VG_TEST_STATS_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "assignment.h"
#include "numcheck/finite_diff.h"

/* config_model_stats305c_hw6() with the widths scaled down to encoder
 * 784 -> 6 -> 5 -> 2x2, decoder 2 -> 5 -> 6 -> 784: the same code paths,
 * finite differences over every parameter in seconds. float64, max_batch
 * rows, parameters from seed. Asserts. */
void small_model(model_t *m, size_t max_batch, uint64_t seed);

/* x (B,D): 0/1 pixels, each 1 with probability p, from seed. */
void binary_digits(double *x, size_t batch, size_t d, double p, uint64_t seed);
/* a (n): uniform in [lo, hi) from seed. */
void uniform_fill(double *a, size_t n, double lo, double hi, uint64_t seed);

/* A scalar function of the model's parameters, for fd_check. */
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

#endif
