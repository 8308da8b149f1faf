/* symbols.c: the symbol gate (symbols.h), by reading the ELF symbol and
 * section tables with <elf.h> rather than by parsing nm's output, so that
 * the gate sees binding, type and section exactly and never depends on a
 * tool's format. Every offset taken from the file is bounds-checked. */
#include "sandbox/symbols.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

#define MAX_OBJECT_BYTES (64u << 20)

static void problem(gate_report_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(gate_report_t *r, const char *fmt, ...)
{
    r->ok = 0;
    r->n_problems++;
    size_t len = strlen(r->message);
    if (r->n_problems > 12) {
        if (r->n_problems == 13 && len + 8 < sizeof r->message)
            strcat(r->message, "...\n");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message + len, sizeof r->message - len, fmt, ap);
    va_end(ap);
    len = strlen(r->message);
    if (len + 1 < sizeof r->message) {
        r->message[len] = '\n';
        r->message[len + 1] = '\0';
    }
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vg_error_set("symbol gate: cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    unsigned char *buf = malloc(MAX_OBJECT_BYTES);
    size_t n = buf ? fread(buf, 1, MAX_OBJECT_BYTES, f) : 0;
    fclose(f);
    if (!buf)
        vg_error_set("symbol gate: no memory");
    *len = n;
    return buf;
}

static int is_ctor_section(const char *name)
{
    static const char *const prefixes[] = {
        ".init_array", ".fini_array", ".preinit_array", ".ctors", ".dtors",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return strcmp(name, ".init") == 0 || strcmp(name, ".fini") == 0;
}

/* A call from one model file into another's API (or from utils.c into a
 * model's) links, but each file is graded alone: the call reaches the
 * other file's not-implemented stub. Said as a warning, so the student
 * sees why those checks say "not implemented". Model files calling utils.c
 * get the reference's utils.c, as intended (the API's base file:
 * sta414-a3's density.c likewise). */
static void cross_file_call(gate_report_t *r, const char *name,
                            const api_file_t *file, const char *shown)
{
    int owner = api_owner(name);
    const api_file_t *utils = api_file_find(api_base_file());
    if (owner < 0 || &api_files()[owner] == file || &api_files()[owner] == utils)
        return;
    size_t len = strlen(r->warnings);
    snprintf(r->warnings + len, sizeof r->warnings - len,
             "%s: warning: calls %s, which is %s's: each file is graded on its "
             "own, so when graded that call reaches a stub that reports \"not "
             "implemented\" (write what you need in %s itself)\n",
             shown, name, api_files()[owner].name, shown);
}

static const char *string_at(const unsigned char *buf, size_t len,
                             const Elf64_Shdr *strtab, size_t off)
{
    if (!strtab || off >= strtab->sh_size || strtab->sh_offset + strtab->sh_size > len)
        return NULL;
    const char *s = (const char *)buf + strtab->sh_offset + off;
    if (!memchr(s, '\0', strtab->sh_size - off))
        return NULL;
    return s;
}

static void check_symbol(gate_report_t *r, const Elf64_Sym *sym, const char *name,
                         const api_file_t *file, const char *shown)
{
    int bind = ELF64_ST_BIND(sym->st_info), type = ELF64_ST_TYPE(sym->st_info);
    if (!name || !name[0] || type == STT_FILE || type == STT_SECTION)
        return;
    if (type == STT_GNU_IFUNC) {
        problem(r, "%s: %s is an ifunc: its resolver would run before main, "
                "outside the sandbox", shown, name);
        return;
    }
    if (bind == STB_LOCAL)
        return;                       /* static functions and data are fine */
    if (sym->st_shndx == SHN_UNDEF) {
        if (!api_may_call(name))
            problem(r, "%s: calls %s, which submissions may not use (allowed: "
                    "libm, memcpy/memmove/memset, malloc/calloc/realloc/free, "
                    "printf-family output, abort/exit/assert, the functions of "
                    "the course headers in include/ and the assignment API)",
                    shown, name);
        else
            cross_file_call(r, name, file, shown);
        return;
    }
    if (strcmp(name, "main") == 0) {
        problem(r, "%s: defines main: a submission file holds only the "
                "assignment's functions (test it with your own file outside "
                "the submission)", shown);
        return;
    }
    if (type != STT_FUNC || sym->st_shndx == SHN_COMMON) {
        problem(r, "%s: defines the global variable %s: make it static (or "
                "const static), so it cannot collide with the framework's",
                shown, name);
        return;
    }
    if (api_defines(file, name)) {
        r->n_api_defined++;
        return;
    }
    int owner = api_owner(name);
    if (owner >= 0)
        problem(r, "%s: defines %s, which belongs in %s", shown, name,
                api_files()[owner].name);
    else
        problem(r, "%s: defines the global function %s, which is not part of "
                "the assignment: make it static", shown, name);
}

int symbols_gate(gate_report_t *r, const char *object_path,
                 const api_file_t *file, const char *shown)
{
    memset(r, 0, sizeof *r);
    r->ok = 1;
    size_t len;
    unsigned char *buf = read_file(object_path, &len);
    if (!buf)
        return VG_ERR;
    int rc = VG_ERR;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)buf;
    if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_type != ET_REL ||
        eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len ||
        eh->e_shstrndx >= eh->e_shnum) {
        vg_error_set("symbol gate: %s is not an ELF64 relocatable object", object_path);
        goto cleanup;
    }
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(buf + eh->e_shoff);
    const Elf64_Shdr *shstr = &sh[eh->e_shstrndx];
    const Elf64_Shdr *symtab = NULL;
    for (size_t i = 0; i < eh->e_shnum; i++) {
        const char *name = string_at(buf, len, shstr, sh[i].sh_name);
        if (name && is_ctor_section(name))
            problem(r, "%s: has a %s section: constructors and destructors "
                    "(__attribute__((constructor)), ...) would run outside the "
                    "checks", shown, name);
        if (sh[i].sh_type == SHT_SYMTAB)
            symtab = &sh[i];
        if (sh[i].sh_type == SHT_INIT_ARRAY || sh[i].sh_type == SHT_FINI_ARRAY ||
            sh[i].sh_type == SHT_PREINIT_ARRAY)
            if (!name || !is_ctor_section(name))
                problem(r, "%s: has a constructor or destructor array section",
                        shown);
    }
    if (!symtab) {
        /* An object without symbols defines nothing: nothing to refuse. */
        rc = VG_OK;
        goto cleanup;
    }
    if (symtab->sh_link >= eh->e_shnum || symtab->sh_entsize != sizeof(Elf64_Sym) ||
        symtab->sh_offset + symtab->sh_size > len) {
        vg_error_set("symbol gate: %s has a malformed symbol table", object_path);
        goto cleanup;
    }
    const Elf64_Shdr *strtab = &sh[symtab->sh_link];
    const Elf64_Sym *syms = (const Elf64_Sym *)(buf + symtab->sh_offset);
    size_t n = symtab->sh_size / sizeof(Elf64_Sym);
    for (size_t i = 1; i < n; i++)
        check_symbol(r, &syms[i], string_at(buf, len, strtab, syms[i].st_name),
                     file, shown);
    rc = VG_OK;

cleanup:
    free(buf);
    return rc;
}
