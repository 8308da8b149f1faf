/* test_objective.c: the course's quadratic behind objective_t
 * (objective.h): value and gradient by hand, the hidden shift c, and the
 * gradient by central differences. Not an optimiser (the stats305c-hw6
 * suite). Shapes: N dimension. */
#include <criterion/criterion.h>
#include <math.h>

#include "config.h"
#include "numcheck/finite_diff.h"
#include "objective.h"

Test(objective, quadratic_value_and_gradient)
{
    const double a[3] = {0.5, 2.0, 0.01}, c[3] = {1.0, -1.0, 3.0};
    const double x[3] = {2.0, 0.5, -7.0};
    quadratic_t q = { 3, a, NULL };
    objective_t f = quadratic_objective(&q);
    cr_assert_eq(f.n, 3u);
    cr_assert_eq(f.value(f.ctx, x), 0.5 * 4 + 2.0 * 0.25 + 0.01 * 49);
    double g[3];
    f.grad(f.ctx, x, g);
    cr_assert(g[0] == 2.0 && g[1] == 2.0 && fabs(g[2] + 0.14) < 1e-16);
    q.c = c; /* read at each call, not copied */
    cr_assert(fabs(f.value(f.ctx, x) - (0.5 + 2.0 * 2.25 + 0.01 * 100)) < 1e-15);
    cr_assert_eq(f.value(f.ctx, c), 0.0, "the minimum is at c");
    f.grad(f.ctx, c, g);
    cr_assert(g[0] == 0 && g[1] == 0 && g[2] == 0);
}

static double f_q(void *ctx, const double *x)
{
    const objective_t *f = ctx;
    return f->value(f->ctx, x);
}

Test(objective, gradient_by_finite_differences)
{
    double a[10], c[10], x[10], g[10];
    stats305c_hd_coefficients(a, 10);
    for (size_t i = 0; i < 10; i++) {
        c[i] = 0.3 * (double)i - 1.0;
        x[i] = 10.0 - (double)i;
    }
    quadratic_t q = { 10, a, c };
    objective_t f = quadratic_objective(&q);
    f.grad(f.ctx, x, g);
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-6, 1e-8 }; /* |f| ~ 1e4: rounding 1e-16 * 1e4 / 1e-5 = 1e-7 */
    o.what = "d quadratic / dx";
    cmp_report_t r;
    cr_assert(fd_check_array(&r, f_q, &f, x, 10, g, &o), "%s", r.message);
}
