/* strbuf.c: the appending buffer of strbuf.h. */
#include "batch/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void sb_add(strbuf_t *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = b->s ? vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t need = b->cap + (n > 0 ? (size_t)n : 0) + 4096;
        char *more = realloc(b->s, 2 * need);
        if (!more) {
            b->failed = 1;
            return;
        }
        if (!b->s)
            more[0] = '\0';
        b->s = more;
        b->cap = 2 * need;
    }
}

void sb_free(strbuf_t *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
