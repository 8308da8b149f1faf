/* test_models.c: the grader's promises about the model checks, through the
 * release vaegrade: the default profile is worth exactly 100 points plus
 * bonus (and 25 hidden, test_hidden.c's); the reference gets full marks on
 * the whole official default grade, hidden twins included (the one full
 * grade of the suite) and on the statistical checks whatever the
 * seed; a correct submission written otherwise gets full marks on the
 * utils block too; the stub is "not implemented" everywhere, quickly;
 * bonus points are reported on top in both result formats; the runner-ref
 * cache changes no result. The mistakes of the submissions folder
 * are test_submissions.c's. No .timeout: see test_submissions.c. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grader_run.h"

#define MODELS_PROFILE "tests/grader/profile_models.json"
#define DEFAULT_PROFILE "grader/profiles/default.json"

static const char *outcome_of(const cJSON *t)
{
    return json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome");
}

/* The default profile: 100 points that count, and the fsvae's bonus on
 * top, which a submission without fsvae.c does not need for 100/100. */
Test(grader_models, default_profile_totals_100)
{
    char *text = read_text_file(DEFAULT_PROFILE);
    cr_assert_not_null(text);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc);
    double points = 0, bonus = 0;
    int models = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(doc, "checks")) {
        double p = json_num(c, "points");
        /* The hidden twins add on top in the official grade only. */
        if (strcmp(json_str(c, "visibility"), "hidden") == 0)
            continue;
        if (cJSON_IsTrue(cJSON_GetObjectItem(c, "bonus"))) {
            bonus += p;
            cr_expect(strncmp(json_str(c, "id"), "5.", 2) == 0,
                      "%s: only fsvae's checks are bonus", json_str(c, "id"));
        } else {
            points += p;
        }
        models += strstr(json_str(c, "id"), "vae") != NULL;
    }
    cJSON_Delete(doc);
    /* Points are small integers: the sums are exact. */
    cr_expect_eq(points, 100, "the default profile totals %g, not 100", points);
    cr_expect(bonus > 0, "no bonus points");
    cr_expect(models >= 20, "only %d model checks", models);
    graded_t g;
    grader_run(&g, "list");
    cr_expect(strstr(g.out, "total 100 points") && strstr(g.out, "bonus"), "%s", g.out);
    graded_free(&g);
}

/* The whole official default grade of the reference (--hidden), short
 * runs and hidden twins included: every check passes, 125/125 (100 visible
 * and 25 hidden) plus every bonus point, and the report says how long it
 * took. The one full grade of the suite; as root (CI) it runs inside a
 * 768 MiB memory cgroup, Gradescope's default memory. */
Test(grader_models, reference_full_default_grade)
{
    graded_t g;
    char dir[256], why[512], prefix[400] = "";
    const char *peak_file;
    int in_cgroup = geteuid() == 0 &&
                    grader_cgroup_make(dir, sizeof dir, &peak_file, why, sizeof why) == 0;
    if (in_cgroup)
        snprintf(prefix, sizeof prefix, "echo $$ > %s/cgroup.procs && exec", dir);
    else
        cr_log_info("not in a memory cgroup: %s", geteuid() ? "not root" : why);
    grader_run_with(&g, prefix, "grade reference --hidden");
    if (in_cgroup)
        cr_log_info("768 MiB cgroup, peak usage %llu MiB",
                    grader_cgroup_finish(dir, peak_file) >> 20);
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    double utils = 0, bonus = 0, hidden = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
        cr_expect_str_eq(outcome_of(t), "passed", "%s:\n%s", json_str(x, "id"),
                         json_str(t, "output"));
        if (cJSON_GetObjectItem(x, "check")) {
            hidden += json_num(t, "score");
            continue;
        }
        if (cJSON_IsTrue(cJSON_GetObjectItem(x, "bonus"))) {
            bonus += json_num(t, "score");
            cr_expect_eq(json_num(t, "max_score"), 0, "a bonus check adds to no maximum");
        }
        const cJSON *tags = cJSON_GetObjectItem(t, "tags");
        if (!strcmp(cJSON_GetArrayItem(tags, 0)->valuestring, "utils.c"))
            utils += json_num(t, "score");
    }
    cr_expect_eq(utils, 35, "the utils block is %g points", utils);
    cr_expect_eq(hidden, 25 + 1, "the hidden twins are %g points (1 bonus)", hidden);
    cr_expect_eq(json_num(g.doc, "score"), 125 + bonus + 1, "score %g",
                 json_num(g.doc, "score"));
    cr_expect(bonus > 0);
    cr_expect(strstr(g.out, "Total 125 / 125") && strstr(g.out, "elapsed"), "%s", g.out);
    graded_free(&g);
}

/* The statistical checks at other seeds: the reference passes every one
 * (their false-fail rates are per seed; these seeds are not the
 * profile's). */
