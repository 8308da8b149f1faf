/* tasks_table.c: CS236 HW2's runner tasks as the one table the runner core
 * looks a task up in (runner/tasks.h). Each assignment's task library
 * defines runner_assignment_tables; a runner links exactly one. */
#include "cs236-hw2/tasks.h"
#include "runner/tasks.h"

const runner_task_table_t runner_assignment_tables[] = {
    { tasks_sample, &n_tasks_sample },
    { tasks_density, &n_tasks_density },
    { tasks_mixture, &n_tasks_mixture },
    { tasks_lse, &n_tasks_lse },
    { tasks_models, &n_tasks_models },
    { tasks_short_runs, &n_tasks_short_runs },
};
const size_t n_runner_assignment_tables =
    sizeof runner_assignment_tables / sizeof runner_assignment_tables[0];
