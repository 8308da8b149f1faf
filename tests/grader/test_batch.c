/* test_batch.c: `vaegrade batch`: a folder of 22 submissions into a
 * gradebook whose rows equal single `vaegrade grade` runs; 3 shards merged
 * into the same bytes; a second run that skips what is finished and
 * regrades what changed; a grader that hangs or crashes costing only its
 * row; SIGINT leaving no half-written file; hostile folder names giving a
 * valid CSV; PrairieLearn's results giving the same gradebook; bad options
 * refused; the Kubernetes Jobs' fields. The batch runs under ASan and UBSan
 * (vaegrade-asan), its children as the release grader. The gradebook is
 * read with Python's csv module (csv_to_json.py), not with the grader's
 * code. No .timeout (Criterion 2.4.1 leaks its timer, test_submissions.c):
 * every batch is bounded by its children's own limits, the hang by
 * --timeout 3. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grader_run.h"

/* Three cheap utils checks (values only, one seed in the test profile). */
#define ONLY "1.4-kl-normal-values,2.1-log-normal-values,3.1-log-mean-exp-values"
#define BATCH_ARGS "--only " ONLY " --profile " TEST_PROFILE
#define PYTHON "/usr/bin/python3"
#define FAKE_GRADER "tests/grader/batch_fake_grader.sh"
/* The batch under ASan and UBSan (mk/batch.mk); each child it starts is
 * the release grader. */
#define VAEGRADE_ASAN "build/rel/bin/vaegrade-asan"
#define BATCH VAEGRADE_ASAN " batch"
#define REAL_GRADER " --grader " VAEGRADE

/* The test submissions of build/submissions (utils.c ones, the stub's, the
 * whole reference's, crashing, looping, not compiling), 21, plus the
 * reference/ folder itself as a 22nd student. */
static const char *const students[] = {
    "correct", "correct_alt", "zeros_utils", "zeros", "not_implemented", "kl_factor2",
    "kl_constant", "std_as_var", "mixture_constant", "nan_mixture", "backward_nan",
    "sample_own_rng", "sample_reuses_eps", "sample_eps_unwritten", "partial", "printing",
    "does_not_compile", "forbidden_symbol", "segfault", "prints_binary", "infinite_loop",
    NULL,
};
#define N_STUDENTS 22

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs a shell command; its stdout and stderr (malloc'd) and exit status. */
static char *run_out(int *status, const char *cmd)
{
    char full[8192];
    snprintf(full, sizeof full, "%s 2>&1", cmd);
    FILE *p = popen(full, "r");
    cr_assert(p, "cannot run %s", cmd);
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    size_t got;
    while ((got = fread(s + n, 1, cap - 1 - n, p)) > 0) {
        n += got;
        if (n == cap - 1)
            s = realloc(s, cap *= 2);
    }
    s[n] = '\0';
    int st = pclose(p);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    return s;
}

/* A fresh folder tmp, and the names of its subs/ and out/ in it. */
static void make_tmp(char tmp[64], char subs[128], char out[128])
{
    snprintf(tmp, 64, "/tmp/vg-batch.XXXXXX");
    cr_assert(mkdtemp(tmp));
    snprintf(subs, 128, "%s/subs", tmp);
    snprintf(out, 128, "%s/out", tmp);
}

/* The gradebook as a JSON array of records, parsed by Python's csv. */
static cJSON *read_gradebook(const char *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, PYTHON " tests/grader/csv_to_json.py '%s/gradebook.csv'", out);
    int st;
    char *text = run_out(&st, cmd);
    cr_assert_eq(st, 0, "the gradebook is not valid CSV: %s", text);
    cJSON *doc = cJSON_Parse(text);
    cr_assert(cJSON_IsArray(doc), "%s", text);
    free(text);
    return doc;
}

