/* test_limits.c: the driver's limits against a hostile or a slow
 * submission. Memory: whatever a submission writes on the result channel,
 * the driver keeps at most the check's cap of a stream, so grading with
 * --jobs 2 inside a 768 MiB memory cgroup (Gradescope's default) completes
 * with valid results (issue 8, class 5). Time: a case's budget is a
 * multiple of the reference's own CPU time for it, so a correct submission
 * 10x slower on every call loses nothing, on 2 cores and on one core beside
 * a busy loop (class 8). The submissions: tests/grader/mutants/
 * result_flood.patch and tests/grader/wrapped/ (tools/make_submissions.sh).
 * The full default profile's figures are measured by the commands of
 * grader/README.md "Timings", not here (minutes). */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grader_run.h"

/* The driver's peak RSS may not pass this: its own code and libraries
 * (about 15 MiB), plus per job the capped streams of one case (the stream
 * cap of a utils check is its reference's bytes + 4 MiB). The driver this
 * replaced reached 517 MiB on one 255 MiB frame. */
#define DRIVER_RSS_MAX_KIB (96l << 10)

static long peak_rss_kib(const char *out)
{
    const char *p = out ? strstr(out, "peak RSS ") : NULL;
    return p ? atol(p + strlen("peak RSS ")) : -1;
}

Test(grader_limits, result_flood_in_768mib_cgroup)
{
    if (geteuid() != 0)
        cr_skip_test("a memory cgroup needs root (CI runs as root)");
    char dir[256], why[512];
    const char *peak_file;
    if (grader_cgroup_make(dir, sizeof dir, &peak_file, why, sizeof why) != 0)
        cr_skip_test("no 768 MiB memory cgroup: %s", why);
    char prefix[512];
    snprintf(prefix, sizeof prefix, "echo $$ > %s/cgroup.procs && exec env "
             "VAEGRADE_REPORT_RSS=1", dir);
    graded_t g;
    grader_run_with(&g, prefix, "grade " SUBMISSIONS "/result_flood --profile "
                    TEST_PROFILE " --jobs 2 --only 1.4-kl-normal-values,"
                    "2.1-log-normal-values,1.8-kl-normal-backward");
    unsigned long long peak = grader_cgroup_finish(dir, peak_file);
    cr_log_info("cgroup peak usage: %llu KiB (0: not reported)", peak >> 10);
    cr_assert_eq(g.status, 0, "vaegrade exited %d in the cgroup:\n%s", g.status,
                 g.out ? g.out : "");
    cr_assert_not_null(g.doc, "results.json missing or not valid JSON");
    const char *ids[] = { "1.4-kl-normal-values", "2.1-log-normal-values" };
    for (size_t i = 0; i < 2; i++) {
        const cJSON *t = graded_test(&g, ids[i]);
        cr_assert_not_null(t, "%s graded", ids[i]);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), "crashed", "%s:\n%s", ids[i],
                         json_str(t, "output"));
        cr_expect_not_null(strstr(json_str(t, "output"), "to the result channel (fd 3)"),
                           "%s says why:\n%s", ids[i], json_str(t, "output"));
        cr_expect_eq(json_num(t, "score"), 0);
    }
    /* A check that never floods is untouched by the others. */
    const cJSON *t = graded_test(&g, "1.8-kl-normal-backward");
    cr_expect_eq(json_num(t, "score"), 3, "1.8 passes:\n%s", json_str(t, "output"));
    long rss = peak_rss_kib(g.out);
    cr_log_info("driver peak RSS: %ld KiB", rss);
    cr_expect(rss > 0 && rss < DRIVER_RSS_MAX_KIB, "the driver's peak RSS is %ld KiB "
              "(at most %ld expected):\n%s", rss, DRIVER_RSS_MAX_KIB, g.out);
    graded_free(&g);
}

/* Every check of g passed with full points. */
static void expect_all_passed(const graded_t *g, const char *what)
{
    cr_assert_eq(g->status, 0, "%s: vaegrade exited %d:\n%s", what, g->status,
                 g->out ? g->out : "");
    cr_assert_not_null(g->doc, "%s: no results", what);
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g->doc, "tests");
    cr_assert_gt(cJSON_GetArraySize(tests), 0, "%s: no checks graded", what);
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), "passed", "%s: %s is %s:\n%s", what,
                         json_str(x, "id"), json_str(x, "outcome"), json_str(t, "output"));
    }
}

/* The model checks of the fast model profile, short runs aside (the vae's
 * is in the slow10x test below; the others take minutes at 10x). */
#define MODEL_CHECKS "1.9-vae-elbo-value,1.10-vae-elbo-terms-sum," \
    "1.11-vae-elbo-batch-mean,1.12-vae-elbo-gradient,1.13-vae-backward-contract," \
    "2.8-gmvae-elbo-value,2.11-gmvae-elbo-gradient,3.4-vae-iwae,3.5-gmvae-iwae," \
    "4.1-ssvae-elbo-value,4.4-ssvae-elbo-gradient,4.5-ssvae-backward-contract," \
    "5.1-fsvae-elbo-value,5.2-fsvae-elbo-gradient"

/* On the utils profile: test_submissions.c's slow10x. */
Test(grader_limits, slow10x_loses_nothing)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/slow10x --profile tests/grader/profile_models.json "
               "--jobs 2 --only " MODEL_CHECKS ",1.14-vae-short-run");
    expect_all_passed(&g, "slow10x, models");
    graded_free(&g);
}

/* One core, shared by the grade's two jobs and a process that never
 * sleeps: CPU budgets are unmoved, the wall-clock guard has room. */
Test(grader_limits, slow10x_on_one_core_beside_a_busy_loop)
{
    pid_t busy = fork();
    cr_assert(busy >= 0, "fork");
    if (busy == 0) {
        /* It dies with the test's process, whatever assertion stops it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(0, &one);
        sched_setaffinity(0, sizeof one, &one);
        for (volatile unsigned long i = 0;; i++)
            ;
    }
    graded_t g;
    grader_run_with(&g, "taskset -c 0", "grade " SUBMISSIONS "/slow10x --profile "
                    TEST_PROFILE " --jobs 2");
    expect_all_passed(&g, "slow10x, utils, taskset -c 0 beside a busy loop");
    graded_free(&g);
    grader_run_with(&g, "taskset -c 0", "grade " SUBMISSIONS "/slow10x --profile "
                    "tests/grader/profile_models.json --jobs 2 --only "
                    "1.9-vae-elbo-value,1.12-vae-elbo-gradient,3.4-vae-iwae,"
                    "4.1-ssvae-elbo-value");
    expect_all_passed(&g, "slow10x, models, taskset -c 0 beside a busy loop");
    graded_free(&g);
    kill(busy, SIGKILL);
    waitpid(busy, NULL, 0);
}
