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

#include "golden_grade.h"
#include "grader_run.h"

static const golden_t S414 = { "sta414-a3", 19 };

/* make grade-reference ASSIGNMENT=sta414-a3 (which grades reference/NAME):
 * each reference file is graded alone, as a submission's is (so it
 * includes no header of its own). Not reference/ whole: cse599i-hw2 has
 * an elbo.c too, and two files of one name are refused. */
Test(grader_sta414, reference_full_marks)
{
    graded_t g;
    golden_grade(&S414, &g, "reference/sta414-a3", NULL);
    cr_expect_str_eq(json_str(cJSON_GetObjectItemCaseSensitive(g.doc, "extra_data"),
                              "assignment"), "sta414-a3");
    golden_expect_all(&S414, &g, "passed", 100, "reference");
    graded_free(&g);
}

/* The stubs: 0, every check "not implemented". */
Test(grader_sta414, stubs_not_implemented)
{
    graded_t g;
    /* Its own folder: student_stub/ whole holds cse599i-hw2's elbo.c
     * too (test_assignments.c counts the files another assignment's grade
     * ignores there). */
    golden_grade(&S414, &g, "student_stub/sta414-a3", NULL);
    golden_expect_all(&S414, &g, "not_implemented", 0, "student_stub");
    cr_expect(strstr(json_str(g.doc, "output"), "density.c") != NULL,
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
        golden_grade(&S414, &g, SUBMISSIONS "/s414_correct_alt", extra);
        golden_expect_all(&S414, &g, "passed", 100, what);
        graded_free(&g);
    }
}

Test(grader_sta414, zeros) { golden_against_expected(&S414, "s414_zeros"); }
Test(grader_sta414, logsig_as_logvar) { golden_against_expected(&S414, "s414_logsig_as_logvar"); }
Test(grader_sta414, log_q_no_2pi) { golden_against_expected(&S414, "s414_log_q_no_2pi"); }
Test(grader_sta414, prior_var2) { golden_against_expected(&S414, "s414_prior_var2"); }
Test(grader_sta414, q_backward_dz_sign) { golden_against_expected(&S414, "s414_q_backward_dz_sign"); }
Test(grader_sta414, lik_naive_log_sigmoid) { golden_against_expected(&S414, "s414_lik_naive_log_sigmoid"); }
Test(grader_sta414, elbo_batch_sum) { golden_against_expected(&S414, "s414_elbo_batch_sum"); }
Test(grader_sta414, elbo_not_reparameterised) { golden_against_expected(&S414, "s414_elbo_not_reparameterised"); }
Test(grader_sta414, elbo_logsig_as_logvar) { golden_against_expected(&S414, "s414_elbo_logsig_as_logvar"); }
Test(grader_sta414, top_counts_bottom) { golden_against_expected(&S414, "s414_top_counts_bottom"); }
Test(grader_sta414, svi_no_exp_chain) { golden_against_expected(&S414, "s414_svi_no_exp_chain"); }
Test(grader_sta414, svi_k_ignored) { golden_against_expected(&S414, "s414_svi_k_ignored"); }
Test(grader_sta414, joint_top_backward_no_prior) { golden_against_expected(&S414, "s414_joint_top_backward_no_prior"); }