Test(grader_models, reference_full_marks_at_other_seeds)
{
    static const char *const seeds[] = { "101", "202", "303" };
    for (size_t i = 0; i < 3; i++) {
        char args[1024];
        /* One short run (a few seconds each) at one of the seeds. */
        snprintf(args, sizeof args, "grade reference --profile " MODELS_PROFILE
                 " --seed %s --only 1.9-vae-elbo-value,1.11-vae-elbo-batch-mean,"
                 "2.8-gmvae-elbo-value,2.10-gmvae-elbo-batch-mean,3.4-vae-iwae,"
                 "3.5-gmvae-iwae,4.1-ssvae-elbo-value,4.3-ssvae-elbo-batch-mean,"
                 "5.1-fsvae-elbo-value%s", seeds[i], i == 0 ? ",1.14-vae-short-run" : "");
        graded_t g;
        grader_run(&g, args);
        cr_assert_eq(g.status, 0, "%s", g.out);
        cr_assert_not_null(g.doc);
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
            const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
            cr_expect_str_eq(outcome_of(t), "passed", "seed %s, %s:\n%s", seeds[i],
                             json_str(x, "id"), json_str(t, "output"));
            const cJSON *s = cJSON_GetObjectItem(x, "seeds");
            cr_expect(cJSON_GetArraySize(s) == 1 &&
                      cJSON_GetArrayItem(s, 0)->valuedouble == atof(seeds[i]));
        }
        graded_free(&g);
    }
    graded_t u;
    grader_run(&u, "grade reference --profile " TEST_PROFILE " --seed 404 --only "
               "1.1-sample-gaussian-moments,1.6-kl-normal-monte-carlo");
    cr_expect_eq(json_num(u.doc, "score"), 5, "%s", u.out);
    graded_free(&u);
}

/* correct_alt's utils.c (the textbook KL, a two-pass mixture): full marks
 * on the utils block; its model files are test_submissions.c's. */
Test(grader_models, correct_alt_utils_full_marks)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/correct_alt --profile " TEST_PROFILE);
    cr_assert_not_null(g.doc, "%s", g.out);
    cr_expect_eq(json_num(g.doc, "score"), 35, "%s", g.out);
    graded_free(&g);
}

/* The stub: every check of the default profile "not implemented" (the
 * hidden twins "graded after submission": test_hidden.c), none trains,
 * the whole grade in seconds, 0 points, exit 0. */
Test(grader_models, stub_not_implemented_quickly)
{
    graded_t g;
    /* The first grade on a fresh machine measures the reference on every
     * case (its time budgets; grader/README.md "runner-ref's cache"), a
     * short run's training included: that one is not timed. */
    grader_run(&g, "grade student_stub");
    graded_free(&g);
    grader_run(&g, "grade student_stub");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect_eq(json_num(g.doc, "score"), 0);
    const cJSON *t;
    int n = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        if (!strcmp(json_str(t, "visibility"), "after_due_date"))
            continue;
        n++;
        cr_expect_str_eq(outcome_of(t), "not_implemented", "%s",
                         json_str(cJSON_GetObjectItem(t, "extra_data"), "id"));
    }
    cr_expect(n >= 40, "%d checks", n);
    /* A short run that trained would take seconds by itself. */
    cr_expect(json_num(g.doc, "execution_time") < 20, "%g s",
              json_num(g.doc, "execution_time"));
    graded_free(&g);
}

/* Bonus points come on top: without fsvae.c the maximum is still reached
 * (Gradescope: max_score 0 for a bonus test, its points added to score;
 * PrairieLearn: score capped at 1). */
Test(grader_models, bonus_on_top)
{
    graded_t g;
    grader_run(&g, "list");
    char cmd[1024], args[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/nofs && cp reference/vae.c %s/nofs/", g.dir, g.dir);
    cr_assert_eq(system(cmd), 0);
    const char *only = " --only 1.10-vae-elbo-terms-sum,5.3-fsvae-backward-contract";
    graded_t a;
    snprintf(args, sizeof args, "grade %s/nofs --profile " MODELS_PROFILE "%s", g.dir, only);
    grader_run(&a, args);
    cr_assert_not_null(a.doc, "%s", a.out);
    cr_expect_eq(json_num(a.doc, "score"), 1);
    const cJSON *fs = graded_test(&a, "5.3-fsvae-backward-contract");
    cr_expect_eq(json_num(fs, "max_score"), 0);
    cr_expect(strstr(json_str(fs, "name"), "bonus") != NULL);
    cr_expect(strstr(a.out, "Total 1 / 1") != NULL, "%s", a.out);
    graded_free(&a);
    snprintf(args, sizeof args, "grade reference --profile " MODELS_PROFILE "%s", only);
    grader_run(&a, args);
    cr_expect_eq(json_num(a.doc, "score"), 2, "1 point plus 1 bonus point");
    graded_free(&a);
    snprintf(args, sizeof args, "grade reference --profile " MODELS_PROFILE
             " --format prairielearn%s", only);
    grader_run(&a, args);
    cr_expect_eq(json_num(a.doc, "score"), 1, "PrairieLearn's score is capped at 1");
    graded_free(&a);
    graded_free(&g);
}

/* runner-ref's cache changes nothing but the time: the same outputs with
 * and without it (the first of the two runs fills it if it was empty). */
Test(grader_models, ref_cache_changes_no_result)
{
    const char *args = "grade reference --profile " MODELS_PROFILE
                       " --only 1.9-vae-elbo-value,3.4-vae-iwae";
    graded_t a, b;
    grader_run(&a, args);
    char nc[512];
    snprintf(nc, sizeof nc, "%s --no-cache", args);
    grader_run(&b, nc);
    cr_assert(a.doc && b.doc);
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(a.doc, "tests")) {
        const char *id = json_str(cJSON_GetObjectItem(t, "extra_data"), "id");
        const cJSON *u = graded_test(&b, id);
        cr_expect_str_eq(json_str(u, "output"), json_str(t, "output"), "%s", id);
    }
    graded_free(&a);
    graded_free(&b);
}
