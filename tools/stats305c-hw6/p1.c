/* p1.c: problem 1 (problems.h): the submission's run_optimization on the
 * course's two 2-D quadratics (a = (0.2, 0.2), then (0.05, 1.2); lr 0.8,
 * 50 iterations from (10, 10)) and its run_my_optimizer on the 10-D one
 * (1,000 iterations from (10, ..., 10)), with their pictures. */
#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "assignment.h"
#include "config.h"
#include "figures.h"
#include "vg_error.h"

/* 0: the run gave finite iterates; else the stub's flag or the failure. */
static int checked(const char *what, const double *losses, size_t n)
{
    if (not_implemented_which())
        return S305_NOT_IMPLEMENTED;
    for (size_t k = 0; k < n; k++)
        if (!isfinite(losses[k])) /* drawn as a gap; said here */
            printf("problem 1: %s: loss %zu is %g\n", what, k, losses[k]);
    return S305_DONE;
}

int s305_problem1(const char *out)
{
    const stats305c_config_t c = config_stats305c_hw6();
    const size_t T = c.gd_iters, H = c.hd_iters, N = c.hd_n;
    double *xs_a = malloc((T + 1) * 2 * sizeof *xs_a); /* (T+1, 2) */
    double *xs_b = malloc((T + 1) * 2 * sizeof *xs_b); /* (T+1, 2) */
    double *loss_a = malloc((T + 1) * sizeof *loss_a); /* (T+1) */
    double *loss_b = malloc((T + 1) * sizeof *loss_b); /* (T+1) */
    double *xs_h = malloc((H + 1) * N * sizeof *xs_h); /* (H+1, N) */
    double *loss_h = malloc((H + 1) * sizeof *loss_h); /* (H+1) */
    double *it = malloc((H + 1) * sizeof *it);         /* 0..H */
    double *a_h = malloc(N * sizeof *a_h), *x0_h = malloc(N * sizeof *x0_h);
    char path[S305_PATH_LEN];
    int status = S305_FAILED;
    if (!xs_a || !xs_b || !loss_a || !loss_b || !xs_h || !loss_h || !it ||
        !a_h || !x0_h) {
        vg_error_set("problem 1: out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k <= H; k++)
        it[k] = (double)k;
    const double x0[2] = {c.gd_x0, c.gd_x0};
    quadratic_t qa = {2, c.gd_a1, NULL}, qb = {2, c.gd_a2, NULL};
    objective_t fa = quadratic_objective(&qa), fb = quadratic_objective(&qb);
    run_optimization(&fa, x0, c.gd_lr, T, xs_a, loss_a);
    if ((status = checked("a = (0.2, 0.2)", loss_a, T + 1)) != S305_DONE)
        goto cleanup;
    run_optimization(&fb, x0, c.gd_lr, T, xs_b, loss_b);
    if ((status = checked("a = (0.05, 1.2)", loss_b, T + 1)) != S305_DONE)
        goto cleanup;
    printf("problem 1a: gradient descent, a = (%g, %g), lr %g: f = %.6g after "
           "%zu iterations\n", c.gd_a1[0], c.gd_a1[1], c.gd_lr, loss_a[T], T);
    printf("problem 1b: gradient descent, a = (%g, %g), lr %g: f = %.6g after "
           "%zu iterations\n", c.gd_a2[0], c.gd_a2[1], c.gd_lr, loss_b[T], T);

    stats305c_hd_coefficients(a_h, N);
    for (size_t i = 0; i < N; i++)
        x0_h[i] = c.hd_x0;
    quadratic_t qh = {N, a_h, NULL};
    objective_t fh = quadratic_objective(&qh);
    run_my_optimizer(&fh, x0_h, H, xs_h, loss_h);
    if ((status = checked("the 10-D problem", loss_h, H + 1)) != S305_DONE)
        goto cleanup;
    status = S305_FAILED;
    printf("problem 1c: your optimiser, %zu-D, a from %g to %g: final loss "
           "%.10f (the course asks for < %g: %s)\n", N, a_h[0], a_h[N - 1],
           loss_h[H], c.hd_target, loss_h[H] < c.hd_target ? "met" : "NOT met");

    plot_series_t gd[2] = {{"a = (0.2, 0.2)", it, loss_a, T + 1},
                           {"a = (0.05, 1.2)", it, loss_b, T + 1}};
    double target[2] = {c.hd_target, c.hd_target}, ends[2] = {0.0, (double)H};
    plot_series_t mine[2] = {{"your optimiser, 10-D", it, loss_h, H + 1},
                             {"the course's target, 0.01", ends, target, 2}};
    if (s305_path_in(path, out, "p1_gd_losses.png") != VG_OK ||
        figure_losses(path, "problem 1: gradient descent, lr 0.8",
                      "gradient descent iteration", gd, 2) != VG_OK ||
        s305_path_in(path, out, "p1_gd_contours_a.png") != VG_OK ||
        figure_gd_contours(path, "problem 1a: a = (0.2, 0.2)", c.gd_a1, xs_a,
                           T + 1) != VG_OK ||
        s305_path_in(path, out, "p1_gd_contours_b.png") != VG_OK ||
        figure_gd_contours(path, "problem 1b: a = (0.05, 1.2)", c.gd_a2, xs_b,
                           T + 1) != VG_OK ||
        s305_path_in(path, out, "p1_my_optimizer_losses.png") != VG_OK ||
        figure_losses(path, "problem 1c: your optimiser on the 10-D quadratic",
                      "optimisation iteration", mine, 2) != VG_OK)
        goto cleanup;
    status = S305_DONE;
cleanup:
    free(xs_a);
    free(xs_b);
    free(loss_a);
    free(loss_b);
    free(xs_h);
    free(loss_h);
    free(it);
    free(a_h);
    free(x0_h);
    return status;
}
