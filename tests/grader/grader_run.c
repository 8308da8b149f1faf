/* grader_run.c: the subprocess helper of the grader suite (grader_run.h). */
#include "grader_run.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
