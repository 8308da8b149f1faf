/* env.h: where the grader's pieces are. The root (include/, fixtures/,
 * grader/profiles/) and the release directory (build/rel: bin/, lib/, the
 * framework's archives) are found from the driver's own executable
 * (/proc/self/exe is <root>/build/rel/bin/vaegrade) or given with --root;
 * the compiler and objcopy from PATH. Not configuration: the profile is. */
#ifndef VG_ENV_H
#define VG_ENV_H

#include <limits.h>
#include <stddef.h>

#include "driver/assignment.h"

#define ENV_MAX_LIBS 32

typedef struct grade_env {
    const assignment_t *assignment; /* what is graded (--assignment) */
    char root[PATH_MAX];
    char rel[PATH_MAX];
    char include[PATH_MAX];     /* realpath of <root>/include */
    char runner_ref[PATH_MAX];
    /* Release mode (grader/README.md, "Release mode"): no runner-ref; the
     * reference's outputs and calibrations come from refdata/, and the
     * short runs' weights are judged by refdata/runner-eval. */
    int release;
    char refdata[PATH_MAX];
    char runner_eval[PATH_MAX];
    char cc[PATH_MAX];
    char objcopy[PATH_MAX];
    size_t n_libs;
    char libs[ENV_MAX_LIBS][128]; /* linker flags from lib/runner.link */
    char work[PATH_MAX];        /* this run's temporary directory */
} grade_env_t;

/* Finds the root and the release directory (root_opt: --root, or NULL) of
 * assignment a, whose API header the root must hold. */
int env_locate(grade_env_t *e, const char *root_opt, const assignment_t *a);
/* A path of the release directory named by the descriptor (its runner-ref,
 * task library, stubs): <rel>/<rel_path>, in buf; NULL when too long. */
const char *env_rel_path(const grade_env_t *e, const char *rel_path, char *buf, size_t cap);
/* What grading needs on top: the compiler, objcopy, the assignment's
 * runner-ref, the link
 * flags, and a fresh work directory under tmp_dir (NULL: $TMPDIR or /tmp).
 * Release mode when refdata_opt (--reference-data) is given, or when the
 * build has no runner-ref and the root holds refdata/ (a student release):
 * then refdata/runner-eval instead of runner-ref. */
int env_prepare_grading(grade_env_t *e, const char *tmp_dir, const char *refdata_opt);
/* Removes the work directory and everything in it. */
void env_remove_work(grade_env_t *e);

#endif
