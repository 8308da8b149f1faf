/* record.c: a student's fingerprint.json (batch_internal.h): the grader
 * key and submission hash its results were made with, the hash of the
 * results file itself, and whether the grader failed on it. Written after
 * results.json, so a run stopped in between leaves a record that does not
 * match, and the student is graded again. */
#include "batch/batch_internal.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/utf8.h"
#include "vg_error.h"

int batch_record_write(const char *student_dir, const batch_record_t *r)
{
    cJSON *doc = cJSON_CreateObject();
    char *clean = utf8_sanitize(r->error, strlen(r->error));
    cJSON_AddNumberToObject(doc, "vaegrade_batch", BATCH_FORMAT_VERSION);
    cJSON_AddStringToObject(doc, "grader_key", r->grader_key);
    cJSON_AddStringToObject(doc, "submission", r->submission);
    cJSON_AddStringToObject(doc, "results", r->results);
    cJSON_AddBoolToObject(doc, "grader_failed", r->failed);
    cJSON_AddStringToObject(doc, "error", clean ? clean : "");
    free(clean);
    return batch_write_json(student_dir, BATCH_FINGERPRINT, doc);
}

static int copy_hex(char out[BATCH_HEX], const cJSON *doc, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(doc, key);
    if (!cJSON_IsString(it) || strlen(it->valuestring) != BATCH_HEX - 1)
        return VG_ERR;
    memcpy(out, it->valuestring, BATCH_HEX);
    return VG_OK;
}

int batch_record_read(batch_record_t *r, const char *student_dir)
{
    memset(r, 0, sizeof *r);
    char *path = batch_path(student_dir, BATCH_FINGERPRINT);
    char *text = path ? batch_read_file(path, NULL) : NULL;
    cJSON *doc = text ? cJSON_Parse(text) : NULL;
    int rc = VG_ERR;
    if (doc) {
        const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "vaegrade_batch");
        const cJSON *failed = cJSON_GetObjectItemCaseSensitive(doc, "grader_failed");
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(doc, "error");
        if (cJSON_IsNumber(ver) && ver->valuedouble == BATCH_FORMAT_VERSION &&
            cJSON_IsBool(failed) && cJSON_IsString(err) &&
            copy_hex(r->grader_key, doc, "grader_key") == VG_OK &&
            copy_hex(r->submission, doc, "submission") == VG_OK &&
            copy_hex(r->results, doc, "results") == VG_OK) {
            r->failed = cJSON_IsTrue(failed);
            snprintf(r->error, sizeof r->error, "%s", err->valuestring);
            rc = VG_OK;
        }
    }
    if (rc != VG_OK && text)
        vg_error_set("%s is not a batch fingerprint of version %d", path,
                     BATCH_FORMAT_VERSION);
    cJSON_Delete(doc);
    free(text);
    free(path);
    return rc;
}
