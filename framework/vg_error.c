/* vg_error.c: the per-thread latest error message of vg_error.h. */
#include "vg_error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_message[1024];

int vg_error_set(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return VG_ERR;
}

const char *vg_error_last(void)
{
    return last_message;
}

void vg_error_clear(void)
{
    last_message[0] = '\0';
}
