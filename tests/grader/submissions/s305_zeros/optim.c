/* optim.c: the submission that computes nothing (the grader's s305_zeros):
 * every output 0, which is f's minimum for the course's quadratic. It must
 * score 0. */
#include <string.h>

#include "assignment.h"

void run_optimization(const objective_t *f, const double *x0, double lr,
                      size_t iters, double *xs, double *losses)
{
    (void)x0; (void)lr;
    memset(xs, 0, (iters + 1) * f->n * sizeof *xs);
    memset(losses, 0, (iters + 1) * sizeof *losses);
}

void run_my_optimizer(const objective_t *f, const double *x0, size_t iters,
                      double *xs, double *losses)
{
    (void)x0;
    memset(xs, 0, (iters + 1) * f->n * sizeof *xs);
    memset(losses, 0, (iters + 1) * sizeof *losses);
}
