/* test_utils_checks.c: what the golden runs of test_submissions.c cannot
 * say with one seed: the correct utils.c files keep full marks at other
 * seeds (small, large, and the default profile's old 236), and `vaegrade
 * explain` derives the false-fail rate of each statistical utils check for
 * the profile's knobs. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grader_run.h"

/* Seeds of every size the profile accepts (up to 2^53 - 1). The property
 * checks are deterministic; the statistical ones (1.1, 1.2, 1.6) fail a
 * correct file with probability ~2e-5 per grade of the test profile, so
 * these runs are not expected to fail spuriously. */
static const char *const seeds[] = { "11", "236", "4242424242424242", "9007199254740991" };

static void full_marks_at_seeds(const char *submission)
{
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "grade %s/%s --profile " TEST_PROFILE " --seed %s",
                 SUBMISSIONS, submission, seeds[i]);
        graded_t g;
        grader_run(&g, args);
        cr_assert_eq(g.status, 0, "%s", g.out);
        cr_assert_not_null(g.doc, "%s", g.out);
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
            const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
            cr_expect_str_eq(json_str(x, "outcome"), "passed", "%s, seed %s, %s:\n%s",
                             submission, seeds[i], json_str(x, "id"),
                             json_str(t, "output"));
        }
        cr_expect_eq(json_num(g.doc, "score"), 35, "%s at seed %s", submission, seeds[i]);
        graded_free(&g);
    }
}

Test(grader_utils, correct_full_marks_at_other_seeds) { full_marks_at_seeds("correct"); }
Test(grader_utils, correct_alt_full_marks_at_other_seeds) { full_marks_at_seeds("correct_alt"); }

/* `vaegrade explain ID`, its lines joined (explain wraps its text, so a
 * figure may straddle a line break); malloc'd. */
static char *explain_text(const char *id)
{
    char args[128];
    snprintf(args, sizeof args, "explain %s", id);
    graded_t g;
    grader_run(&g, args);
    cr_assert_eq(g.status, 0, "%s", g.out);
    char *text = strdup(g.out ? g.out : "");
    graded_free(&g);
    cr_assert_not_null(text);
    size_t w = 0;
    for (size_t r = 0; text[r]; r++)
        if (!isspace((unsigned char)text[r]) || (w > 0 && text[w - 1] != ' '))
            text[w++] = isspace((unsigned char)text[r]) ? ' ' : text[r];
    text[w] = '\0';
    return text;
}

/* explain prints the rate computed for the profile's knobs: with the
 * default profile's n = 64 and bound 5, 1.2's noise test fails real noise
 * with probability P(|Z| > 5) + P(chi2_64 outside [22.13, 137.8]) =
 * 5.73e-7 + 4.80e-7 (the chi2 part checked against a 50-digit sum). */
Test(grader_utils, explain_derives_rates)
{
    char *t = explain_text("1.2-sample-gaussian-scaling");
    cr_expect(strstr(t, "probability 4.80e-07") != NULL, "%s", t);
    cr_expect(strstr(t, "1.05e-06 per seed") != NULL, "%s", t);
    free(t);
    t = explain_text("1.1-sample-gaussian-moments");
    cr_expect(strstr(t, "6.88e-06 per seed, 1.38e-05 over the 2 seeds") != NULL, "%s", t);
    free(t);
    t = explain_text("1.6-kl-normal-monte-carlo");
    cr_expect(strstr(t, "1.72e-06 per seed") != NULL, "%s", t);
    free(t);
    /* The property checks are deterministic, and say so. */
    static const char *const exact[] = { "1.3-sample-gaussian-determinism",
                                         "1.5-kl-normal-identity",
                                         "2.5-mixture-permutation" };
    for (size_t i = 0; i < 3; i++) {
        t = explain_text(exact[i]);
        cr_expect(strstr(t, "no false fails") != NULL, "%s:\n%s", exact[i], t);
        free(t);
    }
}
