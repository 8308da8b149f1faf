/* metadata.c: submission metadata into the results (metadata.h). */
#include "container/metadata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/utf8.h"

/* Gradescope's file holds the assignment, the users and the previous
 * submissions' scores: a few KiB for a long history. A larger file is
 * not the platform's and is refused rather than parsed. */
#define METADATA_MAX_BYTES (256u << 10)
/* A group submission lists each member; names past these bounds are
 * not a person's and are cut. */
#define METADATA_MAX_USERS 16
#define METADATA_MAX_STRING 256

/* s (any bytes) as a valid UTF-8 string item of at most
 * METADATA_MAX_STRING bytes before repair. */
static cJSON *bounded_string(const char *s)
{
    size_t n = strnlen(s, METADATA_MAX_STRING);
    char *clean = utf8_sanitize(s, n);
    cJSON *it = cJSON_CreateString(clean ? clean : "");
    free(clean);
    return it;
}

/* A number or a string field as a string item (ids are numbers today). */
static cJSON *id_item(const cJSON *v)
{
    char num[64];
    if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof num, "%.0f", v->valuedouble);
        return cJSON_CreateString(num);
    }
    return cJSON_IsString(v) ? bounded_string(v->valuestring) : cJSON_CreateNull();
}

static char *read_bounded(const char *path, char *why, size_t why_cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_cap, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(METADATA_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, METADATA_MAX_BYTES + 1, f) : 0;
    fclose(f);
    if (!buf) {
        snprintf(why, why_cap, "no memory");
        return NULL;
    }
    if (n > METADATA_MAX_BYTES) {
        snprintf(why, why_cap, "%s is over %u bytes, more than the platform writes",
                 path, METADATA_MAX_BYTES);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static cJSON *submission_of(const char *path, char *why, size_t why_cap)
{
    char *text = read_bounded(path, why, why_cap);
    if (!text)
        return NULL;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(doc)) {
        snprintf(why, why_cap, "%s is not a JSON object", path);
        cJSON_Delete(doc);
        return NULL;
    }
    cJSON *sub = cJSON_CreateObject();
    cJSON_AddItemToObject(sub, "id", id_item(cJSON_GetObjectItemCaseSensitive(doc, "id")));
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(doc, "created_at");
    cJSON_AddItemToObject(sub, "created_at", cJSON_IsString(at) ? bounded_string(at->valuestring)
                                                                : cJSON_CreateNull());
    cJSON *names = cJSON_AddArrayToObject(sub, "users");
    const cJSON *users = cJSON_GetObjectItemCaseSensitive(doc, "users");
    const cJSON *u;
    int n = 0;
    if (!cJSON_IsArray(users))
        users = NULL;
    cJSON_ArrayForEach(u, users) {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(u, "name");
        if (n++ == METADATA_MAX_USERS)
            break;
        if (cJSON_IsString(name))
            cJSON_AddItemToArray(names, bounded_string(name->valuestring));
    }
    cJSON_Delete(doc);
    return sub;
}

char *metadata_attach(char *results_text, const char *metadata_path)
{
    cJSON *doc = cJSON_Parse(results_text);
    if (!doc)
        return results_text;   /* not ours to repair: left as written */
    char why[512] = "";
    /* The grader's provenance (version, profile hash) is already there:
     * the submission joins it. */
    cJSON *extra = cJSON_GetObjectItemCaseSensitive(doc, "extra_data");
    if (!cJSON_IsObject(extra)) {
        cJSON_DeleteItemFromObjectCaseSensitive(doc, "extra_data");
        extra = cJSON_AddObjectToObject(doc, "extra_data");
    }
    cJSON *sub = submission_of(metadata_path, why, sizeof why);
    if (sub)
        cJSON_AddItemToObject(extra, "submission", sub);
    else
        cJSON_AddItemToObject(extra, "metadata_error", bounded_string(why));
    char *text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text)
        return results_text;
    free(results_text);
    return text;
}
