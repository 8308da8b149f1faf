/* test_nn.c: the GEMM networks against the plain-loop reference, float32
 * against float64 within a derived error bound, every activation against
 * its closed form, backward by central differences, the accumulate
 * contract, PyTorch's initialisation, and the errors. Not a speed test.
 * Shapes: B batch, I input width, O output width. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nn.h"
#include "numcheck/compare.h"
#include "numcheck/finite_diff.h"
#include "rng.h"
#include "vg_error.h"

#define U32 0x1.0p-24 /* unit roundoff of float32 */
#define U64 0x1.0p-53 /* unit roundoff of float64 */

/* A network with its own parameter and gradient blocks. */
typedef struct fixture {
    mlp_t net;
    void *params, *grads;
} fixture_t;

static void fixture_make(fixture_t *f, const mlp_spec_t *s, nn_dtype_t dtype,
                         size_t max_batch, uint64_t seed)
{
    size_t n = mlp_param_count(s);
    f->params = calloc(n, (size_t)dtype);
    f->grads = calloc(n, (size_t)dtype);
    cr_assert(f->params && f->grads);
    cr_assert_eq(mlp_init(&f->net, s, dtype, max_batch, f->params, f->grads),
                 VG_OK, "%s", vg_error_last());
    rng_t r;
    rng_seed(&r, seed);
    mlp_init_params(&f->net, &r);
}

static void fixture_free(fixture_t *f)
{
    mlp_free(&f->net);
    free(f->params);
    free(f->grads);
}

static void fill_normal(double *x, size_t n, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    rng_normal_fill(&r, x, n);
}

/* Every activation, each kind of layer width change. */
static const mlp_spec_t SPEC_ALL = {
    4, { 13, 17, 11, 9, 5 }, { NN_ELU, NN_TANH, NN_RELU, NN_IDENTITY }
};
/* The VAE's encoder. */
static const mlp_spec_t SPEC_ENC = {
    3, { 784, 300, 300, 20 }, { NN_ELU, NN_ELU, NN_IDENTITY }
};

static double act_exact(nn_act_t act, double x)
{
    switch (act) {
    case NN_ELU: return x > 0 ? x : expm1(x);
    case NN_TANH: return tanh(x);
    case NN_RELU: return x > 0 ? x : 0.0;
    case NN_IDENTITY: break;
    }
    return x;
}

/* Forward error bound of a network evaluated in precision u, elementwise,
 * by the standard analysis of dot products (Higham, Accuracy and Stability
 * of Numerical Algorithms, ch. 3): in any summation order, a computed
 * sum_i w_i x_i + b is within (I + 1) u / (1 - (I + 1) u) of
 * sum |w_i x_i| + |b|. An input error e propagates through |W| (every
 * activation here is 1-Lipschitz), and evaluating the activation adds at
 * most 4 ulp of its value (libm's tanhf is within 2, the float32 ELU
 * within 1). So, layer by layer, with a the exact float64 activations:
 *   e'[o] = sum_i |W_oi| e[i] + g_I (sum_i |W_oi a_i| + |b_o|) + 4u |a'_o|,
 * starting from e = u |x| when the input is rounded to the precision (0
 * when it is not). bound (B,O). net64 holds the float64 parameters. */
static void forward_error_bound(const mlp_t *net64, const double *in,
                                size_t batch, double u, int input_rounded,
                                double *bound)
{
    const mlp_spec_t *s = &net64->spec;
    size_t max_w = 0;
    for (size_t l = 0; l <= s->n_layers; l++)
        max_w = s->sizes[l] > max_w ? s->sizes[l] : max_w;
    double *a = malloc(max_w * sizeof *a), *a2 = malloc(max_w * sizeof *a2);
    double *e = malloc(max_w * sizeof *e), *e2 = malloc(max_w * sizeof *e2);
    cr_assert(a && a2 && e && e2);
    for (size_t r = 0; r < batch; r++) {
        for (size_t i = 0; i < s->sizes[0]; i++) {
            a[i] = in[r * s->sizes[0] + i];
            e[i] = input_rounded ? u * fabs(a[i]) : 0.0;
        }
        for (size_t l = 0; l < s->n_layers; l++) {
            size_t ni = s->sizes[l], no = s->sizes[l + 1];
            const double *W = net64->W[l], *b = net64->b[l];
            double g = (double)(ni + 1) * u / (1 - (double)(ni + 1) * u);
            for (size_t o = 0; o < no; o++) {
                double z = b[o], mag = fabs(b[o]), prop = 0;
                for (size_t i = 0; i < ni; i++) {
                    double w = W[mlp_weight_index(s, l, o, i)];
                    z += w * a[i];
                    mag += fabs(w * a[i]);
                    prop += fabs(w) * e[i];
                }
                a2[o] = act_exact(s->acts[l], z);
                e2[o] = prop + g * mag + 4 * u * fabs(a2[o]);
            }
            memcpy(a, a2, no * sizeof *a);
            memcpy(e, e2, no * sizeof *e);
        }
        memcpy(bound + r * s->sizes[s->n_layers], e,
               s->sizes[s->n_layers] * sizeof *e);
    }
    free(a);
    free(a2);
    free(e);
    free(e2);
}

