/* assignment.h: an assignment as a thing the driver is given
 * (vaegrade ... --assignment NAME): its name and title, where its API
 * header is, the student files it asks for, its default profiles, its
 * check catalogue, and the runner pieces a submission is linked with.
 * The type only: the known assignments are main/assignments.c's table
 * (main picks one and hands it down); the profile, not this, decides
 * points, seeds and knobs. grader/README.md, "Adding an assignment", says how one is
 * added. */
#ifndef VG_ASSIGNMENT_H
#define VG_ASSIGNMENT_H

#include <stddef.h>

#include "driver/api.h"
#include "driver/checks.h"

typedef struct assignment {
    const char *name;            /* "cs236-hw2" */
    const char *title;           /* "Stanford CS236 Homework 2 (VAEs)" */
    /* Its API header is include/<api_dir>/assignment.h; "" for cs236-hw2's
     * include/assignment.h. A student file is compiled with
     * -Iinclude/<api_dir> -Iinclude. */
    const char *api_dir;
    /* Its API as the symbol gate and the file scan see it: the files and
     * the functions each defines (api.h). */
    const api_t *api;
    /* The student files it asks for (NULL-terminated), a subset of the
     * API's files (api.h): any other file of a submission is ignored and
     * counted, never built nor reported missing. */
    const char *const *files;
    /* Relative to the root: the default profile, and the hidden one
     * (--hidden; beside the hidden data, out of the student release). */
    const char *profile;
    const char *hidden_profile;
    /* Its catalogue: the tables of its checks (a borrowed one for an
     * assignment made of another's checks, as sysu-hw4 of cs236-hw2's). */
    const check_table_t *catalogue;
    size_t n_tables;
    /* 1: `vaegrade list` also lists the catalogue's checks its profile
     * leaves out ("not in profile"); 0 for an assignment that borrows a
     * catalogue, which lists exactly its own checks. */
    int list_unprofiled;
    /* Relative to the release directory (build/rel): runner-ref, the
     * runner's task library, the not-implemented stubs and the reference
     * objects a model file's runner links (lib/ref/). */
    const char *runner_ref;
    const char *tasks_lib;
    const char *weak_api;
    const char *ref_dir;
} assignment_t;

/* a's base file (its API's, api.h): the file whose reference object
 * (ref_dir/<stem>.o) every other file's runner links. */
const char *assignment_base_file(const assignment_t *a);

/* 1 when a asks for file ("vae.c"). */
int assignment_asks(const assignment_t *a, const char *file);

#endif
