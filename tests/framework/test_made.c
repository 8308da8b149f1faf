/* test_made.c: MADE (made.h) and the IAF's parameter block (iaf.h): the
 * masked GEMM path against the plain loop, float32 against float64, the
 * autoregressive property (outputs exactly independent of later inputs,
 * and dependent on earlier ones), backward by central differences,
 * masked weights inert, the accumulate contract, the flow's orders,
 * initialisation and files. Not the flow's formula (cse599i-hw2's suite).
 * Shapes: B batch, Z latent, H hidden width. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iaf.h"
#include "made.h"
#include "numcheck/compare.h"
#include "numcheck/finite_diff.h"
#include "rng.h"
#include "vg_error.h"

#define Z 5
#define H 12
#define B 4

typedef struct fixture {
    made_t m;
    void *params, *grads;
} fixture_t;

/* The order 2, 0, 4, 1, 3: neither the identity nor its reverse, so a
 * mask built from indices instead of degrees fails. */
static const size_t ORDER[Z] = { 2, 0, 4, 1, 3 };

static void fixture_make(fixture_t *f, nn_dtype_t dtype, uint64_t seed)
{
    size_t n = made_param_count(Z, H, 2);
    f->params = calloc(n, (size_t)dtype);
    f->grads = calloc(n, (size_t)dtype);
    cr_assert(f->params && f->grads);
    cr_assert_eq(made_init(&f->m, Z, H, 2, ORDER, dtype, B, f->params,
                           f->grads), VG_OK, "%s", vg_error_last());
    cr_assert_eq(f->m.net.n_params, n);
    rng_t r;
    rng_seed(&r, seed);
    made_init_params(&f->m, &r, 0.5);
}

static void fixture_free(fixture_t *f)
{
    made_free(&f->m);
    free(f->params);
    free(f->grads);
}

static void fill_normal(double *x, size_t n, uint64_t seed)
{
    rng_t r;
    rng_seed(&r, seed);
    rng_normal_fill(&r, x, n);
}

Test(made, gemm_matches_plain_loop_float64)
{
    fixture_t f;
    fixture_make(&f, NN_FLOAT64, 1);
    double z[B * Z], m1[B * Z], s1[B * Z], m2[B * Z], s2[B * Z];
    fill_normal(z, B * Z, 2);
    cr_assert_eq(made_forward(&f.m, m1, s1, z, B), VG_OK);
    made_forward_naive(&f.m, m2, s2, z, B);
    /* float64 dot products of at most H + 1 = 13 terms of O(1): any order
     * is within 13 u sum |w x| ~ 1e-14 of the other; 1e-12 is headroom. */
    cmp_report_t r;
    cr_assert(compare_arrays(&r, m2, m1, B * Z, (cmp_bound_t){ 1e-12, 1e-12 },
                             "m"), "%s", r.message);
    cr_assert(compare_arrays(&r, s2, s1, B * Z, (cmp_bound_t){ 1e-12, 1e-12 },
                             "s"), "%s", r.message);
    fixture_free(&f);
}

Test(made, float32_follows_float64)
{
    fixture_t f32, f64;
    fixture_make(&f32, NN_FLOAT32, 3);
    fixture_make(&f64, NN_FLOAT64, 3); /* the same draws, rounded or not */
    double z[B * Z], m1[B * Z], s1[B * Z], m2[B * Z], s2[B * Z];
    fill_normal(z, B * Z, 4);
    cr_assert_eq(made_forward(&f32.m, m1, s1, z, B), VG_OK);
    cr_assert_eq(made_forward(&f64.m, m2, s2, z, B), VG_OK);
    /* float32: each of 3 layers adds (I + 1) u32 sum |w x| with I <= 12,
     * u32 = 6e-8 and sum |w x| of a few units, ~5e-6 per layer through
     * 1-Lipschitz ELUs and weights of at most 1/sqrt(I): 1e-4 is 6x that. */
    cmp_report_t r;
    cr_assert(compare_arrays(&r, m2, m1, B * Z, (cmp_bound_t){ 1e-4, 1e-4 },
                             "m float32"), "%s", r.message);
    cr_assert(compare_arrays(&r, s2, s1, B * Z, (cmp_bound_t){ 1e-4, 1e-4 },
                             "s float32"), "%s", r.message);
    fixture_free(&f32);
    fixture_free(&f64);
}

/* Output j (m_j and s_j) of row 0 after z_k moved by delta. */
static void moved(fixture_t *f, const double *z0, size_t k, double delta,
                  double *m, double *s)
{
    double z[B * Z];
    memcpy(z, z0, sizeof z);
    z[k] += delta;
    cr_assert_eq(made_forward(&f->m, m, s, z, B), VG_OK);
}