/* Asserts |got - want| <= bound elementwise, reporting the worst ratio. */
static void assert_within(const double *want, const double *got,
                          const double *bound, size_t n, const char *what)
{
    size_t worst = 0;
    double ratio = 0;
    for (size_t i = 0; i < n; i++) {
        double q = fabs(got[i] - want[i]) / bound[i];
        cr_assert(isfinite(got[i]), "%s: [%zu] is %g", what, i, got[i]);
        if (q > ratio) {
            ratio = q;
            worst = i;
        }
    }
    cr_assert(ratio <= 1.0, "%s: [%zu] want %.17g got %.17g, error %.3g is "
              "%.1f%% of the bound %.3g", what, worst, want[worst],
              got[worst], fabs(got[worst] - want[worst]), 100 * ratio,
              bound[worst]);
}

/* ---- forward -------------------------------------------------------------- */

/* Both paths sum the same float64 products in different orders, so they
 * differ by at most twice the float64 bound of forward_error_bound (each is
 * within it of the exact value); at these widths that is ~1e-14, and a
 * wrong transpose, bias or activation is off by O(1). */
Test(nn, gemm_path_matches_naive_f64)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 8, 1);
    double in[8 * 13], out[8 * 5], ref[8 * 5], bound[8 * 5];
    fill_normal(in, 8 * 13, 2);
    size_t batches[2] = { 8, 3 };
    for (int t = 0; t < 2; t++) {
        size_t b = batches[t];
        cr_assert_eq(mlp_forward(&f.net, out, in, b), VG_OK);
        mlp_forward_naive(&f.net, ref, in, b);
        forward_error_bound(&f.net, in, b, U64, 0, bound);
        for (size_t i = 0; i < b * 5; i++)
            bound[i] = 2 * bound[i] + 1e-300; /* 1e-300: an exact 0 is fine */
        assert_within(ref, out, bound, b * 5, "gemm vs naive");
    }
    /* and the bound is tight enough to mean something: 1e-12 of |out| */
    for (size_t i = 0; i < 3 * 5; i++)
        cr_assert(bound[i] < 1e-12 * (1 + fabs(ref[i])), "bound %g", bound[i]);
    fixture_free(&f);
}

/* The VAE's encoder in float32 and float64 from one seed, the float64 one
 * then set to the float32 one's values exactly (which are its own rounded:
 * same draws), so that the two differ only by float32 arithmetic. */
static void pair_from_one_seed(fixture_t *f32, fixture_t *f64,
                               size_t max_batch, uint64_t seed)
{
    fixture_make(f32, &SPEC_ENC, NN_FLOAT32, max_batch, seed);
    fixture_make(f64, &SPEC_ENC, NN_FLOAT64, max_batch, seed);
    for (size_t i = 0; i < f64->net.n_params; i++) {
        float v = ((float *)f32->params)[i];
        cr_assert_eq(v, (float)((double *)f64->params)[i], "init of [%zu]", i);
        ((double *)f64->params)[i] = (double)v;
    }
}

/* A float32 network holds the float32 rounding of the float64 network's
 * initial values (same seed, same draws); with the float64 copy holding
 * those exact values, the two forwards differ only by float32 arithmetic,
 * bounded by forward_error_bound at u = 2^-24 (plus the float64 side's own
 * error, 2^29 times smaller, covered by the bound's 4u activation term). */
