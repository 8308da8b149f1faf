/* test_stats305c.c: golden runs of stats305c-hw6's grader
 * (grader/stats305c-hw6/, profile grader/profiles/stats305c-hw6.json,
 * whole profile, --jobs 2). The reference gets 100 with every check
 * passed; the stubs 0 with every check "not implemented"; the
 * submission that computes nothing (submissions/s305_zeros) 0; each
 * one-mistake mutant (tests/grader/mutants/s305_*.patch, laid out whole
 * by tools/make_submissions.sh) exactly the outcomes and scores of
 * tests/grader/expected/<name>.json, which say which problem's points it
 * loses and why; a correct submission written apart from the reference
 * (submissions/s305_correct_alt) 100 at ten seeds. Every run is
 * deterministic given its seeds (the statistical checks' false-fail
 * rates, stated by `vaegrade explain`, are over the choice of seeds:
 * these seeds are fixed). No .timeout: see test_submissions.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden_grade.h"
#include "grader_run.h"

static const golden_t S305 = { "stats305c-hw6", 16 };

/* make grade-reference ASSIGNMENT=stats305c-hw6: each reference file is
 * graded alone, as a submission's is. */
Test(grader_stats305c, reference_full_marks)
{
    graded_t g;
    golden_grade(&S305, &g, "reference", NULL);
    cr_expect_str_eq(json_str(cJSON_GetObjectItemCaseSensitive(g.doc, "extra_data"),
                              "assignment"), "stats305c-hw6");
    golden_expect_all(&S305, &g, "passed", 100, "reference");
    graded_free(&g);
}

/* The stubs: 0, every check "not implemented". */
Test(grader_stats305c, stubs_not_implemented)
{
    graded_t g;
    golden_grade(&S305, &g, "student_stub", NULL);
    golden_expect_all(&S305, &g, "not_implemented", 0, "student_stub");
    /* student_stub holds CS236's and STA414's files too: ignored, never
     * built */
    cr_expect(strstr(json_str(g.doc, "output"), "vae_elbo.c") != NULL &&
              strstr(json_str(g.doc, "output"), "other files ignored") != NULL,
              "%s", json_str(g.doc, "output"));
    graded_free(&g);
}

/* vaegrade list --assignment stats305c-hw6: its 16 checks. */
Test(grader_stats305c, list)
{
    graded_t g;
    grader_run(&g, "list --assignment stats305c-hw6");
    cr_assert_eq(g.status, 0, "%s", g.out);
    const char *ids[] = { "1.1-gd-iterates", "1.3-my-optimizer",
                          "2.5-classifier-training", "3.8-elbo-short-run" };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        cr_expect(strstr(g.out, ids[i]) != NULL, "%s not listed:\n%s", ids[i], g.out);
    cr_expect(strstr(g.out, "kl-normal") == NULL, "CS236's checks listed:\n%s", g.out);
    graded_free(&g);
}

/* A correct submission written apart from the reference: 100 at ten
 * seeds (each replaces every check's seeds: inputs, models, noise). */
Test(grader_stats305c, correct_alt_ten_seeds)
{
    static const char *seeds[] = { "1", "2", "3", "305", "3051", "99991",
                                   "123456789", "2718281828", "31415926535",
                                   "9007199254740991" };
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char extra[64], what[96];
        snprintf(extra, sizeof extra, "--seed %s", seeds[i]);
        snprintf(what, sizeof what, "s305_correct_alt --seed %s", seeds[i]);
        graded_t g;
        golden_grade(&S305, &g, SUBMISSIONS "/s305_correct_alt", extra);
        golden_expect_all(&S305, &g, "passed", 100, what);
        graded_free(&g);
    }
}

Test(grader_stats305c, zeros) { golden_against_expected(&S305, "s305_zeros"); }
Test(grader_stats305c, gd_step_lr_a) { golden_against_expected(&S305, "s305_gd_step_lr_a"); }
Test(grader_stats305c, gd_losses_behind) { golden_against_expected(&S305, "s305_gd_losses_behind"); }
Test(grader_stats305c, my_opt_lr_small) { golden_against_expected(&S305, "s305_my_opt_lr_small"); }
Test(grader_stats305c, bce_sign) { golden_against_expected(&S305, "s305_bce_sign"); }
Test(grader_stats305c, bce_naive_log_sigmoid) { golden_against_expected(&S305, "s305_bce_naive_log_sigmoid"); }
Test(grader_stats305c, cls_no_relu_grad) { golden_against_expected(&S305, "s305_cls_no_relu_grad"); }
Test(grader_stats305c, kl_logvar_as_logstd) { golden_against_expected(&S305, "s305_kl_logvar_as_logstd"); }
Test(grader_stats305c, bern_naive_log_sigmoid) { golden_against_expected(&S305, "s305_bern_naive_log_sigmoid"); }
Test(grader_stats305c, terms_no_kl) { golden_against_expected(&S305, "s305_terms_no_kl"); }
Test(grader_stats305c, elbo_batch_sum) { golden_against_expected(&S305, "s305_elbo_batch_sum"); }
Test(grader_stats305c, elbo_not_reparameterised) { golden_against_expected(&S305, "s305_elbo_not_reparameterised"); }
