/* blas_scope.c: the GEMM wrappers behind blas_scope.h. ld's --wrap sends
 * the framework's calls of cblas_sgemm/cblas_dgemm here and __real_* to
 * OpenBLAS. */
#include "blas_scope.h"

#include <cblas.h>
#include <stdlib.h>

static volatile int depth;
static volatile size_t calls;
static volatile int simulate;

/* The wrap's two names, declared for -Wmissing-prototypes. */
void __real_cblas_sgemm(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
                        const enum CBLAS_TRANSPOSE, const blasint, const blasint,
                        const blasint, const float, const float *, const blasint,
                        const float *, const blasint, const float, float *,
                        const blasint);
void __wrap_cblas_sgemm(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
                        const enum CBLAS_TRANSPOSE, const blasint, const blasint,
                        const blasint, const float, const float *, const blasint,
                        const float *, const blasint, const float, float *,
                        const blasint);
void __real_cblas_dgemm(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
                        const enum CBLAS_TRANSPOSE, const blasint, const blasint,
                        const blasint, const double, const double *, const blasint,
                        const double *, const blasint, const double, double *,
                        const blasint);
void __wrap_cblas_dgemm(const enum CBLAS_ORDER, const enum CBLAS_TRANSPOSE,
                        const enum CBLAS_TRANSPOSE, const blasint, const blasint,
                        const blasint, const double, const double *, const blasint,
                        const double *, const blasint, const double, double *,
                        const blasint);

static void enter(void)
{
    __atomic_add_fetch(&depth, 1, __ATOMIC_SEQ_CST);
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    if (simulate) {
        void *volatile p = malloc(64);
        free(p);
    }
}

static void leave(void)
{
    __atomic_sub_fetch(&depth, 1, __ATOMIC_SEQ_CST);
}

void __wrap_cblas_sgemm(const enum CBLAS_ORDER o, const enum CBLAS_TRANSPOSE ta,
                        const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n,
                        const blasint k, const float alpha, const float *a,
                        const blasint lda, const float *b, const blasint ldb,
                        const float beta, float *c, const blasint ldc)
{
    enter();
    __real_cblas_sgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    leave();
}

void __wrap_cblas_dgemm(const enum CBLAS_ORDER o, const enum CBLAS_TRANSPOSE ta,
                        const enum CBLAS_TRANSPOSE tb, const blasint m, const blasint n,
                        const blasint k, const double alpha, const double *a,
                        const blasint lda, const double *b, const blasint ldb,
                        const double beta, double *c, const blasint ldc)
{
    enter();
    __real_cblas_dgemm(o, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    leave();
}

int blas_scope_inside(void)
{
    return __atomic_load_n(&depth, __ATOMIC_SEQ_CST) > 0;
}

size_t blas_scope_calls(void)
{
    return __atomic_load_n(&calls, __ATOMIC_SEQ_CST);
}

void blas_scope_simulate_alloc(int on)
{
    simulate = on;
}
