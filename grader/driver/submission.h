/* submission.h: finds the allowed files (utils.c, vae.c, gmvae.c, ssvae.c,
 * fsvae.c) anywhere under a submission directory, as students upload them
 * (flat, in a folder, in a zip's folder). Refuses a file of which there are
 * two, or one over the size limit; ignores, and counts, everything else.
 * Not a reader of the files: the build copies them. */
#ifndef VG_SUBMISSION_H
#define VG_SUBMISSION_H

#include <limits.h>
#include <stddef.h>

#include "driver/api.h"

typedef struct sub_file {
    int present;
    int refused;             /* found but not usable: reason says why */
    char path[PATH_MAX];
    char reason[PATH_MAX * 2 + 128];
    size_t bytes;
} sub_file_t;

typedef struct submission {
    sub_file_t files[API_MAX_FILES]; /* by api_files() index */
    size_t n_ignored;                /* other files, left alone */
    size_t n_links;                  /* symbolic links, not followed */
} submission_t;

/* VG_ERR only when dir cannot be read at all. */
int submission_scan(submission_t *s, const char *dir, size_t max_bytes);

#endif
