/* tasks.h: the task tables of sta414-a3's tasks_*.c files, which
 * tasks_table.c hands to the runner core (runner/tasks.h). A task name is
 * "<function>.<what>". */
#ifndef VG_STA414_TASKS_H
#define VG_STA414_TASKS_H

#include <stddef.h>
#include "runner/runner.h"

extern const runner_task_t s414_tasks_density[];
extern const size_t n_s414_tasks_density;
extern const runner_task_t s414_tasks_elbo[];
extern const size_t n_s414_tasks_elbo;
extern const runner_task_t s414_tasks_svi[];
extern const size_t n_s414_tasks_svi;

#endif
