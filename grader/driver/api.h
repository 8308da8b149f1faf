/* api.h: what a submission may contain and call, as data: an assignment's
 * API (its files and the API functions each one defines, from its
 * assignment.h), selected once by main (api_use), and the
 * undefined symbols a compiled file may reference (libm, a little of libc,
 * the framework's public API, the assignment API). The symbol gate
 * (symbols.c) and the weak definitions (cs236-hw2/weak_api.c) follow this
 * list. */
#ifndef VG_API_H
#define VG_API_H

#include <stddef.h>

/* The most files an assignment's API may have (the size of the per-file
 * arrays); api_n_files() is the selected API's count. */
#define API_MAX_FILES 8

typedef struct api_file {
    const char *name;              /* "utils.c" */
    const char *const *functions;  /* NULL-terminated: what it defines */
} api_file_t;

/* An assignment's API: its files, each with the functions it defines. */
typedef struct api {
    const api_file_t *files;
    int n_files;                   /* <= API_MAX_FILES */
    /* The file the others may call into: its reference object is linked
     * under every other file, so a bug in it costs only its own checks
     * (NULL: "utils.c", CS236's; sta414-a3's density.c). */
    const char *base;
} api_t;

/* CS236 HW2's (include/assignment.h), which sysu-hw4 shares. */
extern const api_t api_cs236_hw2;
/* STA414/CSC412 A3's (include/sta414-a3/assignment.h). */
extern const api_t api_sta414_a3;
/* UW CSE 599i HW2's (include/cse599i-hw2/assignment.h). */
extern const api_t api_cse599i_hw2;
/* Stanford STATS 305C HW6's (include/stats305c-hw6/assignment.h). */
extern const api_t api_stats305c_hw6;

/* Selects the API every call below sees: the assignment's, once, by main
 * before anything reads it. Until then, cs236-hw2's. */
void api_use(const api_t *api);
int api_n_files(void);
const api_file_t *api_files(void);           /* (api_n_files()) */
const api_file_t *api_file_find(const char *name);
/* The index of name in api_files(), or -1. */
int api_file_index(const char *name);

/* The selected API's base file ("utils.c" when it names none). */
const char *api_base_file(void);

/* 1 when file defines function (an API function of that file). */
int api_defines(const api_file_t *file, const char *function);
/* 1 when a submission's object may reference symbol: any API function,
 * libm, the listed libc calls, the framework's public API. */
int api_may_call(const char *symbol);
/* The index in api_files() of the file whose API defines symbol, or -1. */
int api_owner(const char *symbol);
/* 1 when symbol is in api_framework_public. */
int api_is_framework(const char *symbol);

/* Every function a header of include/ declares and libframework.a defines
 * (NULL-terminated), generated at build time by tools/framework_api.sh
 * into build/rel/gen/framework_api.c: all of it is the public API a
 * submission may call, whatever it does (I/O is trapped at run time). */
extern const char *const api_framework_public[];

#endif
