/* tasks_table.c: stats305c-hw6's runner tasks as the one table the runner
 * core looks a task up in (runner/tasks.h). */
#include "stats305c-hw6/tasks.h"
#include "runner/tasks.h"

const runner_task_table_t runner_assignment_tables[] = {
    { s305_tasks_optim, &n_s305_tasks_optim },
    { s305_tasks_classifier, &n_s305_tasks_classifier },
    { s305_tasks_vae, &n_s305_tasks_vae },
};
const size_t n_runner_assignment_tables =
    sizeof runner_assignment_tables / sizeof runner_assignment_tables[0];
