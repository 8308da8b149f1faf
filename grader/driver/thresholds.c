/* thresholds.c: reading fixtures/thresholds.json and deriving the short-run
 * bounds (thresholds.h). The parsed document of each file is kept for the
 * process, behind a mutex, since checks are judged on worker threads. */
#include "driver/thresholds.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "numcheck/stats.h"
#include "vg_error.h"

#define THRESHOLDS_FORMAT "vaegrade-thresholds"
#define MAX_FILES 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char path[4096];
    cJSON *doc;
} files[MAX_FILES];

static cJSON *load(const char *path)
{
    for (size_t i = 0; i < MAX_FILES; i++)
        if (files[i].doc && strcmp(files[i].path, path) == 0)
            return files[i].doc;
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_error_set("%s is missing: the short-run thresholds come from "
                     "`make fixtures`", path);
        return NULL;
    }
    char *text = malloc(1 << 20);
    size_t len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!text) {
        vg_error_set("no memory for %s", path);
        return NULL;
    }
    text[len] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(doc, "format");
    if (!doc || !cJSON_IsString(fmt) || strcmp(fmt->valuestring, THRESHOLDS_FORMAT)) {
        cJSON_Delete(doc);
        vg_error_set("%s is not a %s file (regenerate it with `make "
                     "fixtures-thresholds`)", path, THRESHOLDS_FORMAT);
        return NULL;
    }
    for (size_t i = 0; i < MAX_FILES; i++)
        if (!files[i].doc) {
            snprintf(files[i].path, sizeof files[i].path, "%s", path);
            files[i].doc = doc;
            return doc;
        }
    return doc;   /* not kept: only reached with more files than callers */
}

static int number(double *out, const cJSON *o, const char *key,
                  const char *path, const char *model)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(it))
        return vg_error_set("%s: \"%s\" of runs.%s is missing or not a number",
                            path, key, model);
    *out = it->valuedouble;
    return VG_OK;
}

int thresholds_get(short_stats_t *s, const char *path, const char *model,
                   const char *metric)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_lock(&lock);
    int rc = VG_ERR;
    cJSON *doc = load(path);
    const cJSON *runs = doc ? cJSON_GetObjectItemCaseSensitive(doc, "runs") : NULL;
    const cJSON *run = runs ? cJSON_GetObjectItemCaseSensitive(runs, model) : NULL;
    /* runs.<model>.metrics.<metric>, or the statistics at runs.<model>
     * itself (the file's first format: one metric per model). */
    const cJSON *metrics = run ? cJSON_GetObjectItemCaseSensitive(run, "metrics") : NULL;
    const cJSON *m = metrics ? cJSON_GetObjectItemCaseSensitive(metrics, metric) : run;
    const cJSON *name = m ? cJSON_GetObjectItemCaseSensitive(m, "metric") : NULL;
    if (doc && !run) {
        vg_error_set("%s has no runs.%s", path, model);
    } else if (run && (!m || (!metrics && cJSON_IsString(name) &&
                              strcmp(name->valuestring, metric)))) {
        vg_error_set("%s has no %s statistics for runs.%s", path, metric, model);
    } else if (m) {
        const cJSON *better = cJSON_GetObjectItemCaseSensitive(m, "better");
        double n = 0;
        if (!cJSON_IsString(better))
            vg_error_set("%s: runs.%s's %s needs \"better\"", path, model, metric);
        else if (number(&s->iters, run, "iters", path, model) == VG_OK &&
                 number(&n, m, "n", path, model) == VG_OK &&
                 number(&s->mean, m, "mean", path, model) == VG_OK &&
                 number(&s->std, m, "std", path, model) == VG_OK &&
                 number(&s->worst, m, "worst", path, model) == VG_OK &&
                 number(&s->best, m, "best", path, model) == VG_OK) {
            snprintf(s->metric, sizeof s->metric, "%s", metric);
            s->lower_is_better = strcmp(better->valuestring, "lower") == 0;
            s->n = n;
            const cJSON *er = cJSON_GetObjectItemCaseSensitive(doc, "eval_repeats");
            const cJSON *es = cJSON_GetObjectItemCaseSensitive(doc, "eval_seed");
            s->eval_repeats = cJSON_IsNumber(er) ? er->valuedouble : NAN;
            s->eval_seed = cJSON_IsNumber(es) ? es->valuedouble : NAN;
            rc = n >= 3 && s->std > 0 ? VG_OK
               : vg_error_set("%s: runs.%s has %g runs and a spread of %g: a "
                              "threshold needs at least 3 runs that differ",
                              path, model, n, s->std);
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

short_bounds_t thresholds_bounds(const short_stats_t *s, double alpha,
                                 double partial_factor)
{
    short_bounds_t b;
    b.t = stats_t_quantile(1.0 - alpha, s->n - 1.0);
    b.margin = b.t * s->std * sqrt(1.0 + 1.0 / s->n);
    double sign = s->lower_is_better ? 1.0 : -1.0;
    b.pass = s->mean + sign * b.margin;
    b.partial = s->mean + sign * partial_factor * b.margin;
    return b;
}
