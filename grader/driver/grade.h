/* grade.h: one grading of one submission: scan, build each file, run every
 * selected check (each case in fresh runner processes, over --jobs worker
 * threads) and collect outcomes, scores, messages and captured output.
 * Not the output formats: results.c and report.c turn this into files and
 * a table. */
#ifndef VG_GRADE_H
#define VG_GRADE_H

#include <stddef.h>
#include <stdint.h>

#include "driver/build.h"
#include "driver/env.h"
#include "sandbox/jail.h"
#include "driver/profile.h"
#include "driver/ref_cache.h"
#include "driver/submission.h"

/* A runner is stopped at GRADE_WALL_PER_CPU x its CPU budget +
 * GRADE_WALL_EXTRA_S of wall-clock time, far above what a starved one
 * needs (a runner sharing one core with a busy loop and another job gets
 * a third of it; an overloaded machine, less). */
#define GRADE_WALL_PER_CPU 10.0
#define GRADE_WALL_EXTRA_S 60.0

typedef struct grade_options {
    const char *only;        /* comma-separated ids, or NULL for all */
    int hidden;              /* run hidden checks (hidden seeds, fixtures) */
    int have_seed;
    uint64_t seed;           /* --seed: replaces every check's seeds */
    int jobs;                /* worker slots, >= 1 */
    int no_cache;            /* --no-cache: runner-ref always runs */
    jail_try_t isolation;    /* --compile-isolation: the jail tiers tried */
    long compile_uid;        /* --compile-uid, or -1: nobody */
    int require_isolation;   /* no jail is a grader error (official grades) */
    /* --write-reference-data: runner-ref's results and every case's
     * calibration kept, keyed the release's way, in this directory
     * (make release-data); NULL otherwise. */
    const char *write_refdata;
} grade_options_t;

typedef struct check_result {
    const check_conf_t *conf;
    outcome_t outcome;
    double score, max_score; /* points */
    char *message;           /* what happened, with numbers (malloc'd) */
    char *output;            /* the submission's captured output (malloc'd) */
    double seconds;
    size_t n_seeds;          /* the seeds run (the profile's, or --seed) */
    uint64_t seeds[PROFILE_MAX_SEEDS];
} check_result_t;

typedef struct grade_run {
    char dir[4096];
    submission_t sub;
    int scanned;             /* the directory could be read */
    const assignment_t *assignment; /* what was graded (for the reports) */
    file_build_t builds[API_MAX_FILES]; /* by api_files() index */
    jail_t *jail;            /* the compile jail (its summary for the results) */
    int n_built, n_present;
    size_t n_results;
    check_result_t *results; /* selected checks, catalogue order */
    ref_cache_t cache;       /* runner-ref's results kept between grades */
    /* What the submission's release stamp says, if anything (version.h);
     * set by the caller, never a score change. */
    char release_note[512];
    int release;             /* graded from a release's reference data */
    int grader_failed;       /* the grader itself failed somewhere */
    char grader_error[1024];
    double seconds;
} grade_run_t;

/* Whether only (comma-separated ids, as --only takes) names id. */
int grade_only_lists(const char *only, const char *id);
/* Checks that --only names real checks of the profile; VG_ERR naming the
 * first unknown id. */
int grade_validate_only(const profile_t *p, const char *only);

/* Grades dir. Returns VG_ERR only when nothing could be graded at all
 * (no work directory...); otherwise g holds every selected check, and
 * g->grader_failed says whether any part of the grader failed. */
int grade_submission(grade_run_t *g, const grade_env_t *env, const profile_t *p,
                     const char *dir, const grade_options_t *o);
void grade_free(grade_run_t *g);

#endif
