/* test_alloc.c: a cse599i-hw2 training step allocates nothing. Each
 * reference bound, forward and backward (the IAF's through the flow too),
 * runs on a float32 model and flow of the assignment's sizes while ASan's
 * allocator hooks count every malloc/calloc/realloc of the process; the
 * count must stay 0 (OpenBLAS's own, inside a GEMM, are counted apart).
 * Not a leak check (ASan does that). Shapes: B batch, D data dimension. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "../common/alloc_count.h"
#include "../common/blas_scope.h"
#include "config.h"
#include "cse_setup.h"
#include "vg_error.h"

enum { B = 20, D = 784 };

static double step(int which, model_t *m, iaf_t *f, const double *xg,
                   const double *xb, rng_t *rng)
{
    scratch_reset(m);
    model_zero_grad(m);
    iaf_zero_grad(f);
    switch (which) {
    case 0: return gaussian_elbo(m, xg, B, 0.1, rng, 1);
    case 1: return mc_gaussian_elbo(m, xg, B, 0.1, rng, 1);
    case 2: return discrete_output_elbo(m, xb, B, rng, 1);
    default: return iaf_elbo(m, f, xb, B, rng, 1);
    }
}

/* One warm-up call (libraries may set themselves up on first use), then
 * three steps, counted. */
static void check_no_alloc(int which)
{
    if (!alloc_count_install())
        cr_skip_test("needs the ASan build (make test) for allocator hooks");
    cse599i_config_t cc = config_cse599i_hw2();
    model_config_t c = config_model_cse599i_hw2();
    model_t m;
    iaf_t f;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT32, B, 1), VG_OK);
    cr_assert_eq(iaf_create(&f, &cc.iaf, NN_FLOAT32, B, 2), VG_OK);
    static double xg[B * D], xb[B * D];
    uniform_fill(xg, B * D, 0, 1, 3);
    binary_digits(xb, B, D, 0.13, 4);
    rng_t rng;
    rng_seed(&rng, 5);
    cr_assert(isfinite(step(which, &m, &f, xg, xb, &rng)), "%s",
              vg_error_last());
    size_t gemms = blas_scope_calls();
    alloc_count_start();
    double v = 0;
    for (int s = 0; s < 3; s++)
        v += step(which, &m, &f, xg, xb, &rng);
    alloc_count_stop();
    size_t n = alloc_count_mallocs() + alloc_count_frees();
    cr_assert(isfinite(v), "%s", vg_error_last());
    cr_assert_gt(blas_scope_calls(), gemms, "no GEMM went through "
                 "tests/common/blas_scope.c");
    cr_assert_eq(n, 0, "bound %d: %zu allocations in 3 steps", which, n);
    iaf_free(&f);
    model_free(&m);
}

Test(cse_alloc, gaussian_step) { check_no_alloc(0); }
Test(cse_alloc, mc_gaussian_step) { check_no_alloc(1); }
Test(cse_alloc, discrete_step) { check_no_alloc(2); }
Test(cse_alloc, iaf_step) { check_no_alloc(3); }