static const cJSON *find_row(const cJSON *book, const char *student)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, book) if (strcmp(cJSON_GetArrayItem(r, 0)->valuestring,
                                           student) == 0) return r;
    return NULL;
}

static int files_equal(const char *a, const char *b)
{
    char *x = read_text_file(a), *y = read_text_file(b);
    int same = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

static void make_class(const char *subs)
{
    cr_assert_eq(sh("mkdir -p '%s' && cp -r reference '%s/reference'", subs, subs), 0);
    for (size_t i = 0; students[i]; i++)
        cr_assert_eq(sh("cp -r " SUBMISSIONS "/%s '%s/'", students[i], subs), 0);
    /* Not students: a plain file (a Gradescope export's metadata) and a
     * dot folder. */
    cr_assert_eq(sh("echo x > '%s/submission_metadata.yml' && mkdir '%s/.git'", subs, subs),
                 0);
}

static char *batch(int *status, const char *subs, const char *out, const char *more)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, BATCH " '%s' --out '%s' --jobs 2" REAL_GRADER " " BATCH_ARGS
             " %s", subs, out, more);
    return run_out(status, cmd);
}

Test(grader_batch, gradebook_equals_single_grades_and_shards_merge_to_the_same_bytes)
{
    char tmp[64], subs[128], out[128];
    make_tmp(tmp, subs, out);
    make_class(subs);

    int st;
    char *log = batch(&st, subs, out, "");
    cr_assert_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "not graded: submission_metadata.yml: a file"), "%s", log);
    cr_expect(strstr(log, "22 students: 22 graded, 0 unchanged"), "%s", log);
    free(log);

    cJSON *book = read_gradebook(out);
    cr_assert_eq(cJSON_GetArraySize(book), N_STUDENTS + 1);
    const cJSON *head = cJSON_GetArrayItem(book, 0);
    const char *want_head[] = { "student", "total", "1.4-kl-normal-values",
                                "2.1-log-normal-values", "3.1-log-mean-exp-values", "note" };
    cr_assert_eq(cJSON_GetArraySize(head), 6);
    for (int k = 0; k < 6; k++)
        cr_expect_str_eq(cJSON_GetArrayItem(head, k)->valuestring, want_head[k]);
    /* Every row: its total is the sum of its cells, and equals the score of
     * the results.json the batch kept for it. */
    for (int i = 1; i <= N_STUDENTS; i++) {
        const cJSON *r = cJSON_GetArrayItem(book, i);
        const char *name = cJSON_GetArrayItem(r, 0)->valuestring;
        double sum = 0;
        for (int k = 2; k < 5; k++)
            sum += atof(cJSON_GetArrayItem(r, k)->valuestring);
        double total = atof(cJSON_GetArrayItem(r, 1)->valuestring);
        cr_expect(fabs(total - sum) < 1e-9, "%s: total %g, cells %g", name, total, sum);
        char path[512];
        snprintf(path, sizeof path, "%s/%s/results.json", out, name);
        char *text = read_text_file(path);
        cJSON *res = text ? cJSON_Parse(text) : NULL;
        cr_expect(fabs(json_num(res, "score") - total) < 1e-9, "%s", name);
        cJSON_Delete(res);
        free(text);
    }
    /* Rows in byte order of the names. */
    for (int i = 2; i <= N_STUDENTS; i++)
        cr_expect(strcmp(cJSON_GetArrayItem(cJSON_GetArrayItem(book, i - 1), 0)->valuestring,
                         cJSON_GetArrayItem(cJSON_GetArrayItem(book, i), 0)->valuestring) < 0);

    /* Against single gradings: the whole one, one that loses one check,
     * the stub, one that does not compile. */
    const char *single[] = { "correct", "kl_factor2", "not_implemented", "does_not_compile" };
    for (size_t s = 0; s < 4; s++) {
        graded_t g;
        char args[512];
        snprintf(args, sizeof args, "grade %s/%s " BATCH_ARGS, SUBMISSIONS, single[s]);
        grader_run(&g, args);
        cr_assert_eq(g.status, 0, "%s", g.out);
        const cJSON *r = find_row(book, single[s]);
        cr_assert(r, "%s has no row", single[s]);
        char want[64];
        snprintf(want, sizeof want, "%.10g", json_num(g.doc, "score"));
        cr_expect_str_eq(cJSON_GetArrayItem(r, 1)->valuestring, want, "%s", single[s]);
        for (int k = 2; k < 5; k++) {
            const cJSON *t = graded_test(&g, cJSON_GetArrayItem(head, k)->valuestring);
            snprintf(want, sizeof want, "%.10g", json_num(t, "score"));
            cr_expect_str_eq(cJSON_GetArrayItem(r, k)->valuestring, want, "%s %s", single[s],
                             cJSON_GetArrayItem(head, k)->valuestring);
        }
        graded_free(&g);
    }
    cr_expect_str_eq(cJSON_GetArrayItem(find_row(book, "correct"), 1)->valuestring, "7");
    cJSON_Delete(book);

    /* Three shards, merged: the same bytes as the one run. */
    char shard[3][160], merged[160];
    size_t in_shards = 0;
    for (int k = 0; k < 3; k++) {
        char more[64];
        snprintf(shard[k], sizeof shard[k], "%s/shard-%d", tmp, k);
        snprintf(more, sizeof more, "--shard %d/3", k);
        log = batch(&st, subs, shard[k], more);
        cr_assert_eq(st, 0, "%s", log);
        free(log);
        cJSON *b = read_gradebook(shard[k]);
        in_shards += (size_t)cJSON_GetArraySize(b) - 1;
        cr_expect_gt(cJSON_GetArraySize(b), 1, "shard %d/3 got no student", k);
        cJSON_Delete(b);
    }
    cr_expect_eq(in_shards, N_STUDENTS);
    snprintf(merged, sizeof merged, "%s/merged", tmp);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, BATCH " --merge '%s' '%s' '%s' '%s'", merged,
             shard[2], shard[0], shard[1]);
    log = run_out(&st, cmd);
    cr_assert_eq(st, 0, "%s", log);
    free(log);
    const char *files[] = { "gradebook.csv", "summary.json", "summary.txt" };
    for (int f = 0; f < 3; f++) {
        char a[256], b[256];
        snprintf(a, sizeof a, "%s/%s", out, files[f]);
        snprintf(b, sizeof b, "%s/%s", merged, files[f]);
        cr_expect(files_equal(a, b), "merged %s differs from the single run's", files[f]);
    }
    /* A shard given twice, or one missing, is refused. */
    snprintf(cmd, sizeof cmd, BATCH " --merge '%s/m2' '%s' '%s' '%s'", tmp,
             shard[0], shard[1], shard[1]);
    log = run_out(&st, cmd);
    cr_expect_neq(st, 0);
    cr_expect(strstr(log, "are both shard 1/3"), "%s", log);
    free(log);
    snprintf(cmd, sizeof cmd, BATCH " --merge '%s/m2' '%s' '%s'", tmp, shard[0],
             shard[1]);
    log = run_out(&st, cmd);
    cr_expect_neq(st, 0);
    cr_expect(strstr(log, "every shard 0 to 2 is needed"), "%s", log);
    free(log);

    /* Resume: nothing changed, nothing graded; one changed, one graded. */
    log = batch(&st, subs, out, "");
    cr_assert_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "22 students: 0 graded, 22 unchanged"), "%s", log);
    free(log);
    cr_assert_eq(sh("cp reference/utils.c '%s/kl_factor2/utils.c'", subs), 0);
    log = batch(&st, subs, out, "");
    cr_assert_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "kl_factor2: graded"), "%s", log);
    cr_expect(strstr(log, "22 students: 1 graded, 21 unchanged"), "%s", log);
    free(log);
    book = read_gradebook(out);
    cr_expect_str_eq(cJSON_GetArrayItem(find_row(book, "kl_factor2"), 1)->valuestring, "7");
    cJSON_Delete(book);
    sh("rm -rf '%s'", tmp);
}

