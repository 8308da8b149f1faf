/* expected_match.c: the golden runs' comparison (expected_match.h). */
#include "expected_match.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *expected_load(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "tests/grader/expected/%s.json", name);
    char *text = read_text_file(path);
    cr_assert_not_null(text, "cannot read %s", path);
    cJSON *exp = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(exp, "%s is not valid JSON", path);
    return exp;
}

/* Each fragment of exp[key] (check id -> list of strings) must (want = 1)
 * or must not (want = 0) stand in that check's output. */
static void match_fragments(const graded_t *g, const cJSON *exp, const char *key,
                            int want, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(exp, key)) {
        const cJSON *t = graded_test(g, c->string);
        cr_assert_not_null(t, "%s: no check %s for its %s", name, c->string, key);
        const char *out = json_str(t, "output");
        const cJSON *m;
        cJSON_ArrayForEach(m, c) {
            if (want)
                cr_expect(strstr(out, m->valuestring) != NULL,
                          "%s: %s's output lacks \"%s\":\n%s", name, c->string,
                          m->valuestring, out);
            else
                cr_expect(strstr(out, m->valuestring) == NULL,
                          "%s: %s's output says \"%s\", which it must not:\n%s",
                          name, c->string, m->valuestring, out);
        }
    }
}

void expected_match(const graded_t *g, const cJSON *exp, const char *name)
{
    const cJSON *checks = cJSON_GetObjectItemCaseSensitive(exp, "checks");
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g->doc, "tests");
    cr_assert_eq(cJSON_GetArraySize(tests), cJSON_GetArraySize(checks),
                 "%s: %d checks graded, %d expected", name,
                 cJSON_GetArraySize(tests), cJSON_GetArraySize(checks));
    const cJSON *c;
    cJSON_ArrayForEach(c, checks) {
        const cJSON *t = graded_test(g, c->string);
        cr_assert_not_null(t, "%s: check %s not in the results", name, c->string);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), json_str(c, "outcome"),
                         "%s: %s is %s, expected %s:\n%s", name, c->string,
                         json_str(x, "outcome"), json_str(c, "outcome"),
                         json_str(t, "output"));
        cr_expect_eq(json_num(t, "score"), json_num(c, "score"),
                     "%s: %s scores %g, expected %g", name, c->string,
                     json_num(t, "score"), json_num(c, "score"));
    }
    cr_expect_eq(json_num(g->doc, "score"), json_num(exp, "score"),
                 "%s: total %g, expected %g", name, json_num(g->doc, "score"),
                 json_num(exp, "score"));
    match_fragments(g, exp, "messages", 1, name);
    /* "absent": fragments a check's output must not hold (a hint whose
     * pattern the numbers do not show). */
    match_fragments(g, exp, "absent", 0, name);
}
