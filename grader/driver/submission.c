/* submission.c: the recursive search of submission.h. Symbolic links are
 * not followed (a link could point at the grader's own files), dot
 * directories (.git, __MACOSX's kin) are skipped, and the walk is bounded
 * in depth and in entries so that a huge upload cannot stall the grader. */
#include "driver/submission.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/pathfmt.h"
#include "vg_error.h"

#define MAX_DEPTH 12
#define MAX_ENTRIES 20000

typedef struct walk {
    submission_t *s;
    size_t max_bytes;
    size_t entries;
} walk_t;

static void found(walk_t *w, const char *path, const char *base, const struct stat *st)
{
    int i = api_file_index(base);
    if (i < 0) {
        w->s->n_ignored++;
        return;
    }
    sub_file_t *f = &w->s->files[i];
    if (f->present) {
        f->refused = 1;
        pathfmt(f->reason, sizeof f->reason, "two files named %s: %s and %s; "
                "submit one", base, f->path, path);
        return;
    }
    f->present = 1;
    f->bytes = (size_t)st->st_size;
    pathfmt(f->path, sizeof f->path, "%s", path);
    if ((size_t)st->st_size > w->max_bytes) {
        f->refused = 1;
        pathfmt(f->reason, sizeof f->reason, "%s is %zu bytes, over the limit "
                "of %zu", path, (size_t)st->st_size, w->max_bytes);
    }
}

static int walk_dir(walk_t *w, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return depth == 0 ? vg_error_set("cannot read the submission directory "
                                         "%s: %s", dir, strerror(errno)) : VG_OK;
    struct dirent *e;
    char path[PATH_MAX];
    while ((e = readdir(d)) && w->entries < MAX_ENTRIES) {
        if (e->d_name[0] == '.')
            continue;
        w->entries++;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode))
            w->s->n_links++;
        else if (S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
            walk_dir(w, path, depth + 1);
        else if (S_ISREG(st.st_mode))
            found(w, path, e->d_name, &st);
    }
    closedir(d);
    return VG_OK;
}

int submission_scan(submission_t *s, const char *dir, size_t max_bytes)
{
    memset(s, 0, sizeof *s);
    walk_t w = { s, max_bytes, 0 };
    return walk_dir(&w, dir, 0);
}