/* Whether the fake grader's `sleep SECS` (its hang) is still running:
 * read from /proc, so the test needs no procps. */
static int hung_grader_alive(const char *secs)
{
    char want[32];
    size_t len = (size_t)snprintf(want, sizeof want, "sleep%c%s", 0, secs) + 1;
    DIR *d = opendir("/proc");
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d))) {
        char path[300], cmd[64] = { 0 };
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/cmdline", e->d_name);
        FILE *f = fopen(path, "rb");
        size_t n = f ? fread(cmd, 1, sizeof cmd - 1, f) : 0;
        if (f)
            fclose(f);
        found = n == len && memcmp(cmd, want, n) == 0;
    }
    if (d)
        closedir(d);
    return found;
}

/* A class of three with the test-only grader: one hangs (sleep secs, a
 * length of the test's own), one crashes. */
static void make_broken_class(const char *subs, const char *secs)
{
    cr_assert_eq(sh("mkdir -p '%s' && cp -r " SUBMISSIONS "/correct '%s/ok' && "
                    "cp -r " SUBMISSIONS "/correct '%s/hangs' && echo %s > '%s/hangs/HANG' && "
                    "cp -r " SUBMISSIONS "/correct '%s/crashes' && touch '%s/crashes/CRASH'",
                    subs, subs, subs, secs, subs, subs, subs), 0);
}

