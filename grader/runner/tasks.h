/* tasks.h: how the runner core (tasks.c) finds a task. The core holds the
 * runner's own self-test tasks ("runner.*"); every other task belongs to
 * an assignment, whose task library (grader/<assignment>/tasks_table.c)
 * defines runner_assignment_tables. A runner links the core and exactly
 * one assignment's library. */
#ifndef VG_RUNNER_TASKS_H
#define VG_RUNNER_TASKS_H

#include <stddef.h>
#include "runner/runner.h"

typedef struct runner_task_table {
    const runner_task_t *tasks;
    const size_t *n;
} runner_task_table_t;

/* Defined by the assignment's task library. */
extern const runner_task_table_t runner_assignment_tables[];
extern const size_t n_runner_assignment_tables;

#endif
