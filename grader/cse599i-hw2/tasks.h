/* tasks.h: the task tables of cse599i-hw2's tasks_*.c files, which
 * tasks_table.c hands to the runner core (runner/tasks.h). A task name is
 * "<function>.<what>". */
#ifndef VG_CSE599I_TASKS_H
#define VG_CSE599I_TASKS_H

#include <stddef.h>
#include "runner/runner.h"

extern const runner_task_t cse_tasks_kl[];
extern const size_t n_cse_tasks_kl;
extern const runner_task_t cse_tasks_elbo[];
extern const size_t n_cse_tasks_elbo;
extern const runner_task_t cse_tasks_is[];
extern const size_t n_cse_tasks_is;
extern const runner_task_t cse_tasks_flow[];
extern const size_t n_cse_tasks_flow;
extern const runner_task_t cse_tasks_short_run[];
extern const size_t n_cse_tasks_short_run;

#endif
