/* test_assignments.c: an assignment as a thing the grader is given
 * (--assignment, grader/main/assignments.c). sysu-hw4, a profile over
 * CS236's problem 1: the reference gets its 100 visible points, the stubs 0
 * with every check "not implemented", and a file it does not ask for is
 * ignored, never "not found"; `list` shows exactly its profile's checks.
 * An unknown name is a usage error that names the known ones, and a grade
 * still writes a valid results file. cs236-hw2 stays the default, and the
 * results say which assignment was graded. No .timeout: see
 * test_submissions.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grader_run.h"

#define SYSU_PROFILE "grader/profiles/sysu-hw4.json"

static const char *assignment_of(const graded_t *g)
{
    return json_str(cJSON_GetObjectItemCaseSensitive(g->doc, "extra_data"), "assignment");
}

/* The ids of a profile file's checks, in a cJSON array of strings. */
static cJSON *profile_ids(const char *path)
{
    char *text = read_text_file(path);
    cr_assert_not_null(text, "cannot read %s", path);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc, "%s is not valid JSON", path);
    cJSON *ids = cJSON_CreateArray();
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "checks"))
        cJSON_AddItemToArray(ids, cJSON_CreateString(json_str(c, "id")));
    cJSON_Delete(doc);
    return ids;
}

/* make grade-reference ASSIGNMENT=sysu-hw4: its own default profile, 100
 * visible points, every visible check passed; its hidden twins listed for
 * after submission. */
Test(grader_assignments, sysu_reference_full_marks)
{
    graded_t g;
    grader_run(&g, "grade reference --assignment sysu-hw4 --jobs 2");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect_str_eq(assignment_of(&g), "sysu-hw4");
    cr_expect_eq(json_num(g.doc, "score"), 100, "%s", g.out);
    cJSON *ids = profile_ids(SYSU_PROFILE);
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g.doc, "tests");
    cr_expect_eq(cJSON_GetArraySize(tests), cJSON_GetArraySize(ids),
                 "every entry of the profile and no other:\n%s", g.out);
    double visible = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        const char *id = json_str(x, "id");
        if (id[0] == 'H') {
            cr_expect_eq(json_num(t, "score"), 0, "%s is graded after submission", id);
            continue;
        }
        visible += json_num(t, "max_score");
        cr_expect_str_eq(json_str(x, "outcome"), "passed", "%s:\n%s", id,
                         json_str(t, "output"));
    }
    cr_expect_eq(visible, 100, "the visible checks make 100 points");
    /* Its students write utils.c and vae.c: no other file is reported. */
    cr_expect(strstr(g.out, "utils.c") && strstr(g.out, "vae.c"), "%s", g.out);
    cr_expect(!strstr(g.out, "gmvae.c") && !strstr(g.out, "ssvae.c") &&
              !strstr(g.out, "fsvae.c"), "only the files it asks for:\n%s", g.out);
    cr_expect(!strstr(json_str(g.doc, "output"), "not found"),
              "%s", json_str(g.doc, "output"));
    cJSON_Delete(ids);
    graded_free(&g);
}

/* The stubs: 0 points, every visible check "not implemented". */
Test(grader_assignments, sysu_stubs_not_implemented)
{
    graded_t g;
    grader_run(&g, "grade student_stub --assignment sysu-hw4 --jobs 2");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect_eq(json_num(g.doc, "score"), 0, "%s", g.out);
    int n = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g.doc, "tests")) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        const char *id = json_str(x, "id");
        if (id[0] == 'H')
            continue;
        cr_expect_str_eq(json_str(x, "outcome"), "not_implemented", "%s:\n%s", id,
                         json_str(t, "output"));
        n++;
    }
    cr_expect_eq(n, 14, "problem 1's 14 visible checks");
    /* student_stub holds CS236's five files, sta414-a3's three
     * (student_stub/sta414-a3/) and stats305c-hw6's five
     * (student_stub/stats305c-hw6/): the eleven it does not ask for are
     * ignored, not built. */
    cr_expect(strstr(json_str(g.doc, "output"), "11 other files ignored") != NULL,
              "%s", json_str(g.doc, "output"));
    graded_free(&g);
}

