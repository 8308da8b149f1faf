/* report.h: the terminal report of a grading: files and builds, one line
 * per check with its points and outcome, the details of every check that
 * did not pass, and the total with the elapsed time at the bottom. Colour
 * only when the stream is a terminal (and NO_COLOR is unset). Not the
 * results file: that is results.c, and it is written whatever this prints. */
#ifndef VG_REPORT_H
#define VG_REPORT_H

#include <stdio.h>

#include "driver/grade.h"
#include "driver/profile.h"

void report_print(FILE *f, const grade_run_t *g, const profile_t *p,
                  const char *results_path);

#endif
