/* rows.c: reading a student's results back into a row (rows.h). Both
 * results formats are read: Gradescope's (tests[].extra_data.id, score,
 * max_score, extra_data.outcome, output) and PrairieLearn's (tests[].name
 * "<id> <title>", points, max_points, message; it has no outcome, so a
 * test is "passed" with full points and "failed" otherwise). */
#include "batch/rows.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "vg_error.h"

static int column_of(const batch_columns_t *c, const char *id, size_t id_len)
{
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->ids[i]) == id_len && memcmp(c->ids[i], id, id_len) == 0)
            return (int)i;
    return -1;
}

static char *first_line(const char *s)
{
    return strndup(s ? s : "", strcspn(s ? s : "", "\n"));
}

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(it) ? it->valuedouble : 0;
}

/* One tests[] entry into its cell. */
static int read_test(row_t *r, const cJSON *t, int prairielearn, const batch_columns_t *c)
{
    const char *id, *outcome = NULL, *message;
    size_t id_len;
    double score, max;
    if (prairielearn) {
        id = str_of(t, "name");
        id_len = id ? strcspn(id, " ") : 0;
        score = num_of(t, "points");
        max = num_of(t, "max_points");
        message = str_of(t, "message");
    } else {
        id = str_of(cJSON_GetObjectItemCaseSensitive(t, "extra_data"), "id");
        id_len = id ? strlen(id) : 0;
        outcome = str_of(cJSON_GetObjectItemCaseSensitive(t, "extra_data"), "outcome");
        score = num_of(t, "score");
        max = num_of(t, "max_score");
        message = str_of(t, "output");
    }
    int col = id ? column_of(c, id, id_len) : -1;
    r->total += score;
    if (col < 0)
        return VG_OK;
    cell_t *cell = &r->cells[col];
    cell->present = 1;
    cell->score = score;
    cell->max = max;
    if (!outcome)
        outcome = score >= max ? "passed" : "failed";
    cell->outcome = strdup(outcome);
    cell->message = first_line(message);
    return cell->outcome && cell->message ? VG_OK : vg_error_set("out of memory");
}

static void fail_row(row_t *r, const char *why)
{
    r->failed = 1;
    r->total = 0;
    snprintf(r->error, sizeof r->error, "%s", why);
}

static int read_one(row_t *r, const batch_entry_t *e, const batch_columns_t *c)
{
    batch_record_t rec;
    if (batch_record_read(&rec, e->dir) != VG_OK) {
        fail_row(r, "not graded: no fingerprint (was the run stopped?)");
        return VG_OK;
    }
    if (rec.failed) {
        fail_row(r, rec.error);
        return VG_OK;
    }
    char *path = batch_path(e->dir, BATCH_RESULTS);
    char *text = path ? batch_read_file(path, NULL) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
    int rc = VG_OK;
    if (!cJSON_IsArray(tests)) {
        fail_row(r, "its results.json is missing or not valid JSON");
    } else {
        int prairielearn = cJSON_HasObjectItem(doc, "gradable");
        const cJSON *t;
        cJSON_ArrayForEach(t, tests) if (rc == VG_OK)
            rc = read_test(r, t, prairielearn, c);
    }
    cJSON_Delete(doc);
    free(text);
    free(path);
    return rc;
}

int rows_read(row_t *rows, const batch_entry_t *e, size_t n, const batch_columns_t *c)
{
    int rc = VG_OK;
    for (size_t i = 0; i < n; i++) {
        memset(&rows[i], 0, sizeof rows[i]);
        rows[i].name = e[i].name;
        rows[i].cells = calloc(c->n ? c->n : 1, sizeof *rows[i].cells);
        if (!rows[i].cells)
            rc = vg_error_set("out of memory");
        else if (rc == VG_OK)
            rc = read_one(&rows[i], &e[i], c);
    }
    return rc;
}

void rows_free(row_t *rows, size_t n, const batch_columns_t *c)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; rows[i].cells && k < c->n; k++) {
            free(rows[i].cells[k].outcome);
            free(rows[i].cells[k].message);
        }
        free(rows[i].cells);
    }
}
