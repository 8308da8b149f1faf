/* tasks.h: the task tables each tasks_*.c file contributes to the runner's
 * catalogue (tasks.c). A task name is "<function>.<what>". */
#ifndef VG_RUNNER_TASKS_H
#define VG_RUNNER_TASKS_H

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
