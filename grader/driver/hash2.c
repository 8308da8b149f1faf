/* hash2.c: the content hash of hash2.h. */
#include "driver/hash2.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "driver/pathfmt.h"

#define FNV_PRIME 0x100000001b3ull
/* Bounds of the walk: fixtures/ is two levels deep with a few dozen files. */
#define TREE_MAX_DEPTH 8
#define TREE_MAX_ENTRIES 512

void hash2_bytes(hash2_t *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h->a = (h->a ^ s[i]) * FNV_PRIME;
        h->b = (h->b ^ s[i]) * FNV_PRIME ^ (h->b >> 29);
    }
}

void hash2_str(hash2_t *h, const char *s)
{
    hash2_bytes(h, s, strlen(s) + 1);
}

int hash2_file(hash2_t *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        hash2_bytes(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int hash_tree_at(hash2_t *h, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > TREE_MAX_DEPTH)
        return d ? closedir(d), -1 : -1;
    char *names[TREE_MAX_ENTRIES];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < TREE_MAX_ENTRIES)
        if (e->d_name[0] != '.')
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        if (!names[i] || pathfmt(path, sizeof path, "%s/%s", dir, names[i]) ||
            lstat(path, &st) != 0) {
            rc = -1;
        } else if (S_ISDIR(st.st_mode)) {
            hash2_str(h, names[i]);
            rc |= hash_tree_at(h, path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            hash2_str(h, names[i]);
            rc |= hash2_file(h, path);
        }
        free(names[i]);
    }
    return rc;
}

int hash2_tree(hash2_t *h, const char *dir)
{
    return hash_tree_at(h, dir, 0);
}
