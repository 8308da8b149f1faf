/* test_optim.c: the stats305c-hw6 reference of problem 1. Gradient
 * descent's iterates against the closed form x_{k+1} = (1 - 2 lr a) x_k on
 * the course's two 2-D quadratics, its losses equal to f of its iterates,
 * the shifted quadratic (c hidden from the optimiser), and Adam taking the
 * 10-D problem below 0.01 in 1,000 iterations. Not the objective's own
 * callbacks (tests/framework/test_objective.c).
 * Shapes: N dimension, T iterations. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "config.h"
#include "numcheck/compare.h"
#include "stats_setup.h"

/* Step k of gradient descent computes x - lr (2 a x) and the closed form
 * (1 - 2 lr a) x: each is a few roundings of x (relative 2^-53 = 1.1e-16
 * each), and the subtraction loses at most a factor 2 lr a / |1 - 2 lr
 * a| <= 1.92 / 0.92 = 2.1 of relative accuracy on the course's problems:
 * within ~10 eps = 1.1e-15 of each other. The bound, 1e-13, has 90x
 * headroom and is still 10^12 times tighter than the step-size mistake
 * (lr a instead of 2 lr a), which changes the factor by 0.16 or more. */
static const cmp_bound_t STEP_BOUND = { 0.0, 1e-13 };

/* xs (T+1, N), losses (T+1) of gradient descent on sum a_i x_i^2. */
static void run_gd(const double *a, size_t n, double lr, size_t iters,
                   double *xs, double *losses)
{
    quadratic_t q = { n, a, NULL };
    objective_t f = quadratic_objective(&q);
    double x0[16];
    const stats305c_config_t s = config_stats305c_hw6();
    for (size_t i = 0; i < n; i++)
        x0[i] = s.gd_x0;
    run_optimization(&f, x0, lr, iters, xs, losses);
}

/* Every iterate against (1 - 2 lr a) times the one before, and every loss
 * against f of its iterate. */
static void expect_closed_form(const double *a, size_t n, double lr,
                               size_t iters, const double *xs,
                               const double *losses, const char *what)
{
    cmp_report_t r;
    quadratic_t q = { n, a, NULL };
    objective_t f = quadratic_objective(&q);
    for (size_t k = 0; k < iters; k++) {
        double want[16], fk = f.value(f.ctx, xs + k * n);
        for (size_t i = 0; i < n; i++)
            want[i] = (1.0 - 2.0 * lr * a[i]) * xs[k * n + i];
        cr_assert(compare_arrays(&r, want, xs + (k + 1) * n, n, STEP_BOUND,
                                 what), "step %zu: %s", k, r.message);
        cr_assert(compare_scalar(&r, fk, losses[k], (cmp_bound_t){ 0, 1e-15 },
                                 "loss = f(iterate)"), "iterate %zu: %s", k,
                  r.message);
    }
    double fl = f.value(f.ctx, xs + iters * n);
    cr_assert(compare_scalar(&r, fl, losses[iters], (cmp_bound_t){ 0, 1e-15 },
                             "last loss = f(last iterate)"), "%s", r.message);
}

Test(optim, gd_matches_closed_form_on_both_course_problems)
{
    const stats305c_config_t s = config_stats305c_hw6();
    const size_t T = s.gd_iters;
    double xs[(50 + 1) * 2], losses[50 + 1];
    cr_assert(T == 50, "the course's 50 iterations");
    run_gd(s.gd_a1, 2, s.gd_lr, T, xs, losses);
    cr_assert(xs[0] == 10.0 && xs[1] == 10.0, "row 0 is x0");
    expect_closed_form(s.gd_a1, 2, s.gd_lr, T, xs, losses, "a = (0.2, 0.2)");
    /* 0.68^50 of 10: the first problem converges */
    cr_assert(fabs(xs[T * 2] - 10.0 * pow(0.68, 50)) <= 1e-12 * 10.0 *
              pow(0.68, 50), "x_50 = %.17g", xs[T * 2]);
    run_gd(s.gd_a2, 2, s.gd_lr, T, xs, losses);
    expect_closed_form(s.gd_a2, 2, s.gd_lr, T, xs, losses, "a = (0.05, 1.2)");
    /* the stiff coordinate flips sign each step (factor -0.92) */
    cr_assert(xs[1 * 2 + 1] < 0 && xs[2 * 2 + 1] > 0, "oscillation");
}

