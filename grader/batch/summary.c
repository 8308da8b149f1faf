/* summary.c: summary.json and summary.txt (rows.h): per check, over the
 * students the grader did not fail on, the mean score, how many did not
 * pass, the most common outcome, and the most common first line of the
 * message among those that did not pass. Ties go to the string first in
 * byte order, so the summary is the same bytes however the rows came. */
#include "batch/rows.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "batch/strbuf.h"
#include "report/utf8.h"
#include "vg_error.h"

typedef struct check_stats {
    size_t graded, failed;
    double sum, max;
    const char *outcome, *message;
    size_t outcome_n, message_n;
} check_stats_t;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The most frequent of strs (sorted here), first in byte order on a tie. */
static const char *most_common(const char **strs, size_t n, size_t *count)
{
    qsort(strs, n, sizeof *strs, cmp_str);
    const char *best = NULL;
    *count = 0;
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i + 1; j < n && strcmp(strs[i], strs[j]) == 0; j++)
            ;
        if (j - i > *count) {
            *count = j - i;
            best = strs[i];
        }
    }
    return best;
}

static void stats_of(check_stats_t *s, const row_t *rows, size_t n, size_t k,
                     const char **outcomes, const char **messages)
{
    memset(s, 0, sizeof *s);
    size_t n_msg = 0;
    for (size_t i = 0; i < n; i++) {
        const cell_t *c = &rows[i].cells[k];
        if (rows[i].failed || !c->present)
            continue;
        outcomes[s->graded++] = c->outcome;
        s->sum += c->score;
        s->max = c->max > s->max ? c->max : s->max;
        if (strcmp(c->outcome, "passed") != 0) {
            s->failed++;
            messages[n_msg++] = c->message;
        }
    }
    s->outcome = most_common(outcomes, s->graded, &s->outcome_n);
    s->message = most_common(messages, n_msg, &s->message_n);
}

static void add_clean(cJSON *o, const char *key, const char *s)
{
    char *clean = utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
    cJSON_AddStringToObject(o, key, clean ? clean : "");
    free(clean);
}

static int write_json(const char *out, const check_stats_t *st, const row_t *rows,
                      size_t n, const batch_columns_t *c)
{
    cJSON *doc = cJSON_CreateObject();
    size_t failed = 0;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        failed += rows[i].failed;
        total += rows[i].total;
    }
    cJSON_AddNumberToObject(doc, "vaegrade_batch", BATCH_FORMAT_VERSION);
    cJSON_AddNumberToObject(doc, "students", (double)n);
    cJSON_AddNumberToObject(doc, "grader_failed", (double)failed);
    /* Over the students graded; a grader failure is no score of theirs. */
    cJSON_AddNumberToObject(doc, "mean_total", n > failed ? total / (double)(n - failed) : 0);
    cJSON *checks = cJSON_AddArrayToObject(doc, "checks");
    for (size_t k = 0; k < c->n; k++) {
        const check_stats_t *s = &st[k];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->ids[k]);
        cJSON_AddNumberToObject(o, "max_score", s->max);
        cJSON_AddNumberToObject(o, "graded", (double)s->graded);
        cJSON_AddNumberToObject(o, "mean_score", s->graded ? s->sum / (double)s->graded : 0);
        cJSON_AddNumberToObject(o, "not_passed", (double)s->failed);
        add_clean(o, "most_common_outcome", s->outcome);
        cJSON_AddNumberToObject(o, "outcome_count", (double)s->outcome_n);
        add_clean(o, "most_common_message", s->message);
        cJSON_AddNumberToObject(o, "message_count", (double)s->message_n);
        cJSON_AddItemToArray(checks, o);
    }
    return batch_write_json(out, BATCH_SUMMARY_JSON, doc);
}

static int write_text(const char *out, const check_stats_t *st, size_t n,
                      const batch_columns_t *c)
{
    strbuf_t b = { 0 };
    sb_add(&b, "%zu students\n%-36s %9s %9s %10s  %s\n", n, "check", "mean", "max",
           "not passed", "most common outcome");
    for (size_t k = 0; k < c->n; k++) {
        const check_stats_t *s = &st[k];
        sb_add(&b, "%-36s %9.4g %9.4g %10zu  %s (%zu)\n", c->ids[k],
               s->graded ? s->sum / (double)s->graded : 0, s->max, s->failed,
               s->outcome ? s->outcome : "-", s->outcome_n);
        if (s->message) {
            char *shown = utf8_for_terminal(s->message);
            sb_add(&b, "    %zu x: %s\n", s->message_n, shown ? shown : "?");
            free(shown);
        }
    }
    int rc = batch_write(out, BATCH_SUMMARY_TEXT, b.failed ? NULL : b.s);
    sb_free(&b);
    return rc;
}

int summary_write(const char *out, const row_t *rows, size_t n, const batch_columns_t *c)
{
    check_stats_t *st = calloc(c->n + 1, sizeof *st);
    const char **outcomes = calloc(n + 1, sizeof *outcomes);
    const char **messages = calloc(n + 1, sizeof *messages);
    int rc = st && outcomes && messages ? VG_OK : vg_error_set("out of memory");
    for (size_t k = 0; rc == VG_OK && k < c->n; k++)
        stats_of(&st[k], rows, n, k, outcomes, messages);
    /* The pointers in st point into the rows, which outlive this. */
    if (rc == VG_OK)
        rc = write_json(out, st, rows, n, c);
    if (rc == VG_OK)
        rc = write_text(out, st, n, c);
    free(st);
    free(outcomes);
    free(messages);
    return rc;
}