/* vaegrade list --assignment sysu-hw4: exactly its profile's checks. */
Test(grader_assignments, sysu_list_is_its_profile)
{
    graded_t g;
    grader_run(&g, "list --assignment sysu-hw4");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cJSON *ids = profile_ids(SYSU_PROFILE);
    const cJSON *id;
    cJSON_ArrayForEach(id, ids) {
        char line[128];
        snprintf(line, sizeof line, "\n%s ", id->valuestring);
        cr_expect(strstr(g.out, line) != NULL, "%s not listed:\n%s", id->valuestring, g.out);
    }
    int lines = 0;
    for (const char *p = g.out; (p = strchr(p, '\n')); p++)
        lines++;
    /* The header, one line a check, the total. */
    cr_expect_eq(lines, cJSON_GetArraySize(ids) + 2, "nothing else listed:\n%s", g.out);
    cr_expect(!strstr(g.out, "not in profile"), "%s", g.out);
    cr_expect(strstr(g.out, "total 100 points") != NULL, "%s", g.out);
    cJSON_Delete(ids);
    graded_free(&g);
}

/* explain takes a check's number as --only does, and its replay line names
 * the assignment when it is not the default. */
Test(grader_assignments, explain_by_number_names_the_assignment)
{
    graded_t g;
    grader_run(&g, "explain 1.4");
    cr_expect_eq(g.status, 0, "%s", g.out);
    cr_expect(strncmp(g.out, "1.4-kl-normal-values:", 21) == 0, "%s", g.out);
    cr_expect(strstr(g.out, "Replay: vaegrade grade DIR --only 1.4-kl-normal-values") != NULL,
              "%s", g.out);
    graded_free(&g);
    grader_run(&g, "explain 1.9 --assignment sysu-hw4");
    cr_expect_eq(g.status, 0, "%s", g.out);
    cr_expect(strstr(g.out, "--assignment sysu-hw4 --only 1.9-") != NULL, "%s", g.out);
    graded_free(&g);
    grader_run(&g, "explain 9.99");
    cr_expect_neq(g.status, 0, "%s", g.out);
    graded_free(&g);
}

/* An unknown name: exit 1 (a usage error, like an unknown check id), the
 * known names said; a grade writes its results file anyway, valid, score 0,
 * with the reason, as whenever grading cannot start. */
Test(grader_assignments, unknown_assignment_is_named)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/correct --assignment nope");
    cr_expect_eq(g.status, 1, "%s", g.out);
    cr_expect(strstr(g.out, "nope") && strstr(g.out, "cs236-hw2") &&
              strstr(g.out, "sysu-hw4"), "names the known ones:\n%s", g.out);
    cr_assert_not_null(g.doc, "results written anyway");
    cr_expect_eq(json_num(g.doc, "score"), 0);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g.doc, "tests")), 0);
    cr_expect(strstr(json_str(g.doc, "output"), "nope") != NULL, "%s",
              json_str(g.doc, "output"));
    graded_free(&g);
    const char *cmds[] = { "list --assignment nope", "explain 1.4 --assignment nope",
                           "--version --assignment nope", "grade x --assignment" };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        grader_run(&g, cmds[i]);
        cr_expect_eq(g.status, 1, "%s: %s", cmds[i], g.out);
        graded_free(&g);
    }
}

/* cs236-hw2 is the default, and its results say so. */
Test(grader_assignments, cs236_is_the_default)
{
    graded_t g, h;
    grader_run(&g, "grade " SUBMISSIONS "/correct --only 1.5");
    grader_run(&h, "grade " SUBMISSIONS "/correct --only 1.5 --assignment cs236-hw2");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_eq(h.status, 0, "%s", h.out);
    cr_expect_str_eq(assignment_of(&g), "cs236-hw2");
    cr_expect_str_eq(assignment_of(&h), "cs236-hw2");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(g.doc, "extra_data"), "profile"),
                     json_str(cJSON_GetObjectItem(h.doc, "extra_data"), "profile"));
    graded_free(&g);
    graded_free(&h);
    grader_run(&g, "list");
    cr_expect(strstr(g.out, "2.1-log-normal-values") != NULL, "%s", g.out);
    graded_free(&g);
}

/* sysu-hw4's official grade: its hidden profile
 * (fixtures/hidden/sysu-hw4/profile.json) gives every hidden twin its
 * seeds, and the reference passes them (the short run's twin, the slowest,
 * is left to the cs236 suite's test of the same check). */
Test(grader_assignments, sysu_hidden_twins)
{
    graded_t g;
    grader_run(&g, "list --assignment sysu-hw4 --hidden");
    cr_expect_eq(g.status, 0, "the hidden profile loads:\n%s", g.out);
    cr_expect(strstr(g.out, "124 in all") != NULL, "100 + 24 hidden:\n%s", g.out);
    graded_free(&g);
    grader_run(&g, "grade reference --assignment sysu-hw4 --hidden --only H1.1,H1.4,H1.9");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(g.doc, "tests")), 3, "%s", g.out);
    cr_expect_eq(json_num(g.doc, "score"), 18, "three twins of 6 points:\n%s", g.out);
    graded_free(&g);
}
