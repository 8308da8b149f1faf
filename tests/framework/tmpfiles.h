/* tmpfiles.h: throw-away files for the framework tests: a private temporary
 * folder per test, whole-file reads and writes, and in-memory gzip for
 * purpose-built bad inputs. Test helpers only: they abort the test (through
 * Criterion) rather than return errors. */
#ifndef VG_TESTS_TMPFILES_H
#define VG_TESTS_TMPFILES_H

#include <stddef.h>
#include <stdint.h>

/* dir (PATH_MAX) = a new empty folder under $TMPDIR or /tmp. */
void tmp_dir_create(char *dir);
/* Removes dir and everything in it. */
void tmp_dir_remove(const char *dir);
/* out (PATH_MAX) = dir/name. */
void tmp_path(char *out, const char *dir, const char *name);

void tmp_write(const char *path, const void *data, size_t n);
/* *out (malloc'd, *n bytes) = the whole file. */
void tmp_read(uint8_t **out, size_t *n, const char *path);

/* *out (malloc'd, *n bytes) = data gzip-compressed (one member). */
void tmp_gzip(uint8_t **out, size_t *n, const void *data, size_t len);

#endif
