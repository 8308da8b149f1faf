/* test_hidden.c: the official grade's hidden twins and the grader's
 * version, through the release vaegrade. The default profile keeps its
 * 100 visible points and adds 25 hidden ones that name no seed; the hidden
 * profile gives every twin seeds of its own, none public; a local grade
 * runs nothing hidden and tells no number or seed of it; with --hidden the
 * stub scores 0 and a one-mistake file loses the twin of the check it
 * fails; the profile's twin rules are refused with clear messages;
 * --version and the release stamp. The reference's full --hidden grade is
 * test_models.c's. No .timeout: see test_submissions.c. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grader_run.h"

#define DEFAULT_PROFILE "grader/profiles/default.json"
#define HIDDEN_PROFILE "fixtures/hidden/profile.json"
#define CORRECT SUBMISSIONS "/correct"

static cJSON *read_json(const char *path)
{
    char *text = read_text_file(path);
    cr_assert_not_null(text, "cannot read %s", path);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc, "%s is not valid JSON", path);
    return doc;
}

static const cJSON *entry(const cJSON *prof, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(prof, "checks"))
        if (strcmp(json_str(c, "id"), id) == 0)
            return c;
    return NULL;
}

static int is_hidden(const cJSON *c)
{
    return strcmp(json_str(c, "visibility"), "hidden") == 0;
}

/* Every seed a public profile names (the shipped one and the suite's). */
static int public_seed(double s)
{
    static const char *const profiles[] = {
        DEFAULT_PROFILE, "tests/grader/profile.json", "tests/grader/profile_models.json",
    };
    int found = 0;
    for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
        cJSON *p = read_json(profiles[i]);
        const cJSON *c, *x;
        cJSON_ArrayForEach(x, cJSON_GetObjectItem(cJSON_GetObjectItem(p, "defaults"), "seeds"))
            found |= x->valuedouble == s;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(p, "checks"))
            cJSON_ArrayForEach(x, cJSON_GetObjectItem(c, "seeds"))
                found |= x->valuedouble == s;
        cJSON_Delete(p);
    }
    return found;
}

/* The default profile: 100 visible points as before, 25 hidden (20% of
 * 125) on twins of every part's checks, no hidden seed or knob in it; the
 * hidden profile gives each twin as many seeds as its visible twin (so the
 * same per-case false-fail rates) and the same knobs, none public. */
Test(grader_hidden, default_profile_twins)
{
    static const char *const covered[] = {
        "1.1-sample-gaussian-moments", "1.4-kl-normal-values", "2.1-log-normal-values",
        "2.3-mixture-values", "3.1-log-mean-exp-values", "1.9-vae-elbo-value",
        "2.8-gmvae-elbo-value", "4.1-ssvae-elbo-value", "3.4-vae-iwae", "3.5-gmvae-iwae",
        "1.14-vae-short-run", "2.13-gmvae-short-run", "4.6-ssvae-short-run-accuracy",
    };
    cJSON *prof = read_json(DEFAULT_PROFILE), *hid = read_json(HIDDEN_PROFILE);
    double visible = 0, hidden = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(prof, "checks")) {
        if (cJSON_IsTrue(cJSON_GetObjectItem(c, "bonus")))
            continue;
        *(is_hidden(c) ? &hidden : &visible) += json_num(c, "points");
    }
    /* Points are small integers: the sums are exact. */
    cr_expect_eq(visible, 100, "visible points %g", visible);
    cr_expect_eq(hidden, 25, "hidden points %g", hidden);
    for (size_t i = 0; i < sizeof covered / sizeof covered[0]; i++) {
        int twins = 0;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(prof, "checks"))
            twins += is_hidden(c) && strcmp(json_str(c, "check"), covered[i]) == 0;
        cr_expect_eq(twins, 1, "%s has %d hidden twins", covered[i], twins);
    }
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(prof, "checks")) {
        if (!is_hidden(c))
            continue;
        const char *id = json_str(c, "id");
        cr_expect(!cJSON_GetObjectItem(c, "seeds") && !cJSON_GetObjectItem(c, "params"),
                  "%s: hidden seeds or knobs in the shipped profile", id);
        const cJSON *h = entry(hid, id), *twin = entry(prof, json_str(c, "check"));
        cr_assert_not_null(h, "%s: not in %s", id, HIDDEN_PROFILE);
        cr_assert_not_null(twin, "%s: no visible twin", id);
        const cJSON *ts = cJSON_GetObjectItem(twin, "seeds");
        int n_twin = ts ? cJSON_GetArraySize(ts) : 1;
        cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(h, "seeds")), n_twin,
                     "%s: as many seeds as its twin", id);
        char *a = cJSON_PrintUnformatted(cJSON_GetObjectItem(twin, "params"));
        char *b = cJSON_PrintUnformatted(cJSON_GetObjectItem(h, "params"));
        cr_expect((!a && !b) || (a && b && strcmp(a, b) == 0),
                  "%s: params %s, its twin's %s", id, b ? b : "none", a ? a : "none");
        free(a);
        free(b);
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(h, "seeds")) {
            cr_expect(s->valuedouble >= 1048576, "%s: seed %.17g is small", id,
                      s->valuedouble);
            cr_expect(!public_seed(s->valuedouble), "%s: seed %.17g is public", id,
                      s->valuedouble);
        }
    }
    cJSON_Delete(prof);
    cJSON_Delete(hid);
}

