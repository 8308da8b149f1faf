/* expected_match.h: a golden run's expectations (tests/grader/expected/
 * <name>.json) read and held against a grade, for every assignment's
 * golden runs (test_submissions.c; the newer assignments through golden_grade.h). */
#ifndef VG_TESTS_EXPECTED_MATCH_H
#define VG_TESTS_EXPECTED_MATCH_H

#include <cjson/cJSON.h>

#include "grader_run.h"

/* expected/<name>.json parsed (the caller deletes it); asserts it exists
 * and is JSON. */
cJSON *expected_load(const char *name);

/* Every check of exp's "checks" graded with its outcome and score, no
 * other check, the total, the fragments its "messages" name in each
 * check's output, and none of those its "absent" names. */
void expected_match(const graded_t *g, const cJSON *exp, const char *name);

#endif
