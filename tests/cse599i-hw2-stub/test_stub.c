/* test_stub.c (cse599i-hw2): every function of the assignment's student
 * stub says "not implemented" under its own name and writes nothing
 * (outputs keep a sentinel, the model's and the flow's gradients stay 0);
 * the double-valued ones return 0.0. This suite links
 * student_stub/cse599i-hw2/ only. Shapes: B batch, D data dimension (784),
 * Z latent, M importance samples. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "assignment.h"
#include "config.h"
#include "vg_error.h"

#define SENTINEL 1234.5
enum { B = 2, Z = 10, D = 784 };

static double x[B * D], z[B * Z], mu[B * Z], var[B * Z], dout[B];
static double o1[B * Z], o2[B * Z], o3[B * Z], out[B];
static model_t model;
static iaf_t flow;
static rng_t rng;

static void fill(double *a, size_t n, double v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static void setup(void)
{
    not_implemented_reset();
    fill(x, B * D, 0.0);
    fill(z, B * Z, 0.5);
    fill(mu, B * Z, 0.1);
    fill(var, B * Z, 0.7);
    fill(dout, B, 1.0);
    fill(o1, B * Z, SENTINEL);
    fill(o2, B * Z, SENTINEL);
    fill(o3, B * Z, SENTINEL);
    fill(out, B, SENTINEL);
    model_config_t c = config_model_cse599i_hw2();
    c.hidden = 3;
    cr_assert_eq(model_create(&model, &c, NN_FLOAT64, 16, 1), VG_OK);
    iaf_config_t fc = config_cse599i_hw2().iaf;
    fc.n_steps = 2;
    fc.hidden = Z;
    cr_assert_eq(iaf_create(&flow, &fc, NN_FLOAT64, 16, 2), VG_OK, "%s",
                 vg_error_last());
    rng_seed(&rng, 3);
}

static void teardown(void)
{
    iaf_free(&flow);
    model_free(&model);
}

TestSuite(stub, .init = setup, .fini = teardown);

static void expect(const char *func)
{
    const char *which = not_implemented_which();
    cr_assert_not_null(which, "%s did not call not_implemented()", func);
    cr_assert_str_eq(which, func);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert(o1[i] == SENTINEL && o2[i] == SENTINEL && o3[i] == SENTINEL,
                  "%s wrote an output", func);
    for (size_t i = 0; i < B; i++)
        cr_assert(out[i] == SENTINEL, "%s wrote out", func);
    for (size_t i = 0; i < model.n_params; i++)
        cr_assert(model_grad_get(&model, i) == 0.0, "%s wrote a gradient",
                  func);
    for (size_t i = 0; i < flow.n_params; i++)
        cr_assert(iaf_grad_get(&flow, i) == 0.0, "%s wrote a flow gradient",
                  func);
}

Test(stub, kl_standard_normal)
{
    kl_standard_normal(mu, var, B, Z, out);
    expect("kl_standard_normal");
}
Test(stub, kl_standard_normal_backward)
{
    kl_standard_normal_backward(o1, o2, dout, mu, var, B, Z);
    expect("kl_standard_normal_backward");
}
Test(stub, log_normal_diag)
{
    log_normal_diag(z, mu, var, B, Z, out);
    expect("log_normal_diag");
}
Test(stub, log_normal_diag_backward)
{
    log_normal_diag_backward(o1, o2, o3, dout, z, mu, var, B, Z);
    expect("log_normal_diag_backward");
}
Test(stub, log_standard_normal)
{
    log_standard_normal(z, B, Z, out);
    expect("log_standard_normal");
}
Test(stub, log_standard_normal_backward)
{
    log_standard_normal_backward(o1, dout, z, B, Z);
    expect("log_standard_normal_backward");
}
Test(stub, gaussian_elbo)
{
    cr_assert_eq(gaussian_elbo(&model, x, B, 0.1, &rng, 1), 0.0);
    expect("gaussian_elbo");
}
Test(stub, mc_gaussian_elbo)
{
    cr_assert_eq(mc_gaussian_elbo(&model, x, B, 0.1, &rng, 1), 0.0);
    expect("mc_gaussian_elbo");
}
Test(stub, discrete_output_elbo)
{
    cr_assert_eq(discrete_output_elbo(&model, x, B, &rng, 1), 0.0);
    expect("discrete_output_elbo");
}
Test(stub, log_marginal_is)
{
    log_marginal_is(&model, x, B, 5, &rng, out);
    expect("log_marginal_is");
}
Test(stub, iaf_step)
{
    iaf_step(&model, &flow, 0, z, B, o1, out);
    expect("iaf_step");
}
Test(stub, iaf_step_backward)
{
    iaf_step_backward(&model, &flow, 1, o1, z, dout, z, B);
    expect("iaf_step_backward");
}
Test(stub, iaf_sample)
{
    iaf_sample(&model, &flow, x, B, &rng, o1, out);
    expect("iaf_sample");
}
Test(stub, iaf_elbo)
{
    cr_assert_eq(iaf_elbo(&model, &flow, x, B, &rng, 1), 0.0);
    expect("iaf_elbo");
}
