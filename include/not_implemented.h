/* not_implemented.h: the one call with which a stub says "not implemented".
 * The grader's runner reads the flag after each call into student code, so
 * an unfinished function is reported as such rather than as wrong values. */
#ifndef VG_NOT_IMPLEMENTED_H
#define VG_NOT_IMPLEMENTED_H

/* Marks `func` (pass __func__) as not implemented in this process. */
void not_implemented(const char *func);

/* The name given to the first not_implemented() call since the last reset,
 * or NULL when there was none. */
const char *not_implemented_which(void);
void not_implemented_reset(void);

#endif