/* A local grade of the stub: every hidden twin listed with its points,
 * scored 0, "graded after submission", shown after the due date, with no
 * seed and no digit in what it says, and no hidden seed anywhere in the
 * results; the total says what the official grade adds. */
Test(grader_hidden, local_grade_tells_nothing)
{
    graded_t g;
    grader_run(&g, "grade student_stub");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cJSON *hid = read_json(HIDDEN_PROFILE);
    char *results = read_text_file(g.json_path);
    cr_assert_not_null(results);
    int twins = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
        const char *id = json_str(x, "id");
        if (!entry(hid, id))
            continue;
        twins++;
        cr_expect_str_eq(json_str(x, "outcome"), "skipped", "%s", id);
        cr_expect_eq(json_num(t, "score"), 0, "%s", id);
        cr_expect(json_num(t, "max_score") > 0 || cJSON_IsTrue(cJSON_GetObjectItem(x, "bonus")),
                  "%s: its points are listed", id);
        cr_expect_str_eq(json_str(t, "visibility"), "after_due_date", "%s", id);
        cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(x, "seeds")), 0,
                     "%s: seeds told before the official grade", id);
        const char *out = json_str(t, "output");
        cr_expect(strstr(out, "graded after submission") != NULL, "%s: %s", id, out);
        for (const char *p = out; *p; p++)
            cr_expect(!isdigit((unsigned char)*p), "%s: a number in \"%s\"", id, out);
    }
    cr_expect_eq(twins, cJSON_GetArraySize(cJSON_GetObjectItem(hid, "checks")),
                 "every hidden check is listed");
    const cJSON *h, *s;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(hid, "checks"))
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(h, "seeds")) {
            char digits[32];
            snprintf(digits, sizeof digits, "%.0f", s->valuedouble);
            cr_expect(strstr(results, digits) == NULL, "hidden seed %s in the results",
                      digits);
        }
    cr_expect(strstr(g.out, "Total 0 / 100") &&
              strstr(g.out, "(+ 25 and 1 bonus graded after submission)"), "%s", g.out);
    free(results);
    cJSON_Delete(hid);
    graded_free(&g);
}

/* The official grade of the stub: every twin runs and is not implemented. */
Test(grader_hidden, stub_hidden_zero)
{
    graded_t g;
    grader_run(&g, "grade student_stub --hidden");
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc);
    cr_expect_eq(json_num(g.doc, "score"), 0);
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(g.doc, "tests")) {
        const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
        cr_expect_str_eq(json_str(x, "outcome"), "not_implemented", "%s", json_str(x, "id"));
    }
    cr_expect(strstr(g.out, "Total 0 / 125") != NULL, "%s", g.out);
    graded_free(&g);
}

/* One mistake costs the visible check and its hidden twin alike: a KL
 * off by 2 (utils.c) and a bound without its KL (vae.c); the checks they
 * do not touch keep their points. */
