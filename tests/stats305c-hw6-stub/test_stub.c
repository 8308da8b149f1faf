/* test_stub.c (stats305c-hw6): every function of the assignment's student
 * stub says "not implemented" under its own name and writes nothing
 * (outputs keep a sentinel, gradients stay 0); the double-valued ones
 * return 0.0 and train_classifier 0. This suite links
 * student_stub/stats305c-hw6/ only. Shapes: N dimension or points, T
 * iterations, B batch, D data dimension (784), Z latent (2). */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "assignment.h"
#include "config.h"
#include "vg_error.h"

#define SENTINEL 1234.5
enum { N = 4, T = 3, B = 2, Z = 2, D = 784 };

static double x[B * D], z[B * Z], mu[B * Z], lv[B * Z], dout[B];
static double logits[B * D], y[N], px[N * 2];
static double xs[(T + 1) * N], losses[T + 1], o1[B * D], o2[B * Z], out[B];
static model_t model;
static annulus_net_t net;

static void fill(double *a, size_t n, double v)
{
    for (size_t i = 0; i < n; i++)
        a[i] = v;
}

static void setup(void)
{
    not_implemented_reset();
    fill(x, B * D, 1.0);
    fill(z, B * Z, 0.5);
    fill(mu, B * Z, 0.1);
    fill(lv, B * Z, -0.2);
    fill(dout, B, 1.0);
    fill(logits, B * D, 0.3);
    fill(y, N, 1.0);
    fill(px, N * 2, 0.7);
    fill(xs, (T + 1) * N, SENTINEL);
    fill(losses, T + 1, SENTINEL);
    fill(o1, B * D, SENTINEL);
    fill(o2, B * Z, SENTINEL);
    fill(out, B, SENTINEL);
    model_config_t c = config_model_stats305c_hw6();
    c.hidden = 3; /* small: the stub never runs the networks */
    c.enc_hidden[0] = 4;
    c.enc_hidden[1] = 3;
    c.dec_hidden[0] = 3;
    c.dec_hidden[1] = 4;
    cr_assert_eq(model_create(&model, &c, NN_FLOAT64, 16, 1), VG_OK, "%s",
                 vg_error_last());
    cr_assert_eq(annulus_net_create(&net, N, 1), VG_OK, "%s", vg_error_last());
}

static void teardown(void)
{
    annulus_net_free(&net);
    model_free(&model);
}

TestSuite(stub, .init = setup, .fini = teardown);

static void all_untouched(const double *a, size_t n, const char *what,
                          const char *func)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(a[i] == SENTINEL, "%s wrote %s[%zu]", func, what, i);
}

static void expect(const char *func)
{
    const char *which = not_implemented_which();
    cr_assert_not_null(which, "%s did not call not_implemented()", func);
    cr_assert_str_eq(which, func);
    all_untouched(xs, (T + 1) * N, "xs", func);
    all_untouched(losses, T + 1, "losses", func);
    all_untouched(o1, B * D, "its first output", func);
    all_untouched(o2, B * Z, "its second output", func);
    all_untouched(out, B, "out", func);
    for (size_t i = 0; i < model.n_params; i++)
        cr_assert(model_grad_get(&model, i) == 0.0, "%s wrote a gradient",
                  func);
    for (size_t i = 0; i < net.n_params; i++)
        cr_assert(net.grads[i] == 0.0, "%s wrote a classifier gradient", func);
}

static objective_t quadratic(quadratic_t *q)
{
    static const double a[N] = {0.2, 0.2, 1, 2};
    q->n = N;
    q->a = a;
    q->c = NULL;
    return quadratic_objective(q);
}

Test(stub, run_optimization)
{
    quadratic_t q;
    objective_t f = quadratic(&q);
    double x0[N] = {10, 10, 10, 10};
    run_optimization(&f, x0, 0.1, T, xs, losses);
    expect("run_optimization");
}
Test(stub, run_my_optimizer)
{
    quadratic_t q;
    objective_t f = quadratic(&q);
    double x0[N] = {10, 10, 10, 10};
    run_my_optimizer(&f, x0, T, xs, losses);
    expect("run_my_optimizer");
}
Test(stub, bce_with_logits_mean)
{
    cr_assert_eq(bce_with_logits_mean(logits, y, N), 0.0);
    expect("bce_with_logits_mean");
}
Test(stub, bce_with_logits_mean_backward)
{
    bce_with_logits_mean_backward(o1, 1.0, logits, y, N);
    expect("bce_with_logits_mean_backward");
}
Test(stub, classifier_loss)
{
    cr_assert_eq(classifier_loss(&net, px, y, N, 1), 0.0);
    expect("classifier_loss");
}
Test(stub, train_classifier)
{
    double before[64];
    cr_assert(net.n_params <= 64);
    for (size_t i = 0; i < net.n_params; i++)
        before[i] = net.params[i];
    cr_assert_eq(train_classifier(&net, px, y, N, 1.0, T, losses), 0);
    expect("train_classifier");
    for (size_t i = 0; i < net.n_params; i++)
        cr_assert(net.params[i] == before[i], "train_classifier moved a "
                  "parameter");
}
Test(stub, kl_gaussian_logvar)
{
    kl_gaussian_logvar(mu, lv, B, Z, out);
    expect("kl_gaussian_logvar");
}
Test(stub, kl_gaussian_logvar_backward)
{
    kl_gaussian_logvar_backward(o2, o2, dout, mu, lv, B, Z);
    expect("kl_gaussian_logvar_backward");
}
Test(stub, bernoulli_log_likelihood)
{
    bernoulli_log_likelihood(x, logits, B, D, out);
    expect("bernoulli_log_likelihood");
}
Test(stub, bernoulli_log_likelihood_backward)
{
    bernoulli_log_likelihood_backward(o1, dout, x, logits, B, D);
    expect("bernoulli_log_likelihood_backward");
}
Test(stub, elbo)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cr_assert_eq(elbo(&model, x, B, &rng, 1), 0.0);
    expect("elbo");
}