Test(made, autoregressive_in_its_order)
{
    fixture_t f;
    fixture_make(&f, NN_FLOAT64, 5);
    for (size_t i = 0; i < Z; i++)
        cr_assert_eq(f.m.deg[ORDER[i]], i + 1);
    double z[B * Z], m0[B * Z], s0[B * Z], m[B * Z], s[B * Z];
    fill_normal(z, B * Z, 6);
    cr_assert_eq(made_forward(&f.m, m0, s0, z, B), VG_OK);
    for (size_t k = 0; k < Z; k++) {
        moved(&f, z, k, 0.7, m, s);
        for (size_t j = 0; j < Z; j++) {
            int may = f.m.deg[k] < f.m.deg[j];
            /* a masked path is exactly 0: adding 0 changes no sum */
            if (!may) {
                cr_assert(m[j] == m0[j] && s[j] == s0[j],
                          "m/s %zu (degree %zu) moved with z %zu (degree %zu)",
                          j, f.m.deg[j], k, f.m.deg[k]);
            } else {
                /* the kept paths are generic: a real dependence (not a
                 * network that masks everything) */
                cr_assert(m[j] != m0[j] && s[j] != s0[j],
                          "m/s %zu (degree %zu) ignores z %zu (degree %zu)",
                          j, f.m.deg[j], k, f.m.deg[k]);
            }
        }
    }
    fixture_free(&f);
}

Test(made, masked_weights_are_inert_and_s_bias_set)
{
    fixture_t f;
    fixture_make(&f, NN_FLOAT64, 7);
    double z[B * Z], m0[B * Z], s0[B * Z], m[B * Z], s[B * Z];
    fill_normal(z, B * Z, 8);
    cr_assert_eq(made_forward(&f.m, m0, s0, z, B), VG_OK);
    /* the degree-1 variable's outputs are the biases: s's is s_bias */
    for (size_t b = 0; b < B; b++)
        cr_assert_eq(s0[b * Z + ORDER[0]], 0.5);
    /* a checkpoint or a probe that set every masked weight to 3 */
    size_t n_masked = 0;
    for (size_t l = 0; l < f.m.net.spec.n_layers; l++) {
        size_t n = f.m.net.spec.sizes[l] * f.m.net.spec.sizes[l + 1];
        for (size_t i = 0; i < n; i++)
            if (!f.m.mask[l][i]) {
                ((double *)f.m.net.W[l])[i] = 3.0;
                n_masked++;
            }
    }
    cr_assert_gt(n_masked, 0);
    double mn[B * Z], sn[B * Z];
    made_forward_naive(&f.m, mn, sn, z, B);
    cr_assert_eq(made_forward(&f.m, m, s, z, B), VG_OK);
    cr_assert_eq(memcmp(m, m0, sizeof m), 0);
    cr_assert_eq(memcmp(s, s0, sizeof s), 0);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, mn, m, B * Z, (cmp_bound_t){ 1e-12, 1e-12 },
                             "naive m"), "%s", r.message);
    fixture_free(&f);
}

/* The scalar sum of w_m * m + w_s * s over the batch, for the differences. */
typedef struct probe {
    fixture_t *f;
    double z[B * Z], wm[B * Z], ws[B * Z];
} probe_t;

static double probe_value(probe_t *p)
{
    double m[B * Z], s[B * Z], acc = 0;
    cr_assert_eq(made_forward(&p->f->m, m, s, p->z, B), VG_OK);
    for (size_t i = 0; i < B * Z; i++)
        acc += p->wm[i] * m[i] + p->ws[i] * s[i];
    return acc;
}

static double f_of_z(void *ctx, const double *z)
{
    probe_t *p = ctx;
    memcpy(p->z, z, sizeof p->z);
    return probe_value(p);
}

static double f_of_params(void *ctx) { return probe_value(ctx); }

static double param_get(void *ctx, size_t i)
{
    return ((double *)((probe_t *)ctx)->f->params)[i];
}

static void param_set(void *ctx, size_t i, double v)
{
    ((double *)((probe_t *)ctx)->f->params)[i] = v;
}