Test(nn, f32_forward_within_float32_error_bound)
{
    const size_t B = 4, I = 784, O = 20;
    fixture_t f32, f64;
    pair_from_one_seed(&f32, &f64, B, 3);
    double *in = malloc(B * I * sizeof *in);
    double out32[4 * 20], out64[4 * 20], bound[4 * 20];
    rng_t r;
    rng_seed(&r, 4);
    for (size_t i = 0; i < B * I; i++)
        in[i] = rng_uniform(&r); /* pixels */
    cr_assert_eq(mlp_forward(&f32.net, out32, in, B), VG_OK);
    cr_assert_eq(mlp_forward(&f64.net, out64, in, B), VG_OK);
    forward_error_bound(&f64.net, in, B, U32, 1, bound);
    assert_within(out64, out32, bound, B * O, "float32 vs float64 encoder");
    free(in);
    fixture_free(&f32);
    fixture_free(&f64);
}

/* Binary digits-like input (13% ones): the float32 network takes the
 * sparse first layer (nn_sparse.h), which sums a subset of the same
 * products in another order. Any order of a recursive sum of n terms stays
 * within gamma_(n-1) of their absolute sum, so forward_error_bound (exact
 * input: 0 and 1 are representable) still holds against float64. */
Test(nn, f32_binary_input_sparse_path_within_float32_error_bound)
{
    const size_t B = 8, I = 784, O = 20;
    fixture_t f32, f64;
    pair_from_one_seed(&f32, &f64, B, 5);
    double *in = malloc(B * I * sizeof *in);
    double out32[8 * 20], out64[8 * 20], bound[8 * 20];
    cr_assert(in);
    rng_t r;
    rng_seed(&r, 6);
    for (size_t i = 0; i < B * I; i++)
        in[i] = rng_uniform(&r) < 0.13;
    cr_assert_eq(mlp_forward(&f32.net, out32, in, B), VG_OK);
    cr_assert(f32.net.sparse_used, "binary input at 13%% ones: sparse path");
    cr_assert_eq(mlp_forward(&f64.net, out64, in, B), VG_OK);
    cr_assert(!f64.net.sparse_used, "float64 keeps the GEMM");
    forward_error_bound(&f64.net, in, B, U32, 0, bound);
    assert_within(out64, out32, bound, B * O, "sparse float32 vs float64");
    free(in);
    fixture_free(&f32);
    fixture_free(&f64);
}

/* The sparse path is for binary, sparse input only: one value of 0.5, or
 * ones above a quarter of the input, send the layer back to the GEMM (which
 * then reads the float copy of the input, so its output must be right). */
Test(nn, f32_dense_path_for_other_input)
{
    mlp_spec_t s = { 1, { 8, 3 }, { NN_IDENTITY } };
    fixture_t f;
    fixture_make(&f, &s, NN_FLOAT32, 2, 7);
    double in[16] = { 0 }, out[6], ref[6];
    in[3] = 1;
    in[12] = 1;
    cr_assert_eq(mlp_forward(&f.net, out, in, 2), VG_OK);
    cr_assert(f.net.sparse_used, "2 ones in 16");
    in[5] = 0.5;
    cr_assert_eq(mlp_forward(&f.net, out, in, 2), VG_OK);
    cr_assert(!f.net.sparse_used, "0.5 is not binary");
    mlp_forward_naive(&f.net, ref, in, 2);
    for (size_t i = 0; i < 6; i++)
        cr_assert_float_eq(out[i], ref[i], 1e-6, "dense out[%zu]", i);
    in[5] = 1;
    in[6] = 1;
    cr_assert_eq(mlp_forward(&f.net, out, in, 2), VG_OK);
    cr_assert(f.net.sparse_used, "4 ones in 16: a quarter");
    in[7] = 1;
    cr_assert_eq(mlp_forward(&f.net, out, in, 2), VG_OK);
    cr_assert(!f.net.sparse_used, "5 ones in 16: above a quarter");
    mlp_forward_naive(&f.net, ref, in, 2);
    for (size_t i = 0; i < 6; i++)
        cr_assert_float_eq(out[i], ref[i], 1e-6, "dense out[%zu]", i);
    fixture_free(&f);
}

/* PyTorch's order and this layout are each other's transpose per layer:
 * W(o, i) sits at o I + i in PyTorch's order and at mlp_weight_index here,
 * biases do not move, and the round trip is the identity. */
