/* capture.c: head-and-tail capture of a stream (capture.h). The head is the
 * first limit/2 bytes; the tail is a ring of the last bytes; the text marks
 * how many bytes fell between them. */
#include "sandbox/capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/utf8.h"
#include "vg_error.h"

int capture_init(capture_t *c, size_t limit)
{
    memset(c, 0, sizeof *c);
    if (limit < 2)
        limit = 2;
    c->limit = limit;
    c->tail_cap = limit - limit / 2;
    /* One block, carved into head and tail. */
    c->head = malloc(limit);
    if (!c->head)
        return vg_error_set("capture: no memory for %zu bytes", limit);
    c->tail = c->head + limit / 2;
    return VG_OK;
}

void capture_append(capture_t *c, const char *bytes, size_t n)
{
    size_t head_cap = c->limit / 2;
    c->total += n;
    if (c->head_len < head_cap) {
        size_t take = head_cap - c->head_len;
        if (take > n)
            take = n;
        memcpy(c->head + c->head_len, bytes, take);
        c->head_len += take;
        bytes += take;
        n -= take;
    }
    /* Only the last tail_cap bytes can survive; skip the rest at once. */
    if (n > c->tail_cap) {
        bytes += n - c->tail_cap;
        n = c->tail_cap;
    }
    for (size_t i = 0; i < n; i++) {
        c->tail[c->tail_pos] = bytes[i];
        c->tail_pos = (c->tail_pos + 1) % c->tail_cap;
    }
    c->tail_len = c->tail_len + n > c->tail_cap ? c->tail_cap : c->tail_len + n;
}

char *capture_text(const capture_t *c)
{
    size_t dropped = c->total - c->head_len - c->tail_len;
    char marker[96] = "";
    if (dropped > 0)
        snprintf(marker, sizeof marker, "\n[... %zu bytes dropped ...]\n", dropped);
    size_t mlen = strlen(marker);
    char *out = malloc(c->head_len + mlen + c->tail_len + 1);
    if (!out)
        return NULL;
    memcpy(out, c->head, c->head_len);
    memcpy(out + c->head_len, marker, mlen);
    /* The ring's oldest byte sits at tail_pos once it has wrapped. */
    size_t start = c->tail_len == c->tail_cap ? c->tail_pos : 0;
    char *p = out + c->head_len + mlen;
    for (size_t i = 0; i < c->tail_len; i++)
        p[i] = c->tail[(start + i) % c->tail_cap];
    p[c->tail_len] = '\0';
    /* Whatever the program wrote (NUL bytes, a character cut at the head
     * or the tail) leaves as valid UTF-8 (utf8.h). */
    char *text = utf8_sanitize(out, c->head_len + mlen + c->tail_len);
    free(out);
    return text;
}

void capture_free(capture_t *c)
{
    free(c->head);
    memset(c, 0, sizeof *c);
}
