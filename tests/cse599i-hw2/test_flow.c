/* test_flow.c: flow.c of the cse599i-hw2 reference: each step's
 * log-determinant against log|det| of its Jacobian by central differences
 * (float64), the Jacobian triangular in the step's MADE order with sigma
 * on its diagonal, the step's backward by central differences, the flow's
 * density (log q_T = log q_0 - sum of log-dets) by its definition and by
 * E_q_T[r / q_T] = 1, and the IAF ELBO's value and gradient.
 * Shapes: B batch, D data dimension (784), Z latent (10), T steps. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "cse_setup.h"
#include "vg_error.h"

enum { B = 3, D = 784, Z = 10, H = 6, FH = 16, T = 3, MAXB = 16 };
#define LOG_2PI 1.8378770664093454835606594728112353

static model_t model;
static iaf_t flow;
static double x[B * D];

/* The flow's parameters moved off their initialisation (N(0, 0.3^2) added
 * to every kept weight and bias), so m and s vary strongly with z and the
 * off-diagonal Jacobian entries are not small. */
static void shake(iaf_t *f, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < f->n_params; i++)
        iaf_param_set(f, i, iaf_param_get(f, i) + 0.3 * rng_normal(&rng));
}

static void setup(void)
{
    small_model(&model, H, MAXB, 31);
    small_flow(&flow, T, FH, MAXB, 32);
    shake(&flow, 33);
    binary_digits(x, B, D, 0.2, 34);
}

static void teardown(void)
{
    iaf_free(&flow);
    model_free(&model);
}

TestSuite(flow, .init = setup, .fini = teardown);

static void step(size_t t, const double *zin, double *zout, double *logdet)
{
    scratch_reset(&model);
    cr_assert_eq(iaf_step(&model, &flow, t, zin, B, zout, logdet), 0, "%s",
                 vg_error_last());
}

/* log |det A| of a (Z,Z) matrix by LU with partial pivoting. */
static double log_abs_det(double *a, size_t n)
{
    double acc = 0;
    for (size_t c = 0; c < n; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(a[r * n + c]) > fabs(a[p * n + c]))
                p = r;
        if (p != c)
            for (size_t k = 0; k < n; k++) {
                double tmp = a[c * n + k];
                a[c * n + k] = a[p * n + k];
                a[p * n + k] = tmp;
            }
        acc += log(fabs(a[c * n + c]));
        for (size_t r = c + 1; r < n; r++) {
            double f = a[r * n + c] / a[c * n + c];
            for (size_t k = c; k < n; k++)
                a[r * n + k] -= f * a[c * n + k];
        }
    }
    return acc;
}

/* J[j][k] = d z_out[b,j] / d z_in[b,k] by central differences, h = 1e-6:
 * truncation h^2 |f'''| / 6 ~ 1e-13 for O(1..10) third derivatives,
 * rounding eps |z| / h ~ 1e-10. */
static void jacobian(size_t t, const double *z, size_t b, double *J)
{
    const double h = 1e-6;
    double zp[B * Z], zo_p[B * Z], zo_m[B * Z], ld[B];
    for (size_t k = 0; k < Z; k++) {
        memcpy(zp, z, sizeof zp);
        zp[b * Z + k] = z[b * Z + k] + h;
        step(t, zp, zo_p, ld);
        zp[b * Z + k] = z[b * Z + k] - h;
        step(t, zp, zo_m, ld);
        for (size_t j = 0; j < Z; j++)
            J[j * Z + k] = (zo_p[b * Z + j] - zo_m[b * Z + j]) / (2 * h);
    }
}

/* The log-determinant against the Jacobian's: each entry is within ~1e-10,
 * so log|det| (a sum of Z = 10 logs of O(0.1..1) pivots) is within ~1e-8:
 * bound 1e-6. And exactly lower-triangular in the order: an output
 * before k in the order does not move at all when z_k does (the masked
 * weights are exact zeros); the diagonal is sigmoid(s). */
