/* objective.c: the course's quadratic objective behind objective_t's
 * callbacks (objective.h). Not an optimiser. Shapes: N the dimension. */
#include "objective.h"

static double quadratic_value(const void *ctx, const double *x)
{
    const quadratic_t *q = ctx;
    double f = 0.0;
    for (size_t i = 0; i < q->n; i++) {
        double d = x[i] - (q->c ? q->c[i] : 0.0);
        f += q->a[i] * d * d;
    }
    return f;
}

static void quadratic_grad(const void *ctx, const double *x, double *g)
{
    const quadratic_t *q = ctx;
    for (size_t i = 0; i < q->n; i++)
        g[i] = 2.0 * q->a[i] * (x[i] - (q->c ? q->c[i] : 0.0));
}

objective_t quadratic_objective(const quadratic_t *q)
{
    objective_t f = { q->n, quadratic_value, quadratic_grad, q };
    return f;
}
