/* tasks_table.c: cse599i-hw2's runner tasks as the one table the runner
 * core looks a task up in (runner/tasks.h). */
#include "cse599i-hw2/tasks.h"
#include "runner/tasks.h"

const runner_task_table_t runner_assignment_tables[] = {
    { cse_tasks_kl, &n_cse_tasks_kl },
    { cse_tasks_elbo, &n_cse_tasks_elbo },
    { cse_tasks_is, &n_cse_tasks_is },
    { cse_tasks_flow, &n_cse_tasks_flow },
    { cse_tasks_short_run, &n_cse_tasks_short_run },
};
const size_t n_runner_assignment_tables =
    sizeof runner_assignment_tables / sizeof runner_assignment_tables[0];
