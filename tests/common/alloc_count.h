/* alloc_count.h: counts the process's malloc and free calls through ASan's
 * allocator hooks, for the tests that prove a step allocates nothing.
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
void alloc_count_stop(void);

#endif
