/* strbuf.h: text built by appending, for the gradebook and the summary.
 * An allocation failure is remembered and reported once at the end. */
#ifndef VG_BATCH_STRBUF_H
#define VG_BATCH_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *s;
    size_t len, cap;
    int failed;
} strbuf_t;

void sb_add(strbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(strbuf_t *b);

#endif