Test(nn, params_to_torch_transposes_each_weight)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 1, 9);
    size_t n = f.net.n_params;
    double *t = malloc(n * sizeof *t), *back = malloc(n * sizeof *back);
    cr_assert(t && back);
    mlp_params_to_torch(&f.net, t, f.params);
    size_t off = 0;
    for (size_t l = 0; l < SPEC_ALL.n_layers; l++) {
        size_t ni = SPEC_ALL.sizes[l], no = SPEC_ALL.sizes[l + 1];
        const double *W = f.net.W[l], *bias = f.net.b[l];
        for (size_t o = 0; o < no; o++)
            for (size_t i = 0; i < ni; i++)
                cr_assert_eq(t[off + o * ni + i],
                             W[mlp_weight_index(&SPEC_ALL, l, o, i)]);
        off += no * ni;
        for (size_t o = 0; o < no; o++)
            cr_assert_eq(t[off + o], bias[o]);
        off += no;
    }
    cr_assert(memcmp(t, f.params, n * sizeof *t) != 0, "a real transpose");
    mlp_params_from_torch(&f.net, back, t);
    cr_assert(memcmp(back, f.params, n * sizeof *t) == 0);
    free(t);
    free(back);
    fixture_free(&f);
}

/* One unit with W = 1, b = 0, so the output is act(x) itself. float64 runs
 * the same libm call as the closed form: equal bits. float32 rounds x
 * first; its result is within 2 ulp (tanhf, the float32 ELU) of the exact
 * activation of the rounded x, and 2 ulp is at most 2^-22 relative. */
static void check_activation(nn_act_t act, nn_dtype_t dtype)
{
    static const double xs[] = { -30, -5, -1, -0.3, -1e-3, -1e-8, -0.0, 0,
                                 1e-8, 1e-3, 0.5, 1, 3, 12 };
    const size_t n = sizeof xs / sizeof *xs;
    mlp_spec_t s = { 1, { 1, 1 }, { act } };
    fixture_t f;
    fixture_make(&f, &s, dtype, n, 0);
    if (dtype == NN_FLOAT32) {
        ((float *)f.params)[0] = 1;
        ((float *)f.params)[1] = 0;
    } else {
        ((double *)f.params)[0] = 1;
        ((double *)f.params)[1] = 0;
    }
    double out[sizeof xs / sizeof *xs], want[sizeof xs / sizeof *xs];
    cr_assert_eq(mlp_forward(&f.net, out, xs, n), VG_OK);
    for (size_t i = 0; i < n; i++) {
        double x = dtype == NN_FLOAT32 ? (double)(float)xs[i] : xs[i];
        want[i] = act_exact(act, x);
    }
    cmp_report_t rep;
    cmp_bound_t b = dtype == NN_FLOAT32 ? (cmp_bound_t){ 0, 0x1.0p-22 }
                                        : (cmp_bound_t){ 0, 0 };
    cr_assert(compare_arrays(&rep, want, out, n, b, "activation"),
              "act %d, dtype %d: %s", (int)act, (int)dtype, rep.message);
    fixture_free(&f);
}

Test(nn, every_activation_closed_form)
{
    nn_act_t acts[4] = { NN_IDENTITY, NN_ELU, NN_TANH, NN_RELU };
    for (int a = 0; a < 4; a++) {
        check_activation(acts[a], NN_FLOAT64);
        check_activation(acts[a], NN_FLOAT32);
    }
}

/* The float32 ELU is nn.c's own vectorised expm1: over a dense grid of
 * [-25, 1] it stays within 2 ulp (2^-22 relative, see above) of float64's
 * expm1 of the same float32 input, and is exactly -1 where expm1 rounds to
 * -1 in float32. */
Test(nn, f32_elu_dense_grid)
{
    const size_t n = 26001;
    mlp_spec_t s = { 1, { 1, 1 }, { NN_ELU } };
    fixture_t f;
    fixture_make(&f, &s, NN_FLOAT32, n, 0);
    ((float *)f.params)[0] = 1;
    ((float *)f.params)[1] = 0;
    double *x = malloc(n * sizeof *x), *out = malloc(n * sizeof *out);
    double *want = malloc(n * sizeof *want);
    for (size_t i = 0; i < n; i++) {
        x[i] = (double)(float)(-25.0 + 1e-3 * (double)i);
        want[i] = x[i] > 0 ? x[i] : expm1(x[i]);
    }
    cr_assert_eq(mlp_forward(&f.net, out, x, n), VG_OK);
    cmp_report_t rep;
    cr_assert(compare_arrays(&rep, want, out, n, (cmp_bound_t){ 0, 0x1.0p-22 },
                             "float32 ELU"), "%s", rep.message);
    free(x);
    free(out);
    free(want);
    fixture_free(&f);
}

