/* manifest.c: an output folder's batch.json (batch_internal.h): which
 * shard it is, of which grader and profile, its gradebook's columns and
 * its students (as hex: a folder's name is any bytes, JSON only UTF-8).
 * --merge reads it to join shards and to refuse ones that do not fit. */
#include "batch/batch_internal.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "vg_error.h"

int batch_manifest_write(const char *out, const batch_manifest_t *m)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "vaegrade_batch", BATCH_FORMAT_VERSION);
    cJSON_AddStringToObject(doc, "grader_key", m->grader_key);
    cJSON_AddStringToObject(doc, "profile", m->profile);
    cJSON_AddNumberToObject(doc, "shard", m->shard_k);
    cJSON_AddNumberToObject(doc, "shards", m->shard_n);
    cJSON *cols = cJSON_AddArrayToObject(doc, "columns");
    for (size_t i = 0; i < m->columns.n; i++)
        cJSON_AddItemToArray(cols, cJSON_CreateString(m->columns.ids[i]));
    cJSON *st = cJSON_AddArrayToObject(doc, "students_hex");
    int rc = VG_OK;
    for (size_t i = 0; i < m->n_students && rc == VG_OK; i++) {
        char *hex = batch_hex_name(m->students[i]);
        if (!hex)
            rc = VG_ERR;
        else
            cJSON_AddItemToArray(st, cJSON_CreateString(hex));
        free(hex);
    }
    if (rc != VG_OK) {
        cJSON_Delete(doc);
        return rc;
    }
    return batch_write_json(out, BATCH_MANIFEST, doc);
}

void batch_manifest_free(batch_manifest_t *m)
{
    batch_columns_free(&m->columns);
    batch_names_free(m->students, m->n_students);
    memset(m, 0, sizeof *m);
}

static int read_doc(batch_manifest_t *m, const cJSON *doc)
{
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "vaegrade_batch");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(doc, "grader_key");
    const cJSON *prof = cJSON_GetObjectItemCaseSensitive(doc, "profile");
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(doc, "shard");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, "shards");
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(doc, "columns");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "students_hex");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != BATCH_FORMAT_VERSION ||
        !cJSON_IsString(key) || strlen(key->valuestring) != BATCH_HEX - 1 ||
        !cJSON_IsString(prof) || !cJSON_IsNumber(k) || !cJSON_IsNumber(n) ||
        !(n->valuedouble >= 1) || !(k->valuedouble >= 0) ||
        k->valuedouble >= n->valuedouble || !cJSON_IsArray(cols) || !cJSON_IsArray(st))
        return VG_ERR;
    memcpy(m->grader_key, key->valuestring, BATCH_HEX);
    snprintf(m->profile, sizeof m->profile, "%s", prof->valuestring);
    m->shard_k = (unsigned)k->valuedouble;
    m->shard_n = (unsigned)n->valuedouble;
    size_t nc = (size_t)cJSON_GetArraySize(cols), ns = (size_t)cJSON_GetArraySize(st);
    m->columns.ids = calloc(nc + 1, sizeof *m->columns.ids);
    m->students = calloc(ns + 1, sizeof *m->students);
    if (!m->columns.ids || !m->students)
        return VG_ERR;
    const cJSON *it;
    cJSON_ArrayForEach(it, cols) {
        if (!cJSON_IsString(it) || !(m->columns.ids[m->columns.n] = strdup(it->valuestring)))
            return VG_ERR;
        m->columns.n++;
    }
    cJSON_ArrayForEach(it, st) {
        if (!cJSON_IsString(it) ||
            !(m->students[m->n_students] = batch_unhex_name(it->valuestring)))
            return VG_ERR;
        m->n_students++;
    }
    return VG_OK;
}

int batch_manifest_read(batch_manifest_t *m, const char *out)
{
    memset(m, 0, sizeof *m);
    char *path = batch_path(out, BATCH_MANIFEST);
    char *text = path ? batch_read_file(path, NULL) : NULL;
    if (!text) {
        int rc = vg_error_set("%s: no %s here; is it a `vaegrade batch --out` folder "
                              "whose run finished?", out, BATCH_MANIFEST);
        free(path);
        return rc;
    }
    cJSON *doc = cJSON_Parse(text);
    int rc = doc ? read_doc(m, doc) : VG_ERR;
    if (rc != VG_OK) {
        batch_manifest_free(m);
        vg_error_set("%s is not a batch manifest of version %d", path,
                     BATCH_FORMAT_VERSION);
    }
    cJSON_Delete(doc);
    free(text);
    free(path);
    return rc;
}
