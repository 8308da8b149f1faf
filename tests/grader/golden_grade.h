/* golden_grade.h: what the golden runs of the newer assignments' graders
 * (test_sta414.c, test_cse599i.c, test_stats305c.c) share: grading a
 * folder with the assignment's whole profile at --jobs 2, every check's
 * outcome and the total, and the run of a submission against its
 * expected/<name>.json (expected_match.h). */
#ifndef VG_TESTS_GOLDEN_GRADE_H
#define VG_TESTS_GOLDEN_GRADE_H

#include "grader_run.h"

/* An assignment as its golden runs see it. */
typedef struct golden {
    const char *assignment;     /* --assignment's value */
    int n_checks;               /* checks in its whole profile */
} golden_t;

/* Grades dir (with extra args) and asserts completion. */
void golden_grade(const golden_t *a, graded_t *g, const char *dir,
                  const char *extra);

/* Every check of g has outcome (and there are a->n_checks of them, and
 * the total is score). */
void golden_expect_all(const golden_t *a, const graded_t *g,
                       const char *outcome, double score, const char *what);

/* The golden run of expected/<name>.json: its "submission" (default:
 * name) under build/submissions, every check's outcome and score, the
 * total, and the fragments its "messages" name. */
void golden_against_expected(const golden_t *a, const char *name);

#endif
