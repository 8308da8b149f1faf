/* alloc_guard.h: the submission's malloc, calloc and realloc. The driver
 * renames those calls in the submission's object (objcopy --redefine-sym),
 * so that an allocation refused under the runner's address-space limit is
 * reported as "over memory" (an event in the result arena, arena.h) instead
 * of surfacing later as a segfault on a NULL pointer. Trusted code keeps the
 * plain allocator. */
#ifndef VG_RUNNER_ALLOC_GUARD_H
#define VG_RUNNER_ALLOC_GUARD_H

#include <stddef.h>

void *vg_guard_malloc(size_t n);
void *vg_guard_calloc(size_t n, size_t size);
void *vg_guard_realloc(void *p, size_t n);

#endif
