/* stats_setup.c: the stats305c-hw6 tests' shared setup (stats_setup.h). */
#include "stats_setup.h"

#include <criterion/criterion.h>
#include <stdlib.h>

#include "config.h"
#include "vg_error.h"

void small_model(model_t *m, size_t max_batch, uint64_t seed)
{
    model_config_t c = config_model_stats305c_hw6();
    c.hidden = 6;
    c.enc_hidden[0] = 6;
    c.enc_hidden[1] = 5;
    c.dec_hidden[0] = 5;
    c.dec_hidden[1] = 6;
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
