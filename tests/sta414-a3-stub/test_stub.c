/* test_stub.c (sta414-a3): every function of the assignment's student stub
 * says "not implemented" under its own name and writes nothing (outputs
 * keep a sentinel); the double-valued ones return 0.0. This suite links
 * student_stub/sta414-a3/ only. Shapes: B batch, D data dimension (784),
 * Z latent (2). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "assignment.h"
#include "config.h"
#include "vg_error.h"

#define SENTINEL 1234.5
enum { B = 2, Z = 2, D = 784 };

static double x[B * D], z[B * Z], mu[B * Z], ls[B * Z], dout[B];
static double o1[B * Z], o2[B * Z], o3[B * Z], out[B];
static model_t model;

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
    fill(ls, B * Z, -0.2);
    fill(dout, B, 1.0);
    fill(o1, B * Z, SENTINEL);
    fill(o2, B * Z, SENTINEL);
    fill(o3, B * Z, SENTINEL);
    fill(out, B, SENTINEL);
    model_config_t c = config_model_sta414_a3();
    c.hidden = 3;
    cr_assert_eq(model_create(&model, &c, NN_FLOAT64, 16, 1), VG_OK);
}

static void teardown(void)
{
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
}

Test(stub, log_prior) { log_prior(z, B, Z, out); expect("log_prior"); }
Test(stub, log_prior_backward)
{
    log_prior_backward(o1, dout, z, B, Z);
    expect("log_prior_backward");
}
Test(stub, log_q) { log_q(mu, ls, z, B, Z, out); expect("log_q"); }
Test(stub, log_q_backward)
{
    log_q_backward(o1, o2, o3, dout, mu, ls, z, B, Z);
    expect("log_q_backward");
}
Test(stub, log_likelihood)
{
    log_likelihood(&model, x, z, B, out);
    expect("log_likelihood");
}
Test(stub, log_likelihood_backward)
{
    log_likelihood_backward(&model, o1, dout, x, z, B);
    expect("log_likelihood_backward");
}
Test(stub, joint_log_density)
{
    joint_log_density(&model, x, z, B, out);
    expect("joint_log_density");
}
Test(stub, joint_log_density_backward)
{
    joint_log_density_backward(&model, o1, dout, x, z, B);
    expect("joint_log_density_backward");
}
Test(stub, elbo)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cr_assert_eq(elbo(&model, x, B, &rng, 1), 0.0);
    expect("elbo");
}
Test(stub, log_p_top_given_z)
{
    log_p_top_given_z(&model, x, z, B, out);
    expect("log_p_top_given_z");
}
Test(stub, log_p_top_given_z_backward)
{
    log_p_top_given_z_backward(&model, o1, dout, x, z, B);
    expect("log_p_top_given_z_backward");
}
Test(stub, joint_log_density_top)
{
    joint_log_density_top(&model, x, z, B, out);
    expect("joint_log_density_top");
}
Test(stub, joint_log_density_top_backward)
{
    joint_log_density_top_backward(&model, o1, dout, x, z, B);
    expect("joint_log_density_top_backward");
}
Test(stub, svi_top_elbo)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cr_assert_eq(svi_top_elbo(&model, x, mu, ls, B, &rng, o1, o2), 0.0);
    expect("svi_top_elbo");
}
