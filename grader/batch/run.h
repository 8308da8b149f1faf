/* run.h: one batch run's state, shared by run.c (which students, the
 * gradebook) and children.c (the child graders). */
#ifndef VG_BATCH_RUN_H
#define VG_BATCH_RUN_H

#include <limits.h>
#include <stdio.h>

#include "batch/batch_internal.h"

typedef struct run {
    const batch_options_t *b;
    const profile_t *p;
    const char *subs;                /* SUBMISSIONS_DIR */
    char **names;                    /* (n) this shard's students, sorted */
    size_t n;
    char key[BATCH_HEX];             /* this grader and its options */
    char (*sub_hash)[BATCH_HEX];     /* (n) each submission's fingerprint */
    double limit_s;                  /* wall-clock seconds per child */
    char self[PATH_MAX];             /* this vaegrade, the children's program */
    char work[PATH_MAX];             /* the children's work folders */
    FILE *progress;
    int tty;                         /* progress is a terminal */
    size_t done, todo;
    batch_totals_t *t;
} run_t;

/* Grades queue's students (indexes into r->names) with child graders;
 * VG_ERR when it could not, or was stopped by SIGINT or SIGTERM. Removes
 * r->work, the children's work folders, at the end. */
int batch_grade_all(run_t *r, const size_t *queue, size_t n_queue);
/* Removes a folder and all in it. */
void batch_remove_tree(const char *path);

#endif