Test(flow, logdet_is_the_jacobians_and_triangular)
{
    double z[B * Z], zo[B * Z], ld[B], J[Z * Z], s[B * Z];
    uniform_fill(z, B * Z, -2, 2, 35);
    for (size_t t = 0; t < T; t++) {
        step(t, z, zo, ld);
        cr_assert_eq(made_forward(&flow.made[t], NULL, s, z, B), 0);
        size_t order[Z], pos[Z];
        iaf_order(&flow, t, order);
        for (size_t i = 0; i < Z; i++)
            pos[order[i]] = i;
        for (size_t b = 0; b < B; b++) {
            jacobian(t, z, b, J);
            for (size_t j = 0; j < Z; j++) {
                double sig = 1 / (1 + exp(-s[b * Z + j]));
                cr_assert(fabs(J[j * Z + j] - sig) < 1e-8,
                          "step %zu row %zu: J[%zu][%zu] = %.10f, sigma %.10f",
                          t, b, j, j, J[j * Z + j], sig);
                for (size_t k = 0; k < Z; k++)
                    if (pos[k] > pos[j])
                        cr_assert_eq(J[j * Z + k], 0.0,
                                     "step %zu: z_out[%zu] depends on z_in[%zu],"
                                     " later in the order", t, j, k);
            }
            double want = log_abs_det(J, Z);
            cr_assert(fabs(ld[b] - want) < 1e-6,
                      "step %zu row %zu: logdet %.10f, log|det J| %.10f", t,
                      b, ld[b], want);
        }
    }
}

/* A non-trivial Jacobian: some entry below the diagonal is far from 0, so
 * the triangularity above tests something. */
Test(flow, jacobian_is_not_diagonal)
{
    double z[B * Z], J[Z * Z], big = 0;
    uniform_fill(z, B * Z, -2, 2, 36);
    jacobian(1, z, 0, J);
    for (size_t j = 0; j < Z; j++)
        for (size_t k = 0; k < Z; k++)
            if (j != k && fabs(J[j * Z + k]) > big)
                big = fabs(J[j * Z + k]);
    cr_assert_gt(big, 0.01);
}

/* ---- the step's backward ---------------------------------------------- */

typedef struct step_case {
    size_t t;
    double z[B * Z], w[B * Z], v[B];
} step_case_t;

static double step_value(step_case_t *c)
{
    double zo[B * Z], ld[B];
    step(c->t, c->z, zo, ld);
    return dot(c->w, zo, B * Z) + dot(c->v, ld, B);
}

static double f_step_z(void *ctx, const double *z)
{
    step_case_t *c = ctx;
    memcpy(c->z, z, sizeof c->z);
    return step_value(c);
}

static double f_step_params(param_problem_t *p)
{
    return step_value(p->user);
}

/* h = 1e-5 (default), bound 1e-7 + 1e-6 |numeric|: values O(10), so
 * rounding eps |L| / h ~ 1e-10. Every z coordinate; 200 parameters. */
Test(flow, step_backward_matches_finite_differences)
{
    static step_case_t c;
    for (size_t t = 0; t < T; t++) {
        c.t = t;
        uniform_fill(c.z, B * Z, -2, 2, 40 + t);
        uniform_fill(c.w, B * Z, -1, 1, 50 + t);
        uniform_fill(c.v, B, -1, 1, 60 + t);
        double dz[B * Z] = { 0 };
        iaf_zero_grad(&flow);
        model_zero_grad(&model);
        scratch_reset(&model);
        cr_assert_eq(iaf_step_backward(&model, &flow, t, dz, c.w, c.v, c.z,
                                       B), 0);
        double *g = grads_copy(&model, &flow);
        for (size_t i = 0; i < model.n_params; i++)
            cr_assert_eq(g[i], 0.0, "the step wrote the model's gradient");

        fd_options_t o = fd_options_default();
        o.bound = (cmp_bound_t){ 1e-7, 1e-6 };
        o.what = "d step / d z_in";
        cmp_report_t r;
        double z0[B * Z];
        memcpy(z0, c.z, sizeof z0);
        cr_assert(fd_check_array(&r, f_step_z, &c, z0, B * Z, dz, &o),
                  "step %zu: %s", t, r.message);
        memcpy(c.z, z0, sizeof z0);

        param_problem_t p = { &model, &flow, f_step_params, &c };
        fd_problem_t fp = param_fd_problem(&p);
        /* only the flow's coordinates: skip the model's */
        size_t n_skip = model.n_params;
        size_t *skip = malloc(n_skip * sizeof *skip);
        cr_assert_not_null(skip);
        for (size_t i = 0; i < n_skip; i++)
            skip[i] = i;
        o.skip = skip;
        o.n_skip = n_skip;
        o.max_coords = 200;
        o.seed = 70 + t;
        o.what = "d step / d flow parameters";
        cr_assert(fd_check(&r, &fp, g, &o), "step %zu: %s", t, r.message);
        free(skip);
        free(g);
    }
}