Test(made, backward_matches_finite_differences)
{
    fixture_t f;
    fixture_make(&f, NN_FLOAT64, 9);
    probe_t p = { .f = &f };
    fill_normal(p.z, B * Z, 10);
    fill_normal(p.wm, B * Z, 11);
    fill_normal(p.ws, B * Z, 12);

    double dz[B * Z] = { 0 }, m[B * Z], s[B * Z];
    cr_assert_eq(made_forward(&f.m, m, s, p.z, B), VG_OK);
    cr_assert_eq(made_backward(&f.m, dz, p.wm, p.ws), VG_OK);
    size_t n = f.m.net.n_params;
    double *dp = malloc(n * sizeof *dp);
    cr_assert(dp);
    memcpy(dp, f.grads, n * sizeof *dp);

    /* ELU has a kink at 0 that a random pre-activation meets with
     * probability 0; the default step and bound fit O(1) smooth values. */
    fd_options_t opt = fd_options_default();
    opt.what = "d/dz";
    cmp_report_t r;
    double z0[B * Z];
    memcpy(z0, p.z, sizeof z0);
    cr_assert(fd_check_array(&r, f_of_z, &p, z0, B * Z, dz, &opt), "%s",
              r.message);
    memcpy(p.z, z0, sizeof z0);
    fd_problem_t prob = { n, param_get, param_set, f_of_params, &p };
    opt.what = "d/dparams";
    cr_assert(fd_check(&r, &prob, dp, &opt), "%s", r.message);

    /* masked weights: gradient exactly 0 (Adam then never moves them) */
    size_t off = 0;
    for (size_t l = 0; l < f.m.net.spec.n_layers; l++) {
        size_t ni = f.m.net.spec.sizes[l], no = f.m.net.spec.sizes[l + 1];
        for (size_t i = 0; i < ni * no; i++)
            if (!f.m.mask[l][i])
                cr_assert_eq(dp[off + i], 0.0, "masked dW %zu of layer %zu",
                             i, l);
        off += ni * no + no;
    }
    free(dp);
    fixture_free(&f);
}

Test(made, backward_accumulates)
{
    fixture_t f;
    fixture_make(&f, NN_FLOAT64, 13);
    double z[B * Z], dm[B * Z], m[B * Z], dz1[B * Z] = { 0 }, dz2[B * Z];
    fill_normal(z, B * Z, 14);
    fill_normal(dm, B * Z, 15);
    cr_assert_eq(made_forward(&f.m, m, NULL, z, B), VG_OK);
    cr_assert_eq(made_backward(&f.m, dz1, dm, NULL), VG_OK);
    size_t n = f.m.net.n_params;
    double *g1 = malloc(n * sizeof *g1);
    cr_assert(g1);
    memcpy(g1, f.grads, n * sizeof *g1);
    memcpy(dz2, dz1, sizeof dz2);
    cr_assert_eq(made_backward(&f.m, dz2, dm, NULL), VG_OK);
    for (size_t i = 0; i < B * Z; i++)
        cr_assert_float_eq(dz2[i], 2 * dz1[i], 1e-12 * (1 + fabs(dz1[i])));
    for (size_t i = 0; i < n; i++)
        cr_assert_float_eq(((double *)f.grads)[i], 2 * g1[i],
                           1e-12 * (1 + fabs(g1[i])));
    free(g1);
    fixture_free(&f);
}

/* The float32 backward (training's) follows the float64 one: gradients
 * of O(1) sums of products of 3 layers, each rounded at u32 = 6e-8 over
 * at most 13 terms: 1e-4 absolute and relative is over 10x that. Its
 * masked gradients are exactly 0 as well. */
Test(made, float32_backward_follows_float64)
{
    fixture_t f32, f64;
    fixture_make(&f32, NN_FLOAT32, 16);
    fixture_make(&f64, NN_FLOAT64, 16);
    double z[B * Z], dm[B * Z], ds[B * Z], dz32[B * Z] = { 0 },
                                             dz64[B * Z] = { 0 };
    fill_normal(z, B * Z, 17);
    fill_normal(dm, B * Z, 18);
    fill_normal(ds, B * Z, 19);
    cr_assert_eq(made_forward(&f32.m, NULL, NULL, z, B), VG_OK);
    cr_assert_eq(made_backward(&f32.m, dz32, dm, ds), VG_OK);
    cr_assert_eq(made_forward(&f64.m, NULL, NULL, z, B), VG_OK);
    cr_assert_eq(made_backward(&f64.m, dz64, dm, ds), VG_OK);
    cmp_report_t r;
    cr_assert(compare_arrays(&r, dz64, dz32, B * Z,
                             (cmp_bound_t){ 1e-4, 1e-4 }, "dz float32"),
              "%s", r.message);
    size_t n = f64.m.net.n_params;
    double *g32 = malloc(n * sizeof *g32);
    cr_assert(g32);
    for (size_t i = 0; i < n; i++)
        g32[i] = ((float *)f32.grads)[i];
    cr_assert(compare_arrays(&r, f64.grads, g32, n,
                             (cmp_bound_t){ 1e-4, 1e-4 }, "grads float32"),
              "%s", r.message);
    size_t off = 0;
    for (size_t l = 0; l < f32.m.net.spec.n_layers; l++) {
        size_t ni = f32.m.net.spec.sizes[l], no = f32.m.net.spec.sizes[l + 1];
        for (size_t i = 0; i < ni * no; i++)
            if (!f32.m.mask[l][i])
                cr_assert_eq(g32[off + i], 0.0);
        off += ni * no + no;
    }
    free(g32);
    fixture_free(&f32);
    fixture_free(&f64);
}

