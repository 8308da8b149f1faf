/* grader_run.c: the subprocess helper of the grader suite (grader_run.h). */
#include "grader_run.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/wait.h>

char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

long utf8_first_invalid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        unsigned long cp, min;
        if (c == 0)
            return (long)i;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xE0) == 0xC0)
            n = 2, cp = c & 0x1F, min = 0x80;
        else if ((c & 0xF0) == 0xE0)
            n = 3, cp = c & 0x0F, min = 0x800;
        else if ((c & 0xF8) == 0xF0)
            n = 4, cp = c & 0x07, min = 0x10000;
        else
            return (long)i;
        if (len - i < n)
            return (long)i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (long)i;
        i += n;
    }
    return -1;
}

static int write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

int grader_cgroup_make(char *dir, size_t cap, const char **peak_file, char *why,
                       size_t why_cap)
{
    char limit[32];
    snprintf(limit, sizeof limit, "%llu", GRADER_CGROUP_BYTES);
    struct stat st;
    int v2 = stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0;
    if (!v2 && stat("/sys/fs/cgroup/memory", &st) != 0) {
        snprintf(why, why_cap, "no cgroup memory controller at /sys/fs/cgroup");
        return -1;
    }
    snprintf(dir, cap, v2 ? "/sys/fs/cgroup/vaegrade-test-%ld"
                          : "/sys/fs/cgroup/memory/vaegrade-test-%ld", (long)getpid());
    if (v2)
        write_file("/sys/fs/cgroup", "cgroup.subtree_control", "+memory");
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        snprintf(why, why_cap, "mkdir %s: %s", dir, strerror(errno));
        return -1;
    }
    if (write_file(dir, v2 ? "memory.max" : "memory.limit_in_bytes", limit) != 0) {
        snprintf(why, why_cap, "cannot set the memory limit of %s", dir);
        rmdir(dir);
        return -1;
    }
    /* No swap either, where the kernel lets us say so. */
    write_file(dir, v2 ? "memory.swap.max" : "memory.memsw.limit_in_bytes", v2 ? "0" : limit);
    *peak_file = v2 ? "memory.peak" : "memory.max_usage_in_bytes";
    return 0;
}

unsigned long long grader_cgroup_finish(const char *dir, const char *peak_file)
{
    char path[400];
    unsigned long long peak = 0;
    snprintf(path, sizeof path, "%s/%s", dir, peak_file);
    FILE *f = fopen(path, "r");
    if (f && fscanf(f, "%llu", &peak) != 1)
        peak = 0;
    if (f)
        fclose(f);
    rmdir(dir);
    return peak;
}

void grader_run(graded_t *g, const char *args)
{
    grader_run_with(g, "", args);
}

void grader_run_with(graded_t *g, const char *prefix, const char *args)
{
    memset(g, 0, sizeof *g);
    snprintf(g->dir, sizeof g->dir, "/tmp/vg-grader-test.XXXXXX");
    cr_assert_not_null(mkdtemp(g->dir), "mkdtemp");
    snprintf(g->json_path, sizeof g->json_path, "%s/results.json", g->dir);
    char cmd[2560];
    snprintf(cmd, sizeof cmd, "%s %s %s --json %s > %s/out.txt 2>&1", prefix,
             VAEGRADE, args, g->json_path, g->dir);
    int st = system(cmd);
    cr_assert(st != -1 && WIFEXITED(st), "could not run: %s", cmd);
    g->status = WEXITSTATUS(st);
    char path[400];
    snprintf(path, sizeof path, "%s/out.txt", g->dir);
    g->out = read_text_file(path);
    char *text = read_text_file(g->json_path);
    if (text) {
        long bad = utf8_first_invalid((const unsigned char *)text, strlen(text));
        cr_expect_eq(bad, -1, "%s: results.json is not valid UTF-8 at byte %ld",
                     args, bad);
        g->doc = cJSON_Parse(text);
        free(text);
    }
}

void graded_free(graded_t *g)
{
    cJSON_Delete(g->doc);
    free(g->out);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g->dir);
    if (g->dir[0] && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g->dir);
}

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : "";
}

double json_num(const cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(it) ? it->valuedouble : NAN;
}

const cJSON *graded_test(const graded_t *g, const char *id)
{
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(g->doc, "tests");
    const cJSON *t;
    cJSON_ArrayForEach(t, tests) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(t, "extra_data");
        if (strcmp(json_str(x, "id"), id) == 0)
            return t;
    }
    return NULL;
}
