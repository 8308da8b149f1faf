/* test_utf8.c: the text rule (grader/report/utf8.h). The sanitiser, in process, on
 * thousands of seeded random byte strings and on the sequences that trip
 * decoders, checked by the suite's own strict validator (grader_run.c);
 * then whole gradings whose submissions produce raw bytes (a binary file
 * the compiler echoes, a file name that is not UTF-8), whose results.json
 * must be strict UTF-8 that cJSON parses. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grader_run.h"
#include "report/utf8.h"

/* xorshift64*: a fixed stream, so a failure replays. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Bytes that start, continue or break sequences, weighted in with plain
 * random bytes so most strings hold several near-misses. */
static const unsigned char edgy[] = {
    0x00, 0x0A, 0x1B, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0,
    0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3,
    0xF4, 0xF5, 0xF8, 0xFE, 0xFF,
};

Test(grader_utf8, random_bytes_come_out_strict_and_stable)
{
    uint64_t s = 0x5eedu;
    unsigned char in[300];
    for (int t = 0; t < 20000; t++) {
        size_t n = next(&s) % sizeof in;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = next(&s);
            in[i] = r & 1 ? edgy[(r >> 8) % sizeof edgy] : (unsigned char)(r >> 16);
        }
        char *out = utf8_sanitize((const char *)in, n);
        cr_assert_not_null(out);
        size_t m = strlen(out);
        cr_assert_eq(utf8_first_invalid((const unsigned char *)out, m), -1,
                     "string %d (%zu bytes): output invalid at %ld", t, n,
                     utf8_first_invalid((const unsigned char *)out, m));
        /* Valid text passes unchanged: a second pass is the identity. */
        char *again = utf8_sanitize(out, m);
        cr_assert_str_eq(again, out, "string %d: not idempotent", t);
        /* Input that was valid already comes back byte for byte. */
        if (utf8_first_invalid(in, n) == -1)
            cr_assert(m == n && memcmp(out, in, n) == 0, "string %d: valid input changed", t);
        free(again);
        free(out);
    }
}

Test(grader_utf8, every_code_point_survives)
{
    /* Each scalar value, encoded by hand, comes back unchanged. */
    unsigned char b[4];
    for (unsigned long cp = 1; cp <= 0x10FFFF; cp += cp < 0x800 ? 1 : 7) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n;
        if (cp < 0x80)
            b[0] = (unsigned char)cp, n = 1;
        else if (cp < 0x800)
            b[0] = (unsigned char)(0xC0 | cp >> 6), b[1] = (unsigned char)(0x80 | (cp & 0x3F)), n = 2;
        else if (cp < 0x10000)
            b[0] = (unsigned char)(0xE0 | cp >> 12), b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
            b[2] = (unsigned char)(0x80 | (cp & 0x3F)), n = 3;
        else
            b[0] = (unsigned char)(0xF0 | cp >> 18), b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F)),
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)), b[3] = (unsigned char)(0x80 | (cp & 0x3F)), n = 4;
        char *out = utf8_sanitize((const char *)b, n);
        cr_assert(strlen(out) == n && memcmp(out, b, n) == 0, "U+%04lX changed", cp);
        free(out);
    }
}

#define FFFD "\xEF\xBF\xBD"

