/* test_results.c: the grader's outputs and its promises, through the
 * release vaegrade: Gradescope and PrairieLearn fields present and typed,
 * the atomic write, results written (and exit 0) when nothing builds,
 * exit 2 with a reason and a results file when the grader itself fails,
 * one failing check never changing another's score, the same scores run
 * after run, hidden checks skipped locally, and the submission scan's
 * refusals (two files of one name, a file over the size limit). No
 * .timeout: see test_submissions.c. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grader_run.h"

#define CORRECT SUBMISSIONS "/correct"

static int is_one_of(const char *s, const char *const *set)
{
    for (size_t i = 0; set[i]; i++)
        if (strcmp(s, set[i]) == 0)
            return 1;
    return 0;
}

Test(grader_results, gradescope_fields)
{
    graded_t g;
    grader_run(&g, "grade " CORRECT " --profile " TEST_PROFILE);
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect(cJSON_IsNumber(cJSON_GetObjectItem(g.doc, "score")));
    cr_expect(json_num(g.doc, "execution_time") > 0);
    cr_expect(strstr(json_str(g.doc, "output"), "utils.c") != NULL);
    const cJSON *tests = cJSON_GetObjectItem(g.doc, "tests");
    cr_assert(cJSON_IsArray(tests) && cJSON_GetArraySize(tests) == 18,
              "18 tests expected, got %d", cJSON_GetArraySize(tests));
    static const char *const statuses[] = { "passed", "failed", NULL };
    static const char *const vis[] = { "visible", "hidden", "after_due_date",
                                       "after_published", NULL };
    double sum = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
        const char *id = json_str(x, "id");
        cr_expect(json_num(t, "score") >= 0 && json_num(t, "score") <= json_num(t, "max_score"), "%s", id);
        cr_expect(is_one_of(json_str(t, "status"), statuses), "%s status", id);
        cr_expect(is_one_of(json_str(t, "visibility"), vis), "%s visibility", id);
        cr_expect(json_str(t, "name")[0] && json_str(t, "output")[0], "%s name/output", id);
        cr_expect(strncmp(id, json_str(t, "number"), strlen(json_str(t, "number"))) == 0,
                  "%s: number %s is the id's prefix", id, json_str(t, "number"));
        cr_expect(cJSON_IsArray(cJSON_GetObjectItem(t, "tags")), "%s tags", id);
        const cJSON *seeds = cJSON_GetObjectItem(x, "seeds");
        cr_expect(cJSON_IsArray(seeds) && cJSON_GetArraySize(seeds) >= 1, "%s seeds", id);
        cr_expect(strcmp(json_str(x, "outcome"), "passed") == 0, "%s outcome", id);
        sum += json_num(t, "score");
    }
    cr_expect_eq(sum, json_num(g.doc, "score"), "total %g = sum of tests %g",
                 json_num(g.doc, "score"), sum);
    /* The profile marks 3.3 after_due_date: it must say so. */
    cr_expect_str_eq(json_str(graded_test(&g, "3.3-log-sum-exp-values"), "visibility"),
                     "after_due_date");
    graded_free(&g);
}

Test(grader_results, prairielearn_fields)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/kl_factor2 --profile " TEST_PROFILE
               " --format prairielearn");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect(cJSON_IsTrue(cJSON_GetObjectItem(g.doc, "gradable")));
    /* 30 of 35 points (kl_factor2 loses 1.4 and 1.6). */
    cr_expect(fabs(json_num(g.doc, "score") - 30.0 / 35.0) < 1e-12,
              "score %g", json_num(g.doc, "score"));
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        cr_expect(json_str(t, "name")[0]);
        cr_expect(json_num(t, "points") <= json_num(t, "max_points"));
        cr_expect(cJSON_IsString(cJSON_GetObjectItem(t, "message")));
        cr_expect(cJSON_IsString(cJSON_GetObjectItem(t, "output")));
    }
    graded_free(&g);

    /* Nothing builds: not gradable, so it costs the student no attempt. */
    grader_run(&g, "grade " SUBMISSIONS "/does_not_compile --profile " TEST_PROFILE
               " --format prairielearn");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc, "results written even when nothing builds");
    cr_expect(cJSON_IsFalse(cJSON_GetObjectItem(g.doc, "gradable")));
    cr_expect_eq(json_num(g.doc, "score"), 0);
    graded_free(&g);
}

