/* symbols.h: the symbol gate. Reads a compiled submission object (ELF64
 * relocatable) and refuses it, naming the symbol or section and the file,
 * when it defines anything global but its file's API functions (static
 * helpers are fine), defines main or an ifunc, holds constructor or
 * destructor sections (.init_array, .fini_array, .preinit_array, .ctors,
 * .dtors, .init, .fini), or references a symbol outside api_may_call's
 * allow-list. A call into another assignment file's API is allowed but
 * warned about: when graded it reaches that file's not-implemented stub. Not a sandbox: what the gate cannot see (a raw syscall in
 * inline asm) is the seccomp filter's job at run time. */
#ifndef VG_SYMBOLS_H
#define VG_SYMBOLS_H

#include <stddef.h>
#include "driver/api.h"

typedef struct gate_report {
    int ok;
    size_t n_problems;
    size_t n_api_defined;   /* API functions the object defines */
    char message[2048];     /* one line per problem */
    char warnings[2048];    /* calls that link but reach another file's stub */
} gate_report_t;

/* Returns VG_OK with r filled (r->ok says the verdict), or VG_ERR when the
 * object cannot be read as ELF64 at all. shown_name is the file's name as
 * the student knows it, for messages. */
int symbols_gate(gate_report_t *r, const char *object_path,
                 const api_file_t *file, const char *shown_name);

#endif