Test(nn, forward_raw_equals_forward)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT32, 5, 5);
    double in[5 * 13], out[5 * 5];
    float in32[5 * 13], out32[5 * 5];
    fill_normal(in, 5 * 13, 6);
    for (size_t i = 0; i < 5 * 13; i++)
        in32[i] = (float)in[i];
    cr_assert_eq(mlp_forward(&f.net, out, in, 5), VG_OK);
    cr_assert_eq(mlp_forward_raw(&f.net, out32, in32, 5), VG_OK);
    for (size_t i = 0; i < 5 * 5; i++)
        cr_assert_eq(out[i], (double)out32[i], "[%zu]", i);
    fixture_free(&f);
}

/* ---- backward ------------------------------------------------------------- */

/* The loss L = sum_(b,o) w[b,o] out[b,o] whose gradient backward computes
 * from dout = w. */
typedef struct fd_ctx {
    fixture_t *f;
    double *in, *w, *out;
    size_t batch;
} fd_ctx_t;

static double loss(fd_ctx_t *c, const double *in)
{
    cr_assert_eq(mlp_forward(&c->f->net, c->out, in, c->batch), VG_OK);
    size_t n = c->batch * c->f->net.spec.sizes[c->f->net.spec.n_layers];
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += c->w[i] * c->out[i];
    return s;
}

static double p_get(void *ctx, size_t i)
{
    return ((double *)((fd_ctx_t *)ctx)->f->params)[i];
}

static void p_set(void *ctx, size_t i, double v)
{
    ((double *)((fd_ctx_t *)ctx)->f->params)[i] = v;
}

static double p_loss(void *ctx)
{
    fd_ctx_t *c = ctx;
    return loss(c, c->in);
}

static double x_loss(void *ctx, const double *x)
{
    return loss(ctx, x);
}

/* The smallest |pre-activation| of the ELU and ReLU layers (whose second
 * or first derivative jumps at 0), recomputed in plain loops. */
static double min_abs_kink(const mlp_t *net, const double *in, size_t batch)
{
    const mlp_spec_t *s = &net->spec;
    double a[32], z[32], m = INFINITY;
    for (size_t r = 0; r < batch; r++) {
        memcpy(a, in + r * s->sizes[0], s->sizes[0] * sizeof *a);
        for (size_t l = 0; l < s->n_layers; l++) {
            size_t ni = s->sizes[l], no = s->sizes[l + 1];
            const double *W = net->W[l], *b = net->b[l];
            for (size_t o = 0; o < no; o++) {
                z[o] = b[o];
                for (size_t i = 0; i < ni; i++)
                    z[o] += W[mlp_weight_index(s, l, o, i)] * a[i];
                if (s->acts[l] == NN_ELU || s->acts[l] == NN_RELU)
                    m = fmin(m, fabs(z[o]));
            }
            for (size_t o = 0; o < no; o++)
                a[o] = act_exact(s->acts[l], z[o]);
        }
    }
    return m;
}

/* Central differences in float64 with step h = 1e-5 (fd_options_default):
 * truncation ~h^2 |f'''| ~ 1e-10 and rounding ~1e-16 |L| / h ~ 1e-11 for
 * these O(1) values, so a relative error below 1e-6 (plus 1e-8 absolute for
 * zero gradients) has orders of magnitude of headroom. Every pre-activation
 * of a kinked layer is checked to be farther than 100 h from its kink, so
 * no difference straddles one. */
Test(nn, backward_matches_finite_differences_f64)
{
    const size_t B = 3, I = 13, O = 5;
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 4, 7);
    double in[3 * 13], w[3 * 5], out[3 * 5], din[3 * 13] = { 0 };
    fill_normal(in, B * I, 8);
    fill_normal(w, B * O, 9);
    fd_options_t opt = fd_options_default();
    double kink = min_abs_kink(&f.net, in, B);
    cr_assert(kink > 100 * opt.step, "a pre-activation is %g from a kink; "
              "pick another seed", kink);

    cr_assert_eq(mlp_forward(&f.net, out, in, B), VG_OK);
    cr_assert_eq(mlp_backward(&f.net, din, w), VG_OK);

    fd_ctx_t c = { &f, in, w, out, B };
    fd_problem_t p = { f.net.n_params, p_get, p_set, p_loss, &c };
    cmp_report_t rep;
    opt.what = "d L / d params";
    cr_assert(fd_check(&rep, &p, f.grads, &opt), "%s", rep.message);
    opt.what = "d L / d in";
    cr_assert(fd_check_array(&rep, x_loss, &c, in, B * I, din, &opt), "%s",
              rep.message);
    fixture_free(&f);
}