/* The closed form over all 50 steps, x_k = (1 - 2 lr a)^k x0: k roundings
 * of ~2 eps each, 1e-12 bound. */
Test(optim, gd_iterates_are_powers_of_the_factor)
{
    const stats305c_config_t s = config_stats305c_hw6();
    double xs[(50 + 1) * 2], losses[50 + 1];
    run_gd(s.gd_a2, 2, s.gd_lr, 50, xs, losses);
    for (size_t k = 0; k <= 50; k++)
        for (size_t i = 0; i < 2; i++) {
            double want = pow(1.0 - 2.0 * s.gd_lr * s.gd_a2[i], (double)k) * 10;
            cr_assert(fabs(xs[k * 2 + i] - want) <= 1e-12 * fabs(want),
                      "x_%zu[%zu] = %.17g, closed form %.17g", k, i,
                      xs[k * 2 + i], want);
        }
}

/* Gradient descent on sum a_i (x_i - c_i)^2 moves x - c by the same
 * factor: the optimiser uses the callbacks, never an assumed minimum 0. */
Test(optim, gd_follows_a_shifted_minimum)
{
    const double a[3] = {0.3, 0.1, 0.5}, c[3] = {1.5, -2.0, 0.25};
    quadratic_t q = { 3, a, c };
    objective_t f = quadratic_objective(&q);
    double x0[3] = {10, 10, 10}, xs[(20 + 1) * 3], losses[20 + 1];
    run_optimization(&f, x0, 0.5, 20, xs, losses);
    for (size_t k = 0; k < 20; k++)
        for (size_t i = 0; i < 3; i++) {
            double want = c[i] + (1.0 - a[i]) * (xs[k * 3 + i] - c[i]);
            cr_assert(fabs(xs[(k + 1) * 3 + i] - want) <= 1e-13 * 10,
                      "step %zu coordinate %zu: %.17g, want %.17g", k, i,
                      xs[(k + 1) * 3 + i], want);
        }
}

/* Adam on the course's 10-D problem: losses[1000] < 0.01, with every loss
 * f of its iterate. Deterministic (no randomness in it): a pass is
 * repeatable, and the reference's margin is printed by
 * adam_reaches_target's message on failure. The shifted problems (c from
 * three seeds, U(-5, 5) per coordinate) are the grader's kind. */
static double run_adam_10d(const double *c, double *xs, double *losses)
{
    const stats305c_config_t s = config_stats305c_hw6();
    double a[10], x0[10];
    stats305c_hd_coefficients(a, 10);
    for (size_t i = 0; i < 10; i++)
        x0[i] = s.hd_x0;
    quadratic_t q = { 10, a, c };
    objective_t f = quadratic_objective(&q);
    run_my_optimizer(&f, x0, s.hd_iters, xs, losses);
    for (size_t k = 0; k <= s.hd_iters; k++)
        cr_assert(losses[k] == f.value(f.ctx, xs + k * 10),
                  "losses[%zu] is not f(xs row %zu)", k, k);
    return losses[s.hd_iters];
}

Test(optim, adam_reaches_target)
{
    const stats305c_config_t s = config_stats305c_hw6();
    double *xs = malloc((s.hd_iters + 1) * 10 * sizeof *xs);
    double *losses = malloc((s.hd_iters + 1) * sizeof *losses);
    cr_assert(xs && losses);
    double a[10];
    stats305c_hd_coefficients(a, 10);
    cr_assert(fabs(a[0] - 0.01) < 1e-18 && fabs(a[9] - 100.0) < 1e-13,
              "a from 10^-2 to 10^2");
    double last = run_adam_10d(NULL, xs, losses);
    cr_assert(last < s.hd_target, "f after %zu Adam steps: %g, target %g",
              s.hd_iters, last, s.hd_target);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        double c[10];
        uniform_fill(c, 10, -5, 5, seed);
        last = run_adam_10d(c, xs, losses);
        cr_assert(last < s.hd_target, "shifted (seed %llu): f = %g",
                  (unsigned long long)seed, last);
    }
    free(xs);
    free(losses);
}
