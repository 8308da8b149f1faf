/* files.c: reading a whole file and joining paths, for batch grading
 * (batch_internal.h). Writing is results_write_atomic's (results.h). */
#include "batch/batch_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/results.h"
#include "vg_error.h"

char *batch_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_error_set("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 14, n = 0;
    char *s = malloc(cap);
    while (s) {
        n += fread(s + n, 1, cap - 1 - n, f);
        if (n < cap - 1)
            break;
        char *more = realloc(s, 2 * cap);
        if (!more) {
            free(s);
            s = NULL;
            break;
        }
        s = more;
        cap *= 2;
    }
    int bad = ferror(f);
    fclose(f);
    if (!s || bad) {
        free(s);
        vg_error_set("cannot read %s", path);
        return NULL;
    }
    s[n] = '\0';
    if (len)
        *len = n;
    return s;
}

char *batch_path(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (!p) {
        vg_error_set("out of memory");
        return NULL;
    }
    snprintf(p, n, "%s/%s", a, b);
    return p;
}

int batch_write(const char *dir, const char *name, const char *text)
{
    char *path = batch_path(dir, name);
    int rc = text && path ? results_write_atomic(path, text)
                          : vg_error_set("out of memory writing %s", name);
    free(path);
    return rc;
}

int batch_write_json(const char *dir, const char *name, cJSON *doc)
{
    char *text = doc ? cJSON_Print(doc) : NULL;
    int rc = batch_write(dir, name, text);
    free(text);
    cJSON_Delete(doc);
    return rc;
}
