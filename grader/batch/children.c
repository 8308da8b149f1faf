/* children.c: the child graders of a batch (run.h): at most --jobs
 * `vaegrade grade` processes at once, each in its own process group with
 * its output going to the student's report, killed (the whole group) past
 * the limit; how each ended becomes the student's record. SIGINT or
 * SIGTERM stops them all and removes what they were writing, so every file
 * left is whole and a stopped student is graded again by the next run. */
#include "batch/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "driver/pathfmt.h"
#include "report/utf8.h"
#include "vg_error.h"

#define POLL_NS 50000000L
#define REPORT_TMP ".report.txt.tmp"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct child {
    pid_t pid;
    size_t student;
    double started, deadline;
    int timed_out;
} child_t;

/* Removes a folder and all in it (env_remove_work's walk). */
void batch_remove_tree(const char *path)
{
    static grade_env_t e;
    if (pathfmt(e.work, sizeof e.work, "%s", path) == VG_OK)
        env_remove_work(&e);
}

/* Before a child writes into dir: no record that could vouch for what it
 * leaves, and no temporary files of a child killed earlier. */
static void clear_student(const char *dir)
{
    static const char *const names[] = { BATCH_FINGERPRINT, BATCH_RESULTS, NULL };
    for (size_t k = 0; names[k]; k++) {
        char *p = batch_path(dir, names[k]);
        if (p)
            unlink(p);
        free(p);
    }
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strncmp(e->d_name, "." BATCH_RESULTS ".", sizeof BATCH_RESULTS + 1) == 0 ||
            strcmp(e->d_name, REPORT_TMP) == 0) {
            char *p = batch_path(dir, e->d_name);
            if (p)
                unlink(p);
            free(p);
        }
    if (d)
        closedir(d);
}

static void child_exec(const run_t *r, size_t i, int slot, const char *dir, int report)
{
    char sub[PATH_MAX], results[PATH_MAX], tmp[PATH_MAX + 16], gj[16];
    if (pathfmt(sub, sizeof sub, "%s/%s", r->subs, r->names[i]) ||
        pathfmt(results, sizeof results, "%s/%s", dir, BATCH_RESULTS) ||
        pathfmt(tmp, sizeof tmp, "%s/%d", r->work, slot))
        _exit(126);
    mkdir(tmp, 0700);
    snprintf(gj, sizeof gj, "%d", r->b->grade_jobs);
    const char *argv[BATCH_MAX_PASS + 16];
    size_t a = 0;
    argv[a++] = r->b->grader ? r->b->grader : r->self;
    argv[a++] = "grade";
    argv[a++] = sub;
    argv[a++] = "--json";
    argv[a++] = results;
    argv[a++] = "--jobs";
    argv[a++] = gj;
    argv[a++] = "--tmp";
    argv[a++] = tmp;
    for (size_t k = 0; k < r->b->n_pass; k++)
        argv[a++] = r->b->pass[k];
    argv[a] = NULL;
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(report, 1) < 0 || dup2(report, 2) < 0)
        _exit(126);
    execv(argv[0], (char *const *)argv);
    dprintf(2, "vaegrade batch: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int start_child(run_t *r, child_t *c, size_t i, int slot)
{
    char *dir = batch_path(r->b->out, r->names[i]);
    if (!dir)
        return VG_ERR;
    int rc = VG_ERR;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        vg_error_set("cannot make %s: %s", dir, strerror(errno));
        goto done;
    }
    clear_student(dir);
    char *rep = batch_path(dir, REPORT_TMP);
    int fd = rep ? open(rep, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
    free(rep);
    if (fd < 0) {
        vg_error_set("cannot write in %s: %s", dir, strerror(errno));
        goto done;
    }
    pid_t pid = fork();
    if (pid == 0) {
        /* Its own group, so one kill stops the grader and its runners. */
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        child_exec(r, i, slot, dir, fd);
    }
    close(fd);
    if (pid < 0) {
        vg_error_set("cannot start a grader: %s", strerror(errno));
        goto done;
    }
    setpgid(pid, pid);
    c->pid = pid;
    c->student = i;
    c->started = now_s();
    c->deadline = c->started + r->limit_s;
    c->timed_out = 0;
    rc = VG_OK;
done:
    free(dir);
    return rc;
}

/* Why a child's grade is no grade, from the way it ended; "" when it is. */
static void why_failed(char *why, size_t cap, const child_t *c, int status,
                       const char *dir, double limit_s)
{
    why[0] = '\0';
    if (c->timed_out) {
        snprintf(why, cap, "vaegrade grade did not finish within the limit of %.0f s "
                 "per submission and was stopped", limit_s);
    } else if (WIFSIGNALED(status)) {
        snprintf(why, cap, "vaegrade grade died of signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    } else if (WEXITSTATUS(status) != 0) {
        /* Its results say why in a line of their output. */
        char *path = batch_path(dir, BATCH_RESULTS);
        char *text = path ? batch_read_file(path, NULL) : NULL;
        const char *at = text ? strstr(text, "GRADER ERROR: ") : NULL;
        if (at)
            snprintf(why, cap, "%.*s", (int)strcspn(at + 14, "\"\\\n"), at + 14);
        else
            snprintf(why, cap, "vaegrade grade exited with status %d (see %s)",
                     WEXITSTATUS(status), BATCH_REPORT);
        free(text);
        free(path);
    }
}

/* One line per student in a pipe; on a terminal one line rewritten, but
 * a failure stays on the screen. */
static void say(run_t *r, const char *name, const char *what, int keep)
{
    char *shown = utf8_for_terminal(name);
    if (r->tty)
        fprintf(r->progress, "\r\033[K[%zu/%zu] %s: %s%s", r->done, r->todo,
                shown ? shown : "?", what, keep ? "\n" : "");
    else
        fprintf(r->progress, "[%zu/%zu] %s: %s\n", r->done, r->todo, shown ? shown : "?",
                what);
    fflush(r->progress);
    free(shown);
}

/* A results document with its tests[], as both formats have. */
static int results_valid(const char *path)
{
    char *text = batch_read_file(path, NULL);
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    int ok = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "tests"));
    cJSON_Delete(doc);
    free(text);
    return ok;
}

