/* gradebook.c: gradebook.csv (rows.h): student, total, one column per
 * check id in catalogue order, and a note (why the grader failed). RFC
 * 4180 quoting (a field holding a comma, quote, CR or LF is quoted, its
 * quotes doubled), records ended by LF. Student names are untrusted
 * bytes: made valid UTF-8, and one starting with = + - @ (or tab, CR) gets
 * a leading apostrophe, so a spreadsheet shows it as text instead of
 * running it as a formula (OWASP's advice against CSV injection). */
#include "batch/rows.h"

#include <stdlib.h>
#include <string.h>

#include "batch/strbuf.h"
#include "report/utf8.h"
#include "vg_error.h"

/* Scores keep ten significant digits: points are sums of a check's equal
 * shares (2/3 of a point prints as 0.6666666667), exact enough to add up. */
#define SCORE_FMT "%.10g"

static void csv_field(strbuf_t *b, const char *text, int untrusted)
{
    char *clean = utf8_sanitize(text, strlen(text));
    if (!clean) {
        b->failed = 1;
        return;
    }
    const char *lead = untrusted && strchr("=+-@\t\r", clean[0]) && clean[0] ? "'" : "";
    if (!strpbrk(clean, ",\"\r\n")) {
        sb_add(b, "%s%s", lead, clean);
    } else {
        sb_add(b, "\"%s", lead);
        for (const char *p = clean; *p; p++)
            sb_add(b, *p == '"' ? "\"\"" : "%c", *p);
        sb_add(b, "\"");
    }
    free(clean);
}

int gradebook_write(const char *out, const row_t *rows, size_t n,
                    const batch_columns_t *c)
{
    strbuf_t b = { 0 };
    sb_add(&b, "student,total");
    for (size_t k = 0; k < c->n; k++) {
        sb_add(&b, ",");
        csv_field(&b, c->ids[k], 0);
    }
    sb_add(&b, ",note");
    for (size_t i = 0; i < n; i++) {
        const row_t *r = &rows[i];
        sb_add(&b, "\n");
        csv_field(&b, r->name, 1);
        sb_add(&b, "," SCORE_FMT, r->total);
        for (size_t k = 0; k < c->n; k++) {
            if (r->cells[k].present)
                sb_add(&b, "," SCORE_FMT, r->cells[k].score);
            else
                sb_add(&b, ",");
        }
        sb_add(&b, ",");
        if (r->failed) {
            char note[600];
            snprintf(note, sizeof note, "grader failed: %s", r->error);
            csv_field(&b, note, 1);
        }
    }
    /* batch_write ends the last record with its LF. */
    int rc = batch_write(out, BATCH_GRADEBOOK, b.failed ? NULL : b.s);
    sb_free(&b);
    return rc;
}
