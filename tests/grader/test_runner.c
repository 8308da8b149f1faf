/* test_runner.c: the runner protocol end to end, on the release runner-ref:
 * arrays handed on the input pipe (as trained weights will be) come back
 * from runner.echo bit for bit, NaN, -Inf and a megabyte array included,
 * followed by a status document; bad arguments give exit 2 and a status
 * that says why. Frames are written and read here by hand from the
 * layout of grader/runner/protocol.h, so the test does not trust that code. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <errno.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "grader_run.h"

#define RUNNER_REF "build/rel/bin/runner-ref"

/* 24-byte header: "VGR2", kind u32, name_len u32, reserved u32,
 * payload_len u64 (host order, as both sides run on one machine); then the
 * name NUL-padded to a multiple of 8 (at least one NUL) and the payload
 * zero-padded to a multiple of 8. */
static size_t pad8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static void put_frame(FILE *f, uint32_t kind, const char *name, const void *p, uint64_t len)
{
    static const char zeros[8];
    uint32_t h[3] = { kind, (uint32_t)strlen(name), 0 };
    fwrite("VGR2", 1, 4, f);
    fwrite(h, sizeof h[0], 3, f);
    fwrite(&len, sizeof len, 1, f);
    fwrite(name, 1, strlen(name), f);
    fwrite(zeros, 1, pad8(strlen(name) + 1) - strlen(name), f);
    fwrite(p, 1, (size_t)len, f);
    fwrite(zeros, 1, pad8((size_t)len) - (size_t)len, f);
}

typedef struct frame {
    uint32_t kind;
    char name[64];
    unsigned char *payload;
    uint64_t len;
} frame_t;

/* Reads up to max frames of path; returns how many. */
static int get_frames(const char *path, frame_t *fr, int max)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    int n = 0;
    char magic[4];
    uint32_t h[3];
    uint64_t len;
    while (n < max && fread(magic, 1, 4, f) == 4) {
        cr_assert(memcmp(magic, "VGR2", 4) == 0, "frame %d: bad magic", n);
        cr_assert_eq(fread(h, sizeof h[0], 3, f), 3);
        cr_assert_eq(fread(&len, sizeof len, 1, f), 1);
        size_t name_padded = pad8(h[1] + 1);
        cr_assert(name_padded <= sizeof fr[n].name);
        cr_assert_eq(fread(fr[n].name, 1, name_padded, f), name_padded);
        cr_assert_eq(fr[n].name[h[1]], '\0', "frame %d: the name's padding is NUL", n);
        fr[n].kind = h[0];
        fr[n].len = len;
        fr[n].payload = malloc(pad8((size_t)len) + 1);
        cr_assert_eq(fread(fr[n].payload, 1, pad8((size_t)len), f), pad8((size_t)len),
                     "frame %d: payload and its padding", n);
        fr[n].payload[len] = '\0';
        n++;
    }
    fclose(f);
    return n;
}

Test(grader_runner, echo_round_trip)
{
    graded_t g;
    grader_run(&g, "list");     /* a fresh directory */
    char in[400], out[400], cmd[1400];
    snprintf(in, sizeof in, "%s/in.bin", g.dir);
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    double small[5] = { 1.5, -0.0, NAN, -INFINITY, 4.9e-324 };
    size_t big_n = 1u << 17;    /* 1 MiB of doubles */
    double *big = malloc(big_n * sizeof *big);
    for (size_t i = 0; i < big_n; i++)
        big[i] = (double)i * 1e-3 - 7.0;
    FILE *f = fopen(in, "wb");
    put_frame(f, 1, "small", small, sizeof small);
    put_frame(f, 1, "weights", big, big_n * sizeof *big);
    fclose(f);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task runner.echo --seed 1 --role ref "
             "--result-fd 3 --input-fd 0 < %s 3> %s", in, out);
    int st = system(cmd);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "runner-ref exit %d", WEXITSTATUS(st));
    frame_t fr[4];
    int n = get_frames(out, fr, 4);
    cr_assert_eq(n, 3, "two arrays and a status, got %d frames", n);
    cr_expect(fr[0].kind == 1 && strcmp(fr[0].name, "small") == 0);
    cr_expect(fr[0].len == sizeof small && memcmp(fr[0].payload, small, sizeof small) == 0,
              "small comes back bit for bit (NaN, -Inf, -0 and a subnormal)");
    cr_expect(fr[1].len == big_n * sizeof *big &&
              memcmp(fr[1].payload, big, big_n * sizeof *big) == 0, "weights bit for bit");
    cr_assert_eq(fr[2].kind, 3, "the last frame is the status");
    cJSON *status = cJSON_Parse((const char *)fr[2].payload);
    cr_assert_not_null(status);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(status, "ok")));
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(status, "not_implemented")));
    const cJSON *nf = cJSON_GetObjectItem(status, "nonfinite");
    cr_expect_eq(json_num(nf, "small"), 2, "NaN and -Inf counted");
    cr_expect_eq(json_num(nf, "weights"), 0);
    cJSON_Delete(status);
    for (int i = 0; i < n; i++)
        free(fr[i].payload);
    free(big);
    graded_free(&g);
}