/* NULL dz_in skips the direct path but still reaches the parameters;
 * NULL dz_out and dlogdet are zero gradients. */
Test(flow, step_backward_nulls)
{
    double z[B * Z], w[B * Z], v[B], dz[B * Z] = { 0 };
    uniform_fill(z, B * Z, -2, 2, 80);
    uniform_fill(w, B * Z, -1, 1, 81);
    uniform_fill(v, B, -1, 1, 82);
    iaf_zero_grad(&flow);
    scratch_reset(&model);
    cr_assert_eq(iaf_step_backward(&model, &flow, 0, dz, w, v, z, B), 0);
    double *g = grads_copy(&model, &flow);
    iaf_zero_grad(&flow);
    scratch_reset(&model);
    cr_assert_eq(iaf_step_backward(&model, &flow, 0, NULL, w, NULL, z, B), 0);
    scratch_reset(&model);
    cr_assert_eq(iaf_step_backward(&model, &flow, 0, NULL, NULL, v, z, B), 0);
    for (size_t i = 0; i < flow.n_params; i++)
        cr_assert(fabs(iaf_grad_get(&flow, i) - g[model.n_params + i]) <=
                      1e-12 * (1 + fabs(g[model.n_params + i])),
                  "parameter %zu", i);
    free(g);
}

/* ---- the flow's density ----------------------------------------------- */

/* iaf_sample by its definition: the encoder, the noise, the steps in turn,
 * log q_T = log N(z_0 | mu, var) - sum of log-dets (a wrong sign moves it
 * by 2 sum logdet, O(1) here). */
Test(flow, sample_is_its_definition)
{
    double zT[B * Z], lq[B];
    rng_t rng;
    rng_seed(&rng, 90);
    scratch_reset(&model);
    cr_assert_eq(iaf_sample(&model, &flow, x, B, &rng, zT, lq), 0);

    double mu[B * Z], var[B * Z], z[B * Z], zn[B * Z], ld[B], want[B];
    rng_seed(&rng, 90);
    scratch_reset(&model);
    cr_assert_eq(encoder_forward(&model, mu, var, x, NULL, B), 0);
    for (size_t i = 0; i < B * Z; i++)
        z[i] = mu[i] + sqrt(var[i]) * rng_normal(&rng);
    for (size_t b = 0; b < B; b++) {
        want[b] = 0;
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            want[b] -= 0.5 * (LOG_2PI + log(var[i]) +
                              (z[i] - mu[i]) * (z[i] - mu[i]) / var[i]);
        }
    }
    double total = 0;
    for (size_t t = 0; t < T; t++) {
        step(t, z, zn, ld);
        memcpy(z, zn, sizeof z);
        for (size_t b = 0; b < B; b++) {
            want[b] -= ld[b];
            total += fabs(ld[b]);
        }
    }
    cr_assert_gt(total, 0.1, "the log-dets are not all ~0");
    for (size_t i = 0; i < B * Z; i++)
        cr_assert(fabs(zT[i] - z[i]) <= 1e-12 * (1 + fabs(z[i])));
    for (size_t b = 0; b < B; b++)
        cr_assert(fabs(lq[b] - want[b]) <= 1e-10 * fabs(want[b]),
                  "row %zu: log q_T %.12f, definition %.12f", b, lq[b],
                  want[b]);
}

