/* metadata.h: Gradescope's /autograder/submission_metadata.json, read for
 * the results' top-level extra_data (the submission's id, its time and its
 * authors' names), so an exported results file says whose it was. The
 * file is the platform's, but its strings are what students typed: it is
 * read size-bounded with cJSON and every string made valid UTF-8. Not the
 * grading: nothing in it changes a score. */
#ifndef VG_CONTAINER_METADATA_H
#define VG_CONTAINER_METADATA_H

/* Returns results_text (malloc'd JSON, consumed) with "extra_data":
 * {"submission": {"id", "created_at", "users": [names]}} added at the top
 * level; a file that cannot be read or parsed gives {"metadata_error":
 * why} instead, and the grade stands. NULL only on no memory. */
char *metadata_attach(char *results_text, const char *metadata_path);

#endif