/* runner-ref with args: exit 2 and one status frame, not ok, whose
 * message names what was wrong (needle). */
static void expect_usage_error(const char *args, const char *needle)
{
    graded_t g;
    grader_run(&g, "list");
    char out[400], cmd[1000];
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    snprintf(cmd, sizeof cmd, RUNNER_REF " %s 3> %s 2>/dev/null", args, out);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "%s: exit %d", args, WEXITSTATUS(st));
    frame_t fr[2];
    int n = get_frames(out, fr, 2);
    cr_assert_eq(n, 1);
    cJSON *status = cJSON_Parse((const char *)fr[0].payload);
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(status, "ok")));
    cr_expect(strstr(json_str(status, "message"), needle) != NULL,
              "%s", json_str(status, "message"));
    cJSON_Delete(status);
    free(fr[0].payload);
    graded_free(&g);
}

Test(grader_runner, bad_arguments_say_why)
{
    expect_usage_error("--task no.such.task --seed 1 --result-fd 3", "no.such.task");
}

/* ---- the two processes: what the child's code can do to its results ---- */

typedef struct forged {
    int wstatus;        /* runner-ref's, from system() */
    int n;              /* frames on the result pipe */
    frame_t fr[8];
    cJSON *status;      /* the last frame's document, or NULL */
} forged_t;

/* runner-ref --role sub --task runner.forge --param case=name: the child
 * does what submission code could (tasks.c); only the parent writes fd 3. */
static void forge(forged_t *f, const char *name)
{
    graded_t g;
    grader_run(&g, "list");
    char out[400], cmd[1000];
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task runner.forge --seed 1 --role sub "
             "--param case=%s --result-fd 3 3> %s 2>/dev/null", name, out);
    memset(f, 0, sizeof *f);
    f->wstatus = system(cmd);
    f->n = get_frames(out, f->fr, 8);
    if (f->n > 0 && f->fr[f->n - 1].kind == 3)
        f->status = cJSON_Parse((const char *)f->fr[f->n - 1].payload);
    for (int i = 0; i + 1 < f->n; i++)
        cr_expect_neq(f->fr[i].kind, 3, "%s: a status frame before the last", name);
    graded_free(&g);
}

static void forged_free(forged_t *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->fr[i].payload);
    cJSON_Delete(f->status);
}

/* The parent's verdict on the child's results: no array comes through
 * unless the run is complete, and the one status frame says why. */
static void expect_result(const char *name, const char *result)
{
    forged_t f;
    forge(&f, name);
    cr_assert_not_null(f.status, "%s: no status frame last (%d frames)", name, f.n);
    cr_expect_str_eq(json_str(f.status, "result"), result, "%s: %s", name,
                     json_str(f.status, "message"));
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(f.status, "ok")), "%s: ok", name);
    for (int i = 0; i < f.n; i++)
        cr_expect_neq(f.fr[i].kind, 1, "%s: array %s passed on from a bad run",
                      name, f.fr[i].name);
    cr_expect(WIFEXITED(f.wstatus) && WEXITSTATUS(f.wstatus) != 0, "%s: exit %d",
              name, WEXITSTATUS(f.wstatus));
    forged_free(&f);
}

Test(grader_runner, forged_child_complete_run_passes_arrays)
{
    forged_t f;
    forge(&f, "none");
    cr_assert_eq(f.n, 2, "the array and the status, got %d frames", f.n);
    cr_expect(f.fr[0].kind == 1 && strcmp(f.fr[0].name, "x") == 0);
    cr_expect_str_eq(json_str(f.status, "result"), "complete");
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(f.status, "ok")));
    cr_expect(WIFEXITED(f.wstatus) && WEXITSTATUS(f.wstatus) == 0);
    forged_free(&f);
}

Test(grader_runner, forged_child_duplicate_name_is_malformed)
{
    expect_result("dup", "malformed");
}

Test(grader_runner, forged_child_unknown_frame_is_malformed)
{
    expect_result("kind", "malformed");
}

Test(grader_runner, forged_child_past_the_arena_is_malformed)
{
    expect_result("overflow", "malformed");
}

Test(grader_runner, forged_child_second_status_is_malformed)
{
    expect_result("status", "malformed");
}

Test(grader_runner, forged_child_exit_is_incomplete)
{
    expect_result("exit", "incomplete");
}

Test(grader_runner, forged_child_failure_is_a_claim)
{
    expect_result("fail", "task_failed");
}