/* An existing results file is replaced whole, and no temporary file stays
 * next to it. */
Test(grader_results, atomic_write)
{
    graded_t g;
    grader_run(&g, "list");   /* only for a fresh directory */
    char path[400];
    snprintf(path, sizeof path, "%s/results.json", g.dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    for (int i = 0; i < 100000; i++)
        fputs("stale results of an earlier run\n", f);
    fclose(f);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, VAEGRADE " grade " CORRECT " --profile " TEST_PROFILE
             " --only 1.5-kl-normal-identity --json %s > /dev/null 2>&1", path);
    cr_assert_eq(system(cmd), 0);
    char *text = read_text_file(path);
    cr_assert_not_null(text);
    cJSON *doc = cJSON_Parse(text);
    cr_expect_not_null(doc, "the file is one whole JSON document");
    cr_expect(strstr(text, "stale") == NULL, "nothing of the old file is left");
    cr_expect_eq(json_num(doc, "score"), 1);
    cJSON_Delete(doc);
    free(text);
    DIR *d = opendir(g.dir);
    struct dirent *e;
    while ((e = readdir(d)))
        cr_expect(!strstr(e->d_name, ".results.json."), "temporary %s left", e->d_name);
    closedir(d);
    graded_free(&g);
}

/* Every check but the two that exercise the KL's value scores the same on
 * a submission wrong there as on the correct one: outcomes are per check. */
Test(grader_results, one_failure_changes_no_other_score)
{
    graded_t good, bad;
    grader_run(&good, "grade " CORRECT " --profile " TEST_PROFILE);
    grader_run(&bad, "grade " SUBMISSIONS "/kl_factor2 --profile " TEST_PROFILE);
    cr_assert(good.doc && bad.doc);
    const cJSON *t;
    int differ = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(good.doc, "tests")) {
        const char *id = json_str(cJSON_GetObjectItem(t, "extra_data"), "id");
        const cJSON *u = graded_test(&bad, id);
        cr_assert_not_null(u, "%s", id);
        if (strcmp(id, "1.4-kl-normal-values") == 0 ||
            strcmp(id, "1.6-kl-normal-monte-carlo") == 0) {
            differ += json_num(u, "score") < json_num(t, "score");
            continue;
        }
        cr_expect_eq(json_num(u, "score"), json_num(t, "score"), "%s changed", id);
    }
    cr_expect_eq(differ, 2, "the two KL value checks lose points");
    graded_free(&good);
    graded_free(&bad);
}

/* The same submission graded twice: the same scores and messages (the
 * seeds fix every random number; only timings differ). */
Test(grader_results, same_scores_run_after_run)
{
    graded_t a, b;
    const char *args = "grade " SUBMISSIONS "/nan_mixture --profile " TEST_PROFILE
                       " --only 1.1-sample-gaussian-moments,1.6-kl-normal-monte-carlo,2.3-mixture-values";
    grader_run(&a, args);
    grader_run(&b, args);
    cr_assert(a.doc && b.doc);
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(a.doc, "tests")) {
        const char *id = json_str(cJSON_GetObjectItem(t, "extra_data"), "id");
        const cJSON *u = graded_test(&b, id);
        cr_expect_eq(json_num(u, "score"), json_num(t, "score"), "%s", id);
        cr_expect_str_eq(json_str(u, "output"), json_str(t, "output"), "%s", id);
    }
    graded_free(&a);
    graded_free(&b);
}

/* A submission the grader cannot even scan: exit 2 with the reason, said
 * once (not once per check), and a valid results file saying it. */
