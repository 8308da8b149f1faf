/* tasks_table.c: sta414-a3's runner tasks as the one table the runner core
 * looks a task up in (runner/tasks.h). */
#include "sta414-a3/tasks.h"
#include "runner/tasks.h"

const runner_task_table_t runner_assignment_tables[] = {
    { s414_tasks_density, &n_s414_tasks_density },
    { s414_tasks_elbo, &n_s414_tasks_elbo },
    { s414_tasks_svi, &n_s414_tasks_svi },
};
const size_t n_runner_assignment_tables =
    sizeof runner_assignment_tables / sizeof runner_assignment_tables[0];