Test(made, refuses_bad_shapes)
{
    made_t m;
    double p[4096], g[4096];
    cr_assert_neq(made_init(&m, 1, 8, 1, NULL, NN_FLOAT64, 2, p, g), VG_OK);
    cr_assert_neq(made_init(&m, 6, 4, 1, NULL, NN_FLOAT64, 2, p, g), VG_OK);
    cr_assert_neq(made_init(&m, 4, 8, 0, NULL, NN_FLOAT64, 2, p, g), VG_OK);
    const size_t twice[3] = { 0, 1, 1 };
    cr_assert_neq(made_init(&m, 3, 8, 1, twice, NN_FLOAT64, 2, p, g), VG_OK);
    cr_assert(strstr(vg_error_last(), "permutation"), "%s", vg_error_last());
}

/* ---- the flow's block -------------------------------------------------- */

static const iaf_config_t FLOW = { 3, Z, H, 2, 1.0 };

Test(iaf, orders_alternate_and_blocks_tile)
{
    iaf_t f;
    cr_assert_eq(iaf_create(&f, &FLOW, NN_FLOAT64, B, 21), VG_OK, "%s",
                 vg_error_last());
    cr_assert_eq(f.n_params, 3 * made_param_count(Z, H, 2));
    size_t order[Z];
    for (size_t t = 0; t < 3; t++) {
        iaf_order(&f, t, order);
        for (size_t i = 0; i < Z; i++) {
            cr_assert_eq(order[i], t % 2 ? Z - 1 - i : i);
            cr_assert_eq(f.made[t].deg[order[i]], i + 1);
        }
        cr_assert_eq((char *)f.made[t].net.params,
                     (char *)f.params + t * f.made[0].net.n_params * 8);
    }
    /* the steps are initialised differently (one rng in turn) */
    cr_assert_neq(memcmp(f.made[0].net.W[1], f.made[1].net.W[1], H * H * 8),
                  0);
    iaf_free(&f);
}

Test(iaf, same_seed_same_flow_and_dtypes_agree)
{
    iaf_t a, b, c;
    cr_assert_eq(iaf_create(&a, &FLOW, NN_FLOAT64, B, 22), VG_OK);
    cr_assert_eq(iaf_create(&b, &FLOW, NN_FLOAT64, B, 22), VG_OK);
    cr_assert_eq(iaf_create(&c, &FLOW, NN_FLOAT32, B, 22), VG_OK);
    cr_assert_eq(memcmp(a.params, b.params, a.n_params * 8), 0);
    for (size_t i = 0; i < a.n_params; i++)
        cr_assert_eq((float)iaf_param_get(&a, i), iaf_param_get(&c, i));
    cr_assert_eq(iaf_copy_params(&b, &c), VG_OK);
    for (size_t i = 0; i < a.n_params; i++)
        cr_assert_eq(iaf_param_get(&b, i), iaf_param_get(&c, i));
    iaf_free(&a);
    iaf_free(&b);
    iaf_free(&c);
}

Test(iaf, file_round_trip_and_refusals)
{
    char path[] = "/tmp/vg_iaf_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    iaf_t a, b, c;
    cr_assert_eq(iaf_create(&a, &FLOW, NN_FLOAT32, B, 23), VG_OK);
    cr_assert_eq(iaf_create(&b, &FLOW, NN_FLOAT64, B, 24), VG_OK);
    cr_assert_eq(iaf_save(&a, path, 23, 100), VG_OK, "%s", vg_error_last());
    cr_assert_eq(iaf_load(&b, path), VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < a.n_params; i++)
        cr_assert_eq(iaf_param_get(&a, i), iaf_param_get(&b, i));

    iaf_config_t other = FLOW;
    other.n_steps = 2;
    cr_assert_eq(iaf_create(&c, &other, NN_FLOAT64, B, 25), VG_OK);
    double before = iaf_param_get(&c, 0);
    cr_assert_neq(iaf_load(&c, path), VG_OK);
    cr_assert(strstr(vg_error_last(), "T 3"), "%s", vg_error_last());
    cr_assert_eq(iaf_param_get(&c, 0), before);

    /* one flipped byte of the payload: refused */
    FILE *fp = fopen(path, "r+b");
    cr_assert(fp);
    fseek(fp, 100, SEEK_SET);
    int ch = fgetc(fp);
    fseek(fp, 100, SEEK_SET);
    fputc(ch ^ 0x5a, fp);
    fclose(fp);
    cr_assert_neq(iaf_load(&b, path), VG_OK);
    remove(path);
    iaf_free(&a);
    iaf_free(&b);
    iaf_free(&c);
}
