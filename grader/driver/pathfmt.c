/* pathfmt.c: bounded formatting (pathfmt.h). */
#include "driver/pathfmt.h"

#include <stdarg.h>
#include <stdio.h>

#include "vg_error.h"

int pathfmt(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap)
        return vg_error_set("a path or message is longer than %zu bytes: %.80s...",
                            cap, out);
    return VG_OK;
}