Test(grader_batch, a_grader_that_hangs_or_crashes_costs_only_its_row)
{
    char tmp[64], subs[128], out[128], cmd[1024];
    make_tmp(tmp, subs, out);
    make_broken_class(subs, "1001");
    snprintf(cmd, sizeof cmd, BATCH " '%s' --out '%s' --timeout 3 --grader "
             FAKE_GRADER " " BATCH_ARGS, subs, out);
    int st;
    char *log = run_out(&st, cmd);
    cr_assert_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "3 students: 1 graded, 0 unchanged since the last run, 2 the "
                     "grader failed on"), "%s", log);
    free(log);
    cJSON *book = read_gradebook(out);
    cr_assert_eq(cJSON_GetArraySize(book), 4);
    const cJSON *ok = find_row(book, "ok"), *hang = find_row(book, "hangs"),
                *crash = find_row(book, "crashes");
    cr_assert(ok && hang && crash);
    cr_expect_str_eq(cJSON_GetArrayItem(ok, 1)->valuestring, "7");
    cr_expect_str_eq(cJSON_GetArrayItem(ok, 5)->valuestring, "");
    cr_expect_str_eq(cJSON_GetArrayItem(hang, 1)->valuestring, "0");
    cr_expect(strstr(cJSON_GetArrayItem(hang, 5)->valuestring,
                     "grader failed: vaegrade grade did not finish within the limit of 3 s"),
              "%s", cJSON_GetArrayItem(hang, 5)->valuestring);
    cr_expect_str_eq(cJSON_GetArrayItem(crash, 1)->valuestring, "0");
    cr_expect(strstr(cJSON_GetArrayItem(crash, 5)->valuestring, "died of signal 11"),
              "%s", cJSON_GetArrayItem(crash, 5)->valuestring);
    cJSON_Delete(book);
    /* The hung grader's process group is gone: no sleep of ours is left. */
    cr_expect(!hung_grader_alive("1001"), "the hung grader's sleep outlived the batch");
    /* The summary counts them. */
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *text = read_text_file(path);
    cJSON *sum = cJSON_Parse(text);
    cr_expect_eq(json_num(sum, "grader_failed"), 2);
    cr_expect_eq(json_num(sum, "students"), 3);
    cJSON_Delete(sum);
    free(text);
    /* A failed row is graded again by the next run. */
    log = run_out(&st, cmd);
    cr_expect(strstr(log, "3 students: 0 graded, 1 unchanged since the last run, 2 the "
                     "grader failed on"), "%s", log);
    free(log);
    sh("rm -rf '%s'", tmp);
}