Test(grader_hidden, mutant_loses_twin)
{
    static const struct { const char *sub, *lost, *kept; } cases[] = {
        { "kl_factor2", "1.4-kl-normal-values", "2.1-log-normal-values" },
        { "vae_no_kl", "1.9-vae-elbo-value", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[1024];
        snprintf(args, sizeof args, "grade %s/%s --hidden --only %s,H%s%s%s%s%s",
                 SUBMISSIONS, cases[i].sub, cases[i].lost, cases[i].lost,
                 cases[i].kept ? "," : "", cases[i].kept ? cases[i].kept : "",
                 cases[i].kept ? ",H" : "", cases[i].kept ? cases[i].kept : "");
        graded_t g;
        grader_run(&g, args);
        cr_assert_eq(g.status, 0, "%s", g.out);
        cr_assert_not_null(g.doc);
        char twin[128];
        snprintf(twin, sizeof twin, "H%s", cases[i].lost);
        const cJSON *v = graded_test(&g, cases[i].lost), *h = graded_test(&g, twin);
        cr_assert(v && h, "%s: both graded", cases[i].sub);
        cr_expect(json_num(v, "score") < json_num(v, "max_score"), "%s: %s kept its points",
                  cases[i].sub, cases[i].lost);
        cr_expect(json_num(h, "score") < json_num(h, "max_score"), "%s: %s kept its points:\n%s",
                  cases[i].sub, twin, json_str(h, "output"));
        if (cases[i].kept) {
            snprintf(twin, sizeof twin, "H%s", cases[i].kept);
            cr_expect_eq(json_num(graded_test(&g, cases[i].kept), "score"),
                         json_num(graded_test(&g, cases[i].kept), "max_score"));
            cr_expect_eq(json_num(graded_test(&g, twin), "score"),
                         json_num(graded_test(&g, twin), "max_score"));
        }
        graded_free(&g);
    }
}

/* Writes text to dir/name; returns the path in path. */
static void put(char *path, size_t cap, const char *dir, const char *name, const char *text)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* vaegrade list on a profile (and a hidden one): exit 2, message. */
static void refused(const char *dir, const char *profile, const char *hidden,
                    const char *message)
{
    char prof[400], over[400], args[1200];
    put(prof, sizeof prof, dir, "p.json", profile);
    if (hidden)
        put(over, sizeof over, dir, "h.json", hidden);
    snprintf(args, sizeof args, "list --profile %s%s%s", prof,
             hidden ? " --hidden --hidden-profile " : "", hidden ? over : "");
    graded_t g;
    grader_run(&g, args);
    cr_expect_eq(g.status, 2, "%s: exit %d", message, g.status);
    cr_expect(strstr(g.out, message) != NULL, "expected \"%s\" in:\n%s", message, g.out);
    graded_free(&g);
}

#define PROFILE_OF(checks) "{\"vaegrade_profile\": 1, \"checks\": [" checks "]}"
#define VISIBLE_14 "{\"id\": \"1.4-kl-normal-values\", \"points\": 3, \"seeds\": [5]}"
#define TWIN_14 "{\"id\": \"H1.4\", \"check\": \"1.4-kl-normal-values\", \"points\": 1, " \
                "\"visibility\": \"hidden\"}"

/* The twin rules, each refused with a message naming what is wrong. */
Test(grader_hidden, profile_twin_rules)
{
    graded_t d;
    grader_run(&d, "list");
    refused(d.dir, PROFILE_OF("{\"id\": \"H9\", \"check\": \"9.9-nothing\", \"points\": 1}"),
            NULL, "no check \"9.9-nothing\" in the catalogue");
    refused(d.dir, PROFILE_OF(VISIBLE_14 ", {\"id\": \"1.5-kl-normal-identity\", "
                              "\"check\": \"1.4-kl-normal-values\", \"points\": 1}"),
            NULL, "needs an id of its own");
    refused(d.dir, PROFILE_OF(VISIBLE_14 "," TWIN_14 "," TWIN_14), NULL,
            "\"H1.4\" is listed twice");
    refused(d.dir, PROFILE_OF("{\"id\": \"H 1.4\", \"check\": \"1.4-kl-normal-values\", "
                              "\"points\": 1}"), NULL, "must be 1 to 63 letters");
    refused(d.dir, PROFILE_OF("{\"id\": \"H1.4\", \"check\": 14, \"points\": 1}"), NULL,
            "\"check\" must be the id of a catalogue check");
    refused(d.dir, PROFILE_OF(VISIBLE_14 ", {\"id\": \"H1.4\", \"check\": "
                              "\"1.4-kl-normal-values\", \"points\": 1, \"visibility\": "
                              "\"hidden\", \"seeds\": [77]}"),
            NULL, "a hidden check takes its \"seeds\" and \"params\" from the hidden profile");
    refused(d.dir, PROFILE_OF(VISIBLE_14 "," TWIN_14), "{\"checks\": []}",
            "gives hidden check H1.4 no seeds");
    refused(d.dir, PROFILE_OF(VISIBLE_14 "," TWIN_14),
            "{\"checks\": [{\"id\": \"H1.4\", \"seeds\": [5]}]}",
            "hidden check H1.4's seed 5 is also a public seed (of 1.4-kl-normal-values)");
    refused(d.dir, PROFILE_OF(VISIBLE_14 "," TWIN_14),
            "{\"checks\": [{\"id\": \"1.4-kl-normal-values\", \"seeds\": [6]}]}",
            "is not hidden in the profile");
    graded_free(&d);
}

/* The twin as graded: its own id, number and points, its check's task,
 * the hidden profile's seed, and "check" naming what it runs. */
Test(grader_hidden, twin_graded_with_hidden_seed)
{
    graded_t d;
    grader_run(&d, "list");
    char prof[400], over[400], args[1200];
    put(prof, sizeof prof, d.dir, "p.json", PROFILE_OF(VISIBLE_14 "," TWIN_14));
    put(over, sizeof over, d.dir, "h.json", "{\"checks\": [{\"id\": \"H1.4\", \"seeds\": [4242]}]}");
    snprintf(args, sizeof args, "grade " CORRECT " --profile %s --hidden --hidden-profile %s",
             prof, over);
    graded_t g;
    grader_run(&g, args);
    cr_assert_eq(g.status, 0, "%s", g.out);
    const cJSON *t = graded_test(&g, "H1.4");
    cr_assert_not_null(t, "%s", g.out);
    const cJSON *x = cJSON_GetObjectItem(t, "extra_data");
    cr_expect_eq(json_num(t, "score"), 1, "%s", json_str(t, "output"));
    cr_expect_str_eq(json_str(t, "number"), "H1.4");
    cr_expect_str_eq(json_str(x, "check"), "1.4-kl-normal-values");
    const cJSON *seeds = cJSON_GetObjectItem(x, "seeds");
    cr_expect(cJSON_GetArraySize(seeds) == 1 && cJSON_GetArrayItem(seeds, 0)->valuedouble == 4242);
    cr_expect_eq(json_num(g.doc, "score"), 4, "3 visible + 1 hidden");
    graded_free(&g);
    graded_free(&d);
}

/* The version line is VERSION's text; the hash is of the profile's bytes
 * (one more byte, another hash) and is what the results carry. */
Test(grader_hidden, version_and_profile_hash)
{
    char *version = read_text_file("VERSION");
    cr_assert_not_null(version);
    version[strcspn(version, "\n")] = '\0';
    graded_t v;
    grader_run(&v, "--version");
    cr_assert_eq(v.status, 0, "%s", v.out);
    char want[128], hash[33] = "";
    snprintf(want, sizeof want, "vaegrade %s\n", version);
    cr_expect(strncmp(v.out, want, strlen(want)) == 0, "%s", v.out);
    const char *h = strstr(v.out, "profile_hash ");
    cr_assert_not_null(h, "%s", v.out);
    cr_assert_eq(sscanf(h, "profile_hash %32[0-9a-f]", hash), 1);
    cr_expect_eq(strlen(hash), 32);
    cr_expect(strstr(v.out, "CS236 HW2 default") != NULL, "%s", v.out);

    char cmd[1200], args[1200];
    snprintf(cmd, sizeof cmd, "cp " DEFAULT_PROFILE " %s/p.json && echo >> %s/p.json",
             v.dir, v.dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(args, sizeof args, "--version --profile %s/p.json", v.dir);
    graded_t w;
    grader_run(&w, args);
    cr_expect(strstr(w.out, "profile_hash ") && !strstr(w.out, hash),
              "a changed profile keeps its hash:\n%s", w.out);
    graded_free(&w);

    graded_t g;
    grader_run(&g, "grade " CORRECT " --only 1.5-kl-normal-identity");
    cr_assert_not_null(g.doc, "%s", g.out);
    const cJSON *x = cJSON_GetObjectItem(g.doc, "extra_data");
    cr_expect_str_eq(json_str(x, "vaegrade_version"), version);
    cr_expect_str_eq(json_str(x, "profile_hash"), hash);
    graded_free(&g);
    grader_run(&g, "grade " CORRECT " --only 1.5-kl-normal-identity --format prairielearn");
    cr_assert_not_null(g.doc, "%s", g.out);
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(g.doc, "extra_data"), "profile_hash"), hash);
    graded_free(&g);
    graded_free(&v);
    free(version);
}