/* Backward adds to what is there. A second identical backward doubles the
 * gradients, and din starting at 1 ends at 1 + d. The GEMM may add its
 * partial sums into the existing values in pieces, so each entry is within
 * a few roundings at its own scale: 1e-14 relative (~45 ulp) plus 1e-15
 * absolute (entries that cancel to ~0). */
Test(nn, backward_accumulates)
{
    const size_t B = 3, I = 13, O = 5;
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 3, 10);
    size_t np = f.net.n_params;
    double in[3 * 13], w[3 * 5], out[3 * 5], d1[3 * 13] = { 0 }, d2[3 * 13];
    fill_normal(in, B * I, 11);
    fill_normal(w, B * O, 12);
    for (size_t i = 0; i < B * I; i++)
        d2[i] = 1.0;
    cr_assert_eq(mlp_forward(&f.net, out, in, B), VG_OK);
    cr_assert_eq(mlp_backward(&f.net, d1, w), VG_OK);
    double *g1 = malloc(np * sizeof *g1), *g2 = malloc(np * sizeof *g2);
    memcpy(g1, f.grads, np * sizeof *g1);
    cr_assert_eq(mlp_backward(&f.net, d2, w), VG_OK);
    for (size_t i = 0; i < np; i++) {
        g2[i] = ((double *)f.grads)[i];
        g1[i] *= 2;
    }
    for (size_t i = 0; i < B * I; i++)
        d1[i] += 1.0;
    cmp_report_t rep;
    cmp_bound_t b = { 1e-15, 1e-14 };
    cr_assert(compare_arrays(&rep, g1, g2, np, b, "grads after two backwards"),
              "%s", rep.message);
    cr_assert(compare_arrays(&rep, d1, d2, B * I, b, "din accumulated onto 1"),
              "%s", rep.message);
    /* NULL din is allowed and changes nothing else */
    cr_assert_eq(mlp_backward(&f.net, NULL, w), VG_OK);
    free(g1);
    free(g2);
    fixture_free(&f);
}

/* A value that is a multiple of 1/4 in [-1, 1]. */
static double quarter(rng_t *r)
{
    return ((double)rng_below(r, 9) - 4) / 4;
}

/* A float32 and a float64 network of spec s holding the same quarter
 * values drawn from r. */
static void exact_pair_make(fixture_t *a, fixture_t *b, const mlp_spec_t *s,
                            rng_t *r)
{
    fixture_make(a, s, NN_FLOAT32, 4, 0);
    fixture_make(b, s, NN_FLOAT64, 4, 0);
    for (size_t i = 0; i < a->net.n_params; i++) {
        double v = quarter(r);
        ((float *)a->params)[i] = (float)v;
        ((double *)b->params)[i] = v;
    }
}

/* Both forward on in (4,I) and backward from w (4,O): outputs, parameter
 * gradients and input gradients must be equal. Returns how many parameter
 * gradients below index `first` are non-zero, so that a caller can check
 * its case exercises them. */
static size_t exact_pair_check(fixture_t *a, fixture_t *b, const double *in,
                               const double *w, size_t first)
{
    const mlp_spec_t *s = &a->net.spec;
    size_t ni = 4 * s->sizes[0], no = 4 * s->sizes[s->n_layers], nonzero = 0;
    double *oa = calloc(no, sizeof *oa), *ob = calloc(no, sizeof *ob);
    double *da = calloc(ni, sizeof *da), *db = calloc(ni, sizeof *db);
    cr_assert(oa && ob && da && db);
    cr_assert_eq(mlp_forward(&a->net, oa, in, 4), VG_OK);
    cr_assert_eq(mlp_forward(&b->net, ob, in, 4), VG_OK);
    cr_assert_eq(mlp_backward(&a->net, da, w), VG_OK);
    cr_assert_eq(mlp_backward(&b->net, db, w), VG_OK);
    for (size_t i = 0; i < no; i++)
        cr_assert_eq(oa[i], ob[i], "out[%zu]", i);
    for (size_t i = 0; i < a->net.n_params; i++) {
        double ga = ((float *)a->grads)[i], gb = ((double *)b->grads)[i];
        cr_assert_eq(ga, gb, "grad[%zu]", i);
        nonzero += gb != 0 && i < first;
    }
    for (size_t i = 0; i < ni; i++)
        cr_assert_eq(da[i], db[i], "din[%zu]", i);
    free(oa);
    free(ob);
    free(da);
    free(db);
    fixture_free(a);
    fixture_free(b);
    return nonzero;
}

