/* alloc_count.c: the hooks behind alloc_count.h. Criterion runs each test
 * in a process of its own, so one pair of counters per process suffices. */
#include "alloc_count.h"

#include "blas_scope.h"

/* From <sanitizer/allocator_interface.h>, which clang ships and Debian's
 * gcc 12 does not (its libasan exports the function all the same); weak,
 * so a build without ASan links and alloc_count_install says 0. */
int __sanitizer_install_malloc_and_free_hooks(
    void (*malloc_hook)(const volatile void *, size_t),
    void (*free_hook)(const volatile void *)) __attribute__((weak));

static volatile int counting;
static volatile size_t n_mallocs, n_frees, n_in_blas;

/* What OpenBLAS allocates inside a GEMM is the library's business and
 * depends on the CPU it picked kernels for; it is counted apart. */
static void on_malloc(const volatile void *p, size_t size)
{
    (void)p;
    (void)size;
    if (!counting)
        return;
    if (blas_scope_inside())
        n_in_blas++;
    else
        n_mallocs++;
}

static void on_free(const volatile void *p)
{
    (void)p;
    if (counting && !blas_scope_inside())
        n_frees++;
}

int alloc_count_install(void)
{
    static int installed;
    if (!installed)
        installed = __sanitizer_install_malloc_and_free_hooks &&
                    __sanitizer_install_malloc_and_free_hooks(on_malloc,
                                                              on_free);
    return installed;
}

void alloc_count_start(void)
{
    n_mallocs = n_frees = n_in_blas = 0;
    counting = 1;
}

void alloc_count_stop(void)
{
    counting = 0;
}

size_t alloc_count_mallocs(void)
{
    return n_mallocs;
}

size_t alloc_count_frees(void)
{
    return n_frees;
}

size_t alloc_count_in_blas(void)
{
    return n_in_blas;
}
