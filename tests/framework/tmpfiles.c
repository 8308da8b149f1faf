/* tmpfiles.c: the temporary folders and files of tmpfiles.h. Failures here
 * are broken test environments, so they fail the test at once. */
#include "tmpfiles.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

void tmp_dir_create(char *dir)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int len = snprintf(dir, PATH_MAX, "%s/vaegrade-test-XXXXXX", base);
    cr_assert(len > 0 && len < PATH_MAX, "TMPDIR is too long");
    cr_assert(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, strerror(errno));
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tmp_dir_remove(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

void tmp_path(char *out, const char *dir, const char *name)
{
    int len = snprintf(out, PATH_MAX, "%s/%s", dir, name);
    cr_assert(len > 0 && len < PATH_MAX, "path too long: %s/%s", dir, name);
}

void tmp_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f != NULL, "cannot create %s: %s", path, strerror(errno));
    cr_assert(n == 0 || fwrite(data, 1, n, f) == n, "cannot write %s", path);
    cr_assert(fclose(f) == 0, "cannot close %s", path);
}

void tmp_read(uint8_t **out, size_t *n, const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f != NULL, "cannot open %s: %s", path, strerror(errno));
    cr_assert(fseek(f, 0, SEEK_END) == 0);
    long size = ftell(f);
    cr_assert(size >= 0);
    rewind(f);
    *out = malloc((size_t)size + 1);
    cr_assert(*out != NULL);
    *n = fread(*out, 1, (size_t)size, f);
    cr_assert(*n == (size_t)size, "short read of %s", path);
    fclose(f);
}

void tmp_gzip(uint8_t **out, size_t *n, const void *data, size_t len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* 15 + 16: gzip wrapper; zlib writes mtime 0 unless given a header. */
    cr_assert(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8,
                           Z_DEFAULT_STRATEGY) == Z_OK);
    size_t cap = deflateBound(&zs, len);
    *out = malloc(cap);
    cr_assert(*out != NULL);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = *out;
    zs.avail_out = (uInt)cap;
    cr_assert(deflate(&zs, Z_FINISH) == Z_STREAM_END);
    *n = cap - zs.avail_out;
    deflateEnd(&zs);
}
