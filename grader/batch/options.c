/* options.c: the batch command's own options, and the grade options it
 * hands to every child (batch.h). main.c parses and validates the grade
 * options; this file only keeps them as typed. */
#include "batch/batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

/* More shards than pods anyone runs; it keeps K/N parsing in range. */
#define MAX_SHARDS 100000
/* A day: far above any grade, below what a typo would mean. */
#define MAX_TIMEOUT_S 86400.0

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (!s[0] || s[0] < '0' || s[0] > '9')
        return VG_ERR;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (errno || *end || n > max)
        return VG_ERR;
    *out = n;
    return VG_OK;
}

/* "K/N", 0 <= K < N. */
static int parse_shard(batch_options_t *b, const char *v)
{
    const char *slash = strchr(v, '/');
    char k_text[16];
    unsigned long k, n;
    if (!slash || (size_t)(slash - v) >= sizeof k_text)
        return vg_error_set("--shard %s: K/N, e.g. 0/4 (shard K of N, 0 <= K < N)", v);
    memcpy(k_text, v, (size_t)(slash - v));
    k_text[slash - v] = '\0';
    if (parse_count(k_text, MAX_SHARDS, &k) || parse_count(slash + 1, MAX_SHARDS, &n) ||
        n < 1)
        return vg_error_set("--shard %s: K/N with whole numbers, 1 <= N <= %d", v,
                            MAX_SHARDS);
    if (k >= n)
        return vg_error_set("--shard %s: K must be below N (shards are numbered 0 to "
                            "%lu)", v, n - 1);
    b->shard_k = (unsigned)k;
    b->shard_n = (unsigned)n;
    return VG_OK;
}

int batch_parse_option(batch_options_t *b, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    if (strcmp(a, "--merge") == 0) {
        if (*i + 2 >= argc || argv[*i + 1][0] == '-')
            return vg_error_set("--merge OUTDIR DIR...: an output folder and at least "
                                "one shard's --out folder");
        b->merge_out = argv[++*i];
        while (*i + 1 < argc && argv[*i + 1][0] != '-') {
            if (b->n_merge == BATCH_MAX_MERGE)
                return vg_error_set("--merge: more than %d folders", BATCH_MAX_MERGE);
            b->merge_dirs[b->n_merge++] = argv[++*i];
        }
        if (!b->n_merge)
            return vg_error_set("--merge %s: which shard folders?", b->merge_out);
        return 1;
    }
    static const char *const with_value[] = {
        "--out", "--shard", "--timeout", "--grade-jobs", "--jobs", "--grader", NULL,
    };
    size_t w = 0;
    while (with_value[w] && strcmp(a, with_value[w]) != 0)
        w++;
    if (!with_value[w])
        return 0;
    if (*i + 1 >= argc)
        return vg_error_set("%s needs a value", a);
    const char *v = argv[++*i];
    unsigned long n;
    if (strcmp(a, "--out") == 0) {
        b->out = v;
    } else if (strcmp(a, "--shard") == 0) {
        if (parse_shard(b, v) != VG_OK)
            return VG_ERR;
    } else if (strcmp(a, "--timeout") == 0) {
        char *end;
        double s = strtod(v, &end);
        if (*end || end == v || !(s > 0 && s <= MAX_TIMEOUT_S))
            return vg_error_set("--timeout %s: seconds per submission, above 0 and at "
                                "most %.0f", v, MAX_TIMEOUT_S);
        b->timeout_s = s;
    } else if (strcmp(a, "--grader") == 0) {
        b->grader = v;
    } else if (parse_count(v, 64, &n) || n < 1) {
        return vg_error_set("%s %s: 1 to 64", a, v);
    } else if (strcmp(a, "--jobs") == 0) {
        b->jobs = (int)n;
    } else {
        b->grade_jobs = (int)n;
    }
    return 1;
}

int batch_pass_option(batch_options_t *b, const char *a, const char *v)
{
    if (strcmp(a, "--json") == 0 || strcmp(a, "--keep-work") == 0)
        return vg_error_set("%s has no place in a batch: each student's results go "
                            "to OUT/<student>/results.json", a);
    /* The children's work directories go under it, one per child. */
    if (strcmp(a, "--tmp") == 0) {
        b->tmp = v;
        return VG_OK;
    }
    if (strcmp(a, "--only") == 0)
        b->only = v;
    if (strcmp(a, "--seed") == 0)
        b->have_seed = 1;
    if (b->n_pass + 2 > BATCH_MAX_PASS)
        return vg_error_set("too many grade options for a batch (at most %d words)",
                            BATCH_MAX_PASS);
    b->pass[b->n_pass++] = a;
    if (v)
        b->pass[b->n_pass++] = v;
    return VG_OK;
}
