/* golden_cases.h: the golden values of the reference, computed at fixed
 * seeds on fixed inputs (every utils function and its backward, the
 * framework's probability helpers, and every bound on float64 models of
 * CS236's sizes), and their JSON file. tools/make_golden.c writes the file;
 * test_golden.c recomputes and compares. Not a comparator (numcheck). */
#ifndef VG_TEST_GOLDEN_CASES_H
#define VG_TEST_GOLDEN_CASES_H

#include <stddef.h>

/* Bump when a case's inputs, seeds or list change: a file of another
 * version is refused as stale. */
#define GOLDEN_VERSION 1
#define GOLDEN_PATH "fixtures/golden/reference.json"
#define GOLDEN_REMAKE "make golden"

typedef struct golden_value {
    char name[64];
    size_t n;
    double *v;      /* (n) */
} golden_value_t;

typedef struct golden_set {
    golden_value_t *items;
    size_t n, cap;
} golden_set_t;

/* Every case, in a fixed order, into an empty set. VG_OK or VG_ERR. */
int golden_compute(golden_set_t *set);
void golden_set_free(golden_set_t *set);
const golden_value_t *golden_find(const golden_set_t *set, const char *name);

/* Writes set to path as JSON with its header (format, version, seeds, the
 * command that made it); atomically (temporary file, then rename). */
int golden_write(const golden_set_t *set, const char *path);
/* Reads path into an empty set. A missing file, another format or version
 * is an error whose message says to run GOLDEN_REMAKE. */
int golden_read(golden_set_t *set, const char *path);

#endif
