/* test_bound_grad.c: the gradient of each whole reference bound (vae, gmvae,
 * ssvae, fsvae) against central differences over EVERY parameter of a small
 * float64 model (encoder, decoder, the gmvae's prior, the ssvae's
 * classifier), with common random numbers: the noise is reseeded before
 * every evaluation, so the bound is a smooth deterministic function of the
 * parameters. Not values (test_bound_terms.c, test_golden.c).
 *
 * Step and bound: h = 1e-5, |analytic - numeric| <= 1e-8 + 1e-6 |numeric|
 * (fd_options_default). The bound is O(5) here (7 pixels of O(0.7) nats
 * plus a KL of O(1)); rounding in f(x +- h) costs about eps |f| / h =
 * 1.1e-16 * 5 / 1e-5 ~ 6e-11 in the quotient; the truncation error is
 * h^2 |f'''| / 6 ~ 2e-11 |f'''|, with |f'''| O(1) for weights of O(0.5)
 * and ELU, softplus and log-sum-exp of O(1) inputs. Both are >100x under
 * the absolute part, and a larger h would trade rounding for truncation
 * (h = 1e-4: 1e-9 |f'''|), a smaller one the reverse (h = 1e-6: 6e-10).
 * ELU's second derivative jumps at 0, which costs O(h) only when a
 * pre-activation is within h of 0: with ~10^2 of them spread over O(1),
 * about 1e-3 per check, and the seeds below are fixed. Measured: the
 * worst coordinate of each model sits at 0.8% to 1.4% of the bound
 * (errors of 1e-10), so the bound has ~100x headroom on the reference.
 * Shapes: B batch, D data dimension, Z latent, K mixture components. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "bound_setup.h"
#include "vg_error.h"

/* Asserts the gradient of parameters [lo, hi) is not all zero: a bound that
 * never reached a part would pass the difference check with zeros there. */
static void assert_reached(const double *g, size_t lo, size_t hi,
                           const char *part)
{
    double top = 0.0;
    for (size_t i = lo; i < hi; i++)
        top = fmax(top, fabs(g[i]));
    /* Gradients here are O(0.01..1); 1e-6 is far under any that is used. */
    cr_assert(hi > lo && top > 1e-6,
              "the bound's gradient never reaches the %s (parameters "
              "[%zu, %zu), largest |gradient| %g)", part, lo, hi, top);
}

static void check_bound_gradient(model_kind_t kind, size_t batch,
                                 uint64_t seed, const char *what)
{
    model_config_t cfg = small_config(kind);
    bound_case_t c;
    cr_assert_eq(bound_case_init(&c, &cfg, NN_FLOAT64, batch, batch, seed),
                 VG_OK, "%s", vg_error_last());
    model_t *m = &c.model;
    model_zero_grad(m);
    double f = bound_case_elbo(&c, 1);
    cr_assert(isfinite(f), "%s: bound %g: %s", what, f, vg_error_last());

    const size_t n = m->n_params;
    double *g = malloc(n * sizeof *g);   /* (n) analytic gradient */
    cr_assert_not_null(g);
    for (size_t i = 0; i < n; i++)
        g[i] = model_grad_get(m, i);

    fd_problem_t p = bound_case_fd_problem(&c);
    fd_options_t opt = fd_options_default();
    opt.what = what;
    cmp_report_t r;
    int ok = fd_check(&r, &p, g, &opt);
    cr_assert(ok, "%s", r.message);

    /* model.h lays the block out enc | dec | cls | prior. */
    size_t enc = m->enc.net.n_params, dec = m->dec.net.n_params;
    size_t cls = kind == MODEL_SSVAE ? m->cls.net.n_params : 0;
    size_t pri = kind == MODEL_GMVAE ? 2 * m->prior.k * m->prior.z_dim : 0;
    cr_assert_eq(enc + dec + cls + pri, n, "parameter layout: %zu + %zu + "
                 "%zu + %zu != %zu", enc, dec, cls, pri, n);
    assert_reached(g, 0, enc, "encoder");
    assert_reached(g, enc, enc + dec, "decoder");
    if (cls)
        assert_reached(g, enc + dec, enc + dec + cls, "classifier");
    if (pri)
        assert_reached(g, enc + dec + cls, n, "mixture prior");
    free(g);
    bound_case_free(&c);
}

Test(bound_grad, vae_whole_elbo)
{
    check_bound_gradient(MODEL_VAE, 3, 11, "d vae nelbo / d params");
}

Test(bound_grad, gmvae_whole_elbo_with_prior)
{
    check_bound_gradient(MODEL_GMVAE, 3, 12, "d gmvae nelbo / d params");
}

Test(bound_grad, ssvae_whole_elbo_with_classifier)
{
    check_bound_gradient(MODEL_SSVAE, 3, 13, "d ssvae nelbo / d params");
}

Test(bound_grad, fsvae_whole_elbo)
{
    check_bound_gradient(MODEL_FSVAE, 3, 14, "d fsvae nelbo / d params");
}

/* backward accumulates: two backward calls give twice one call's gradient
 * (the caller zeroes; the bound must not). Doubling is exact in binary. */
Test(bound_grad, backward_accumulates)
{
    model_config_t cfg = small_config(MODEL_GMVAE);
    bound_case_t c;
    cr_assert_eq(bound_case_init(&c, &cfg, NN_FLOAT64, 3, 3, 15), VG_OK,
                 "%s", vg_error_last());
    const size_t n = c.model.n_params;
    double *g1 = malloc(n * sizeof *g1), *g2 = malloc(n * sizeof *g2);
    cr_assert(g1 && g2);
    model_zero_grad(&c.model);
    bound_case_elbo(&c, 1);
    for (size_t i = 0; i < n; i++)
        g1[i] = 2.0 * model_grad_get(&c.model, i);
    bound_case_elbo(&c, 1);
    for (size_t i = 0; i < n; i++)
        g2[i] = model_grad_get(&c.model, i);
    cmp_report_t r;
    /* Both calls compute the same numbers, but a GEMM with beta = 1 may add
     * its product into the gradient block by block, rounding differently
     * from one x + x: a few eps relative, so 1e-12 (and 1e-15 absolute for
     * zeros) has headroom, while a bound that zeroes (g2 = g) is off by
     * 100%. */
    cr_assert(compare_arrays(&r, g1, g2, n, (cmp_bound_t){ 1e-15, 1e-12 },
                             "two backward calls vs twice one"), "%s",
              r.message);
    free(g1);
    free(g2);
    bound_case_free(&c);
}
