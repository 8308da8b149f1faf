/* book.c: the gradebook's columns, and the gradebook and summary of a set
 * of student folders (batch_internal.h), for a run and for a merge alike. */
#include "batch/rows.h"

#include <stdlib.h>
#include <string.h>

#include "driver/grade.h"
#include "vg_error.h"

int batch_columns_from_profile(batch_columns_t *c, const profile_t *p, const char *only)
{
    c->n = 0;
    c->ids = calloc(p->n_checks + 1, sizeof *c->ids);
    if (!c->ids)
        return vg_error_set("out of memory");
    for (size_t i = 0; i < p->n_checks; i++) {
        const char *id = p->checks[i].def->id;
        if (only && !grade_only_lists(only, id))
            continue;
        if (!(c->ids[c->n] = strdup(id))) {
            batch_columns_free(c);
            return vg_error_set("out of memory");
        }
        c->n++;
    }
    return VG_OK;
}

void batch_columns_free(batch_columns_t *c)
{
    for (size_t i = 0; c->ids && i < c->n; i++)
        free(c->ids[i]);
    free(c->ids);
    c->ids = NULL;
    c->n = 0;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const batch_entry_t *)a)->name, ((const batch_entry_t *)b)->name);
}

int batch_book_write(const char *out, const batch_columns_t *c, batch_entry_t *e,
                     size_t n, size_t *n_failed)
{
    qsort(e, n, sizeof *e, cmp_entry);
    row_t *rows = calloc(n + 1, sizeof *rows);
    if (!rows)
        return vg_error_set("out of memory");
    int rc = rows_read(rows, e, n, c);
    if (rc == VG_OK)
        rc = gradebook_write(out, rows, n, c);
    if (rc == VG_OK)
        rc = summary_write(out, rows, n, c);
    *n_failed = 0;
    for (size_t i = 0; i < n; i++)
        *n_failed += rows[i].failed;
    rows_free(rows, n, c);
    free(rows);
    return rc;
}