/* Grades a copy of the correct utils.c with stamp (NULL: none; a leading
 * '@' makes it a symbolic link to that path) and returns its release note
 * ("" when none), after checking that the score is the same. */
static char *grade_stamped(const char *stamp)
{
    graded_t d;
    grader_run(&d, "list");
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/sub && cp " CORRECT "/utils.c %s/sub/",
             d.dir, d.dir);
    cr_assert_eq(system(cmd), 0);
    char path[400], sub[300];
    snprintf(sub, sizeof sub, "%s/sub", d.dir);
    if (stamp && stamp[0] == '@') {
        snprintf(cmd, sizeof cmd, "ln -s %s %s/vaegrade-release", stamp + 1, sub);
        cr_assert_eq(system(cmd), 0);
    } else if (stamp) {
        put(path, sizeof path, sub, "vaegrade-release", stamp);
    }
    char args[1200];
    snprintf(args, sizeof args, "grade %s --only 1.5-kl-normal-identity", sub);
    graded_t g;
    grader_run(&g, args);
    cr_assert_eq(g.status, 0, "%s", g.out);
    cr_assert_not_null(g.doc, "%s", g.out);
    cr_expect_eq(json_num(g.doc, "score"), 1, "a stamp changes no score");
    char *note = strdup(json_str(cJSON_GetObjectItem(g.doc, "extra_data"), "release_note"));
    cr_expect(!note[0] || (strstr(json_str(g.doc, "output"), note) && strstr(g.out, note)),
              "the note is in the output and the report:\n%s", g.out);
    graded_free(&g);
    graded_free(&d);
    return note;
}