/* q_T is a normalised density: E over z ~ q_T of r(z) / q_T(z) = 1, r the
 * standard normal. In Z = 2 (a model and flow of their own, the flow at
 * its initialisation: q_T near q_0, whose variances are O(1) for an
 * untrained encoder), where the weights have a small, finite variance (in
 * Z = 10, and with the shaken flow, the weights' spread is so skewed that
 * a sample mean of them is no test). N = 16 x 2000 draws of one digit's
 * posterior; the sample mean within 5 standard errors of 1: the CLT's
 * two-sided 5.7e-7. A log-det of the wrong sign or a missing one moves
 * the mean by the factor E[exp(2 sum logdet)], several standard errors
 * here (measured: printed on failure). */
Test(flow, density_normalises)
{
    enum { R = 2000, NB = MAXB, Z2 = 2 };
    model_t m2;
    iaf_t f2;
    model_config_t c = config_model_cse599i_hw2();
    c.hidden = H;
    c.z_dim = Z2;
    cr_assert_eq(model_create(&m2, &c, NN_FLOAT64, NB, 41), VG_OK);
    iaf_config_t fc = config_cse599i_hw2().iaf;
    fc.z_dim = Z2;
    fc.n_steps = T;
    fc.hidden = FH;
    cr_assert_eq(iaf_create(&f2, &fc, NN_FLOAT64, NB, 42), VG_OK);
    static double w[R * NB];
    static double xs[NB * D];
    for (size_t b = 0; b < NB; b++)
        memcpy(xs + b * D, x, D * sizeof *xs);
    for (size_t r = 0; r < R; r++) {
        double zT[NB * Z2], lq[NB];
        rng_t rng;
        rng_seed(&rng, 5000 + r);
        scratch_reset(&m2);
        cr_assert_eq(iaf_sample(&m2, &f2, xs, NB, &rng, zT, lq), 0);
        for (size_t b = 0; b < NB; b++) {
            double lr = 0;
            for (size_t j = 0; j < Z2; j++)
                lr -= 0.5 * (LOG_2PI + zT[b * Z2 + j] * zT[b * Z2 + j]);
            w[r * NB + b] = exp(lr - lq[b]);
        }
    }
    double m, se;
    mean_se(w, R * NB, &m, &se);
    cr_assert(fabs(m - 1) < 5 * se, "E[r / q_T] = %.4f, %.1f standard "
              "errors (%.4f) from 1", m, fabs(m - 1) / se, se);
    iaf_free(&f2);
    model_free(&m2);
}

/* ---- the IAF ELBO ----------------------------------------------------- */

static double elbo_at(uint64_t seed, int backward)
{
    rng_t rng;
    rng_seed(&rng, seed);
    scratch_reset(&model);
    return iaf_elbo(&model, &flow, x, B, &rng, backward);
}

Test(flow, elbo_is_its_definition)
{
    double zT[B * Z], lq[B], logits[B * D];
    rng_t rng;
    rng_seed(&rng, 95);
    scratch_reset(&model);
    cr_assert_eq(iaf_sample(&model, &flow, x, B, &rng, zT, lq), 0);
    cr_assert_eq(decoder_forward(&model, logits, zT, NULL, B), 0);
    double want = 0;
    for (size_t b = 0; b < B; b++) {
        double lp = 0, lr = 0;
        for (size_t j = 0; j < D; j++) {
            double l = logits[b * D + j];
            lp += x[b * D + j] * l - (l > 0 ? l + log1p(exp(-l))
                                            : log1p(exp(l)));
        }
        for (size_t j = 0; j < Z; j++)
            lr -= 0.5 * (LOG_2PI + zT[b * Z + j] * zT[b * Z + j]);
        want += (lp + lr - lq[b]) / B;
    }
    double got = elbo_at(95, 0);
    cr_assert(fabs(got - want) <= 1e-10 * fabs(want), "iaf_elbo %.12f, "
              "definition %.12f", got, want);
}

