/* sta414_setup.c: the sta414-a3 tests' shared setup (sta414_setup.h). */
#include "sta414_setup.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "config.h"
#include "vg_error.h"

void small_model(model_t *m, size_t hidden, size_t max_batch, uint64_t seed)
{
    model_config_t c = config_model_sta414_a3();
    c.hidden = hidden;
    cr_assert_eq(model_create(m, &c, NN_FLOAT64, max_batch, seed), VG_OK,
                 "%s", vg_error_last());
}

void binary_digits(double *x, size_t batch, size_t d, double p, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < batch * d; i++)
        x[i] = rng_uniform(&rng) < p ? 1.0 : 0.0;
}

void uniform_fill(double *a, size_t n, double lo, double hi, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++)
        a[i] = lo + (hi - lo) * rng_uniform(&rng);
}

static double pp_get(void *ctx, size_t i)
{
    return model_param_get(((param_problem_t *)ctx)->m, i);
}

static void pp_set(void *ctx, size_t i, double v)
{
    model_param_set(((param_problem_t *)ctx)->m, i, v);
}

static double pp_f(void *ctx)
{
    param_problem_t *p = ctx;
    return p->f(p);
}

fd_problem_t param_fd_problem(param_problem_t *p)
{
    fd_problem_t fp = { p->m->n_params, pp_get, pp_set, pp_f, p };
    return fp;
}

double *grads_copy(const model_t *m)
{
    double *g = malloc(m->n_params * sizeof *g);
    cr_assert_not_null(g);
    for (size_t i = 0; i < m->n_params; i++)
        g[i] = model_grad_get(m, i);
    return g;
}

double dot(const double *w, const double *a, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += w[i] * a[i];
    return s;
}

/* The trapezoid rule on a Gaussian-weighted smooth integrand converges
 * faster than any power of the spacing; the weights at +-8 are
 * exp(-32) ~ 1e-14 of the centre's, so the truncated tails are below
 * double rounding for integrands of polynomial growth. */
double gaussian_expectation_2d(const double *mu, const double *logsig,
                               size_t nodes, size_t max_batch,
                               int (*f)(void *ctx, const double *z, size_t n,
                                        double *out),
                               void *ctx)
{
    const double lo = -8.0, step = 16.0 / (double)(nodes - 1);
    double *z = malloc(max_batch * 2 * sizeof *z);
    double *w = malloc(max_batch * sizeof *w);
    double *out = malloc(max_batch * sizeof *out);
    cr_assert(z && w && out);
    double sum = 0.0, wsum = 0.0;
    size_t filled = 0, total = nodes * nodes;
    for (size_t k = 0; k < total; k++) {
        double u0 = lo + step * (double)(k / nodes);
        double u1 = lo + step * (double)(k % nodes);
        double wt = exp(-0.5 * (u0 * u0 + u1 * u1));
        if (k / nodes == 0 || k / nodes == nodes - 1)
            wt *= 0.5;
        if (k % nodes == 0 || k % nodes == nodes - 1)
            wt *= 0.5;
        z[filled * 2] = mu[0] + exp(logsig[0]) * u0;
        z[filled * 2 + 1] = mu[1] + exp(logsig[1]) * u1;
        w[filled++] = wt;
        if (filled == max_batch || k == total - 1) {
            if (f(ctx, z, filled, out) != 0) {
                sum = NAN;
                break;
            }
            for (size_t i = 0; i < filled; i++) {
                sum += w[i] * out[i];
                wsum += w[i];
            }
            filled = 0;
        }
    }
    free(z);
    free(w);
    free(out);
    return sum / wsum; /* the weights' sum normalises the density */
}
