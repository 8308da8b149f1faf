/* results.c: Gradescope and PrairieLearn documents, and the atomic write
 * (results.h). The field names follow each platform's documentation:
 * Gradescope's autograder specification (score, execution_time, output,
 * tests[] with score, max_score, status, name, number, output, visibility,
 * tags, extra_data) and PrairieLearn's external grader results (gradable,
 * score in [0,1], message, output, tests[] with name, points, max_points,
 * message, output). Every string goes through utf8_sanitize. */
#include "report/results.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "driver/api.h"
#include "driver/build.h"
#include "sandbox/capture.h"
#include "report/utf8.h"
#include "version/version.h"
#include "vg_error.h"

/* Every string of the document enters here, made valid UTF-8 (utf8.h):
 * messages and captured output carry a submission's bytes. */
static cJSON *text_item(const char *s)
{
    char *clean = utf8_sanitize(s ? s : "", s ? strlen(s) : 0);
    cJSON *it = cJSON_CreateString(clean ? clean : "");
    free(clean);
    return it;
}

static cJSON *add_text(cJSON *obj, const char *key, const char *s)
{
    cJSON *it = text_item(s);
    if (it && !cJSON_AddItemToObject(obj, key, it)) {
        cJSON_Delete(it);
        return NULL;
    }
    return it;
}

static size_t count_warnings(const char *log)
{
    size_t n = 0;
    for (const char *p = log; p && (p = strstr(p, "warning:")); p += 8)
        n++;
    return n;
}

/* The run's summary: files, builds, what was ignored, the totals. */
static char *summary(const grade_run_t *g, const profile_t *p, const char *note)
{
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    s[0] = '\0';
#define ADD(...) do { if (len < cap) len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__); } while (0)
    ADD("vaegrade %s: %s graded with profile \"%s\" (%s, hash %s).\n",
        vaegrade_version(), g->dir, p->name, p->path, p->hash);
    if (g->release)
        ADD("local grade (release mode): expected values from the release's reference "
            "data, model files linked with the submission's own utils.c.\n");
    if (note && note[0])
        ADD("%s\n", note);
    if (g->release_note[0])
        ADD("%s\n", g->release_note);
    if (g->scanned) {
        for (int i = 0; i < api_n_files(); i++) {
            const file_build_t *b = &g->builds[i];
            const sub_file_t *f = &g->sub.files[i];
            const char *n = api_files()[i].name;
            /* A file the assignment does not ask for is not "not found". */
            if (g->assignment && !assignment_asks(g->assignment, n))
                continue;
            if (!f->present)
                ADD("  %-9s not found: its checks count as not implemented\n", n);
            else if (b->state == BUILD_OK)
                ADD("  %-9s built (%zu warnings)\n", n, count_warnings(b->log));
            else
                ADD("  %-9s REFUSED: %s\n", n, b->reason);
        }
        if (g->sub.n_ignored || g->sub.n_links)
            ADD("  %zu other files ignored, %zu symbolic links not followed.\n",
                g->sub.n_ignored, g->sub.n_links);
        for (int i = 0; i < api_n_files(); i++) {
            const file_build_t *b = &g->builds[i];
            if (b->state == BUILD_OK && count_warnings(b->log))
                ADD("\n--- compiler warnings for %s ---\n%s", api_files()[i].name, b->log);
        }
        ADD("Compiled with: %s\n", build_flags_text());
        if (g->jail && g->jail->summary[0] && g->release && g->jail->tier == JAIL_NONE) {
            /* A student's machine may refuse the jail; said plainly, since
             * a release holds nothing the jail would hide. */
            const char *why = strchr(g->jail->summary, '(');
            ADD("compile isolation: not available on this machine %s; a local grade "
                "does not need it (this release holds no answers), and the official "
                "grade compiles in isolation.\n", why ? why : "");
        } else if (g->jail && g->jail->summary[0]) {
            ADD("%s\n", g->jail->summary);
        }
    }
    if (g->grader_failed)
        ADD("GRADER ERROR: %s\n", g->grader_error);
#undef ADD
    return s;
}

/* PrairieLearn refuses a results file over 1 MB (its external grading
 * documentation); Gradescope takes the same file, so both stay under it. */
#define RESULTS_MAX_BYTES 1000000
/* Below this a captured output says too little to be worth keeping whole
 * elsewhere: the halving stops there (a few hundred checks' messages still
 * fit far under the limit). */
#define OUTPUT_CAP_MIN 256

/* A check's captured output, cut to cap bytes (head, marker, tail; as the
 * sandbox cuts a stream) when the whole file would pass the limit. */
