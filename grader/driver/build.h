/* build.h: turns one submitted file into its own runner. The file is
 * copied into the work directory, compiled alone with fixed flags (never
 * the submission's Makefile) under a timeout, its includes and symbols
 * gated, its malloc/calloc/realloc renamed to the allocation guard, and it
 * is linked with the not-implemented stubs of the other files (and, under a
 * model file, the REFERENCE utils.c), so a file reaches no other file's
 * implementation and a bug in one file costs only that file's checks. The
 * compiler runs in the compile jail (jail.h). Not the checks: grade.c runs
 * them with the runner built here. */
#ifndef VG_BUILD_H
#define VG_BUILD_H

#include <limits.h>

#include "driver/env.h"
#include "sandbox/jail.h"
#include "driver/profile.h"
#include "driver/submission.h"

typedef enum { BUILD_MISSING = 0, BUILD_OK, BUILD_REFUSED } build_state_t;

typedef struct file_build {
    build_state_t state;
    char runner[PATH_MAX];   /* runner-sub-<file> when state is BUILD_OK */
    char object[PATH_MAX];   /* the gated, guarded object when BUILD_OK */
    char *log;               /* the compiler's output (malloc'd, may be "") */
    char reason[4096];       /* when refused: why, with names */
    double seconds;
} file_build_t;

/* The fixed flags, for the README and the results' output. */
const char *build_flags_text(void);

/* Builds file api_files()[index] found as sf. VG_ERR only when the grader
 * itself failed (no work directory, cannot start the compiler); a file that
 * does not compile or is refused is VG_OK with state BUILD_REFUSED.
 * utils_obj: what a model file links for utils.c's functions (the
 * reference's lib/ref/utils.o; in release mode the student's own utils.c's
 * object), or NULL for the not-implemented stubs. */
int build_file(file_build_t *fb, const grade_env_t *env, const jail_t *jail,
               const profile_t *p, const sub_file_t *sf, int index,
               const char *utils_obj);
void build_free(file_build_t *fb);

#endif