/* Weights, biases, inputs and upstream gradients that are multiples of 1/4
 * in [-1, 1], through identity and ReLU layers: every product and sum is a
 * multiple of 4^-4 below 2^8, exact in float32's 24 bits. So the float32
 * path (its conversions, its separate din loop) must give the float64
 * path's values exactly. */
Test(nn, f32_backward_exact_on_representable_values)
{
    mlp_spec_t s = { 3, { 6, 5, 4, 3 }, { NN_RELU, NN_IDENTITY, NN_RELU } };
    fixture_t a, b;
    rng_t r;
    rng_seed(&r, 13);
    exact_pair_make(&a, &b, &s, &r);
    double in[4 * 6], w[4 * 3];
    for (size_t i = 0; i < 4 * 6; i++)
        in[i] = quarter(&r);
    for (size_t i = 0; i < 4 * 3; i++)
        w[i] = quarter(&r);
    size_t nonzero = exact_pair_check(&a, &b, in, w, SIZE_MAX);
    cr_assert(nonzero > 10, "the case exercises the gradients (%zu nonzero)",
              nonzero);
}

/* The same with a binary input: the float32 first layer then runs sparse
 * (nn_sparse.h), and its forward and weight gradient must still give
 * float64's bits, as must the input gradient, whose GEMM reads the (I,O)
 * weights transposed. */
Test(nn, f32_sparse_backward_exact_on_representable_values)
{
    mlp_spec_t s = { 3, { 12, 5, 4, 3 }, { NN_IDENTITY, NN_RELU, NN_IDENTITY } };
    fixture_t a, b;
    rng_t r;
    rng_seed(&r, 17);
    exact_pair_make(&a, &b, &s, &r);
    double in[4 * 12] = { 0 }, w[4 * 3], out[4 * 3];
    for (size_t k = 0; k < 10; k++) /* at most 10 of 48 ones: sparse */
        in[rng_below(&r, 4 * 12)] = 1;
    for (size_t i = 0; i < 4 * 3; i++)
        w[i] = quarter(&r);
    cr_assert_eq(mlp_forward(&a.net, out, in, 4), VG_OK);
    cr_assert(a.net.sparse_used, "10 ones of 48 take the sparse path");
    size_t nonzero = exact_pair_check(&a, &b, in, w, 12 * 5);
    cr_assert(nonzero > 5, "the first layer's weight gradient is exercised "
              "(%zu nonzero)", nonzero);
}

/* OpenBLAS splits work between threads; results may be summed in another
 * order but must stay within the float64 error bound of each (so within
 * twice it of each other). Style rule 12: checked at 1 and 2 threads. */
Test(nn, one_and_two_threads_agree)
{
    const size_t B = 100, I = 784, O = 20;
    fixture_t f;
    fixture_make(&f, &SPEC_ENC, NN_FLOAT64, B, 14);
    double *in = malloc(B * I * sizeof *in);
    double *o1 = malloc(B * O * sizeof *o1), *o2 = malloc(B * O * sizeof *o2);
    double *bound = malloc(B * O * sizeof *bound);
    fill_normal(in, B * I, 15);
    nn_set_threads(1);
    cr_assert_eq(mlp_forward(&f.net, o1, in, B), VG_OK);
    nn_set_threads(2);
    cr_assert_eq(mlp_forward(&f.net, o2, in, B), VG_OK);
    nn_set_threads(1);
    forward_error_bound(&f.net, in, B, U64, 0, bound);
    for (size_t i = 0; i < B * O; i++)
        bound[i] = 2 * bound[i] + 1e-300;
    assert_within(o1, o2, bound, B * O, "2 threads vs 1");
    free(in);
    free(o1);
    free(o2);
    free(bound);
    fixture_free(&f);
}

/* ---- initialisation and errors -------------------------------------------- */