static int finish_child(run_t *r, const child_t *c, int status)
{
    size_t i = c->student;
    char *dir = batch_path(r->b->out, r->names[i]);
    char *tmp = dir ? batch_path(dir, REPORT_TMP) : NULL;
    char *rep = dir ? batch_path(dir, BATCH_REPORT) : NULL;
    char *res = dir ? batch_path(dir, BATCH_RESULTS) : NULL;
    if (!res) {
        free(dir), free(tmp), free(rep);
        return VG_ERR;
    }
    rename(tmp, rep);
    batch_record_t rec;
    memset(&rec, 0, sizeof rec);
    memcpy(rec.grader_key, r->key, BATCH_HEX);
    memcpy(rec.submission, r->sub_hash[i], BATCH_HEX);
    why_failed(rec.error, sizeof rec.error, c, status, dir, r->limit_s);
    if (!rec.error[0] && (!results_valid(res) || batch_file_hash(rec.results, res) != VG_OK))
        snprintf(rec.error, sizeof rec.error, "vaegrade grade wrote no valid %s",
                 BATCH_RESULTS);
    if (rec.error[0]) {
        rec.failed = 1;
        memset(rec.results, '0', BATCH_HEX - 1);
        rec.results[BATCH_HEX - 1] = '\0';
    }
    int rc = batch_record_write(dir, &rec);
    r->done++;
    if (rec.failed)
        r->t->failed++;
    else
        r->t->graded++;
    char what[640];
    if (rec.failed)
        snprintf(what, sizeof what, "grader failed: %s", rec.error);
    else
        snprintf(what, sizeof what, "graded in %.1f s", now_s() - c->started);
    say(r, r->names[i], what, rec.failed);
    free(dir), free(tmp), free(rep), free(res);
    return rc;
}

/* Stops every child (their whole groups), waits for them, and removes
 * what they were writing: those students are graded by the next run. */
static void stop_all(const run_t *r, child_t *kids, int jobs)
{
    for (int s = 0; s < jobs; s++)
        if (kids[s].pid > 0) {
            kill(-kids[s].pid, SIGKILL);
            waitpid(kids[s].pid, NULL, 0);
            kids[s].pid = 0;
            char *dir = batch_path(r->b->out, r->names[kids[s].student]);
            if (dir)
                clear_student(dir);
            free(dir);
        }
}

int batch_grade_all(run_t *r, const size_t *queue, size_t n_queue)
{
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    int jobs = r->b->jobs;
    child_t kids[64];
    memset(kids, 0, sizeof kids);
    size_t next = 0;
    int running = 0, rc = VG_OK;
    while (rc == VG_OK && (next < n_queue || running > 0)) {
        if (interrupted) {
            rc = vg_error_set("stopped by signal %d; the students finished so far are "
                              "kept, and the same command carries on", (int)interrupted);
            break;
        }
        for (int s = 0; s < jobs && next < n_queue && rc == VG_OK; s++)
            if (kids[s].pid == 0) {
                rc = start_child(r, &kids[s], queue[next++], s);
                running += rc == VG_OK;
            }
        double t = now_s();
        for (int s = 0; s < jobs && rc == VG_OK; s++) {
            int status;
            if (kids[s].pid <= 0)
                continue;
            if (!kids[s].timed_out && t > kids[s].deadline) {
                kids[s].timed_out = 1;
                kill(-kids[s].pid, SIGKILL);
            }
            pid_t w = waitpid(kids[s].pid, &status, WNOHANG);
            if (w == kids[s].pid) {
                /* What the group left behind (a runner, if any) goes too. */
                kill(-kids[s].pid, SIGKILL);
                kids[s].pid = 0;
                running--;
                rc = finish_child(r, &kids[s], status);
                char slot[PATH_MAX];
                if (pathfmt(slot, sizeof slot, "%s/%d", r->work, s) == VG_OK)
                    batch_remove_tree(slot);
            }
        }
        struct timespec ts = { 0, POLL_NS };
        nanosleep(&ts, NULL);
    }
    stop_all(r, kids, jobs);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (r->tty)
        fprintf(r->progress, "\n");
    batch_remove_tree(r->work);
    return rc;
}
