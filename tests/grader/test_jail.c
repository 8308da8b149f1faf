/* test_jail.c: the compile jail (grader/sandbox/jail.h) against a student who
 * reads the grader's files at compile time: `.incbin` and `.include` of
 * the reference, the golden values and the hidden data, by absolute path
 * and by paths relative to the compiler's directory and its -I, an
 * `#include` climbing out, and `__has_include` used to choose code. Each
 * utils.c is written here (the absolute paths are this checkout's), graded
 * on 3.3-log-sum-exp-values, and no byte of any secret may reach
 * results.json: a 16-byte chunk of each, raw and in hex (the attack prints
 * both), is looked for. The namespace tier's tests skip where the grader
 * reports another tier; the uid tier's run as root over a root of their
 * own whose secret directories are 0700 (or 0755, to see it refused). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grader_run.h"

#define CHECK "3.3-log-sum-exp-values"
#define NS_SAID "compile isolation: private mount namespace"

/* A correct log_sum_exp, named LSE_NAME. */
static const char *const lse =
    "double LSE_NAME(const double *x, size_t n)\n"
    "{\n"
    "    double m = -INFINITY, s = 0;\n"
    "    for (size_t i = 0; i < n; i++) m = x[i] > m ? x[i] : m;\n"
    "    if (!isfinite(m)) return m;\n"
    "    for (size_t i = 0; i < n; i++) s += exp(x[i] - m);\n"
    "    return m + log(s) + VG_SEEN;\n"
    "}\n";

/* What a leaking log_sum_exp adds: the bytes between the payload's labels
 * printed raw on stdout and in hex on stderr, then the correct value. */
static const char *const leak =
    "#define LSE_NAME lse_own\n"
    "static double lse_own(const double *x, size_t n);\n"
    "extern const unsigned char vg_leak[], vg_leak_end[];\n"
    "double log_sum_exp(const double *x, size_t n)\n"
    "{\n"
    "    fwrite(vg_leak, 1, (size_t)(vg_leak_end - vg_leak), stdout);\n"
    "    for (const unsigned char *p = vg_leak; p < vg_leak_end && p < vg_leak + 2048; p++)\n"
    "        fprintf(stderr, \"%02x\", *p);\n"
    "    return lse_own(x, n);\n"
    "}\n";

/* Writes utils.c (prefix, then the leak when it prints, then the correct
 * log_sum_exp) into a fresh directory, returned in dir. A prefix may
 * define VG_SEEN (added to the value). */
