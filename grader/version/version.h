/* version.h: which grader and which profile graded: the version compiled
 * from the top-level VERSION file (a release tarball has no git), and the
 * release stamp a student's `make submission` leaves in the submission
 * (vaegrade-release: "version V\nprofile HASH\n"), compared with this
 * grader's. Not the profile's loading (profile.h hashes its bytes). */
#ifndef VG_VERSION_H
#define VG_VERSION_H

#include <stddef.h>

#include "driver/profile.h"

/* The stamp's file name, at the top of a submission. */
#define STAMP_FILE "vaegrade-release"
/* Bytes a stamp may have: two short lines; anything longer is not one. */
#define STAMP_MAX_BYTES 256

/* "0.9.0": the VERSION file's text when this grader was built. */
const char *vaegrade_version(void);

/* The stamp of this grader with profile p, "version V\nprofile HASH\n",
 * into buf (what `vaegrade stamp` prints for make submission). */
void stamp_text(char *buf, size_t cap, const profile_t *p);

/* What a grade says of dir's stamp (submission bytes: read with a size
 * cap, never followed through a link, validated): "" when there is none
 * or it names this grader and profile; otherwise one sentence, for the
 * results' output and the report. Never a score change. */
void stamp_note(char *note, size_t cap, const char *dir, const profile_t *p);

#endif
