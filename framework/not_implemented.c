/* not_implemented.c: the flag a stub raises. One flag per process is
 * enough because the grader runs every check in a process of its own. */
#include "not_implemented.h"

static const char *first_missing;

void not_implemented(const char *func)
{
    if (!first_missing)
        first_missing = func ? func : "(unnamed)";
}

const char *not_implemented_which(void)
{
    return first_missing;
}

void not_implemented_reset(void)
{
    first_missing = 0;
}