static void write_submission(char *dir, size_t cap, const char *prefix, int prints)
{
    snprintf(dir, cap, "/tmp/vg-jail-sub.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    chmod(dir, 0755);
    char path[300];
    snprintf(path, sizeof path, "%s/utils.c", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "#include <math.h>\n#include <stdio.h>\n#include \"assignment.h\"\n%s\n"
            "#ifndef VG_SEEN\n#define VG_SEEN 0\n#endif\n%s%s%s",
            prefix, prints ? leak : "", prints ? "" : "#define LSE_NAME log_sum_exp\n", lse);
    fclose(f);
}

static void remove_dir(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_expect_eq(system(cmd), 0);
}

static void hex(char *out, const unsigned char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* No 16-byte chunk of the secret at rel (at its start, middle and end
 * thirds, raw when printable, and in hex) is in the results file. */
static void assert_no_bytes(const graded_t *g, const char *rel)
{
    FILE *f = fopen(rel, "rb");
    cr_assert_not_null(f, "cannot read the secret %s", rel);
    unsigned char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    cr_assert_gt(n, 64, "%s is too short to test", rel);
    char *results = read_text_file(g->json_path);
    cr_assert_not_null(results, "no results.json");
    size_t offs[] = { 0, n / 3, n / 2 };
    for (size_t k = 0; k < 3; k++) {
        const unsigned char *c = buf + offs[k];
        char h[40], raw[17];
        hex(h, c, 16);
        cr_expect(strstr(results, h) == NULL, "the bytes of %s at %zu (hex) are in "
                  "results.json", rel, offs[k]);
        int printable = 1;
        for (size_t i = 0; i < 16; i++)
            printable &= c[i] >= 'a' && c[i] <= 'z';
        memcpy(raw, c, 16);
        raw[16] = '\0';
        if (printable)
            cr_expect(strstr(results, raw) == NULL, "\"%s\" of %s is in results.json",
                      raw, rel);
    }
    free(results);
}

/* Grades dir on the one check with extra options. */
static void grade(graded_t *g, const char *dir, const char *opts)
{
    char args[1024];
    snprintf(args, sizeof args, "grade %s --profile %s --only %s %s", dir,
             TEST_PROFILE, CHECK, opts);
    grader_run(g, args);
    cr_assert_not_null(g->doc, "results.json missing or not valid JSON:\n%s", g->out);
}

static const char *outcome(const graded_t *g)
{
    const cJSON *t = graded_test(g, CHECK);
    return json_str(cJSON_GetObjectItemCaseSensitive(t, "extra_data"), "outcome");
}

/* One attack in the namespace tier: refused (the path is not there) or
 * built without the bytes; never a byte of the secret in the results. */
static void attack(const char *payload, const char *secret)
{
    char dir[64];
    write_submission(dir, sizeof dir, payload, strstr(payload, "vg_leak") != NULL);
    graded_t g;
    grade(&g, dir, "--compile-isolation namespace");
    if (!strstr(json_str(g.doc, "output"), NS_SAID)) {
        graded_free(&g);
        remove_dir(dir);
        cr_skip_test("no mount namespace here: %s", json_str(g.doc, "output"));
    }
    cr_expect_eq(g.status, 0, "%s", g.out);
    const char *o = outcome(&g);
    cr_expect(strcmp(o, "refused") == 0 || strcmp(o, "passed") == 0, "outcome %s", o);
    assert_no_bytes(&g, secret);
    graded_free(&g);
    remove_dir(dir);
}

/* The payload: .incbin (or .include) of path, between two labels. */
static void asm_attack(const char *directive, const char *path, int absolute,
                       const char *secret)
{
    char cwd[256], payload[1024];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(payload, sizeof payload,
             "__asm__(\".section .rodata\\nvg_leak:\\n%s \\\"%s%s%s\\\"\\n"
             "vg_leak_end: .byte 0\\n.text\\n\");", directive,
             absolute ? cwd : "", absolute ? "/" : "", path);
    attack(payload, secret);
}

Test(grader_jail, incbin_reference_absolute)
{
    asm_attack(".incbin", "reference/vae.c", 1, "reference/vae.c");
}

Test(grader_jail, incbin_golden_absolute)
{
    asm_attack(".incbin", "fixtures/golden/reference.json", 1, "fixtures/golden/reference.json");
}

Test(grader_jail, incbin_hidden_absolute)
{
    asm_attack(".incbin", "fixtures/hidden/subset-labels-idx1-ubyte.gz", 1,
               "fixtures/hidden/subset-labels-idx1-ubyte.gz");
}

/* Relative paths: as looks in its working directory (once the grader's
 * root) and in every -I directory (once <root>/include, whose parent is the
 * root). */
Test(grader_jail, incbin_reference_relative_to_include)
{
    asm_attack(".incbin", "../reference/vae.c", 0, "reference/vae.c");
}

Test(grader_jail, incbin_golden_relative_to_cwd)
{
    asm_attack(".incbin", "fixtures/golden/reference.json", 0, "fixtures/golden/reference.json");
}

Test(grader_jail, incbin_hidden_relative_to_include)
{
    asm_attack(".incbin", "../fixtures/hidden/subset-labels-idx1-ubyte.gz", 0,
               "fixtures/hidden/subset-labels-idx1-ubyte.gz");
}

/* .include assembles the file: the assembler's errors quote its lines. */
Test(grader_jail, asm_include_reference_absolute)
{
    asm_attack(".include", "reference/vae.c", 1, "reference/vae.c");
}

Test(grader_jail, include_climbing_out)
{
    attack("#include \"../reference/vae.c\"\n", "reference/vae.c");
}

/* __has_include of a grader path must see nothing: the correct branch is
 * taken, so the check passes. */
Test(grader_jail, has_include_sees_nothing)
{
    char cwd[256], payload[1024], dir[64];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    /* Seen: log_sum_exp returns one more than it should. */
    snprintf(payload, sizeof payload,
             "#if __has_include(\"%s/reference/vae.c\")\n#define VG_SEEN 1\n#endif\n", cwd);
    write_submission(dir, sizeof dir, payload, 0);
    graded_t g;
    grade(&g, dir, "--compile-isolation namespace");
    if (!strstr(json_str(g.doc, "output"), NS_SAID)) {
        graded_free(&g);
        remove_dir(dir);
        cr_skip_test("no mount namespace here");
    }
    cr_expect_str_eq(outcome(&g), "passed", "__has_include saw the reference:\n%s",
                     json_str(graded_test(&g, CHECK), "output"));
    graded_free(&g);
    remove_dir(dir);
}

/* ---- the uid tier, as root, over a root of the test's own ------------------ */

/* A grader root whose reference/, fixtures/ and build/ are real directories
 * of mode `mode`: reference/ holding copies of this checkout's files,
 * fixtures/ and build/ links to its own. So only the directories' modes
 * decide what uid 65534 can see of the reference, wherever the checkout
 * lies (a link into a clone under a 0700 directory, such as mktemp -d
 * makes, would hide the file from uid 65534 whatever the mode). */
static void make_root(char *root, size_t cap, int mode)
{
    char cwd[256], cmd[2048];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(root, cap, "/tmp/vg-jail-root.XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    chmod(root, 0755);
    snprintf(cmd, sizeof cmd,
             "set -e; cd %s; ln -s %s/include include; ln -s %s/grader grader;"
             "mkdir reference fixtures build;"
             "cp -R %s/reference/. reference/; chmod -R a+rX reference;"
             "for e in %s/fixtures/*; do ln -s $e fixtures/; done;"
             "ln -s %s/build/rel build/rel; chmod %o reference fixtures build",
             root, cwd, cwd, cwd, cwd, cwd, mode);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

Test(grader_jail, uid_tier_compiles_as_nobody)
{
    if (geteuid() != 0)
        cr_skip_test("the uid tier needs root");
    char root[64], dir[64], opts[256], payload[512];
    make_root(root, sizeof root, 0700);
    write_submission(dir, sizeof dir, "", 0);
    graded_t g;
    snprintf(opts, sizeof opts, "--root %s --compile-isolation uid --require-isolation", root);
    grade(&g, dir, opts);
    cr_expect_eq(g.status, 0, "%s", g.out);
    cr_expect(strstr(json_str(g.doc, "output"), "compile isolation: compiler as uid") != NULL,
              "%s", json_str(g.doc, "output"));
    cr_expect_str_eq(outcome(&g), "passed");
    graded_free(&g);
    remove_dir(dir);

    /* The same attack as above, by the fake root's absolute path. */
    snprintf(payload, sizeof payload, "__asm__(\".section .rodata\\nvg_leak:\\n.incbin "
             "\\\"%s/reference/vae.c\\\"\\nvg_leak_end: .byte 0\\n.text\\n\");", root);
    write_submission(dir, sizeof dir, payload, 1);
    grade(&g, dir, opts);
    cr_expect_str_eq(outcome(&g), "refused");
    assert_no_bytes(&g, "reference/vae.c");
    graded_free(&g);
    remove_dir(dir);
    remove_dir(root);
}

Test(grader_jail, uid_tier_refused_when_secrets_are_readable)
{
    if (geteuid() != 0)
        cr_skip_test("the uid tier needs root");
    char root[64], dir[64], opts[256];
    make_root(root, sizeof root, 0755);
    write_submission(dir, sizeof dir, "", 0);
    graded_t g;
    snprintf(opts, sizeof opts, "--root %s --compile-isolation uid", root);
    grade(&g, dir, opts);
    const char *out = json_str(g.doc, "output");
    cr_expect_eq(g.status, 0, "%s", g.out);
    cr_expect(strstr(out, "compile isolation: NONE") && strstr(out, "can see the grader's reference/"),
              "%s", out);
    graded_free(&g);

    /* --require-isolation: a grader error, and still a valid results file. */
    snprintf(opts, sizeof opts, "--root %s --compile-isolation uid --require-isolation", root);
    grade(&g, dir, opts);
    cr_expect_eq(g.status, 2, "%s", g.out);
    cr_expect(strstr(json_str(g.doc, "output"), "--require-isolation") != NULL);
    cr_expect_eq(json_num(g.doc, "score"), 0);
    graded_free(&g);
    remove_dir(dir);
    remove_dir(root);
}

Test(grader_jail, none_is_said)
{
    char dir[64];
    write_submission(dir, sizeof dir, "", 0);
    graded_t g;
    grade(&g, dir, "--compile-isolation none");
    cr_expect_eq(g.status, 0, "%s", g.out);
    cr_expect(strstr(json_str(g.doc, "output"), "compile isolation: NONE") != NULL);
    cr_expect_str_eq(outcome(&g), "passed");
    graded_free(&g);
    grade(&g, dir, "--compile-isolation none --require-isolation");
    cr_expect_eq(g.status, 2, "%s", g.out);
    cr_expect_str_eq(outcome(&g), "refused");
    graded_free(&g);
    remove_dir(dir);
}
