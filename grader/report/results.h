/* results.h: a grading as a results file, Gradescope's results.json or
 * PrairieLearn's results JSON, built with cJSON (so any message, quotes
 * and all, stays valid JSON) and written atomically: a temporary file in
 * the same directory, fsync, rename. Not the terminal table (report.h). */
#ifndef VG_RESULTS_H
#define VG_RESULTS_H

#include "driver/grade.h"
#include "driver/profile.h"

typedef enum { RESULTS_GRADESCOPE = 0, RESULTS_PRAIRIELEARN } results_format_t;

/* The document for g (g may hold no results when nothing could be graded;
 * note then says why). Returns malloc'd text or NULL. */
char *results_render(const grade_run_t *g, const profile_t *p,
                     results_format_t fmt, const char *note);
/* Replaces path with text in one step: readers see the old file or the new
 * one, never a part. */
int results_write_atomic(const char *path, const char *text);

#endif
