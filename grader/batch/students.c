/* students.c: who is in a submissions folder, and which of them a shard
 * grades (batch_internal.h). Every immediate sub-folder is one student,
 * named by its folder; dotfiles are skipped, and a plain file or a link
 * at the top level is reported, never graded. */
#include "batch/batch_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/hash2.h"
#include "driver/pathfmt.h"
#include "report/utf8.h"
#include "vg_error.h"

static const char *const reserved[] = {
    BATCH_GRADEBOOK, BATCH_SUMMARY_JSON, BATCH_SUMMARY_TEXT, BATCH_MANIFEST, NULL,
};

int batch_name_reserved(const char *name)
{
    for (size_t i = 0; reserved[i]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return 1;
    return 0;
}

/* A hash of the name alone, not the sorted index: a student added to the
 * folder later moves no other student to another shard, so each shard's
 * finished work stays where a resumed run looks for it. */
unsigned batch_shard_of(const char *name, unsigned n)
{
    hash2_t h = HASH2_INIT;
    hash2_str(&h, name);
    return (unsigned)(h.a % n);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void batch_names_sort(char **names, size_t n)
{
    qsort(names, n, sizeof names[0], cmp_name);
}

void batch_names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void say_skipped(FILE *progress, const char *name, const char *why)
{
    char *shown = utf8_for_terminal(name);
    fprintf(progress, "not graded: %s: %s\n", shown ? shown : "?", why);
    free(shown);
}

/* The out folder's own name when it sits directly in subs, "" otherwise. */
static void out_inside(char *name, size_t cap, const char *subs, const char *out)
{
    char rs[PATH_MAX], ro[PATH_MAX];
    name[0] = '\0';
    if (!realpath(subs, rs) || !realpath(out, ro))
        return;
    size_t n = strlen(rs);
    if (strncmp(ro, rs, n) == 0 && ro[n] == '/' && !strchr(ro + n + 1, '/'))
        pathfmt(name, cap, "%s", ro + n + 1);
}

int batch_students(char ***names_out, size_t *n_out, const char *subs, const char *out,
                   unsigned shard_k, unsigned shard_n, FILE *progress)
{
    DIR *d = opendir(subs);
    if (!d)
        return vg_error_set("cannot read the submissions folder %s: %s", subs,
                            strerror(errno));
    char own[NAME_MAX + 1];
    out_inside(own, sizeof own, subs, out);
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    int rc = names ? VG_OK : vg_error_set("out of memory listing %s", subs);
    while (rc == VG_OK && (e = readdir(d))) {
        char path[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.' || strcmp(e->d_name, own) == 0)
            continue;
        if (pathfmt(path, sizeof path, "%s/%s", subs, e->d_name) || lstat(path, &st) != 0) {
            say_skipped(progress, e->d_name, "cannot be read");
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            say_skipped(progress, e->d_name, S_ISLNK(st.st_mode) ?
                        "a symbolic link, not a folder" : "a file, not a student's folder");
            continue;
        }
        if (batch_name_reserved(e->d_name)) {
            rc = vg_error_set("a student folder is named %s, as one of batch's own output "
                              "files: rename it", e->d_name);
            break;
        }
        if (batch_shard_of(e->d_name, shard_n) != shard_k)
            continue;
        if (n == cap) {
            char **more = realloc(names, 2 * cap * sizeof *names);
            if (!more) {
                rc = vg_error_set("out of memory listing %s", subs);
                break;
            }
            names = more;
            cap *= 2;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = vg_error_set("out of memory listing %s", subs);
            break;
        }
        n++;
    }
    closedir(d);
    if (rc != VG_OK) {
        batch_names_free(names, n);
        return rc;
    }
    batch_names_sort(names, n);
    *names_out = names;
    *n_out = n;
    return VG_OK;
}
