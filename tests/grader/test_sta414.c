/* test_sta414.c: golden runs of sta414-a3's grader (grader/sta414-a3/,
 * profile grader/profiles/sta414-a3.json, whole profile, --jobs 2). The
 * reference gets 100 with every check passed; the stubs 0 with every check
 * "not implemented"; the submission that computes nothing 0 on every
 * check; each one-mistake mutant (tests/grader/mutants/s414_*.patch, laid
 * out whole by tools/make_submissions.sh) exactly the outcomes and scores
 * of tests/grader/expected/<name>.json, which say which part's
 * points it loses and why; a correct submission written apart from the
 * reference (submissions/s414_correct_alt: another estimator, draw order
 * and stable forms) 100 at ten seeds. Every run is deterministic given its
 * seeds (the statistical checks' false-fail rates, stated by `vaegrade
 * explain`, are over the choice of seeds: these seeds are fixed). No
 * .timeout: see test_submissions.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expected_match.h"
#include "grader_run.h"

#define S414_ARGS "--assignment sta414-a3 --jobs 2"
#define S414_CHECKS 19

/* Grades dir (with extra args) and asserts completion. */
static void s414_grade(graded_t *g, const char *dir, const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, "grade %s %s%s%s", dir, S414_ARGS,
             extra ? " " : "", extra ? extra : "");
    grader_run(g, args);
    cr_assert_eq(g->status, 0, "%s: vaegrade exited %d:\n%s", dir, g->status,
                 g->out ? g->out : "");
    cr_assert_not_null(g->doc, "%s: results.json missing or not valid JSON", dir);
}

/* Every check of g has outcome (and the total is score). */
static void expect_all(const graded_t *g, const char *outcome, double score,
                       const char *what)
{
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g->doc, "tests");
    cr_expect_eq(cJSON_GetArraySize(tests), S414_CHECKS, "%s: %d checks", what,
                 cJSON_GetArraySize(tests));
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), outcome, "%s: %s:\n%s", what,
                         json_str(x, "id"), json_str(t, "output"));
    }
    cr_expect_eq(json_num(g->doc, "score"), score, "%s: total %g:\n%s", what,
                 json_num(g->doc, "score"), g->out);
}

/* The golden run of expected/<name>.json: its "submission"
 * (default: name) under build/submissions, every check's outcome and
 * score, the total, and the fragments its "messages" name. */
static void s414_against_expected(const char *name)
{
    cJSON *exp = expected_load(name);
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(exp, "submission");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", SUBMISSIONS,
             cJSON_IsString(sub) ? sub->valuestring : name);
    graded_t g;
    s414_grade(&g, dir, NULL);
    expected_match(&g, exp, name);
    cJSON_Delete(exp);
    graded_free(&g);
}

/* make grade-reference ASSIGNMENT=sta414-a3: each reference file is graded
 * alone, as a submission's is (so it includes no header of its own). */
Test(grader_sta414, reference_full_marks)
{
    graded_t g;
    s414_grade(&g, "reference", NULL);
    cr_expect_str_eq(json_str(cJSON_GetObjectItemCaseSensitive(g.doc, "extra_data"),
                              "assignment"), "sta414-a3");
    expect_all(&g, "passed", 100, "reference");
    graded_free(&g);
}

/* The stubs: 0, every check "not implemented". */
Test(grader_sta414, stubs_not_implemented)
{
    graded_t g;
    s414_grade(&g, "student_stub", NULL);
    expect_all(&g, "not_implemented", 0, "student_stub");
    /* student_stub holds CS236's five files and stats305c-hw6's five too
     * (student_stub/stats305c-hw6/): ignored, never built */
    cr_expect(strstr(json_str(g.doc, "output"), "density.c") != NULL &&
              strstr(json_str(g.doc, "output"), "10 other files ignored") != NULL,
              "%s", json_str(g.doc, "output"));
    graded_free(&g);
}

/* vaegrade list --assignment sta414-a3: its 19 checks. */
Test(grader_sta414, list)
{
    graded_t g;
    grader_run(&g, "list --assignment sta414-a3");
    cr_assert_eq(g.status, 0, "%s", g.out);
    const char *ids[] = { "1.1-log-prior-values", "1.8-joint-log-density-backward",
                          "2.4-elbo-short-run", "4.7-svi-optimise" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        cr_expect(strstr(g.out, ids[i]) != NULL, "%s not listed:\n%s", ids[i], g.out);
    cr_expect(strstr(g.out, "kl-normal") == NULL, "CS236's checks listed:\n%s", g.out);
    graded_free(&g);
}

/* A correct submission written apart from the reference: 100 at ten
 * seeds (each replaces every check's seeds: inputs, models, noise). */
Test(grader_sta414, correct_alt_ten_seeds)
{
    static const char *seeds[] = { "1", "2", "3", "414", "4141", "99991",
                                   "123456789", "2718281828", "31415926535",
                                   "9007199254740991" };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char extra[64], what[96];
        snprintf(extra, sizeof extra, "--seed %s", seeds[i]);
        snprintf(what, sizeof what, "s414_correct_alt --seed %s", seeds[i]);
        graded_t g;
        s414_grade(&g, SUBMISSIONS "/s414_correct_alt", extra);
        expect_all(&g, "passed", 100, what);
        graded_free(&g);
    }
}

Test(grader_sta414, zeros) { s414_against_expected("s414_zeros"); }
Test(grader_sta414, logsig_as_logvar) { s414_against_expected("s414_logsig_as_logvar"); }
Test(grader_sta414, log_q_no_2pi) { s414_against_expected("s414_log_q_no_2pi"); }
Test(grader_sta414, prior_var2) { s414_against_expected("s414_prior_var2"); }
Test(grader_sta414, q_backward_dz_sign) { s414_against_expected("s414_q_backward_dz_sign"); }
Test(grader_sta414, lik_naive_log_sigmoid) { s414_against_expected("s414_lik_naive_log_sigmoid"); }
Test(grader_sta414, elbo_batch_sum) { s414_against_expected("s414_elbo_batch_sum"); }
Test(grader_sta414, elbo_not_reparameterised) { s414_against_expected("s414_elbo_not_reparameterised"); }
Test(grader_sta414, elbo_logsig_as_logvar) { s414_against_expected("s414_elbo_logsig_as_logvar"); }
Test(grader_sta414, top_counts_bottom) { s414_against_expected("s414_top_counts_bottom"); }
Test(grader_sta414, svi_no_exp_chain) { s414_against_expected("s414_svi_no_exp_chain"); }
Test(grader_sta414, svi_k_ignored) { s414_against_expected("s414_svi_k_ignored"); }
Test(grader_sta414, joint_top_backward_no_prior) { s414_against_expected("s414_joint_top_backward_no_prior"); }