/* Any file left in out whose name says it was being written. */
static int half_written(const char *out)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "find '%s' -name '.*.tmp' -o -name '.results.json.*' "
             "-o -name '.batch-work.*' | grep -q .", out);
    return sh("%s", cmd) == 0;
}

Test(grader_batch, sigint_leaves_no_half_written_file)
{
    char tmp[64], subs[128], out[128], cmd[1024];
    make_tmp(tmp, subs, out);
    make_broken_class(subs, "1002");
    sh("rm -f '%s/crashes/CRASH'", subs);
    /* --jobs 1, in byte order: crashes (graded: its CRASH is gone), then
     * hangs, stopped while it hangs; ok is never started. The wait ends
     * too when the batch has died (a missing binary), so that the test
     * fails instead of hanging the suite. */
    snprintf(cmd, sizeof cmd, BATCH " '%s' --out '%s' --jobs 1 --grader "
             FAKE_GRADER " " BATCH_ARGS " > '%s/log' 2>&1 & pid=$!; "
             "while [ ! -e '%s/hangs/.report.txt.tmp' ] && kill -0 $pid 2>/dev/null; "
             "do sleep 0.1; done; "
             "kill -INT $pid; wait $pid", subs, out, tmp, out);
    int st = sh("%s", cmd);
    char path[256];
    snprintf(path, sizeof path, "%s/log", tmp);
    char *log = read_text_file(path);
    cr_expect_eq(st, 2, "%s", log);
    cr_expect(strstr(log, "stopped by signal 2"), "%s", log);
    free(log);
    cr_expect(!half_written(out), "a half-written file is left in %s", out);
    snprintf(path, sizeof path, "%s/hangs/fingerprint.json", out);
    cr_expect_neq(access(path, F_OK), 0, "the stopped student has a record");
    snprintf(path, sizeof path, "%s/crashes/fingerprint.json", out);
    cr_expect_eq(access(path, F_OK), 0, "a finished student lost its record");
    cr_expect(!hung_grader_alive("1002"), "the hung grader's sleep outlived the batch");
    /* Carried on: what was not finished is graded. */
    sh("rm '%s/hangs/HANG'", subs);
    snprintf(cmd, sizeof cmd, BATCH " '%s' --out '%s' --jobs 1 --grader "
             FAKE_GRADER " " BATCH_ARGS, subs, out);
    log = run_out(&st, cmd);
    cr_expect_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "3 students: 2 graded, 1 unchanged"), "%s", log);
    free(log);
    /* Other grade options make another grader key: everyone again. */
    log = run_out(&st, strcat(cmd, " --seed 11"));
    cr_expect(strstr(log, "3 students: 3 graded, 0 unchanged"), "%s", log);
    free(log);
    sh("rm -rf '%s'", tmp);
}

