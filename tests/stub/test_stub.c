/* test_stub.c: every function of the student stub says "not implemented"
 * under its own name, returns 0.0 where it returns a double, and writes
 * nothing (outputs keep a sentinel). Not a test of any real implementation:
 * this suite links student_stub/ only. Shapes: B batch, D data dimension,
 * Y labels, Z latent, K mixture components, n flat length. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "vg_error.h"

/* A value no stub could write by accident. */
#define SENTINEL 1234.5

enum { N = 6, B = 2, K = 3 };

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

static void assert_untouched(const double *a, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(a[i] == SENTINEL, "%s[%zu] was written: %g", what, i, a[i]);
}

/* The flag names `func` and only it; reset leaves none for the next call. */
static void expect_flag(const char *func)
{
    const char *which = not_implemented_which();
    cr_assert_not_null(which, "%s did not call not_implemented()", func);
    cr_assert_str_eq(which, func);
    not_implemented_reset();
    cr_assert_null(not_implemented_which());
}

static void init(void)
{
    not_implemented_reset();
}

TestSuite(stub, .init = init);

/* ---- utils.c ---------------------------------------------------------------- */

Test(stub, sample_gaussian)
{
    double m[N], v[N], z[N], eps[N];
    fill(m, N, 0.0);
    fill(v, N, 1.0);
    fill(z, N, SENTINEL);
    fill(eps, N, SENTINEL);
    rng_t rng, before;
    rng_seed(&rng, 1);
    before = rng;
    sample_gaussian(&rng, m, v, N, z, eps);
    expect_flag("sample_gaussian");
    assert_untouched(z, N, "z");
    assert_untouched(eps, N, "eps");
    cr_assert(memcmp(&rng, &before, sizeof rng) == 0, "the stub drew from rng");
}

Test(stub, sample_gaussian_backward)
{
    double dm[N], dv[N], dz[N], v[N], eps[N];
    fill(dm, N, SENTINEL);
    fill(dv, N, SENTINEL);
    fill(dz, N, 1.0);
    fill(v, N, 1.0);
    fill(eps, N, 0.5);
    sample_gaussian_backward(dm, dv, dz, v, eps, N);
    expect_flag("sample_gaussian_backward");
    assert_untouched(dm, N, "dm");
    assert_untouched(dv, N, "dv");
}

Test(stub, log_normal)
{
    double x[B * N], m[B * N], v[B * N], out[B];
    fill(x, B * N, 0.0);
    fill(m, B * N, 0.0);
    fill(v, B * N, 1.0);
    fill(out, B, SENTINEL);
    log_normal(x, m, v, B, N, out);
    expect_flag("log_normal");
    assert_untouched(out, B, "out");
}

Test(stub, log_normal_backward)
{
    double dx[B * N], dm[B * N], dv[B * N], dout[B], x[B * N], m[B * N], v[B * N];
    fill(dx, B * N, SENTINEL);
    fill(dm, B * N, SENTINEL);
    fill(dv, B * N, SENTINEL);
    fill(dout, B, 1.0);
    fill(x, B * N, 0.0);
    fill(m, B * N, 0.0);
    fill(v, B * N, 1.0);
    log_normal_backward(dx, dm, dv, dout, x, m, v, B, N);
    expect_flag("log_normal_backward");
    assert_untouched(dx, B * N, "dx");
    assert_untouched(dm, B * N, "dm");
    assert_untouched(dv, B * N, "dv");
}

Test(stub, log_normal_mixture)
{
    double z[B * N], m[K * N], v[K * N], out[B];
    fill(z, B * N, 0.0);
    fill(m, K * N, 0.0);
    fill(v, K * N, 1.0);
    fill(out, B, SENTINEL);
    log_normal_mixture(z, m, v, B, K, N, out);
    expect_flag("log_normal_mixture");
    assert_untouched(out, B, "out");
}

Test(stub, log_normal_mixture_backward)
{
    double dz[B * N], dm[K * N], dv[K * N], dout[B], z[B * N], m[K * N], v[K * N];
    fill(dz, B * N, SENTINEL);
    fill(dm, K * N, SENTINEL);
    fill(dv, K * N, SENTINEL);
    fill(dout, B, 1.0);
    fill(z, B * N, 0.0);
    fill(m, K * N, 0.0);
    fill(v, K * N, 1.0);
    log_normal_mixture_backward(dz, dm, dv, dout, z, m, v, B, K, N);
    expect_flag("log_normal_mixture_backward");
    assert_untouched(dz, B * N, "dz");
    assert_untouched(dm, K * N, "dm");
    assert_untouched(dv, K * N, "dv");
}

Test(stub, kl_normal)
{
    double qm[B * N], qv[B * N], out[B];
    fill(qm, B * N, 0.0);
    fill(qv, B * N, 1.0);
    fill(out, B, SENTINEL);
    kl_normal(qm, qv, qm, qv, B, N, out);
    expect_flag("kl_normal");
    assert_untouched(out, B, "out");
}

