/* grader_run.h: runs the release vaegrade as a subprocess (the grader
 * suite never links the grader, but for its pure text rule grader/report/utf8.c:
 * ASan and the sandbox's seccomp and RLIMIT_AS do not mix) and reads back
 * what it wrote, which must be strictly valid UTF-8 JSON. Paths are relative to
 * the repository root, where the tests run. */
#ifndef VG_TESTS_GRADER_RUN_H
#define VG_TESTS_GRADER_RUN_H

#include <cjson/cJSON.h>

#define VAEGRADE "build/rel/bin/vaegrade"
#define TEST_PROFILE "tests/grader/profile.json"
/* Made by the Makefile (tools/make_submissions.sh): the whole samples of
 * tests/grader/submissions/ and the mutants of tests/grader/mutants/. */
#define SUBMISSIONS "build/submissions"

typedef struct graded {
    int status;            /* vaegrade's exit status */
    char dir[256];         /* a fresh temporary directory of this run */
    char json_path[320];   /* results file in dir */
    cJSON *doc;            /* the parsed results, or NULL */
    char *out;             /* what vaegrade printed on stdout and stderr */
} graded_t;

/* Runs `vaegrade <args>` with --json in a fresh directory; args is a shell
 * word list (the test's own, never input). Always returns; asserts only
 * that the process could be run. */
void grader_run(graded_t *g, const char *args);
/* The same with a shell prefix before the command ("taskset -c 0", or
 * "echo $$ > CGROUP/cgroup.procs && exec"); also the test's own words. */
void grader_run_with(graded_t *g, const char *prefix, const char *args);
void graded_free(graded_t *g);

/* A fresh memory cgroup of GRADER_CGROUP_BYTES (Gradescope's default
 * memory; cgroup v2 when the unified hierarchy is mounted at
 * /sys/fs/cgroup, else v1's memory controller; needs root): dir is set,
 * and *peak_file names its peak-usage file. Returns 0, or -1 with why.
 * grader_cgroup_finish removes it once its processes are gone. */
#define GRADER_CGROUP_BYTES (768ull << 20)
int grader_cgroup_make(char *dir, size_t cap, const char **peak_file, char *why,
                       size_t why_cap);
/* The cgroup's peak memory use in bytes (0 when not reported), then the
 * cgroup removed. */
unsigned long long grader_cgroup_finish(const char *dir, const char *peak_file);

/* The tests[] entry whose extra_data.id is id, or NULL. */
const cJSON *graded_test(const graded_t *g, const char *id);
/* A string field of obj, "" when absent. */
const char *json_str(const cJSON *obj, const char *key);
/* A number field of obj, NaN when absent. */
double json_num(const cJSON *obj, const char *key);

/* Reads a whole text file (malloc'd), NULL when it cannot. */
char *read_text_file(const char *path);

/* The offset of the first byte of s (len) that is not strict UTF-8 (RFC
 * 3629: overlong forms, surrogates, code points above U+10FFFF and NUL
 * refused), or -1 when it all is. Written apart from grader/report/utf8.c, by
 * decoding code points, so the two do not share a mistake. */
long utf8_first_invalid(const unsigned char *s, size_t len);

#endif
