/* hash2.h: the grader's 128-bit content hash (two 64-bit FNV-1a lanes
 * with different offsets and a mix), for keys that tell one build, one
 * fixture set or one submission from another: runner-ref's cache and
 * batch grading's resume. Against accidental collisions among the few
 * thousand keys a course makes; not a cryptographic hash. */
#ifndef VG_HASH2_H
#define VG_HASH2_H

#include <stddef.h>
#include <stdint.h>

typedef struct hash2 {
    uint64_t a, b;
} hash2_t;

#define HASH2_INIT { 0xcbf29ce484222325ull, 0x84222325cbf29ce4ull }

void hash2_bytes(hash2_t *h, const void *p, size_t n);
/* A NUL-terminated string and its terminator, so "ab","c" and "a","bc"
 * hash apart. */
void hash2_str(hash2_t *h, const char *s);
/* The bytes of a file: 0, or -1 when it cannot be read. */
int hash2_file(hash2_t *h, const char *path);
/* Every regular file under dir but dotfiles, in name order (so the hash
 * does not depend on the directory's order), names and bytes: 0, or -1. */
int hash2_tree(hash2_t *h, const char *dir);

#endif
