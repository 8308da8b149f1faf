/* test_cse599i.c: golden runs of cse599i-hw2's grader (grader/cse599i-hw2/,
 * profile grader/profiles/cse599i-hw2.json, whole profile, --jobs 2). The
 * reference gets 100 with every check passed; the stubs 0 with every check
 * "not implemented"; the submission that computes nothing (cse_zeros) 0 on
 * every check; each one-mistake mutant (tests/grader/mutants/cse_*.patch,
 * laid out whole by tools/make_submissions.sh) exactly the outcomes and
 * scores of tests/grader/expected/<name>.json, which say which part's
 * points it loses and why; a correct submission written apart from the
 * reference (submissions/cse_correct_alt: other draw orders, forms and
 * backward paths) 100 at ten seeds. The reference and the stubs are graded
 * from their own folders (reference/cse599i-hw2, student_stub/cse599i-hw2):
 * reference/ whole holds sta414-a3's elbo.c too, and a submission with two
 * files of one name is refused. Every run is deterministic given its seeds
 * (the statistical checks' false-fail rates, stated by `vaegrade explain`,
 * are over the choice of seeds: these seeds are fixed). No .timeout: see
 * test_submissions.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_grade.h"
#include "grader_run.h"

static const golden_t CSE = { "cse599i-hw2", 25 };

/* The reference, each file graded alone as a submission's is (so it
 * includes no header of its own). */
Test(grader_cse599i, reference_full_marks)
{
    graded_t g;
    golden_grade(&CSE, &g, "reference/cse599i-hw2", NULL);
    cr_expect_str_eq(json_str(cJSON_GetObjectItemCaseSensitive(g.doc, "extra_data"),
                              "assignment"), "cse599i-hw2");
    golden_expect_all(&CSE, &g, "passed", 100, "reference");
    graded_free(&g);
}

/* The stubs: 0, every check "not implemented". */
Test(grader_cse599i, stubs_not_implemented)
{
    graded_t g;
    golden_grade(&CSE, &g, "student_stub/cse599i-hw2", NULL);
    golden_expect_all(&CSE, &g, "not_implemented", 0, "student_stub");
    graded_free(&g);
}

/* vaegrade list --assignment cse599i-hw2: its checks, no other
 * assignment's. */
Test(grader_cse599i, list)
{
    graded_t g;
    grader_run(&g, "list --assignment cse599i-hw2");
    cr_assert_eq(g.status, 0, "%s", g.out);
    const char *ids[] = { "1.1-kl-standard-normal-values", "2.5-mc-against-closed-form",
                          "3.5-is-monotone-in-m", "4.3-iaf-logdet-jacobian",
                          "4.7-iaf-elbo-gradient" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        cr_expect(strstr(g.out, ids[i]) != NULL, "%s not listed:\n%s", ids[i], g.out);
    cr_expect(strstr(g.out, "kl-normal") == NULL && strstr(g.out, "svi") == NULL,
              "another assignment's checks listed:\n%s", g.out);
    graded_free(&g);
}

/* A correct submission written apart from the reference: 100 at ten
 * seeds (each replaces every check's seeds: inputs, models, noise). */
Test(grader_cse599i, correct_alt_ten_seeds)
{
    static const char *seeds[] = { "1", "2", "3", "599", "5991", "99991",
                                   "123456789", "2718281828", "31415926535",
                                   "9007199254740991" };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char extra[64], what[96];
        snprintf(extra, sizeof extra, "--seed %s", seeds[i]);
        snprintf(what, sizeof what, "cse_correct_alt --seed %s", seeds[i]);
        graded_t g;
        golden_grade(&CSE, &g, SUBMISSIONS "/cse_correct_alt", extra);
        golden_expect_all(&CSE, &g, "passed", 100, what);
        graded_free(&g);
    }
}

Test(grader_cse599i, zeros) { golden_against_expected(&CSE, "cse_zeros"); }
Test(grader_cse599i, kl_std_for_var) { golden_against_expected(&CSE, "cse_kl_std_for_var"); }
Test(grader_cse599i, kl_backward_no_half) { golden_against_expected(&CSE, "cse_kl_backward_no_half"); }
Test(grader_cse599i, rec_no_sigma) { golden_against_expected(&CSE, "cse_rec_no_sigma"); }
Test(grader_cse599i, mc_kl_swapped) { golden_against_expected(&CSE, "cse_mc_kl_swapped"); }
Test(grader_cse599i, discrete_squared_error) { golden_against_expected(&CSE, "cse_discrete_squared_error"); }
Test(grader_cse599i, is_mean_log_weights) { golden_against_expected(&CSE, "cse_is_mean_log_weights"); }
Test(grader_cse599i, is_sum_weights) { golden_against_expected(&CSE, "cse_is_sum_weights"); }
Test(grader_cse599i, logdet_sign) { golden_against_expected(&CSE, "cse_logdet_sign"); }
Test(grader_cse599i, iaf_no_one_minus_sigma) { golden_against_expected(&CSE, "cse_iaf_no_one_minus_sigma"); }
Test(grader_cse599i, iaf_backward_no_direct) { golden_against_expected(&CSE, "cse_iaf_backward_no_direct"); }