/* A flow whose every sigma is 1 (s's biases at 1e3: sigmoid(s) = 1 and
 * log sigma = 0 in double) is the identity: the IAF ELBO is then the
 * one-sample ELBO with the Monte Carlo KL, which is log_marginal_is at
 * M = 1 at the same noise (importance.c's reference under this suite). */
Test(flow, identity_flow_is_the_plain_elbo)
{
    for (size_t t = 0; t < T; t++) {
        made_t *m = &flow.made[t];
        size_t L = m->net.spec.n_layers;
        for (size_t j = 0; j < Z; j++)
            ((double *)m->net.b[L - 1])[Z + j] = 1e3;
    }
    double got = elbo_at(96, 0), is1[B];
    rng_t rng;
    rng_seed(&rng, 96);
    scratch_reset(&model);
    cr_assert_eq(log_marginal_is(&model, x, B, 1, &rng, is1), 0);
    double want = (is1[0] + is1[1] + is1[2]) / B;
    cr_assert(fabs(got - want) <= 1e-10 * fabs(want), "identity flow %.12f, "
              "IS(M = 1) %.12f", got, want);
}

static double f_elbo(param_problem_t *p)
{
    (void)p;
    return elbo_at(97, 0);
}

/* h = 1e-5, bound 1e-6 + 1e-5 |numeric| (values O(600): rounding 1e-8);
 * 300 coordinates over the model's and the flow's parameters. */
Test(flow, elbo_gradient_matches_finite_differences)
{
    model_zero_grad(&model);
    iaf_zero_grad(&flow);
    elbo_at(97, 1);
    double *g = grads_copy(&model, &flow);
    param_problem_t p = { &model, &flow, f_elbo, NULL };
    fd_problem_t fp = param_fd_problem(&p);
    fd_options_t o = fd_options_default();
    o.bound = (cmp_bound_t){ 1e-6, 1e-5 };
    o.max_coords = 300;
    o.seed = 98;
    o.what = "d iaf_elbo / d (model, flow)";
    cmp_report_t r;
    cr_assert(fd_check(&r, &fp, g, &o), "%s", r.message);
    /* and the flow's part alone, so its ~1% of the coordinates are seen */
    size_t *skip = malloc(model.n_params * sizeof *skip);
    cr_assert_not_null(skip);
    for (size_t i = 0; i < model.n_params; i++)
        skip[i] = i;
    o.skip = skip;
    o.n_skip = model.n_params;
    o.max_coords = 200;
    o.what = "d iaf_elbo / d flow";
    cr_assert(fd_check(&r, &fp, g, &o), "%s", r.message);
    free(skip);
    free(g);
}

/* Training runs in float32: a float32 copy of the model and the flow gives
 * the float64 ELBO at the same noise to float32's rounding. Each of the
 * networks' dot products (up to 784 terms of O(1)) is within ~785 u32
 * sum |w x| ~ 5e-5 relative at worst; through 2 networks and T steps the
 * ELBO, a sum of 784 Bernoulli terms of O(1), moves by less than 1e-4
 * relative (measured: under 1e-9, rounding errors cancelling). */
Test(flow, float32_follows_float64)
{
    model_t m32;
    iaf_t f32;
    model_config_t c = config_model_cse599i_hw2();
    c.hidden = H;
    cr_assert_eq(model_create(&m32, &c, NN_FLOAT32, MAXB, 31), VG_OK);
    cr_assert_eq(model_copy_params(&m32, &model), 0);
    iaf_config_t fc = flow.cfg;
    cr_assert_eq(iaf_create(&f32, &fc, NN_FLOAT32, MAXB, 32), VG_OK);
    cr_assert_eq(iaf_copy_params(&f32, &flow), 0);
    double want = elbo_at(99, 0);
    rng_t rng;
    rng_seed(&rng, 99);
    scratch_reset(&m32);
    double got = iaf_elbo(&m32, &f32, x, B, &rng, 0);
    cr_assert(fabs(got - want) <= 1e-4 * fabs(want), "float32 %.6f, "
              "float64 %.6f", got, want);
    iaf_free(&f32);
    model_free(&m32);
}
