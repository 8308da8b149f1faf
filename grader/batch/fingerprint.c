/* fingerprint.c: what makes a finished grade still good on a second run
 * (batch_internal.h): the submission's graded files and the grader that
 * graded them. A change of either regrades the student. */
#include "batch/batch_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver/api.h"
#include "driver/hash2.h"
#include "driver/pathfmt.h"
#include "driver/submission.h"
#include "vg_error.h"

static void to_hex(char hex[BATCH_HEX], const hash2_t *h)
{
    snprintf(hex, BATCH_HEX, "%016llx%016llx", (unsigned long long)h->a,
             (unsigned long long)h->b);
}

int batch_file_hash(char hex[BATCH_HEX], const char *path)
{
    hash2_t h = HASH2_INIT;
    if (hash2_file(&h, path) != 0)
        return vg_error_set("cannot read %s", path);
    to_hex(hex, &h);
    return VG_OK;
}

/* Only what the grader reads: the five files as submission_scan finds them
 * (path below dir, size limit verdict, bytes). Other files change nothing. */
int batch_submission_hash(char hex[BATCH_HEX], const char *dir, size_t max_bytes)
{
    submission_t s;
    hash2_t h = HASH2_INIT;
    if (submission_scan(&s, dir, max_bytes) != VG_OK) {
        /* Unreadable: graded as such; any later change regrades it. */
        hash2_str(&h, "unreadable");
        to_hex(hex, &h);
        return VG_OK;
    }
    size_t skip = strlen(dir);
    for (int i = 0; i < api_n_files(); i++) {
        const sub_file_t *f = &s.files[i];
        hash2_str(&h, api_files()[i].name);
        hash2_bytes(&h, &f->present, sizeof f->present);
        if (!f->present)
            continue;
        hash2_bytes(&h, &f->refused, sizeof f->refused);
        hash2_str(&h, strncmp(f->path, dir, skip) == 0 ? f->path + skip : f->path);
        if (!f->refused && hash2_file(&h, f->path) != 0)
            hash2_str(&h, "unreadable");
    }
    to_hex(hex, &h);
    return VG_OK;
}

int batch_grader_key(char hex[BATCH_HEX], const batch_options_t *b,
                     const grade_env_t *env, const profile_t *p)
{
    hash2_t h = HASH2_INIT;
    char self[PATH_MAX], path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return vg_error_set("cannot find this program's own file (/proc/self/exe)");
    self[n] = '\0';
    hash2_str(&h, b->grader ? b->grader : "vaegrade");
    if (hash2_file(&h, b->grader ? b->grader : self) != 0)
        return vg_error_set("cannot read %s", b->grader ? b->grader : self);
    if (pathfmt(path, sizeof path, "%s/bin/runner-ref", env->rel) ||
        hash2_file(&h, path) != 0)
        return vg_error_set("cannot read %s: run make first", path);
    if (pathfmt(path, sizeof path, "%s/fixtures", env->root) || hash2_tree(&h, path) != 0)
        return vg_error_set("cannot read every file under %s", path);
    if (hash2_file(&h, p->path) != 0)
        return vg_error_set("cannot read the profile %s", p->path);
    for (size_t i = 0; i < b->n_pass; i++) {
        hash2_str(&h, b->pass[i]);
        /* A profile named by an option counts by its bytes, not its name. */
        if (i + 1 < b->n_pass && (strcmp(b->pass[i], "--profile") == 0 ||
                                  strcmp(b->pass[i], "--hidden-profile") == 0) &&
            hash2_file(&h, b->pass[i + 1]) != 0)
            return vg_error_set("cannot read %s", b->pass[i + 1]);
    }
    to_hex(hex, &h);
    return VG_OK;
}

char *batch_hex_name(const char *name)
{
    size_t n = strlen(name);
    char *hex = malloc(2 * n + 1);
    if (!hex) {
        vg_error_set("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)name[i]);
    hex[2 * n] = '\0';
    return hex;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

char *batch_unhex_name(const char *hex)
{
    size_t n = strlen(hex);
    char *name = n % 2 == 0 ? malloc(n / 2 + 1) : NULL;
    for (size_t i = 0; name && i < n / 2; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        /* A NUL or '/' cannot be a folder's name. */
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0) || (hi << 4 | lo) == '/') {
            free(name);
            name = NULL;
            break;
        }
        name[i] = (char)(hi << 4 | lo);
    }
    if (!name) {
        vg_error_set("\"%.40s\" is not a student folder's name in hex", hex);
        return NULL;
    }
    name[n / 2] = '\0';
    return name;
}
