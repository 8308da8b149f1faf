/* merge.c: `vaegrade batch --merge OUTDIR DIR...` (batch.h): the shards'
 * students joined into one gradebook and summary, made by the same code
 * from the same files as one unsharded run, so the bytes are the same.
 * Refused, saying which folder: shards of another grader, profile or
 * options (their grader keys differ), other columns, another N, a shard
 * given twice or missing, a student in two shards. */
#include "batch/batch_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report/utf8.h"
#include "vg_error.h"

static int same_columns(const batch_columns_t *a, const batch_columns_t *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->ids[i], b->ids[i]) != 0)
            return 0;
    return 1;
}

/* Each shard's manifest against the first's. */
static int check_fit(const batch_manifest_t *m, const char *const *dirs, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (strcmp(m[i].grader_key, m[0].grader_key) != 0)
            return vg_error_set("%s and %s were graded by different graders, profiles or "
                                "options (profiles \"%s\" and \"%s\"): grade every shard "
                                "with the same command", dirs[0], dirs[i], m[0].profile,
                                m[i].profile);
        if (!same_columns(&m[i].columns, &m[0].columns))
            return vg_error_set("%s and %s grade different checks", dirs[0], dirs[i]);
        if (m[i].shard_n != m[0].shard_n)
            return vg_error_set("%s is a shard of %u, %s of %u", dirs[0], m[0].shard_n,
                                dirs[i], m[i].shard_n);
        for (size_t j = 0; j < i; j++)
            if (m[j].shard_k == m[i].shard_k)
                return vg_error_set("%s and %s are both shard %u/%u", dirs[j], dirs[i],
                                    m[i].shard_k, m[i].shard_n);
    }
    if (n != m[0].shard_n)
        return vg_error_set("%zu folders for %u shards: every shard 0 to %u is needed, "
                            "once", n, m[0].shard_n, m[0].shard_n - 1);
    return VG_OK;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const batch_entry_t *)a)->name, ((const batch_entry_t *)b)->name);
}

static int no_overlap(batch_entry_t *e, size_t n)
{
    qsort(e, n, sizeof *e, cmp_entry);
    for (size_t i = 1; i < n; i++)
        if (strcmp(e[i - 1].name, e[i].name) == 0) {
            char *shown = utf8_sanitize(e[i].name, strlen(e[i].name));
            int rc = vg_error_set("student %s is in two shards (%s and %s): were they "
                                  "graded with different --shard N?", shown ? shown : "?",
                                  e[i - 1].dir, e[i].dir);
            free(shown);
            return rc;
        }
    return VG_OK;
}

/* The merged gradebook must not overwrite a shard's own. */
static int not_same_folder(const char *out, const char *shard)
{
    struct stat a, b;
    if (stat(out, &a) == 0 && stat(shard, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return vg_error_set("--merge %s: that is shard folder %s itself; merge into "
                            "another folder", out, shard);
    return VG_OK;
}

int batch_merge(batch_totals_t *t, const batch_options_t *b)
{
    memset(t, 0, sizeof *t);
    size_t n = b->n_merge, total = 0;
    batch_manifest_t *m = calloc(n, sizeof *m);
    if (!m)
        return vg_error_set("out of memory");
    int rc = VG_OK;
    size_t read = 0;
    for (; rc == VG_OK && read < n; read++)
        rc = batch_manifest_read(&m[read], b->merge_dirs[read]);
    if (rc != VG_OK)
        read--;
    if (rc == VG_OK)
        rc = check_fit(m, b->merge_dirs, n);
    for (size_t i = 0; rc == VG_OK && i < n; i++)
        total += m[i].n_students;
    batch_entry_t *e = rc == VG_OK ? calloc(total + 1, sizeof *e) : NULL;
    if (rc == VG_OK && !e)
        rc = vg_error_set("out of memory");
    size_t k = 0;
    for (size_t i = 0; rc == VG_OK && i < n; i++)
        for (size_t j = 0; rc == VG_OK && j < m[i].n_students; j++, k++) {
            e[k].name = m[i].students[j];
            if (!(e[k].dir = batch_path(b->merge_dirs[i], m[i].students[j])))
                rc = VG_ERR;
        }
    if (rc == VG_OK)
        rc = no_overlap(e, total);
    if (rc == VG_OK && mkdir(b->merge_out, 0755) != 0 && errno != EEXIST)
        rc = vg_error_set("cannot make %s: %s", b->merge_out, strerror(errno));
    for (size_t i = 0; rc == VG_OK && i < n; i++)
        rc = not_same_folder(b->merge_out, b->merge_dirs[i]);
    if (rc == VG_OK)
        rc = batch_book_write(b->merge_out, &m[0].columns, e, total, &t->failed);
    t->students = total;
    for (size_t i = 0; e && i < k; i++)
        free(e[i].dir);
    free(e);
    for (size_t i = 0; i < read; i++)
        batch_manifest_free(&m[i]);
    free(m);
    return rc;
}