Test(grader_batch, hostile_student_names_give_a_valid_csv)
{
    char tmp[64], subs[128], out[128], cmd[1024];
    make_tmp(tmp, subs, out);
    cr_assert_eq(mkdir(subs, 0755), 0);
    static const char *const names[] = {
        "a\"quote", "com,ma", "new\nline", "=cmd|' -C calc'!A0", "+plus", "-minus",
        "@at", "bad\xff\xfeutf8", "plain", NULL,
    };
    static const char *const shown[] = {
        "a\"quote", "com,ma", "new\nline", "'=cmd|' -C calc'!A0", "'+plus", "'-minus",
        "'@at", "bad\xef\xbf\xbd\xef\xbf\xbdutf8", "plain", NULL,
    };
    size_t n = 0;
    for (; names[n]; n++) {
        char dir[256];
        snprintf(dir, sizeof dir, "%s/%s", subs, names[n]);
        cr_assert_eq(mkdir(dir, 0755), 0);
    }
    /* Every folder gets the stub's utils.c (the glob reaches them all). */
    snprintf(cmd, sizeof cmd, "for d in '%s'/*/; do cp " SUBMISSIONS
             "/not_implemented/utils.c \"$d\"; done", subs);
    cr_assert_eq(sh("%s", cmd), 0);
    snprintf(cmd, sizeof cmd, BATCH " '%s' --out '%s' --jobs 2" REAL_GRADER " --only "
             "1.4-kl-normal-values --profile " TEST_PROFILE, subs, out);
    int st;
    char *log = run_out(&st, cmd);
    cr_assert_eq(st, 0, "%s", log);
    free(log);
    char path[256];
    snprintf(path, sizeof path, "%s/gradebook.csv", out);
    char *csv = read_text_file(path);
    cr_assert(csv);
    cr_expect_eq(utf8_first_invalid((const unsigned char *)csv, strlen(csv)), -1);
    free(csv);
    cJSON *book = read_gradebook(out);
    cr_assert_eq(cJSON_GetArraySize(book), (int)n + 1);
    const cJSON *r;
    cJSON_ArrayForEach(r, book) cr_expect_eq(cJSON_GetArraySize(r), 4);
    for (size_t i = 0; i < n; i++)
        cr_expect(find_row(book, shown[i]), "no row for %s", shown[i]);
    cJSON_Delete(book);
    snprintf(path, sizeof path, "%s/summary.json", out);
    char *text = read_text_file(path);
    cr_expect(text && utf8_first_invalid((const unsigned char *)text, strlen(text)) == -1);
    cJSON *sum = cJSON_Parse(text);
    cr_expect_eq(json_num(sum, "students"), (double)n);
    cJSON_Delete(sum);
    free(text);
    sh("rm -rf '%s'", tmp);
}

Test(grader_batch, bad_options_are_refused_clearly)
{
    static const struct {
        const char *args, *says;
    } cases[] = {
        { "batch build/submissions --out /tmp/x --shard 3/2", "K must be below N" },
        { "batch build/submissions --out /tmp/x --shard x", "--shard x: K/N" },
        { "batch build/submissions --out /tmp/x --shard 1/0", "1 <= N" },
        { "batch build/submissions --out /tmp/x --shard 1", "--shard 1: K/N" },
        { "batch build/submissions --out /tmp/x --jobs 0", "--jobs 0: 1 to 64" },
        { "batch build/submissions --out /tmp/x --timeout -1", "--timeout -1" },
        { "batch build/submissions --out /tmp/x --json r.json", "--json has no place" },
        { "batch build/submissions --out /tmp/x --only no-such-check", "no check" },
        { "batch build/submissions", "needs SUBMISSIONS_DIR and --out" },
        { "batch /no/such/folder --out /tmp/vg-batch-none", "cannot read the submissions" },
        { "batch --merge /tmp/vg-batch-m /no/such/shard", "no batch.json here" },
        { "batch --merge /tmp/vg-batch-m", "--merge OUTDIR DIR" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, VAEGRADE_ASAN " %s", cases[i].args);
        int st;
        char *log = run_out(&st, cmd);
        cr_expect_neq(st, 0, "%s: exit 0", cases[i].args);
        cr_expect(strstr(log, cases[i].says), "%s: says %s", cases[i].args, log);
        free(log);
    }
    sh("rm -rf /tmp/vg-batch-none /tmp/vg-batch-m");
}

/* The Kubernetes Jobs, read with PyYAML: an Indexed Job whose completions
 * equal SHARDS, each pod grading shard $JOB_COMPLETION_INDEX/$SHARDS from
 * the volume at /data with the hidden checks, at Gradescope's default
 * resources; the merge Job joining every shard. */
