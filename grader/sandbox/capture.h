/* capture.h: keeps the head and the tail of a byte stream of any length in
 * a fixed budget, so a submission that prints megabytes costs the report a
 * few KiB and the student still sees how the output began and ended.
 * Not a general buffer: it only ever grows by appending. */
#ifndef VG_CAPTURE_H
#define VG_CAPTURE_H

#include <stddef.h>

typedef struct capture {
    size_t limit;     /* bytes kept at most: limit/2 of head, the rest tail */
    size_t total;     /* bytes seen */
    size_t head_len;
    char *head;       /* (limit/2) the first bytes */
    char *tail;       /* (limit - limit/2) ring of the latest bytes */
    size_t tail_cap, tail_pos, tail_len;
} capture_t;

int capture_init(capture_t *c, size_t limit);
void capture_append(capture_t *c, const char *bytes, size_t n);
/* The kept text, NUL-terminated and malloc'd: the whole stream when it fit,
 * else head + "\n[... N bytes dropped ...]\n" + tail; made valid UTF-8, a
 * NUL byte or an invalid sequence shown as U+FFFD. NULL on no memory. */
char *capture_text(const capture_t *c);
void capture_free(capture_t *c);

#endif