Test(stub, kl_normal_backward)
{
    double d[4][B * N], dout[B], qm[B * N], qv[B * N];
    for (int i = 0; i < 4; i++)
        fill(d[i], B * N, SENTINEL);
    fill(dout, B, 1.0);
    fill(qm, B * N, 0.0);
    fill(qv, B * N, 1.0);
    kl_normal_backward(d[0], d[1], d[2], d[3], dout, qm, qv, qm, qv, B, N);
    expect_flag("kl_normal_backward");
    for (int i = 0; i < 4; i++)
        assert_untouched(d[i], B * N, "d(qm, qv, pm, pv)");
}

Test(stub, log_mean_exp)
{
    double x[N];
    fill(x, N, 1.0);
    cr_assert_eq(log_mean_exp(x, N), 0.0);
    expect_flag("log_mean_exp");
}

Test(stub, log_sum_exp)
{
    double x[N];
    fill(x, N, 1.0);
    cr_assert_eq(log_sum_exp(x, N), 0.0);
    expect_flag("log_sum_exp");
}

/* ---- the bounds ---------------------------------------------------------- */

/* A real model of the kind (CS236's sizes, float64, B rows), as the
 * grader's runner hands one to a submission, with B rows of x (B,D) and
 * labels y (B,Y) (one-hot; fsvae only). */
typedef struct bound_case {
    model_t model;
    double *x;  /* (B,D) */
    double *y;  /* (B,Y) */
    bound_terms_t terms;
    rng_t rng, rng_before;
} bound_case_t;

static void terms_fill(bound_terms_t *t, double v)
{
    t->nelbo = t->niwae = t->kl = t->kl_z = t->kl_y = t->rec = v;
}

static bound_case_t *case_create(model_kind_t kind)
{
    bound_case_t *c = calloc(1, sizeof *c);
    cr_assert_not_null(c);
    model_config_t cfg = config_model_default(kind);
    cr_assert_eq(model_create(&c->model, &cfg, NN_FLOAT64, B, 7), VG_OK,
                 "model_create: %s", vg_error_last());
    size_t y_dim = cfg.y_dim ? cfg.y_dim : 1;
    c->x = calloc(B * cfg.x_dim + B * y_dim, sizeof *c->x);
    cr_assert_not_null(c->x);
    c->y = c->x + B * cfg.x_dim;
    fill(c->x, B * cfg.x_dim, 0.5);
    for (size_t b = 0; b < B; b++)
        c->y[b * y_dim + b % y_dim] = 1.0;
    terms_fill(&c->terms, SENTINEL);
    rng_seed(&c->rng, 3);
    c->rng_before = c->rng;
    model_zero_grad(&c->model);
    scratch_reset(&c->model);
    return c;
}

/* Return 0.0, raise the flag under func, leave terms, rng and the model's
 * gradients alone (the bounds are called with backward set). */
static void case_finish(bound_case_t *c, double ret, const char *func)
{
    cr_assert_eq(ret, 0.0, "%s returned %g", func, ret);
    expect_flag(func);
    const bound_terms_t *t = &c->terms;
    double got[6] = { t->nelbo, t->niwae, t->kl, t->kl_z, t->kl_y, t->rec };
    assert_untouched(got, 6, "terms (nelbo, niwae, kl, kl_z, kl_y, rec)");
    cr_assert(memcmp(&c->rng, &c->rng_before, sizeof c->rng) == 0,
              "%s drew from rng", func);
    for (size_t i = 0; i < c->model.n_params; i++)
        cr_assert(model_grad_get(&c->model, i) == 0.0,
                  "%s wrote gradient %zu", func, i);
    model_free(&c->model);
    free(c->x);
    free(c);
}

Test(stub, vae_negative_elbo_bound)
{
    bound_case_t *c = case_create(MODEL_VAE);
    double r = vae_negative_elbo_bound(&c->model, c->x, B, &c->rng, &c->terms, 1);
    case_finish(c, r, "vae_negative_elbo_bound");
}

Test(stub, vae_negative_iwae_bound)
{
    bound_case_t *c = case_create(MODEL_VAE);
    double r = vae_negative_iwae_bound(&c->model, c->x, B, 10, &c->rng, &c->terms);
    case_finish(c, r, "vae_negative_iwae_bound");
}

Test(stub, gmvae_negative_elbo_bound)
{
    bound_case_t *c = case_create(MODEL_GMVAE);
    double r = gmvae_negative_elbo_bound(&c->model, c->x, B, &c->rng, &c->terms, 1);
    case_finish(c, r, "gmvae_negative_elbo_bound");
}

Test(stub, gmvae_negative_iwae_bound)
{
    bound_case_t *c = case_create(MODEL_GMVAE);
    double r = gmvae_negative_iwae_bound(&c->model, c->x, B, 10, &c->rng, &c->terms);
    case_finish(c, r, "gmvae_negative_iwae_bound");
}

Test(stub, ssvae_negative_elbo_bound)
{
    bound_case_t *c = case_create(MODEL_SSVAE);
    double r = ssvae_negative_elbo_bound(&c->model, c->x, B, &c->rng, &c->terms, 1);
    case_finish(c, r, "ssvae_negative_elbo_bound");
}

Test(stub, fsvae_negative_elbo_bound)
{
    bound_case_t *c = case_create(MODEL_FSVAE);
    double r = fsvae_negative_elbo_bound(&c->model, c->x, c->y, B, &c->rng,
                                         &c->terms, 1);
    case_finish(c, r, "fsvae_negative_elbo_bound");
}
