/* dirs.c: dirs.h's folder creation, shared by the training programs and the
 * MNIST converters (each had its own copy). */
#include "dirs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "vg_error.h"

#define DIRS_PATH_LEN 4096

int dirs_make(const char *path, mode_t mode)
{
    if (mkdir(path, mode) != 0 && errno != EEXIST)
        return vg_error_set("cannot create %s: %s", path, strerror(errno));
    return VG_OK;
}

int dirs_make_all(const char *path, mode_t mode)
{
    char buf[DIRS_PATH_LEN];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return vg_error_set("path too long: %.64s...", path);
    /* Each '/' (after a leading one) and the end close a prefix. */
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (dirs_make(buf, mode) != VG_OK)
            return VG_ERR;
        *p = c;
        if (c == '\0')
            break;
    }
    return VG_OK;
}
