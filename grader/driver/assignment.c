/* assignment.c: what a descriptor answers (assignment.h); the known
 * assignments themselves are main/assignments.c's. */
#include "driver/assignment.h"

#include <string.h>

int assignment_asks(const assignment_t *a, const char *file)
{
    for (size_t i = 0; a->files[i]; i++)
        if (strcmp(a->files[i], file) == 0)
            return 1;
    return 0;
}

const char *assignment_base_file(const assignment_t *a)
{
    return a->api->base ? a->api->base : "utils.c";
}
