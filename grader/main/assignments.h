/* assignments.h: the known assignments, by name (assignments.c). Only the
 * command line looks one up; everything below it is handed the descriptor
 * (driver/assignment.h). */
#ifndef VG_MAIN_ASSIGNMENTS_H
#define VG_MAIN_ASSIGNMENTS_H

#include <stddef.h>

#include "driver/assignment.h"

#define ASSIGNMENT_DEFAULT "cs236-hw2"

/* The assignment called name, or NULL. */
const assignment_t *assignment_find(const char *name);
/* cs236-hw2. */
const assignment_t *assignment_default(void);
/* Every known name, ", "-separated, into buf (for the unknown-name error). */
const char *assignment_names(char *buf, size_t cap);

#endif
