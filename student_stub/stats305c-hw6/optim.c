/* optim.c (student, STATS 305C HW6 problem 1): gradient descent and an
 * optimiser of your choice on an objective known only through its
 * callbacks. Replace the TODO bodies; keep the signatures. Until then they
 * report themselves as not implemented. Shapes: N dimension, T iterations. */
#include "assignment.h"

void run_optimization(const objective_t *f, const double *x0, double lr,
                      size_t iters, double *xs, double *losses)
{
    /* TODO: N = f->n. xs row 0 = x0, losses[0] = f->value(f->ctx, x0).
     * For k = 0..iters-1: g = grad f(x_k) (f->grad(f->ctx, x_k, g)),
     * x_{k+1} = x_k - lr g into xs row k+1, losses[k+1] = f(x_{k+1}). */
    (void)f; (void)x0; (void)lr; (void)iters; (void)xs; (void)losses;
    not_implemented(__func__);
}

void run_my_optimizer(const objective_t *f, const double *x0, size_t iters,
                      double *xs, double *losses)
{
    /* TODO: the same outputs as run_optimization, with an optimiser of
     * your choice (Adam, say) and hyper-parameters of your choice, good
     * enough to take the 10-D problem below 0.01 in 1,000 iterations. */
    (void)f; (void)x0; (void)iters; (void)xs; (void)losses;
    not_implemented(__func__);
}
