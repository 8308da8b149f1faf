/* rows.h: a student's gradebook row, read back from the files the batch
 * left in its folder (results.json in either format, fingerprint.json).
 * The gradebook (gradebook.c) and the summary (summary.c) are both made
 * from rows, so a merged set of shards gives the bytes one run gives. */
#ifndef VG_BATCH_ROWS_H
#define VG_BATCH_ROWS_H

#include "batch/batch_internal.h"

typedef struct cell {
    int present;                /* the results have this check */
    double score, max;
    char *outcome;              /* passed, failed, timed out, ... */
    char *message;              /* the first line of its message */
} cell_t;

typedef struct row {
    const char *name;
    int failed;                 /* the grader failed: total 0, no cells */
    char error[512];
    double total;
    cell_t *cells;              /* (columns.n) */
} row_t;

/* rows[i] from entries[i]; a student whose files are missing or unreadable
 * is a failed row saying so. VG_ERR only when out of memory. */
int rows_read(row_t *rows, const batch_entry_t *e, size_t n, const batch_columns_t *c);
void rows_free(row_t *rows, size_t n, const batch_columns_t *c);

int gradebook_write(const char *out, const row_t *rows, size_t n,
                    const batch_columns_t *c);
int summary_write(const char *out, const row_t *rows, size_t n,
                  const batch_columns_t *c);

#endif
