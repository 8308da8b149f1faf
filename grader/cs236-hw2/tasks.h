/* tasks.h: the task tables each of CS236 HW2's tasks_*.c files contributes;
 * tasks_table.c hands them to the runner core (runner/tasks.c) as this
 * assignment's table. A task name is "<function>.<what>". */
#ifndef VG_CS236_HW2_TASKS_H
#define VG_CS236_HW2_TASKS_H

#include <stddef.h>
#include "runner/runner.h"

extern const runner_task_t tasks_sample[];
extern const size_t n_tasks_sample;
extern const runner_task_t tasks_density[];
extern const size_t n_tasks_density;
extern const runner_task_t tasks_mixture[];
extern const size_t n_tasks_mixture;
extern const runner_task_t tasks_lse[];
extern const size_t n_tasks_lse;
extern const runner_task_t tasks_models[];
extern const size_t n_tasks_models;
extern const runner_task_t tasks_short_runs[];
extern const size_t n_tasks_short_runs;

#endif
