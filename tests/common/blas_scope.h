/* blas_scope.h: marks the time the process spends inside OpenBLAS's GEMMs,
 * so that the allocation tests count what this project's code allocates
 * and not what the BLAS does inside a call. OpenBLAS picks its kernels by
 * CPU at run time, and some allocate on every call (0.3.21's COOPERLAKE
 * sgemm_small_kernel_nn on AVX-512 machines): a step that allocates
 * nothing of its own must pass on every CPU.
 * The test suites are linked with -Wl,--wrap=cblas_sgemm,--wrap=cblas_dgemm
 * (Makefile), so every GEMM of the framework goes through the wrappers in
 * blas_scope.c. Not used outside the tests. */
#ifndef TESTS_BLAS_SCOPE_H
#define TESTS_BLAS_SCOPE_H

#include <stddef.h>

/* Non-zero while a wrapped GEMM runs (in any thread). */
int blas_scope_inside(void);
/* Wrapped GEMM calls since the process started: a test that relies on
 * the exemption asserts this moved, so an unwrapped link cannot pass it
 * silently. */
size_t blas_scope_calls(void);
/* Makes every wrapped GEMM also malloc and free a block inside its scope,
 * as COOPERLAKE's small kernel does: lets a machine whose BLAS does not
 * allocate prove that the allocation tests tolerate one that does. */
void blas_scope_simulate_alloc(int on);

#endif