/* nn.Linear's default draws W and b uniform in +-1/sqrt(I). On the
 * 784 -> 300 layer (n = 235,200 weights): all inside the bound; the largest
 * |W| above 0.99 of it (a correct draw misses with probability
 * 0.99^235200 ~ 0); mean within 5 se (se = bound / sqrt(3n)) and mean
 * square bound^2/3 within 5 se (se = bound^2 sqrt(4/45 / n)): false-fail
 * rate 2 x 5.7e-7. */
Test(nn, init_is_pytorch_linear_default)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ENC, NN_FLOAT64, 1, 16);
    const double *W = f.net.W[0], *b = f.net.b[0];
    const double bound = 1 / sqrt(784.0);
    const size_t n = 784 * 300;
    double mx = 0, s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(fabs(W[i]) <= bound, "W[%zu] = %g", i, W[i]);
        mx = fmax(mx, fabs(W[i]));
        s += W[i];
        s2 += W[i] * W[i];
    }
    for (size_t i = 0; i < 300; i++)
        cr_assert(fabs(b[i]) <= bound, "b[%zu] = %g", i, b[i]);
    cr_assert(mx > 0.99 * bound);
    double se_m = bound / sqrt(3.0 * n), se_v = bound * bound * sqrt(4.0 / 45 / n);
    cr_assert(fabs(s / n) < 5 * se_m, "mean %g", s / n);
    cr_assert(fabs(s2 / n - bound * bound / 3) < 5 * se_v, "mean square %g",
              s2 / n);
    /* the next layer uses its own fan-in */
    const double *W1 = f.net.W[1];
    for (size_t i = 0; i < 300 * 300; i++)
        cr_assert(fabs(W1[i]) <= 1 / sqrt(300.0));
    fixture_free(&f);
}

Test(nn, param_layout_is_w_then_b_per_layer)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 1, 0);
    char *p = f.params, *g = f.grads;
    size_t off = 0;
    for (size_t l = 0; l < SPEC_ALL.n_layers; l++) {
        size_t ni = SPEC_ALL.sizes[l], no = SPEC_ALL.sizes[l + 1];
        cr_assert_eq((char *)f.net.W[l], p + off * 8);
        cr_assert_eq((char *)f.net.dW[l], g + off * 8);
        off += no * ni;
        cr_assert_eq((char *)f.net.b[l], p + off * 8);
        cr_assert_eq((char *)f.net.db[l], g + off * 8);
        off += no;
    }
    cr_assert_eq(off, mlp_param_count(&SPEC_ALL));
    cr_assert_eq(off, 13 * 17 + 17 + 17 * 11 + 11 + 11 * 9 + 9 + 9 * 5 + 5);
    fixture_free(&f);
}

Test(nn, errors_are_reported)
{
    fixture_t f;
    fixture_make(&f, &SPEC_ALL, NN_FLOAT64, 4, 0);
    double in[5 * 13] = { 0 }, out[5 * 5], d[5 * 5] = { 0 };
    cr_assert_eq(mlp_backward(&f.net, NULL, d), VG_ERR, "backward before forward");
    cr_assert(strstr(vg_error_last(), "mlp_backward"), "%s", vg_error_last());
    cr_assert_eq(mlp_forward(&f.net, out, in, 5), VG_ERR);
    cr_assert(strstr(vg_error_last(), "batch 5"), "%s", vg_error_last());
    cr_assert_eq(mlp_forward(&f.net, out, in, 0), VG_ERR);
    fixture_free(&f);

    mlp_t net;
    double p[64], g[64];
    mlp_spec_t none = { 0, { 3 }, { NN_ELU } };
    cr_assert_eq(mlp_init(&net, &none, NN_FLOAT64, 1, p, g), VG_ERR);
    mlp_spec_t zero = { 1, { 3, 0 }, { NN_ELU } };
    cr_assert_eq(mlp_init(&net, &zero, NN_FLOAT64, 1, p, g), VG_ERR);
    mlp_spec_t ok = { 1, { 3, 2 }, { NN_ELU } };
    cr_assert_eq(mlp_init(&net, &ok, NN_FLOAT64, 0, p, g), VG_ERR);
    cr_assert_eq(mlp_init(&net, &ok, (nn_dtype_t)2, 1, p, g), VG_ERR);
    cr_assert_eq(mlp_init(&net, &ok, NN_FLOAT64, 1, p, g), VG_OK);
    mlp_free(&net);
    mlp_free(&net); /* a freed network frees again harmlessly */
}
