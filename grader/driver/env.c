/* env.c: locating the grader's files (env.h). */
#include "driver/env.h"

#include <errno.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/pathfmt.h"
#include "vg_error.h"

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int env_locate(grade_env_t *e, const char *root_opt, const assignment_t *a)
{
    memset(e, 0, sizeof *e);
    e->assignment = a;
    char buf[PATH_MAX];
    if (root_opt) {
        if (!realpath(root_opt, e->root))
            return vg_error_set("--root %s: %s", root_opt, strerror(errno));
        if (pathfmt(e->rel, sizeof e->rel, "%s/build/rel", e->root))
            return VG_ERR;
    } else {
        ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
        if (n <= 0)
            return vg_error_set("cannot read /proc/self/exe (%s): pass --root",
                                strerror(errno));
        buf[n] = '\0';
        /* <root>/build/rel/bin/vaegrade */
        char *bin = dirname(buf);
        if (pathfmt(e->rel, sizeof e->rel, "%s/..", bin))
            return VG_ERR;
        char tmp[PATH_MAX + 8];
        snprintf(tmp, sizeof tmp, "%s/../..", e->rel);
        if (!realpath(tmp, e->root))
            return vg_error_set("cannot resolve the grader's root from %s: pass --root", buf);
        if (!realpath(e->rel, buf))
            return vg_error_set("cannot resolve %s", e->rel);
        if (pathfmt(e->rel, sizeof e->rel, "%s", buf))
            return VG_ERR;
    }
    if (pathfmt(buf, sizeof buf, "%s/include/%s%sassignment.h", e->root, a->api_dir,
                a->api_dir[0] ? "/" : ""))
        return VG_ERR;
    if (!is_file(buf))
        return vg_error_set("%s is not the grader's root of %s (no %s): pass --root",
                            e->root, a->name, buf);
    if (pathfmt(buf, sizeof buf, "%s/include", e->root))
        return VG_ERR;
    if (!realpath(buf, e->include))
        return vg_error_set("cannot resolve %s", buf);
    return VG_OK;
}

const char *env_rel_path(const grade_env_t *e, const char *rel_path, char *buf, size_t cap)
{
    return pathfmt(buf, cap, "%s/%s", e->rel, rel_path) ? NULL : buf;
}

static int find_in_path(char *out, size_t len, const char *const *names)
{
    const char *path = getenv("PATH");
    if (!path || !path[0])
        path = "/usr/bin:/bin";
    for (size_t k = 0; names[k]; k++) {
        const char *p = path;
        while (*p) {
            size_t seg = strcspn(p, ":");
            snprintf(out, len, "%.*s/%s", (int)seg, p, names[k]);
            if (seg && access(out, X_OK) == 0)
                return VG_OK;
            p += seg + (p[seg] == ':');
        }
    }
    return VG_ERR;
}

static int read_link_flags(grade_env_t *e)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/lib/runner.link", e->rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return vg_error_set("cannot open %s (%s): run make first", path, strerror(errno));
    char word[128];
    while (fscanf(f, "%127s", word) == 1) {
        if (e->n_libs == ENV_MAX_LIBS) {
            fclose(f);
            return vg_error_set("%s: more than %d flags", path, ENV_MAX_LIBS);
        }
        snprintf(e->libs[e->n_libs++], sizeof e->libs[0], "%s", word);
    }
    fclose(f);
    return VG_OK;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Release mode: --reference-data DIR, or a build without runner-ref in a
 * root holding refdata/ (what the student release unpacks to). */
static int locate_refdata(grade_env_t *e, const char *refdata_opt)
{
    char dir[PATH_MAX];
    if (refdata_opt) {
        if (!realpath(refdata_opt, dir) || !is_dir(dir))
            return vg_error_set("--reference-data %s: not a directory", refdata_opt);
    } else {
        if (is_file(e->runner_ref) ||
            pathfmt(dir, sizeof dir, "%s/refdata", e->root) || !is_dir(dir))
            return VG_OK;
    }
    e->release = 1;
    if (pathfmt(e->refdata, sizeof e->refdata, "%s", dir) ||
        pathfmt(e->runner_eval, sizeof e->runner_eval, "%s/runner-eval", dir))
        return VG_ERR;
    if (!is_file(e->runner_eval) || access(e->runner_eval, X_OK) != 0)
        return vg_error_set("%s is missing or not executable: the reference data "
                            "(make release-data) is incomplete", e->runner_eval);
    return VG_OK;
}

int env_prepare_grading(grade_env_t *e, const char *tmp_dir, const char *refdata_opt)
{
    static const char *const ccs[] = { "gcc", "cc", NULL };
    static const char *const objcopies[] = { "objcopy", NULL };
    if (find_in_path(e->cc, sizeof e->cc, ccs))
        return vg_error_set("no C compiler (gcc or cc) in PATH");
    if (find_in_path(e->objcopy, sizeof e->objcopy, objcopies))
        return vg_error_set("no objcopy in PATH (binutils)");
    if (!env_rel_path(e, e->assignment->runner_ref, e->runner_ref, sizeof e->runner_ref))
        return VG_ERR;
    if (locate_refdata(e, refdata_opt))
        return VG_ERR;
    if (!e->release && !is_file(e->runner_ref))
        return vg_error_set("%s is missing: run make first", e->runner_ref);
    if (read_link_flags(e))
        return VG_ERR;
    if (!tmp_dir)
        tmp_dir = getenv("TMPDIR");
    if (!tmp_dir || !tmp_dir[0])
        tmp_dir = "/tmp";
    if (pathfmt(e->work, sizeof e->work, "%s/vaegrade.XXXXXX", tmp_dir))
        return VG_ERR;
    if (!mkdtemp(e->work)) {
        int err = errno;
        e->work[0] = '\0';
        return vg_error_set("cannot make a work directory in %s: %s", tmp_dir, strerror(err));
    }
    return VG_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void env_remove_work(grade_env_t *e)
{
    if (e->work[0])
        nftw(e->work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    e->work[0] = '\0';
}