Test(grader_results, grader_failure_exits_2_with_results)
{
    graded_t g;
    grader_run(&g, "grade /nonexistent/submission --profile " TEST_PROFILE);
    cr_expect_eq(g.status, 2, "exit %d:\n%s", g.status, g.out);
    cr_assert_not_null(g.doc, "results written anyway");
    cr_expect_eq(json_num(g.doc, "score"), 0);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g.doc, "tests")), 0,
                 "no per-check entries");
    const char *first = strstr(g.out, "/nonexistent/submission: ");
    cr_expect(first && !strstr(first + 1, "/nonexistent/submission: "),
              "the reason is said once:\n%s", g.out);
    cr_expect(strstr(json_str(g.doc, "output"), "/nonexistent/submission") != NULL,
              "the reason names the directory:\n%s", json_str(g.doc, "output"));
    cr_expect(strstr(g.out, "grader failed") != NULL, "%s", g.out);
    graded_free(&g);
}

Test(grader_results, bad_profile_is_named)
{
    graded_t g;
    grader_run(&g, "list");
    char path[400];
    snprintf(path, sizeof path, "%s/bad.json", g.dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"vaegrade_profile\": 1, \"checks\": [{\"id\": \"1.4-kl-normal-values\","
          " \"points\": 3, \"params\": {\"rel_tol\": \"tiny\"}}]}", f);
    fclose(f);
    graded_t h;
    char args[1200];
    snprintf(args, sizeof args, "list --profile %s", path);
    grader_run(&h, args);
    cr_expect_eq(h.status, 2);
    cr_expect(strstr(h.out, "1.4-kl-normal-values") && strstr(h.out, "rel_tol"),
              "the message names the check and the field:\n%s", h.out);
    graded_free(&h);
    graded_free(&g);
}

Test(grader_results, usage_errors_exit_1)
{
    graded_t g;
    grader_run(&g, "grade " CORRECT " --profile " TEST_PROFILE " --only 9.9-no-such-check");
    cr_expect_eq(g.status, 1, "%s", g.out);
    cr_expect(strstr(g.out, "9.9-no-such-check") != NULL, "%s", g.out);
    graded_free(&g);
    grader_run(&g, "explain 9.9-no-such-check");
    cr_expect_eq(g.status, 1);
    graded_free(&g);
}

/* --only by a check's number (the release's `make grade ONLY=1.1`): 1.1
 * selects 1.1-sample-gaussian-moments alone, not 1.10-... to 1.14-...;
 * a number that is only a prefix of others (1.) selects nothing. */
Test(grader_results, only_by_number)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/not_implemented --only 1.1,2.4");
    cr_assert_eq(g.status, 0, "%s", g.out);
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g.doc, "tests");
    cr_expect_eq(cJSON_GetArraySize(tests), 2, "two checks graded:\n%s", g.out);
    cr_expect(graded_test(&g, "1.1-sample-gaussian-moments") != NULL);
    cr_expect(graded_test(&g, "2.4-mixture-k1-equals-log-normal") != NULL);
    cr_expect(graded_test(&g, "1.10-vae-elbo-terms-sum") == NULL);
    graded_free(&g);
    grader_run(&g, "grade " SUBMISSIONS "/not_implemented --only 1.");
    cr_expect_eq(g.status, 1, "1. is no check's number:\n%s", g.out);
    graded_free(&g);
}

Test(grader_results, list_and_explain)
{
    graded_t g;
    grader_run(&g, "list");
    cr_expect_eq(g.status, 0);
    cr_expect(strstr(g.out, "1.1-sample-gaussian-moments") &&
              strstr(g.out, "3.3-log-sum-exp-values"), "%s", g.out);
    cr_expect(strstr(g.out, "total 100 points") != NULL, "%s", g.out);
    graded_free(&g);
    grader_run(&g, "explain 1.1-sample-gaussian-moments");
    cr_expect_eq(g.status, 0);
    cr_expect(strstr(g.out, "False-fail rate") && strstr(g.out, "6.9e-6"),
              "explain gives the derived false-fail rate:\n%s", g.out);
    graded_free(&g);
}

/* A hidden check in a local run: listed, scored 0, "graded after
 * submission"; with --hidden and the hidden seeds it runs. */
