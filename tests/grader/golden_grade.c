/* golden_grade.c: grading an assignment's golden submissions
 * (golden_grade.h). */
#include "golden_grade.h"

#include <criterion/criterion.h>
#include <stdio.h>

#include "expected_match.h"

void golden_grade(const golden_t *a, graded_t *g, const char *dir,
                  const char *extra)
{
    char args[1024];
    snprintf(args, sizeof args, "grade %s --assignment %s --jobs 2%s%s", dir,
             a->assignment, extra ? " " : "", extra ? extra : "");
    grader_run(g, args);
    cr_assert_eq(g->status, 0, "%s: vaegrade exited %d:\n%s", dir, g->status,
                 g->out ? g->out : "");
    cr_assert_not_null(g->doc, "%s: results.json missing or not valid JSON", dir);
}

void golden_expect_all(const golden_t *a, const graded_t *g,
                       const char *outcome, double score, const char *what)
{
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g->doc, "tests");
    cr_expect_eq(cJSON_GetArraySize(tests), a->n_checks, "%s: %d checks", what,
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

void golden_against_expected(const golden_t *a, const char *name)
{
    cJSON *exp = expected_load(name);
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(exp, "submission");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/%s", SUBMISSIONS,
             cJSON_IsString(sub) ? sub->valuestring : name);
    graded_t g;
    golden_grade(a, &g, dir, NULL);
    expected_match(&g, exp, name);
    cJSON_Delete(exp);
    graded_free(&g);
}
