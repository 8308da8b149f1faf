/* api.h: what a submission may contain and call, as data: the allowed
 * files, the API functions each one defines (assignment.h), and the
 * undefined symbols a compiled file may reference (libm, a little of libc,
 * the framework's public calls, the API). The symbol gate (symbols.c) and
 * the weak definitions (runner/weak_api.c) follow this list. */
#ifndef VG_API_H
#define VG_API_H

#include <stddef.h>

#define API_N_FILES 5

typedef struct api_file {
    const char *name;              /* "utils.c" */
    const char *const *functions;  /* NULL-terminated: what it defines */
} api_file_t;

const api_file_t *api_files(void);           /* (API_N_FILES) */
const api_file_t *api_file_find(const char *name);
/* The index of name in api_files(), or -1. */
int api_file_index(const char *name);

/* 1 when file defines function (an API function of that file). */
int api_defines(const api_file_t *file, const char *function);
/* 1 when a submission's object may reference symbol: any API function,
 * libm, the listed libc and framework calls. */
int api_may_call(const char *symbol);

#endif