Test(grader_results, hidden_checks)
{
    graded_t g;
    grader_run(&g, "list");
    char prof[400], over[400];
    snprintf(prof, sizeof prof, "%s/hidden.json", g.dir);
    snprintf(over, sizeof over, "%s/overlay.json", g.dir);
    FILE *f = fopen(prof, "w");
    fputs("{\"vaegrade_profile\": 1, \"checks\": ["
          "{\"id\": \"1.4-kl-normal-values\", \"points\": 3, \"visibility\": \"hidden\"},"
          "{\"id\": \"1.5-kl-normal-identity\", \"points\": 1}]}", f);
    fclose(f);
    f = fopen(over, "w");
    fputs("{\"checks\": [{\"id\": \"1.4-kl-normal-values\", \"seeds\": [99]}]}", f);
    fclose(f);
    graded_t h;
    char args[1200];
    snprintf(args, sizeof args, "grade " CORRECT " --profile %s", prof);
    grader_run(&h, args);
    cr_assert_not_null(h.doc);
    const cJSON *t = graded_test(&h, "1.4-kl-normal-values");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "skipped");
    cr_expect_eq(json_num(t, "score"), 0);
    cr_expect(strstr(json_str(t, "output"), "graded after submission") != NULL);
    cr_expect(strstr(h.out, "graded after submission") != NULL, "%s", h.out);
    graded_free(&h);
    snprintf(args, sizeof args, "grade " CORRECT " --profile %s --hidden --hidden-profile %s",
             prof, over);
    grader_run(&h, args);
    cr_assert_not_null(h.doc, "%s", h.out);
    t = graded_test(&h, "1.4-kl-normal-values");
    cr_expect_eq(json_num(t, "score"), 3, "%s", json_str(t, "output"));
    const cJSON *seeds = cJSON_GetObjectItem(cJSON_GetObjectItem(t, "extra_data"), "seeds");
    cr_expect(cJSON_GetArraySize(seeds) == 1 && cJSON_GetArrayItem(seeds, 0)->valuedouble == 99,
              "the hidden seed is used");
    graded_free(&h);
    graded_free(&g);
}

/* Two files of one name, or one over the size limit: that file's checks
 * are refused with the reason; the scan finds files in subfolders. */
Test(grader_results, submission_scan_refusals)
{
    graded_t g;
    grader_run(&g, "list");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/sub/a %s/sub/b && cp " CORRECT "/utils.c %s/sub/a/ "
             "&& cp " CORRECT "/utils.c %s/sub/b/ && echo notes > %s/sub/README.txt",
             g.dir, g.dir, g.dir, g.dir, g.dir);
    cr_assert_eq(system(cmd), 0);
    graded_t h;
    char args[1200];
    snprintf(args, sizeof args, "grade %s/sub --profile " TEST_PROFILE
             " --only 1.5-kl-normal-identity", g.dir);
    grader_run(&h, args);
    cr_assert_eq(h.status, 0, "%s", h.out);
    const cJSON *t = graded_test(&h, "1.5-kl-normal-identity");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "refused");
    cr_expect(strstr(json_str(t, "output"), "two files named utils.c") != NULL,
              "%s", json_str(t, "output"));
    cr_expect(strstr(json_str(h.doc, "output"), "1 other files ignored") != NULL,
              "%s", json_str(h.doc, "output"));
    graded_free(&h);

    /* 300 KiB of comments make a valid file too big (limit 256 KiB). */
    snprintf(cmd, sizeof cmd, "rm -r %s/sub/b && for i in $(seq 4000); do echo "
             "'/* padding padding padding padding padding padding padding padding */'; "
             "done >> %s/sub/a/utils.c", g.dir, g.dir);
    cr_assert_eq(system(cmd), 0);
    grader_run(&h, args);
    t = graded_test(&h, "1.5-kl-normal-identity");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "refused");
    cr_expect(strstr(json_str(t, "output"), "over the limit") != NULL,
              "%s", json_str(t, "output"));
    graded_free(&h);
    graded_free(&g);
}

