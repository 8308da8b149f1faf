/* batch.h: `vaegrade batch`, a class's folder of submissions graded into
 * one results file per student, a gradebook CSV and a summary; resumable,
 * sharded (--shard K/N) and merged (--merge). Each student is graded by a
 * child `vaegrade grade`, so a crash or hang of the grader costs only that
 * student's row. Not the grading itself (grade.h) nor its formats
 * (results.h): the gradebook is built from the results files the children
 * wrote. grader/README.md, "Batch grading", says how it is used. */
#ifndef VG_BATCH_H
#define VG_BATCH_H

#include <stddef.h>
#include <stdio.h>

#include "driver/env.h"
#include "driver/profile.h"

#define BATCH_MAX_PASS 64
#define BATCH_MAX_MERGE 1024

typedef struct batch_options {
    const char *out;            /* --out DIR */
    unsigned shard_k, shard_n;  /* --shard K/N; 0/1 when absent */
    double timeout_s;           /* --timeout S per submission; 0: the profile's */
    int grade_jobs;             /* --grade-jobs: each child's --jobs */
    int jobs;                   /* --jobs: children at once */
    const char *grader;         /* --grader CMD, in place of this vaegrade (tests) */
    const char *tmp;            /* --tmp: where the children's work goes */
    const char *only;           /* --only, for the columns */
    int have_seed;              /* --seed replaces each check's seeds */
    const char *merge_out;      /* --merge OUTDIR DIR...: no grading */
    const char *merge_dirs[BATCH_MAX_MERGE];
    size_t n_merge;
    /* The grade options every child gets, as typed (validated by main). */
    const char *pass[BATCH_MAX_PASS];
    size_t n_pass;
} batch_options_t;

/* Takes argv[*i] when it is a batch option (and its value, moving *i):
 * 1 taken, 0 not a batch option, VG_ERR a bad value (message set). */
int batch_parse_option(batch_options_t *b, int argc, char **argv, int *i);
/* Records a grade option (a, and v unless NULL) for the children, and
 * reads what the batch itself needs of it. VG_ERR when it has no place in
 * a batch (--json, --keep-work) or there are too many. */
int batch_pass_option(batch_options_t *b, const char *a, const char *v);

typedef struct batch_totals {
    size_t students, graded, skipped, failed;
} batch_totals_t;

/* Grades every student folder of subs (this shard's) into b->out, then
 * writes the gradebook and summary. progress: a line per student (or one
 * line rewritten, when it is a terminal). VG_ERR when the batch could not
 * run or was interrupted; a student the grader failed on is a row. */
int batch_run(batch_totals_t *t, const batch_options_t *b, const char *subs,
              const grade_env_t *env, const profile_t *p, FILE *progress);

/* Joins the shard outputs b->merge_dirs into one gradebook and summary in
 * b->merge_out, the same bytes as one unsharded run's. */
int batch_merge(batch_totals_t *t, const batch_options_t *b);

#endif
