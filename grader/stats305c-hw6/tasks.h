/* tasks.h: the task tables of stats305c-hw6's tasks_*.c files, which
 * tasks_table.c hands to the runner core (runner/tasks.h). A task name is
 * "<function>.<what>". */
#ifndef VG_S305_TASKS_H
#define VG_S305_TASKS_H

#include <stddef.h>
#include "runner/runner.h"

extern const runner_task_t s305_tasks_optim[];
extern const size_t n_s305_tasks_optim;
extern const runner_task_t s305_tasks_classifier[];
extern const size_t n_s305_tasks_classifier;
extern const runner_task_t s305_tasks_vae[];
extern const size_t n_s305_tasks_vae;

#endif
