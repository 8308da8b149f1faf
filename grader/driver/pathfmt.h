/* pathfmt.h: printf into a fixed buffer that fails, with a message, rather
 * than silently cutting a path or a message short. */
#ifndef VG_PATHFMT_H
#define VG_PATHFMT_H

#include <stddef.h>

/* VG_OK, or VG_ERR when the text needed more than cap bytes (out then
 * holds the cut text). */
int pathfmt(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