Test(grader_utf8, tricky_sequences)
{
    static const struct { const char *in; size_t n; const char *want; } cases[] = {
        { "a\0b", 3, "a" FFFD "b" },                         /* NUL */
        { "\xC0\xAF", 2, FFFD FFFD },                        /* overlong '/' */
        { "\xC1\xBF", 2, FFFD FFFD },                        /* overlong */
        { "\xE0\x80\xAF", 3, FFFD FFFD FFFD },               /* overlong 3-byte */
        { "\xF0\x80\x80\xAF", 4, FFFD FFFD FFFD FFFD },      /* overlong 4-byte */
        { "\xED\xA0\x80", 3, FFFD FFFD FFFD },               /* surrogate D800 */
        { "\xED\xBF\xBF", 3, FFFD FFFD FFFD },               /* surrogate DFFF */
        { "\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD },      /* U+110000 */
        { "\xF5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD },      /* no such lead */
        { "\xE2\x82", 2, FFFD },                             /* cut at the end */
        { "\xE2\x82" "A", 3, FFFD "A" },                     /* cut mid-text */
        { "\xF0\x9F\x98" "x", 4, FFFD "x" },
        { "\x80\xBF", 2, FFFD FFFD },                        /* lone continuations */
        { "\xFF\xFE", 2, FFFD FFFD },
        { "\xED\x9F\xBF", 3, "\xED\x9F\xBF" },               /* U+D7FF, valid */
        { "\xEF\xBF\xBF", 3, "\xEF\xBF\xBF" },               /* U+FFFF, valid */
        { "\xF4\x8F\xBF\xBF", 4, "\xF4\x8F\xBF\xBF" },       /* U+10FFFF, valid */
        { "\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80" },       /* an emoji */
        { "", 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = utf8_sanitize(cases[i].in, cases[i].n);
        cr_expect_str_eq(out, cases[i].want, "case %zu", i);
        free(out);
    }
}

Test(grader_utf8, terminal_gets_no_control_bytes)
{
    char *out = utf8_for_terminal("\x1b[31mred\x1b[0m\n\tok\x7f\r\xC2\x9B" "2J \xE2\x80\x94 \xFF");
    cr_expect_str_eq(out, "\\x1B[31mred\\x1B[0m\n\tok\\x7F\\x0D\\x9B" "2J \xE2\x80\x94 " FFFD);
    free(out);
}

/* ---- whole gradings --------------------------------------------------- */

/* A fresh submission directory under the test's own temporary one. */
static void make_dir(char *dir, size_t cap, const graded_t *g, const char *name)
{
    snprintf(dir, cap, "%s/%s", g->dir, name);
    cr_assert_eq(mkdir(dir, 0755), 0, "mkdir %s", dir);
}

static void write_file(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* Grades dir and checks the results are strict UTF-8 JSON (grader_run
 * checks the bytes) and that vaegrade completed. */
static void grade_dir(graded_t *g, const char *dir, const char *only)
{
    char args[1200];
    snprintf(args, sizeof args, "grade '%s' --profile " TEST_PROFILE " --only %s", dir, only);
    grader_run(g, args);
    cr_assert_eq(g->status, 0, "vaegrade exited %d:\n%s", g->status, g->out);
    cr_assert_not_null(g->doc, "results.json missing or not JSON");
    cr_expect_eq(utf8_first_invalid((const unsigned char *)g->out, strlen(g->out)), -1,
                 "the terminal report is not valid UTF-8");
}

Test(grader_utf8, binary_file_echoed_by_the_compiler)
{
    graded_t home, g;
    grader_run(&home, "list");
    char dir[400], path[500];
    make_dir(dir, sizeof dir, &home, "garbage");
    snprintf(path, sizeof path, "%s/utils.c", dir);
    /* Random bytes, a line every 60 or so, escape sequences among them:
     * gcc quotes each offending line back. */
    unsigned char bytes[4096];
    uint64_t s = 236;
    for (size_t i = 0; i < sizeof bytes; i++) {
        uint64_t r = next(&s);
        bytes[i] = r % 61 == 0 ? '\n' : r % 67 == 0 ? 0x1b : (unsigned char)(r >> 24);
    }
    write_file(path, bytes, sizeof bytes);
    grade_dir(&g, dir, "1.4-kl-normal-values");
    const cJSON *t = graded_test(&g, "1.4-kl-normal-values");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "refused");
    cr_expect(strstr(json_str(t, "output"), "compiler output") != NULL,
              "the compiler's output is shown:\n%s", json_str(t, "output"));
    cr_expect_null(strchr(g.out, '\x1b'), "an escape byte reached the terminal report");
    graded_free(&g);
    /* PrairieLearn's document carries the same text elsewhere. */
    grade_dir(&g, dir, "1.4-kl-normal-values --format prairielearn");
    const cJSON *tests = cJSON_GetObjectItem(g.doc, "tests");
    cr_expect(strstr(json_str(cJSON_GetArrayItem(tests, 0), "output"), "compiler output") != NULL);
    graded_free(&g);
    graded_free(&home);
}

Test(grader_utf8, file_names_that_are_not_utf8)
{
    graded_t home, g;
    grader_run(&home, "list");
    char dir[400], path[600];
    make_dir(dir, sizeof dir, &home, "names");
    char *utils = read_text_file(SUBMISSIONS "/correct/utils.c");
    cr_assert_not_null(utils);
    /* An ignored file, and a second utils.c in a folder whose name is a
     * cut sequence and an escape: the refusal names both paths. */
    snprintf(path, sizeof path, "%s/notes\xff\xfe\x1b[2J.txt", dir);
    write_file(path, "x", 1);
    snprintf(path, sizeof path, "%s/utils.c", dir);
    write_file(path, utils, strlen(utils));
    snprintf(path, sizeof path, "%s/old\xe2\x82\x1b", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/old\xe2\x82\x1b/utils.c", dir);
    write_file(path, utils, strlen(utils));
    free(utils);
    grade_dir(&g, dir, "1.4-kl-normal-values");
    const cJSON *t = graded_test(&g, "1.4-kl-normal-values");
    cr_expect_str_eq(json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome"), "refused");
    cr_expect(strstr(json_str(g.doc, "output"), "old" FFFD) != NULL,
              "the path is shown, its bad bytes replaced:\n%s", json_str(g.doc, "output"));
    cr_expect_null(strchr(g.out, '\x1b'), "an escape byte reached the terminal report");
    graded_free(&g);
    graded_free(&home);
}