static char *captured(const check_result_t *r, size_t cap)
{
    size_t n = strlen(r->output);
    if (n <= cap)
        return strdup(r->output);
    capture_t c;
    if (capture_init(&c, cap) != VG_OK)
        return NULL;
    capture_append(&c, r->output, n);
    char *s = capture_text(&c);
    capture_free(&c);
    return s;
}

static char *test_output(const check_result_t *r, size_t cap)
{
    char *o = captured(r, cap);
    size_t n = strlen(r->message) + (o ? strlen(o) : 0) + 8;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", r->message, o && o[0] ? "\n\n" : "", o ? o : "");
    free(o);
    return s;
}

static cJSON *seeds_array(const check_result_t *r)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < r->n_seeds; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)r->seeds[i]));
    return a;
}

/* Which grader and profile graded (both formats' top-level extra_data). */
static void add_provenance(cJSON *doc, const grade_run_t *g, const profile_t *p)
{
    cJSON *x = cJSON_AddObjectToObject(doc, "extra_data");
    add_text(x, "vaegrade_version", vaegrade_version());
    /* Absent only when the name given was unknown (nothing was graded). */
    if (g->assignment)
        add_text(x, "assignment", g->assignment->name);
    add_text(x, "profile", p->name);
    add_text(x, "profile_hash", p->hash);
    if (g->release_note[0])
        add_text(x, "release_note", g->release_note);
}

/* What a check is called: its catalogue title, said hidden for a hidden
 * check (a twin shares its visible twin's title), and bonus. */
static void test_name(char *name, size_t cap, const check_conf_t *c)
{
    snprintf(name, cap, "%s%s", c->def->title,
             c->visibility == VIS_HIDDEN ? " (hidden check)" : "");
    if (c->bonus)
        snprintf(name + strlen(name), cap - strlen(name),
                 " (bonus, up to %.4g points on top)", c->points);
}

/* What Gradescope shows of a check: a hidden check after the due date,
 * as the official grade's hidden checks are meant to be seen. */
static const char *gradescope_visibility(visibility_t v)
{
    return visibility_name(v == VIS_HIDDEN ? VIS_AFTER_DUE_DATE : v);
}

