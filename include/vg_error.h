/* vg_error.h: the framework's error convention (after libgit2's).
 * A library function returns 0 on success or -1 on failure and leaves a
 * message for vg_error_last(); only a program's main() prints and exits.
 * Not a logging facility: one message, the latest, per thread. */
#ifndef VG_ERROR_H
#define VG_ERROR_H

#include <stddef.h>

#define VG_OK 0
#define VG_ERR (-1)

/* Records a printf-style message (what failed, where, what to do) and
 * returns VG_ERR, so that error paths read `return vg_error_set(...)`. */
int vg_error_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The latest message of this thread, or "" when none was set. */
const char *vg_error_last(void);

void vg_error_clear(void);

#endif
