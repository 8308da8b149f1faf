/* batch_internal.h: the parts of batch grading (batch.h) and the files they
 * share. An output folder holds, per student, <student>/results.json (what
 * the child `vaegrade grade` wrote), <student>/report.txt (what it printed)
 * and <student>/fingerprint.json (which submission and grader made them);
 * at the top, the gradebook, the summary and batch.json (this folder's
 * shard, grader key, columns and students, for --merge). */
#ifndef VG_BATCH_INTERNAL_H
#define VG_BATCH_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "batch/batch.h"
#include "driver/env.h"
#include "driver/profile.h"

#define BATCH_GRADEBOOK "gradebook.csv"
#define BATCH_SUMMARY_JSON "summary.json"
#define BATCH_SUMMARY_TEXT "summary.txt"
#define BATCH_MANIFEST "batch.json"
#define BATCH_RESULTS "results.json"
#define BATCH_REPORT "report.txt"
#define BATCH_FINGERPRINT "fingerprint.json"
#define BATCH_FORMAT_VERSION 1
/* 128 bits as hex, and its NUL. */
#define BATCH_HEX 33

/* ---- students.c */
/* The student folders of subs that shard k of n grades, sorted by their
 * bytes; a file at the top is said on progress and skipped; out, when it
 * sits inside subs, is not a student. */
int batch_students(char ***names, size_t *n, const char *subs, const char *out,
                   unsigned shard_k, unsigned shard_n, FILE *progress);
unsigned batch_shard_of(const char *name, unsigned n);
int batch_name_reserved(const char *name);
void batch_names_sort(char **names, size_t n);
void batch_names_free(char **names, size_t n);

/* ---- fingerprint.c */
/* What the grader would grade in dir (the files submission_scan finds,
 * their paths and bytes), as hex. */
int batch_submission_hash(char hex[BATCH_HEX], const char *dir, size_t max_bytes);
/* This grader and its settings: the vaegrade and runner-ref binaries (or
 * --grader), fixtures/, the profile's bytes and the children's options. */
int batch_grader_key(char hex[BATCH_HEX], const batch_options_t *b,
                     const grade_env_t *env, const profile_t *p);
/* The hash of a file's bytes as hex; VG_ERR when unreadable. */
int batch_file_hash(char hex[BATCH_HEX], const char *path);
/* name as hex (names are untrusted bytes; JSON holds only UTF-8). */
char *batch_hex_name(const char *name);
char *batch_unhex_name(const char *hex);

/* ---- record.c: a student's fingerprint.json */
typedef struct batch_record {
    char grader_key[BATCH_HEX], submission[BATCH_HEX], results[BATCH_HEX];
    int failed;                 /* the grader failed on this submission */
    char error[512];            /* why, when failed */
} batch_record_t;

int batch_record_write(const char *student_dir, const batch_record_t *r);
/* VG_ERR when absent or malformed. */
int batch_record_read(batch_record_t *r, const char *student_dir);

/* ---- book.c: gradebook and summary from the students' files */
typedef struct batch_columns {
    size_t n;
    char **ids;                 /* check ids, catalogue order */
} batch_columns_t;

/* The checks a run grades: the profile's, or --only's, in catalogue order. */
int batch_columns_from_profile(batch_columns_t *c, const profile_t *p, const char *only);
void batch_columns_free(batch_columns_t *c);

/* One student's row source: the folder holding its files. */
typedef struct batch_entry {
    const char *name;
    char *dir;                  /* <out>/<name> */
} batch_entry_t;

/* Writes gradebook.csv, summary.json and summary.txt into out from the
 * entries (sorted by name), *n_failed the grader-failed rows. */
int batch_book_write(const char *out, const batch_columns_t *c, batch_entry_t *e,
                     size_t n, size_t *n_failed);

/* ---- manifest.c: the top-level batch.json of an output folder */
typedef struct batch_manifest {
    char grader_key[BATCH_HEX];
    char profile[128];
    unsigned shard_k, shard_n;
    batch_columns_t columns;
    size_t n_students;
    char **students;
} batch_manifest_t;

int batch_manifest_write(const char *out, const batch_manifest_t *m);
int batch_manifest_read(batch_manifest_t *m, const char *out);
void batch_manifest_free(batch_manifest_t *m);

/* ---- files */
/* Reads a whole file (malloc'd, NUL-terminated; *len its length when len
 * is not NULL); NULL with a message. */
char *batch_read_file(const char *path, size_t *len);
/* <a>/<b>, malloc'd; NULL with a message. */
char *batch_path(const char *a, const char *b);
/* Writes text (NULL: it could not be made, out of memory) as dir/name,
 * atomically, ended by a newline. */
int batch_write(const char *dir, const char *name, const char *text);
struct cJSON;
/* The same for a JSON document, which it then deletes. */
int batch_write_json(const char *dir, const char *name, struct cJSON *doc);

#endif