static char *render_gradescope(const grade_run_t *g, const profile_t *p, const char *note,
                               size_t cap)
{
    cJSON *doc = cJSON_CreateObject();
    double score = 0;
    for (size_t i = 0; i < g->n_results; i++)
        score += g->results[i].score;
    cJSON_AddNumberToObject(doc, "score", score);
    cJSON_AddNumberToObject(doc, "execution_time", g->seconds);
    char *sum = summary(g, p, note);
    add_text(doc, "output", sum ? sum : "");
    free(sum);
    add_text(doc, "visibility", "visible");
    add_provenance(doc, g, p);
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    for (size_t i = 0; i < g->n_results; i++) {
        const check_result_t *r = &g->results[i];
        const check_def_t *d = r->conf->def;
        cJSON *t = cJSON_CreateObject();
        char num[32], *out = test_output(r, cap);
        cJSON_AddNumberToObject(t, "score", r->score);
        cJSON_AddNumberToObject(t, "max_score", r->max_score);
        add_text(t, "status", r->outcome == OUTCOME_PASSED ? "passed" : "failed");
        char name[400];
        test_name(name, sizeof name, r->conf);
        add_text(t, "name", name);
        add_text(t, "number", checks_number_of(r->conf->id, num, sizeof num));
        add_text(t, "output", out ? out : "");
        free(out);
        add_text(t, "visibility", gradescope_visibility(r->conf->visibility));
        cJSON *tags = cJSON_AddArrayToObject(t, "tags");
        cJSON_AddItemToArray(tags, text_item(d->file));
        cJSON_AddItemToArray(tags, text_item(d->functions));
        cJSON *x = cJSON_AddObjectToObject(t, "extra_data");
        add_text(x, "id", r->conf->id);
        if (r->conf->twin)
            add_text(x, "check", d->id);
        add_text(x, "outcome", outcome_name(r->outcome));
        cJSON_AddItemToObject(x, "seeds", seeds_array(r));
        cJSON_AddNumberToObject(x, "seconds", r->seconds);
        cJSON_AddBoolToObject(x, "bonus", r->conf->bonus);
        if (r->conf->bonus)
            cJSON_AddNumberToObject(x, "bonus_points", r->conf->points);
        cJSON_AddItemToArray(tests, t);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    return text;
}

static char *render_prairielearn(const grade_run_t *g, const profile_t *p, const char *note,
                                 size_t cap)
{
    cJSON *doc = cJSON_CreateObject();
    double score = 0, max = 0;
    /* A hidden check skipped by a local grade is not part of its maximum
     * (as on the terminal: Total 100 / 100, + 25 after submission). */
    for (size_t i = 0; i < g->n_results; i++) {
        score += g->results[i].score;
        if (g->results[i].outcome != OUTCOME_SKIPPED)
            max += g->results[i].max_score;
    }
    /* Nothing built at all: the student loses no attempt. */
    int gradable = g->n_built > 0;
    cJSON_AddBoolToObject(doc, "gradable", gradable);
    /* PrairieLearn takes a score in [0, 1]: bonus points make up for points
     * lost elsewhere, up to full marks. */
    double frac = gradable && max > 0 ? score / max : 0;
    cJSON_AddNumberToObject(doc, "score", frac > 1 ? 1 : frac);
    char *sum = summary(g, p, note);
    add_text(doc, "message", gradable ? "" :
                            "Nothing in the submission could be built; see the output.");
    add_text(doc, "output", sum ? sum : "");
    free(sum);
    /* Kept with the results as PrairieLearn stores them; not displayed. */
    add_provenance(doc, g, p);
    cJSON *tests = cJSON_AddArrayToObject(doc, "tests");
    for (size_t i = 0; i < g->n_results; i++) {
        const check_result_t *r = &g->results[i];
        cJSON *t = cJSON_CreateObject();
        char title[400], name[480];
        test_name(title, sizeof title, r->conf);
        snprintf(name, sizeof name, "%s %s", r->conf->id, title);
        add_text(t, "name", name);
        add_text(t, "description", r->conf->def->functions);
        cJSON_AddNumberToObject(t, "points", r->score);
        cJSON_AddNumberToObject(t, "max_points", r->max_score);
        if (r->conf->bonus)
            cJSON_AddNumberToObject(t, "bonus_points", r->conf->points);
        add_text(t, "message", r->message);
        char *out = captured(r, cap);
        add_text(t, "output", out ? out : "");
        free(out);
        cJSON_AddItemToArray(tests, t);
    }
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    return text;
}

static char *render(const grade_run_t *g, const profile_t *p, results_format_t fmt,
                    const char *note, size_t cap)
{
    return fmt == RESULTS_PRAIRIELEARN ? render_prairielearn(g, p, note, cap)
                                       : render_gradescope(g, p, note, cap);
}

/* Whole when it fits; else every check's captured output is cut to the
 * same cap, halved until the file fits (escapes and U+FFFD make the
 * rendered size, not the raw bytes, the one to measure), and the summary
 * says so. */
char *results_render(const grade_run_t *g, const profile_t *p,
                     results_format_t fmt, const char *note)
{
    char *text = render(g, p, fmt, note, SIZE_MAX);
    size_t longest = 0;
    for (size_t i = 0; i < g->n_results; i++)
        if (strlen(g->results[i].output) > longest)
            longest = strlen(g->results[i].output);
    for (size_t cap = longest / 2; text && strlen(text) > RESULTS_MAX_BYTES &&
                                   cap >= OUTPUT_CAP_MIN; cap /= 2) {
        char why[1024];
        snprintf(why, sizeof why, "%s%sEach check's captured output was cut to %zu "
                 "bytes (head and tail) to keep this file under %d bytes.",
                 note ? note : "", note && note[0] ? "\n" : "", cap, RESULTS_MAX_BYTES);
        free(text);
        text = render(g, p, fmt, why, cap);
    }
    return text;
}

int results_write_atomic(const char *path, const char *text)
{
    char dir_buf[PATH_MAX], tmp[PATH_MAX + 32];
    snprintf(dir_buf, sizeof dir_buf, "%s", path);
    const char *dir = dirname(dir_buf);
    char base_buf[PATH_MAX];
    snprintf(base_buf, sizeof base_buf, "%s", path);
    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, basename(base_buf));
    int fd = mkstemp(tmp);
    if (fd < 0)
        return vg_error_set("cannot create a temporary file next to %s: %s",
                            path, strerror(errno));
    size_t len = strlen(text), off = 0;
    int rc = VG_OK;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            rc = vg_error_set("cannot write %s: %s", tmp, strerror(errno));
            break;
        }
        off += (size_t)w;
    }
    if (rc == VG_OK && (write(fd, "\n", 1) != 1 || fsync(fd) != 0))
        rc = vg_error_set("cannot write %s: %s", tmp, strerror(errno));
    /* mkstemp makes it 0600; a results file is for reading by others. */
    if (rc == VG_OK)
        fchmod(fd, 0644);
    if (close(fd) != 0 && rc == VG_OK)
        rc = vg_error_set("cannot close %s: %s", tmp, strerror(errno));
    if (rc == VG_OK && rename(tmp, path) != 0)
        rc = vg_error_set("cannot rename %s to %s: %s", tmp, path, strerror(errno));
    if (rc != VG_OK) {
        unlink(tmp);
        return rc;
    }
    /* The rename itself reaches the disk with the directory. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return VG_OK;
}
