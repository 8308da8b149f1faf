/* jail.c: the compile jail of jail.h. The parent works out every path and
 * flag (jail_setup); the child (jail_enter), forked from a threaded driver,
 * only makes system calls with them: unshare, mount, pivot_root, setuid.
 * The same steps as bubblewrap's, without its setuid binary or a package. */
#include "sandbox/jail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "driver/copy_file.h"
#include "driver/pathfmt.h"
#include "sandbox/sandbox.h"
#include "vg_error.h"

#define PROBE_TIMEOUT_S 30
#define NOBODY 65534

int jail_try_parse(jail_try_t *t, const char *word)
{
    static const char *const words[] = { "auto", "namespace", "uid", "none" };
    for (int i = 0; i < 4; i++)
        if (strcmp(word, words[i]) == 0) {
            *t = (jail_try_t)i;
            return VG_OK;
        }
    return vg_error_set("--compile-isolation %s: expected auto, namespace, uid "
                        "or none", word);
}

/* ---- the child's side: system calls only ---------------------------------- */

/* dst = a + b, NUL-terminated; 0 when it does not fit. */
static int join(char *dst, size_t cap, const char *a, const char *b)
{
    size_t n = 0;
    for (const char *s = a; *s; s++)
        if (n + 1 < cap)
            dst[n++] = *s;
        else
            return 0;
    for (const char *s = b; *s; s++)
        if (n + 1 < cap)
            dst[n++] = *s;
        else
            return 0;
    dst[n] = '\0';
    return 1;
}

/* mkdir -p of path's components after the first `from` bytes (which
 * exist); with last = 0 the final component is left (a file's parent). */
static int mkdir_below(char *path, size_t from, int last)
{
    size_t n = 0;
    while (path[n])
        n++;
    for (size_t i = from + 1; i <= n; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        if (path[i] == '\0' && !last)
            break;
        char c = path[i];
        path[i] = '\0';
        int rc = mkdir(path, 0755);
        path[i] = c;
        if (rc != 0 && errno != EEXIST)
            return errno;
    }
    return 0;
}

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    size_t n = 0;
    while (text[n])
        n++;
    ssize_t w = write(fd, text, n);
    int e = w == (ssize_t)n ? 0 : (w < 0 ? errno : EIO);
    close(fd);
    return e;
}

/* Binds src at root+path (made first), then remounts it with flags. */
static int bind_at(const char *root, size_t root_len, const char *path,
                   const char *src, int is_file, unsigned long flags)
{
    char at[2 * PATH_MAX];
    if (!join(at, sizeof at, root, path))
        return ENAMETOOLONG;
    int e = mkdir_below(at, root_len, !is_file);
    if (e)
        return e;
    if (is_file) {
        int fd = open(at, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return errno;
        close(fd);
    }
    if (mount(src, at, NULL, MS_BIND | MS_REC, NULL) != 0 ||
        mount(NULL, at, NULL, flags, NULL) != 0)
        return errno;
    return 0;
}

static int enter_namespace(const jail_t *j, const char *rw_dir)
{
    if (j->userns) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0)
            return errno;
        int e = write_text("/proc/self/setgroups", "deny");
        if (e || (e = write_text("/proc/self/uid_map", j->uid_map)) ||
            (e = write_text("/proc/self/gid_map", j->gid_map)))
            return e;
    } else if (unshare(CLONE_NEWNS) != 0) {
        return errno;
    }
    /* Nothing we mount may propagate back to the host's namespace. */
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return errno;
    if (mount("tmpfs", j->root, "tmpfs", MS_NOSUID | MS_NODEV,
              "size=1m,nr_inodes=256,mode=0755") != 0)
        return errno;
    size_t root_len = 0;
    while (j->root[root_len])
        root_len++;
    char at[2 * PATH_MAX];
    for (size_t i = 0; i < j->n_ops; i++) {
        const jail_op_t *op = &j->ops[i];
        int e = 0;
        if (op->kind == JAIL_LINK) {
            if (!join(at, sizeof at, j->root, op->path))
                return ENAMETOOLONG;
            if ((e = mkdir_below(at, root_len, 0)) == 0 && symlink(op->src, at) != 0)
                e = errno;
        } else {
            e = bind_at(j->root, root_len, op->path, op->src,
                        op->kind == JAIL_BIND_FILE, op->remount);
        }
        if (e)
            return e;
    }
    int e = bind_at(j->root, root_len, rw_dir, rw_dir, 0, j->rw_remount);
    if (e)
        return e;
    /* The root itself read-only: the work directory is the one place the
     * compiler writes. */
    if (mount(NULL, j->root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
              NULL) != 0)
        return errno;
    /* pivot_root, not chroot: the old root is detached, so there is nothing
     * left above "/" to climb back to. */
    if (chdir(j->root) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 ||
        umount2(".", MNT_DETACH) != 0 || chdir("/") != 0)
        return errno;
    return 0;
}

