/* alloc_count.h: counts the process's malloc and free calls through ASan's
 * allocator hooks, for the tests that prove a step allocates nothing.
 * Calls made while a GEMM runs inside OpenBLAS (blas_scope.h) are counted
 * apart: the tests assert that this project's code allocates nothing,
 * whatever kernels the BLAS picked for the CPU.
 * Works only in the sanitised test build (make test); not a leak check. */
#ifndef TESTS_ALLOC_COUNT_H
#define TESTS_ALLOC_COUNT_H

#include <stddef.h>

/* Installs the hooks, once per process (ASan keeps at most 5); 0 when the
 * runtime has none (a build without ASan), so the caller can say so. */
int alloc_count_install(void);
void alloc_count_start(void);
/* Allocations and frees since alloc_count_start. */
size_t alloc_count_mallocs(void);
size_t alloc_count_frees(void);
/* Mallocs made inside a GEMM since alloc_count_start (not in the above). */
size_t alloc_count_in_blas(void);
void alloc_count_stop(void);

#endif
