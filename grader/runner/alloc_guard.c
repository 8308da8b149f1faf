/* alloc_guard.c: allocation wrappers for submission code (alloc_guard.h).
 * A refused request ends the process at once, naming its size: by then the
 * submission has asked for more than the limit allows, which is the
 * outcome, whatever it would have done with a NULL. */
#include "runner/alloc_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "runner/arena.h"
#include "runner/runner.h"

static void refuse(unsigned long long bytes)
{
    arena_put_event("over_memory", bytes);
    _exit(RUNNER_EXIT_OVER_MEMORY);
}

void *vg_guard_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p && n > 0)
        refuse(n);
    return p;
}

void *vg_guard_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p && n > 0 && size > 0)
        refuse(size && n > SIZE_MAX / size ? (unsigned long long)SIZE_MAX
                                           : (unsigned long long)(n * size));
    return p;
}

void *vg_guard_realloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q && n > 0)
        refuse(n);
    return q;
}
