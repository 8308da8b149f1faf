/* cse_setup.c: the cse599i-hw2 tests' shared setup (cse_setup.h). */
#include "cse_setup.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "config.h"
#include "vg_error.h"

void small_model(model_t *m, size_t hidden, size_t max_batch, uint64_t seed)
{
    model_config_t c = config_model_cse599i_hw2();
    c.hidden = hidden;
    cr_assert_eq(model_create(m, &c, NN_FLOAT64, max_batch, seed), VG_OK,
                 "%s", vg_error_last());
}

void small_flow(iaf_t *f, size_t n_steps, size_t hidden, size_t max_batch,
                uint64_t seed)
{
    iaf_config_t c = config_cse599i_hw2().iaf;
    c.n_steps = n_steps;
    c.hidden = hidden;
    cr_assert_eq(iaf_create(f, &c, NN_FLOAT64, max_batch, seed), VG_OK, "%s",
                 vg_error_last());
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
    param_problem_t *p = ctx;
    return i < p->m->n_params ? model_param_get(p->m, i)
                              : iaf_param_get(p->flow, i - p->m->n_params);
}

static void pp_set(void *ctx, size_t i, double v)
{
    param_problem_t *p = ctx;
    if (i < p->m->n_params)
        model_param_set(p->m, i, v);
    else
        iaf_param_set(p->flow, i - p->m->n_params, v);
}

static double pp_f(void *ctx)
{
    param_problem_t *p = ctx;
    return p->f(p);
}

fd_problem_t param_fd_problem(param_problem_t *p)
{
    size_t n = p->m->n_params + (p->flow ? p->flow->n_params : 0);
    fd_problem_t fp = { n, pp_get, pp_set, pp_f, p };
    return fp;
}

double *grads_copy(const model_t *m, const iaf_t *flow)
{
    size_t nf = flow ? flow->n_params : 0;
    double *g = malloc((m->n_params + nf) * sizeof *g);
    cr_assert_not_null(g);
    for (size_t i = 0; i < m->n_params; i++)
        g[i] = model_grad_get(m, i);
    for (size_t i = 0; i < nf; i++)
        g[m->n_params + i] = iaf_grad_get(flow, i);
    return g;
}

double dot(const double *w, const double *a, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += w[i] * a[i];
    return s;
}

void mean_se(const double *a, size_t n, double *mean, double *se)
{
    double s = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    double m = s / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (a[i] - m) * (a[i] - m);
    *mean = m;
    *se = sqrt(ss / (double)(n - 1) / (double)n);
}