/* Output is captured per stream and cut to 8 KiB with its head and tail. */
Test(grader_results, output_truncated_with_marker)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/printing --profile " TEST_PROFILE
               " --only 1.3-sample-gaussian-determinism");
    const cJSON *t = graded_test(&g, "1.3-sample-gaussian-determinism");
    cr_assert_not_null(t);
    const char *out = json_str(t, "output");
    /* Three calls (1.3: two on one rng, one on a fresh rng) print 120,000
     * lines of 62 bytes ("debug line 00000 of sample_gaussian: " and 24
     * x's and a newline): 7,440,000 bytes, of which 8 KiB stay, plus the
     * message and the marker. */
    cr_expect(strlen(out) < 8192 + 2048, "%zu bytes kept", strlen(out));
    cr_expect(strstr(out, "bytes dropped") != NULL);
    cr_expect(strstr(out, "7440000 bytes") != NULL, "the total is said:\n%.600s", out);
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "passed");
    graded_free(&g);
}

/* The default profile's seeds pass with the reference's utils.c: the
 * statistical checks' false-fail rates are per seed, and these are the
 * seeds every student gets. (The model checks: test_models.c.) */
Test(grader_results, default_profile_full_marks_for_reference)
{
    graded_t g;
    grader_run(&g, "grade " CORRECT " --only 1.1-sample-gaussian-moments,"
               "1.2-sample-gaussian-scaling,1.3-sample-gaussian-determinism,"
               "1.4-kl-normal-values,1.5-kl-normal-identity,1.6-kl-normal-monte-carlo,"
               "1.7-sample-gaussian-backward,1.8-kl-normal-backward,2.1-log-normal-values,"
               "2.2-mixture-stable,2.3-mixture-values,2.4-mixture-k1-equals-log-normal,"
               "2.5-mixture-permutation,2.6-log-normal-backward,2.7-mixture-backward,"
               "3.1-log-mean-exp-values,3.2-log-mean-exp-stable,3.3-log-sum-exp-values");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), "passed", "%s:\n%s", json_str(x, "id"),
                         json_str(t, "output"));
    }
    cr_expect_eq(json_num(g.doc, "score"), 35, "the utils block is 35 points");
    graded_free(&g);
}

/* Every submission folder has an expected file and every expected file a
 * submission (its own name's, or the one its "submission" names: another
 * grade of the same folder), so neither can be added without the other. */
Test(grader_results, every_submission_has_expectations)
{
    DIR *d = opendir(SUBMISSIONS);
    cr_assert_not_null(d);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        struct stat st;
        snprintf(path, sizeof path, "tests/grader/expected/%s.json", e->d_name);
        cr_expect_eq(stat(path, &st), 0, "no %s", path);
        n++;
    }
    closedir(d);
    d = opendir("tests/grader/expected");
    int m = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512], sub[512];
        struct stat st;
        snprintf(path, sizeof path, "tests/grader/expected/%s", e->d_name);
        char *text = read_text_file(path);
        cJSON *exp = text ? cJSON_Parse(text) : NULL;
        free(text);
        const char *other = json_str(exp, "submission");
        snprintf(sub, sizeof sub, SUBMISSIONS "/%.*s", other[0] ? (int)strlen(other)
                 : (int)strcspn(e->d_name, "."), other[0] ? other : e->d_name);
        cr_expect_eq(stat(sub, &st), 0, "%s: no submission %s", path, sub);
        m += !other[0];
        cJSON_Delete(exp);
    }
    closedir(d);
    cr_expect_eq(n, m, "%d submissions, %d expected files of their own", n, m);
}

/* PrairieLearn refuses results over 1 MB. loud prints 200 lines to each
 * stream on every call, so each check of profile_loud.json (36: every one
 * but the short runs and the IWAE bounds, two seeds each) keeps what the
 * sandbox allows, two cases of 8 KiB a stream: about 1.2 MB in all before
 * results.c cuts every output to one cap. */
