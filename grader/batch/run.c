/* run.c: `vaegrade batch` itself (batch.h): the shard's students, which of
 * them this grader has not graded yet (their fingerprints), the children
 * that grade those (children.c), then the gradebook, the summary and,
 * last, the folder's batch.json. */
#include "batch/run.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/api.h"
#include "driver/grade.h"
#include "driver/pathfmt.h"
#include "vg_error.h"

#define WORK_DIR ".batch-work.XXXXXX"

/* The default limit per submission, from the profile alone: every file's
 * compile timeout, and every selected case's own wall-clock guard at its
 * floor budget (grade.h), as if the cases ran one after another. A
 * backstop for the grader itself hanging; the grade's own per-case guards
 * stop a slow submission long before. */
static double profile_limit_s(const profile_t *p, const batch_options_t *b,
                              const batch_columns_t *cols)
{
    double s = api_n_files() * p->compile_timeout_s;
    for (size_t i = 0; i < p->n_checks; i++) {
        const check_conf_t *c = &p->checks[i];
        int selected = 0;
        for (size_t k = 0; k < cols->n; k++)
            selected |= strcmp(cols->ids[k], c->def->id) == 0;
        size_t n_cases = 0;
        while (n_cases < CHECK_MAX_CASES && c->def->cases[n_cases])
            n_cases++;
        size_t runs = (b->have_seed ? 1 : c->n_seeds) * (n_cases ? n_cases : 1);
        if (selected)
            s += (double)runs * (GRADE_WALL_PER_CPU * c->timeout_floor_s + GRADE_WALL_EXTRA_S);
    }
    return s;
}

/* A student whose record says: this grader, this submission, these
 * results, graded. */
static int finished(const run_t *r, const char *dir, size_t i)
{
    batch_record_t rec;
    char *path = batch_path(dir, BATCH_RESULTS);
    char hex[BATCH_HEX];
    int ok = path && batch_record_read(&rec, dir) == VG_OK && !rec.failed &&
             strcmp(rec.grader_key, r->key) == 0 &&
             strcmp(rec.submission, r->sub_hash[i]) == 0 &&
             batch_file_hash(hex, path) == VG_OK && strcmp(hex, rec.results) == 0;
    free(path);
    return ok;
}

static int write_book(run_t *r)
{
    batch_manifest_t m;
    memset(&m, 0, sizeof m);
    memcpy(m.grader_key, r->key, BATCH_HEX);
    snprintf(m.profile, sizeof m.profile, "%s", r->p->name);
    m.shard_k = r->b->shard_k;
    m.shard_n = r->b->shard_n;
    m.n_students = r->n;
    m.students = r->names;
    int rc = batch_columns_from_profile(&m.columns, r->p, r->b->only);
    batch_entry_t *e = calloc(r->n + 1, sizeof *e);
    if (rc == VG_OK && !e)
        rc = vg_error_set("out of memory");
    for (size_t i = 0; rc == VG_OK && i < r->n; i++) {
        e[i].name = r->names[i];
        if (!(e[i].dir = batch_path(r->b->out, r->names[i])))
            rc = VG_ERR;
    }
    size_t failed;
    if (rc == VG_OK)
        rc = batch_book_write(r->b->out, &m.columns, e, r->n, &failed);
    /* Last: a merge takes only a folder whose run got this far. */
    if (rc == VG_OK)
        rc = batch_manifest_write(r->b->out, &m);
    for (size_t i = 0; e && i < r->n; i++)
        free(e[i].dir);
    free(e);
    batch_columns_free(&m.columns);
    r->t->failed = rc == VG_OK ? failed : r->t->failed;
    return rc;
}

static int prepare(run_t *r, size_t *queue, size_t *n_queue)
{
    *n_queue = 0;
    for (size_t i = 0; i < r->n; i++) {
        char sub[PATH_MAX];
        if (pathfmt(sub, sizeof sub, "%s/%s", r->subs, r->names[i]) ||
            batch_submission_hash(r->sub_hash[i], sub, r->p->max_file_bytes) != VG_OK)
            return VG_ERR;
        char *dir = batch_path(r->b->out, r->names[i]);
        if (!dir)
            return VG_ERR;
        if (finished(r, dir, i))
            r->t->skipped++;
        else
            queue[(*n_queue)++] = i;
        free(dir);
    }
    return VG_OK;
}

int batch_run(batch_totals_t *t, const batch_options_t *b, const char *subs,
              const grade_env_t *env, const profile_t *p, FILE *progress)
{
    memset(t, 0, sizeof *t);
    run_t r = { .b = b, .p = p, .subs = subs, .progress = progress, .t = t };
    r.tty = isatty(fileno(progress));
    ssize_t len = readlink("/proc/self/exe", r.self, sizeof r.self - 1);
    if (len <= 0)
        return vg_error_set("cannot find this program's own file (/proc/self/exe)");
    r.self[len] = '\0';
    if (mkdir(b->out, 0755) != 0 && errno != EEXIST)
        return vg_error_set("cannot make the output folder %s: %s", b->out, strerror(errno));
    if (pathfmt(r.work, sizeof r.work, "%s/%s", b->tmp ? b->tmp : b->out, WORK_DIR))
        return VG_ERR;
    if (batch_students(&r.names, &r.n, subs, b->out, b->shard_k, b->shard_n, progress))
        return VG_ERR;
    t->students = r.n;
    batch_columns_t cols;
    size_t *queue = calloc(r.n + 1, sizeof *queue);
    r.sub_hash = calloc(r.n + 1, sizeof *r.sub_hash);
    int rc = queue && r.sub_hash ? VG_OK : vg_error_set("out of memory");
    if (rc == VG_OK)
        rc = batch_grader_key(r.key, b, env, p);
    if (rc == VG_OK && (rc = batch_columns_from_profile(&cols, p, b->only)) == VG_OK) {
        r.limit_s = b->timeout_s > 0 ? b->timeout_s : profile_limit_s(p, b, &cols);
        batch_columns_free(&cols);
    }
    size_t n_queue = 0;
    if (rc == VG_OK)
        rc = prepare(&r, queue, &n_queue);
    r.todo = n_queue;
    if (rc == VG_OK && n_queue)
        fprintf(progress, "%zu of %zu students to grade (the others unchanged since the last "
                "run), at most %.0f s each\n", n_queue, r.n, r.limit_s);
    /* Its own folder: shards sharing --tmp never clear each other's. */
    if (rc == VG_OK && n_queue && !mkdtemp(r.work))
        rc = vg_error_set("cannot make %s: %s", r.work, strerror(errno));
    if (rc == VG_OK && n_queue)
        rc = batch_grade_all(&r, queue, n_queue);
    if (rc == VG_OK)
        rc = write_book(&r);
    free(queue);
    free(r.sub_hash);
    batch_names_free(r.names, r.n);
    return rc;
}