/* The release stamp: the same release says nothing; another says which
 * release the student used and which grades; garbage (other text, too
 * long, binary, a link) is ignored with a note, never a crash. */
Test(grader_hidden, release_stamp)
{
    graded_t s;
    grader_run(&s, "stamp");
    cr_assert_eq(s.status, 0, "%s", s.out);
    char *same = grade_stamped(s.out);
    cr_expect_str_eq(same, "", "the same release: no note");
    free(same);
    char *none = grade_stamped(NULL);
    cr_expect_str_eq(none, "");
    free(none);
    char *other = grade_stamped("version 0.1.0\nprofile 00112233445566778899aabbccddeeff\n");
    cr_expect(strstr(other, "You graded locally with release 0.1.0 (profile "
                     "00112233445566778899aabbccddeeff); this grade uses") != NULL, "%s", other);
    free(other);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *garbage[] = {
        "hello\n", big, "version 0.9.0\nprofile 0011\n",
        "version 0.9.0\nprofile 00112233445566778899aabbccddeeff\nextra\n",
        "version \x1b[31m\nprofile 00112233445566778899aabbccddeeff\n", "@/etc/passwd",
    };
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        char *n = grade_stamped(garbage[i]);
        cr_expect(strstr(n, "is not a release stamp") != NULL, "garbage %zu: %s", i, n);
        free(n);
    }
    graded_free(&s);
}