Test(grader_runner, child_has_no_result_fd)
{
    /* fd 3 is closed in the child and the filter allows writes to 1 and 2
     * only: the attempt is a forbidden call, reported by the parent. */
    forged_t f;
    forge(&f, "fd3");
    cr_assert_not_null(f.status);
    cr_expect_str_eq(json_str(f.status, "result"), "incomplete");
    int sigsys = 0;
    for (int i = 0; i < f.n; i++)
        sigsys |= f.fr[i].kind == 2 && strcmp(f.fr[i].name, "sigsys") == 0 &&
                  strcmp((const char *)f.fr[i].payload, "1") == 0;
    cr_expect(sigsys, "a sigsys event naming write (1)");
    forged_free(&f);
}

Test(grader_runner, child_signal_ends_the_runner_alike)
{
    forged_t f;
    forge(&f, "segv");
    /* system()'s shell reports a death by signal as 128 + the signal. */
    cr_expect((WIFSIGNALED(f.wstatus) && WTERMSIG(f.wstatus) == SIGSEGV) ||
              (WIFEXITED(f.wstatus) && WEXITSTATUS(f.wstatus) == 128 + SIGSEGV),
              "runner-ref ends by SIGSEGV as its child did (status %#x)", f.wstatus);
    cr_expect_null(f.status, "no status after a signal");
    forged_free(&f);
}

Test(grader_runner, a_name_twice_is_refused_by_the_reader)
{
    /* proto_parse is the driver's reader too: a stream that gives one
     * array name twice is not frames, whichever came first. */
    graded_t g;
    grader_run(&g, "list");
    char in[400], out[400], cmd[1400];
    snprintf(in, sizeof in, "%s/in.bin", g.dir);
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    double a = 1.0, b = 2.0;
    FILE *f = fopen(in, "wb");
    put_frame(f, 1, "weights", &a, sizeof a);
    put_frame(f, 1, "weights", &b, sizeof b);
    fclose(f);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task runner.echo --seed 1 --role ref "
             "--result-fd 3 --input-fd 0 < %s 3> %s", in, out);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 2, "exit %d", WEXITSTATUS(st));
    frame_t fr[2];
    int n = get_frames(out, fr, 2);
    cr_assert_eq(n, 1, "only the status, got %d frames", n);
    cJSON *status = cJSON_Parse((const char *)fr[0].payload);
    cr_expect_str_eq(json_str(status, "result"), "setup_failed");
    cr_expect(strstr(json_str(status, "message"), "input pipe") != NULL,
              "%s", json_str(status, "message"));
    cJSON_Delete(status);
    free(fr[0].payload);
    graded_free(&g);
}

/* ---- the child's user: a root runner hands submission code to nobody ---- */

/* runner.identity stats path from where submission code runs; returns the
 * errno it saw (0: it could), or -1 when no array came back. */
static double identity_errno(const char *path, const char *extra)
{
    graded_t g;
    grader_run(&g, "list");
    char out[400], cmd[1400];
    snprintf(out, sizeof out, "%s/out.bin", g.dir);
    snprintf(cmd, sizeof cmd, RUNNER_REF " --task runner.identity --seed 1 --role sub "
             "--param path=%s %s --result-fd 3 3> %s 2>/dev/null", path, extra, out);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "runner-ref %s: exit %d", extra,
              WEXITSTATUS(st));
    frame_t fr[4];
    int n = get_frames(out, fr, 4);
    double err = -1;
    if (n == 2 && fr[0].kind == 1 && strcmp(fr[0].name, "stat_errno") == 0 &&
        fr[0].len == sizeof err)
        memcpy(&err, fr[0].payload, sizeof err);
    for (int i = 0; i < n; i++)
        free(fr[i].payload);
    graded_free(&g);
    return err;
}

Test(grader_runner, root_runner_child_cannot_see_root_only_files)
{
    if (geteuid() != 0)
        cr_skip_test("needs root: only a root runner changes users");
    char dir[] = "/tmp/vg-root-only-XXXXXX";   /* mkdtemp: 0700, root's */
    cr_assert_not_null(mkdtemp(dir));
    char secret[64];
    snprintf(secret, sizeof secret, "%s/secret", dir);
    FILE *f = fopen(secret, "w");
    cr_assert_not_null(f);
    fputs("hidden seeds\n", f);
    fclose(f);
    /* The same task as root sees the file: what refuses it below is the
     * change of user, not the filter or a wrong path. */
    cr_expect_eq(identity_errno(secret, "--run-uid 0"), 0, "root sees the file");
    cr_expect_eq(identity_errno(secret, ""), EACCES,
                 "by default (nobody) the child cannot even stat it");
    cr_expect_eq(identity_errno(secret, "--run-uid 4321"), EACCES, "nor as uid 4321");
    unlink(secret);
    rmdir(dir);
}

Test(grader_runner, bad_run_uid_says_why)
{
    expect_usage_error("--task runner.echo --seed 1 --result-fd 3 --run-uid -5", "--run-uid");
}