Test(grader_batch, kubernetes_jobs_shard_and_merge)
{
    static const char script[] =
        "import yaml,sys\n"
        "g=list(yaml.safe_load_all(open('docker/k8s/grade-job.yaml')))\n"
        "m=list(yaml.safe_load_all(open('docker/k8s/merge-job.yaml')))\n"
        "pvc=[d for d in g if d['kind']=='PersistentVolumeClaim'][0]\n"
        "job=[d for d in g if d['kind']=='Job'][0]\n"
        "s=job['spec']; assert s['completionMode']=='Indexed', 'not Indexed'\n"
        "c=s['template']['spec']['containers'][0]\n"
        "env={e['name']:e['value'] for e in c['env']}\n"
        "assert int(env['SHARDS'])==s['completions'], 'SHARDS != completions'\n"
        "assert 1<=s['parallelism']<=s['completions']\n"
        "assert c['image']=='vaegrade-grader:latest'\n"
        "cmd=' '.join(c['args'])\n"
        "for w in ['vaegrade batch /data/submissions','--out /data/out/shard-$JOB_COMPLETION_INDEX',"
        "'--shard $JOB_COMPLETION_INDEX/$SHARDS','--hidden']: assert w in cmd, w\n"
        "r=c['resources']\n"
        "for k in ['requests','limits']: assert r[k]=={'cpu':'500m','memory':'768Mi'}, r\n"
        "for spec in [s, m[0]['spec']]:\n"
        "  t=spec['template']['spec']; k=t['containers'][0]\n"
        "  assert k['volumeMounts'][0]['mountPath']=='/data'\n"
        "  assert t['volumes'][0]['persistentVolumeClaim']['claimName']==pvc['metadata']['name']\n"
        "mc=m[0]['spec']['template']['spec']['containers'][0]\n"
        "assert {e['name']:e['value'] for e in mc['env']}['SHARDS']==env['SHARDS']\n"
        "assert 'vaegrade batch --merge /data/out/merged' in ' '.join(mc['args'])\n"
        "print('ok')\n";
    char path[] = "/tmp/vg-k8s.XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, script, sizeof script - 1), (ssize_t)(sizeof script - 1));
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof cmd, PYTHON " %s", path);
    int st;
    char *log = run_out(&st, cmd);
    unlink(path);
    cr_expect_eq(st, 0, "%s", log);
    cr_expect(strstr(log, "ok"), "%s", log);
    free(log);
}

/* PrairieLearn's results (no outcome, "<id> <title>" names) give the same
 * gradebook as Gradescope's; shards of other options do not merge. */
Test(grader_batch, prairielearn_results_give_the_same_gradebook)
{
    char tmp[64], subs[128], out[128], cmd[1024];
    make_tmp(tmp, subs, out);
    cr_assert_eq(sh("mkdir -p '%s' && for s in correct kl_factor2 not_implemented; do "
                    "cp -r " SUBMISSIONS "/$s '%s/'; done", subs, subs), 0);
    int st;
    char *log = batch(&st, subs, out, "");
    cr_assert_eq(st, 0, "%s", log);
    free(log);
    char pl[160];
    snprintf(pl, sizeof pl, "%s/pl", tmp);
    log = batch(&st, subs, pl, "--format prairielearn");
    cr_assert_eq(st, 0, "%s", log);
    free(log);
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/gradebook.csv", out);
    snprintf(b, sizeof b, "%s/gradebook.csv", pl);
    cr_expect(files_equal(a, b), "the gradebooks of the two formats differ");
    snprintf(cmd, sizeof cmd, BATCH " --merge '%s/m' '%s' '%s'", tmp, out, pl);
    log = run_out(&st, cmd);
    cr_expect_neq(st, 0);
    cr_expect(strstr(log, "were graded by different graders, profiles or options"), "%s",
              log);
    free(log);
    sh("rm -rf '%s'", tmp);
}
