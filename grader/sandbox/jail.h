/* jail.h: the compile jail. The compiler (gcc and the cc1 and as it runs)
 * works on submission text, and `.incbin`, `.include` and `__has_include`
 * read any path the compiler can: so it runs where nothing of the
 * grader's exists. Three tiers, the best the machine allows, chosen once
 * per grading and said in the results' output:
 *   namespace: a private mount namespace (a user namespace too when not
 *     root) whose root is an empty tmpfs holding read-only binds of the
 *     toolchain (/usr and the merged-usr links, /etc/ld.so.cache), the copy
 *     of the public headers, and the file's own work directory; the compiler
 *     runs there as an unprivileged uid;
 *   uid: as root without namespaces, the compiler runs as an unprivileged
 *     uid, after the driver has verified that this uid can open none of the
 *     grader's secrets (reference/, fixtures/, build/);
 *   none: the compiler runs as the grader does (said; --require-isolation
 *     makes it a grader error).
 * Not the runners' sandbox: they trap every file access with seccomp
 * (runner/sandbox_filter.c). Not the linker's: it links trusted inputs. */
#ifndef VG_JAIL_H
#define VG_JAIL_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "driver/env.h"

typedef enum { JAIL_NONE = 0, JAIL_UID, JAIL_NAMESPACE } jail_tier_t;

/* Which tiers to try: JAIL_TRY_AUTO tries namespace, then uid, then none;
 * the others try that tier only (for tests and for machines whose choice
 * is known), falling to none when it does not work. */
typedef enum {
    JAIL_TRY_AUTO = 0, JAIL_TRY_NAMESPACE, JAIL_TRY_UID, JAIL_TRY_NONE
} jail_try_t;

/* "auto", "namespace", "uid", "none" -> *t; VG_ERR for another word. */
int jail_try_parse(jail_try_t *t, const char *word);

#define JAIL_MAX_OPS 16

/* One step of building the jail's root, precomputed by the parent so that
 * the child (forked from a threaded driver) makes system calls only. */
typedef struct jail_op {
    enum { JAIL_BIND_DIR, JAIL_BIND_FILE, JAIL_LINK } kind;
    char path[PATH_MAX];      /* where, inside the new root */
    char src[PATH_MAX];       /* what: the host path, or a link's target */
    unsigned long remount;    /* the read-only remount's flags */
} jail_op_t;

typedef struct jail {
    jail_tier_t tier;
    char summary[1024];       /* "compile isolation: ...", for the results */
    char include[PATH_MAX];   /* the copy of the public headers (-I) */
    /* What the child does, by tier. */
    int userns;               /* not root: a user namespace mapping our ids */
    char uid_map[48], gid_map[48];
    int drop;                 /* setgid/setuid to uid, gid (root only) */
    uid_t uid;
    gid_t gid;
    char root[PATH_MAX];      /* the tmpfs mount point */
    unsigned long rw_remount; /* the work directory's remount flags */
    size_t n_ops;
    jail_op_t ops[JAIL_MAX_OPS];
} jail_t;

/* Copies env->include's headers into env->work/include, then picks the
 * best tier of those `tried` allows, by compiling a probe with cc in it (and
 * for the uid tier, checking the secrets). uid: the uid (and its group) for
 * the compiler when root, or -1 for "nobody" (65534 without one). VG_ERR
 * only when the grader itself failed (cannot copy the headers); a tier that
 * does not work is said in j->summary. */
int jail_setup(jail_t *j, const grade_env_t *env, jail_try_t tried, long uid);

/* Makes dir (the file's work directory, holding its copy) usable by the
 * jail's uid: owned by it when the compiler drops to it. */
int jail_own_dir(const jail_t *j, const char *dir);

/* The argument of jail_enter: the jail and the one directory the compiler
 * may write (the file's work directory; also its working directory). */
typedef struct jail_call {
    const jail_t *jail;
    const char *rw_dir;
} jail_call_t;

/* Enters the jail in the child between fork and exec: system calls only
 * (async-signal-safe). arg is a jail_call_t. Returns 0, or the errno of
 * the step that failed. */
int jail_enter(const void *arg);

#endif