static int drop_to(const jail_t *j)
{
    gid_t g = j->gid;
    if (setgroups(1, &g) != 0 || setgid(j->gid) != 0 || setuid(j->uid) != 0)
        return errno;
    return 0;
}

int jail_enter(const void *arg)
{
    const jail_call_t *c = arg;
    const jail_t *j = c->jail;
    int e = 0;
    if (j->tier == JAIL_NAMESPACE)
        e = enter_namespace(j, c->rw_dir);
    if (!e && j->drop)
        e = drop_to(j);
    if (!e && j->tier != JAIL_NONE && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        e = errno;
    if (!e && chdir(c->rw_dir) != 0)
        e = errno;
    return e;
}

/* ---- the parent's side ------------------------------------------------------ */

static int copy_headers(const char *from, const char *to)
{
    if (mkdir(to, 0755) != 0 && errno != EEXIST)
        return vg_error_set("cannot make %s: %s", to, strerror(errno));
    chmod(to, 0755);
    DIR *d = opendir(from);
    if (!d)
        return vg_error_set("cannot read %s: %s", from, strerror(errno));
    int rc = VG_OK;
    struct dirent *e;
    char src[PATH_MAX], dst[PATH_MAX];
    while (rc == VG_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        /* A further assignment's API is include/<name>/assignment.h: its
         * folder is copied too (the compile adds -I<copy>/<name>). */
        struct stat st;
        if (e->d_name[0] != '.' && pathfmt(src, sizeof src, "%s/%s", from, e->d_name) == 0 &&
            lstat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (pathfmt(dst, sizeof dst, "%s/%s", to, e->d_name) || copy_headers(src, dst))
                rc = VG_ERR;
            continue;
        }
        if (n < 3 || strcmp(e->d_name + n - 2, ".h") != 0)
            continue;
        /* 0644 whatever the umask: the jail's uid reads the copies. */
        if (pathfmt(src, sizeof src, "%s/%s", from, e->d_name) ||
            pathfmt(dst, sizeof dst, "%s/%s", to, e->d_name) ||
            copy_file(src, dst, 0644))
            rc = VG_ERR;
    }
    closedir(d);
    return rc;
}

/* The flags a read-only (or, rw, read-write) bind of path is remounted
 * with: ours plus those of the mount it sits on, which a user namespace
 * may not clear (atime, noexec). */
static unsigned long remount_flags(const char *path, int rw)
{
    unsigned long f = MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | (rw ? 0 : MS_RDONLY);
    struct statvfs sv;
    if (statvfs(path, &sv) == 0)
        f |= sv.f_flag & (ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
    return f;
}

static int add_op(jail_t *j, int kind, const char *path, const char *src)
{
    if (j->n_ops == JAIL_MAX_OPS)
        return vg_error_set("jail: more than %d mounts", JAIL_MAX_OPS);
    jail_op_t *op = &j->ops[j->n_ops];
    op->kind = kind;
    if (pathfmt(op->path, sizeof op->path, "%s", path) ||
        pathfmt(op->src, sizeof op->src, "%s", src))
        return VG_ERR;
    op->remount = remount_flags(src, 0);
    j->n_ops++;
    return VG_OK;
}

/* The toolchain: /usr whole, the top-level directories of a merged /usr
 * (links, or directories of their own on older systems), the loader's
 * cache and the alternatives links (cc -> gcc). */
static int add_system(jail_t *j)
{
    static const char *const tops[] = {
        "/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32", NULL,
    };
    static const char *const etc[] = { "/etc/ld.so.cache", "/etc/alternatives", NULL };
    for (size_t i = 0; tops[i]; i++) {
        struct stat st;
        if (lstat(tops[i], &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t n = readlink(tops[i], target, sizeof target - 1);
            if (n <= 0)
                continue;
            target[n] = '\0';
            if (add_op(j, JAIL_LINK, tops[i], target))
                return VG_ERR;
        } else if (S_ISDIR(st.st_mode) && add_op(j, JAIL_BIND_DIR, tops[i], tops[i])) {
            return VG_ERR;
        }
    }
    for (size_t i = 0; etc[i]; i++) {
        struct stat st;
        if (stat(etc[i], &st) != 0)
            continue;
        if (add_op(j, S_ISDIR(st.st_mode) ? JAIL_BIND_DIR : JAIL_BIND_FILE, etc[i], etc[i]))
            return VG_ERR;
    }
    return VG_OK;
}

static void ids_for(jail_t *j, long uid)
{
    j->uid = NOBODY;
    j->gid = NOBODY;
    if (uid >= 0) {
        j->uid = (uid_t)uid;
        j->gid = (gid_t)uid;
        return;
    }
    /* getpwnam reads /etc/passwd once, here, before any thread forks. */
    struct passwd *pw = getpwnam("nobody");
    if (pw) {
        j->uid = pw->pw_uid;
        j->gid = pw->pw_gid;
    }
}

/* Compiles a probe in the jail: that the toolchain works there, and
 * (namespace tier) that a grader path is not even visible. */
static int probe(const jail_t *j, const grade_env_t *env, const char *cc,
                 char *why, size_t why_len)
{
    char dir[PATH_MAX], src[PATH_MAX + 16], obj[PATH_MAX + 16], inc[PATH_MAX + 8];
    char secret[PATH_MAX + 32];
    if (pathfmt(dir, sizeof dir, "%s/probe", env->work) ||
        pathfmt(src, sizeof src, "%s/probe.c", dir) ||
        pathfmt(obj, sizeof obj, "%s/probe.o", dir) ||
        pathfmt(inc, sizeof inc, "-I%s", j->include) ||
        pathfmt(secret, sizeof secret, "%s/include/assignment.h", env->root))
        return VG_ERR;
    if ((mkdir(dir, 0700) != 0 && errno != EEXIST) || jail_own_dir(j, dir))
        return vg_error_set("cannot make %s: %s", dir, strerror(errno));
    FILE *f = fopen(src, "w");
    if (!f)
        return vg_error_set("cannot write %s: %s", src, strerror(errno));
    /* The grader's own include/ (not the copy) stands for every grader path. */
    fprintf(f, "#include <math.h>\n#include <stdio.h>\n#include \"assignment.h\"\n"
            "#if %d && __has_include(\"%s\")\n#error the grader's files are visible\n"
            "#endif\nint vg_probe(void);\nint vg_probe(void) { return (int)sqrt(4.0); }\n",
            j->tier == JAIL_NAMESPACE, secret);
    fclose(f);
    if (j->drop && chown(src, j->uid, j->gid) != 0)
        return vg_error_set("cannot chown %s: %s", src, strerror(errno));
    char *argv[] = { (char *)cc, "-std=c11", "-O2", inc, "-c", src, "-o", obj, NULL };
    char tmpdir[PATH_MAX + 8];
    pathfmt(tmpdir, sizeof tmpdir, "TMPDIR=%s", dir);
    char *envp[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", tmpdir, NULL };
    jail_call_t call = { j, dir };
    sandbox_limits_t lim = {
        .wall_s = PROBE_TIMEOUT_S, .cpu_s = PROBE_TIMEOUT_S + 1, .mem_bytes = 2048ul << 20,
        .nproc = -1, .output_limit = 4096, .child_setup = jail_enter, .child_arg = &call,
    };
    sandbox_run_t r;
    if (sandbox_run(&r, argv, envp, &lim, 0, NULL, 0) != VG_OK)
        return VG_ERR;
    int ok = r.started && r.exited && r.exit_code == 0;
    if (!r.started)
        snprintf(why, why_len, "entering it or starting the compiler in it: %s",
                 r.start_error);
    else if (!ok)
        snprintf(why, why_len, "a probe did not compile in it: %.300s", r.err);
    sandbox_run_free(&r);
    return ok ? VG_OK : VG_ERR;
}

/* The grader's secrets, which the uid tier's uid must not even see (the
 * three directories themselves are public knowledge: stat of a directory
 * needs only its parent). */
static size_t secret_paths(const grade_env_t *env, char out[][PATH_MAX], size_t cap)
{
    static const char *const rel[] = {
        "reference/utils.c", "reference/vae.c", "fixtures/golden",
        "fixtures/golden/reference.json", "fixtures/hidden",
        "fixtures/thresholds.json", "build/rel", "build/rel/ref-cache",
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof rel / sizeof rel[0] && n < cap; i++)
        if (pathfmt(out[n], PATH_MAX, "%s/%s", env->root, rel[i]) == VG_OK)
            n++;
    return n;
}

/* As the jail's uid (in a child), stat each secret: the names it could see
 * go into seen (comma-separated). Returns the number seen, or -1. */
static int secrets_seen(const jail_t *j, const grade_env_t *env, char *seen, size_t cap)
{
    char paths[16][PATH_MAX];
    size_t n = secret_paths(env, paths, 16);
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        if (drop_to(j) != 0)
            _exit(1);
        for (size_t i = 0; i < n; i++) {
            struct stat st;
            unsigned char idx = (unsigned char)i;
            if (stat(paths[i], &st) == 0 && write(p[1], &idx, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    unsigned char idx;
    int count = 0;
    seen[0] = '\0';
    while (read(p[0], &idx, 1) == 1)
        if (idx < n) {
            size_t len = strlen(seen);
            snprintf(seen + len, cap - len, "%s%s", count ? ", " : "",
                     paths[idx] + strlen(env->root) + 1);
            count++;
        }
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? count : -1;
}

static int setup_namespace(jail_t *j, const grade_env_t *env)
{
    j->tier = JAIL_NAMESPACE;
    j->n_ops = 0;
    if (geteuid() == 0) {
        j->userns = 0;
        j->drop = 1;
    } else {
        /* Our own ids, mapped to themselves: the mounts are made with the
         * namespace's capabilities, which exec then drops (uid != 0). */
        j->userns = 1;
        j->drop = 0;
        snprintf(j->uid_map, sizeof j->uid_map, "%u %u 1\n", (unsigned)geteuid(),
                 (unsigned)geteuid());
        snprintf(j->gid_map, sizeof j->gid_map, "%u %u 1\n", (unsigned)getegid(),
                 (unsigned)getegid());
    }
    if (pathfmt(j->root, sizeof j->root, "%s/jail-root", env->work))
        return VG_ERR;
    if (mkdir(j->root, 0755) != 0 && errno != EEXIST)
        return vg_error_set("cannot make %s: %s", j->root, strerror(errno));
    if (add_system(j) || add_op(j, JAIL_BIND_DIR, j->include, j->include))
        return VG_ERR;
    j->rw_remount = remount_flags(env->work, 1);
    return VG_OK;
}

int jail_setup(jail_t *j, const grade_env_t *env, jail_try_t tried, long uid)
{
    memset(j, 0, sizeof *j);
    char work_real[PATH_MAX], inc[PATH_MAX + 16];
    if (!realpath(env->work, work_real))
        return vg_error_set("cannot resolve %s: %s", env->work, strerror(errno));
    if (pathfmt(inc, sizeof inc, "%s/include", work_real) ||
        pathfmt(j->include, sizeof j->include, "%s", inc) ||
        copy_headers(env->include, j->include))
        return VG_ERR;
    int root = geteuid() == 0;
    ids_for(j, uid);
    /* The compiler's uid must reach its own directory below the work
     * directory: traverse, not list. */
    if (root && chmod(env->work, 0711) != 0)
        return vg_error_set("cannot chmod %s: %s", env->work, strerror(errno));
    char why_ns[512] = "not tried", why_uid[512] = "not tried";

    if (tried == JAIL_TRY_AUTO || tried == JAIL_TRY_NAMESPACE) {
        if (setup_namespace(j, env))
            return VG_ERR;
        if (probe(j, env, env->cc, why_ns, sizeof why_ns) == VG_OK) {
            snprintf(j->summary, sizeof j->summary, "compile isolation: private "
                     "mount namespace%s (an empty root holding /usr, the course "
                     "headers and the file alone), compiler as uid %u",
                     j->userns ? " in a user namespace" : "",
                     (unsigned)(j->drop ? j->uid : geteuid()));
            return VG_OK;
        }
        if (!why_ns[0])
            snprintf(why_ns, sizeof why_ns, "%s", vg_error_last());
    }
    memset(j->ops, 0, sizeof j->ops);
    j->n_ops = 0;
    j->userns = 0;
    if ((tried == JAIL_TRY_AUTO || tried == JAIL_TRY_UID) && root) {
        j->tier = JAIL_UID;
        j->drop = 1;
        char seen[1024];
        int n_seen = secrets_seen(j, env, seen, sizeof seen);
        if (n_seen < 0) {
            snprintf(why_uid, sizeof why_uid, "cannot switch to uid %u", (unsigned)j->uid);
        } else if (n_seen > 0) {
            snprintf(why_uid, sizeof why_uid, "uid %u can see the grader's %s "
                     "(make reference/, fixtures/ and build/ mode 0700, owned by "
                     "the grader's user)", (unsigned)j->uid, seen);
        } else if (probe(j, env, env->cc, why_uid, sizeof why_uid) == VG_OK) {
            snprintf(j->summary, sizeof j->summary, "compile isolation: compiler "
                     "as uid %u, which cannot see reference/, fixtures/ or build/ "
                     "(no namespace: %s)", (unsigned)j->uid, why_ns);
            return VG_OK;
        }
    } else if (tried == JAIL_TRY_AUTO || tried == JAIL_TRY_UID) {
        snprintf(why_uid, sizeof why_uid, "the grader is not root, so it has no "
                 "other uid to give the compiler");
    }
    j->tier = JAIL_NONE;
    j->drop = 0;
    snprintf(j->summary, sizeof j->summary, "compile isolation: NONE, the compiler "
             "could read every file the grader can (namespace: %s; uid: %s)",
             why_ns, why_uid);
    return VG_OK;
}

int jail_own_dir(const jail_t *j, const char *dir)
{
    if (!j->drop)
        return VG_OK;
    if (chown(dir, j->uid, j->gid) != 0)
        return vg_error_set("cannot chown %s to uid %u: %s", dir, (unsigned)j->uid,
                            strerror(errno));
    return VG_OK;
}