Test(grader_results, results_stay_under_1mb_when_every_check_prints, .timeout = 900)
{
    for (int pl = 0; pl < 2; pl++) {
        graded_t g;
        grader_run(&g, pl ? "grade " SUBMISSIONS "/loud --profile tests/grader/profile_loud.json"
                            " --format prairielearn"
                          : "grade " SUBMISSIONS "/loud --profile tests/grader/profile_loud.json");
        cr_assert_not_null(g.doc, "valid JSON (%s)", pl ? "prairielearn" : "gradescope");
        char *text = read_text_file(g.json_path);
        cr_assert_not_null(text);
        cr_expect(strlen(text) < 1000000, "%zu bytes", strlen(text));
        /* Cut, not emptied: the cap is halved only as far as needed. */
        cr_expect(strlen(text) > 500000, "%zu bytes", strlen(text));
        cr_expect(strstr(json_str(g.doc, "output"), "captured output was cut") != NULL,
                  "the summary says so:\n%.600s", json_str(g.doc, "output"));
        const cJSON *tests = cJSON_GetObjectItem(g.doc, "tests");
        cr_expect_eq(cJSON_GetArraySize(tests), 36);
        const cJSON *t;
        cJSON_ArrayForEach(t, tests) {
            cr_expect(strstr(json_str(t, "output"), "bytes dropped") != NULL,
                      "%s: the marker", json_str(t, "name"));
            /* loud is correct: the cut changes no score. */
            double pts = json_num(t, pl ? "points" : "score");
            double max = json_num(t, pl ? "max_points" : "max_score");
            if (max > 0)
                cr_expect_eq(pts, max, "%s: %g of %g", json_str(t, "name"), pts, max);
        }
        free(text);
        graded_free(&g);
    }
}

/* Gradescope's submission metadata reaches the top-level extra_data (id,
 * time, names; nothing else, e-mail addresses included); a file that is
 * not JSON costs a note there, never the grade. */
/* Writes text to dir/name; path receives the file's path. */
static void put_file(char *path, size_t cap, const char *dir, const char *name,
                     const char *text)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

Test(grader_results, metadata_into_extra_data)
{
    graded_t g;
    grader_run(&g, "list");    /* a fresh directory */
    char meta[400], bad[400], args[1400];
    put_file(meta, sizeof meta, g.dir, "meta.json",
             "{\"id\": 123456, \"created_at\": \"2018-07-01T14:22:32.365935-07:00\", "
             "\"users\": [{\"email\": \"s@example.com\", \"id\": 1, \"name\": \"Ada \\\"L\\\"\"}, "
             "{\"name\": \"Bo\"}], \"assignment\": {\"title\": \"HW2\"}}");
    put_file(bad, sizeof bad, g.dir, "bad.json", "{\"id\": ");
    for (int i = 0; i < 2; i++) {
        graded_t h;
        snprintf(args, sizeof args, "grade " CORRECT " --profile " TEST_PROFILE
                 " --only 1.5-kl-normal-identity --metadata %s", i ? bad : meta);
        grader_run(&h, args);
        cr_assert_not_null(h.doc);
        cr_expect_eq(h.status, 0);
        const cJSON *x = cJSON_GetObjectItem(h.doc, "extra_data");
        const cJSON *s = cJSON_GetObjectItem(x, "submission");
        if (i == 0) {
            cr_expect_str_eq(json_str(s, "id"), "123456");
            cr_expect_str_eq(json_str(s, "created_at"), "2018-07-01T14:22:32.365935-07:00");
            const cJSON *u = cJSON_GetObjectItem(s, "users");
            cr_expect_eq(cJSON_GetArraySize(u), 2);
            cr_expect_str_eq(cJSON_GetArrayItem(u, 0)->valuestring, "Ada \"L\"");
            char *all = cJSON_PrintUnformatted(x);
            cr_expect(strstr(all, "example.com") == NULL, "no e-mail: %s", all);
            free(all);
        } else {
            cr_expect_null(s);
            cr_expect(strstr(json_str(x, "metadata_error"), "not a JSON object") != NULL,
                      "%s", json_str(x, "metadata_error"));
        }
        cr_expect_eq(json_num(graded_test(&h, "1.5-kl-normal-identity"), "score"), 1,
                     "the grade stands");
        /* The metadata joins the grader's provenance, never replaces it. */
        cr_expect(json_str(x, "vaegrade_version")[0] != '\0', "provenance kept");
        cr_expect(json_str(x, "profile_hash")[0] != '\0', "profile hash kept");
        graded_free(&h);
    }
    graded_free(&g);
}
