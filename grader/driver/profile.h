/* profile.h: a course profile, the JSON file that sets, per check, the
 * points, visibility, time budget, memory cap, seeds and knob values (sample
 * counts, tolerances), plus the compile limits. Loaded at start and
 * validated with messages that name the file, the check and the field, so
 * a course edits it without recompiling. A check of the catalogue that the
 * profile does not list is not graded; one it lists twice is a hidden twin
 * (its own id, points, and the hidden profile's seeds and data). Format:
 * grader/README.md, "The course profile". */
#ifndef VG_PROFILE_H
#define VG_PROFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "driver/checks.h"

#define PROFILE_MAX_SEEDS 16
#define PROFILE_VERSION 1
/* The least timeout_factor a profile may set (issue 8: a correct
 * submission 10x slower than the reference must pass). */
#define PROFILE_MIN_TIMEOUT_FACTOR 10
/* An entry's id, the catalogue's or a twin's own, NUL included. */
#define PROFILE_ID_MAX 64

typedef struct check_conf {
    char id[PROFILE_ID_MAX]; /* what results, --only and the report call it */
    const check_def_t *def;  /* the catalogue check it runs */
    int twin;                /* a second entry of def ("check": ...) */
    double points;
    int bonus;           /* points on top of the maximum (not counted in it) */
    visibility_t visibility;
    /* A case's CPU budget: max(floor, factor x the reference's own CPU
     * time for that case on this machine) (grade.c). */
    double timeout_factor;
    double timeout_floor_s;
    double memory_mib;
    size_t n_seeds;          /* 0 for a hidden check until the overlay */
    uint64_t seeds[PROFILE_MAX_SEEDS];
    double params[CHECK_MAX_PARAMS];   /* by index of def->params */
} check_conf_t;

typedef struct profile {
    char name[128];
    char path[PATH_MAX];
    /* The file's bytes hashed (ref_cache_hash_hex: two 64-bit FNV-1a), so a
     * grade says which profile it used (vaegrade --version, results). */
    char hash[33];
    double compile_timeout_s;
    size_t max_file_bytes;
    size_t n_checks;
    check_conf_t *checks;              /* (n_checks) in catalogue order */
} profile_t;

/* Loads and validates path. VG_ERR with a message naming what is wrong. */
int profile_load(profile_t *p, const char *path);
/* Applies an overlay (fixtures/hidden/profile.json): seeds and params of
 * the checks it lists, which must be hidden checks of p; afterwards every
 * hidden check must have seeds, none of them a public seed of p. */
int profile_overlay(profile_t *p, const char *path);
void profile_free(profile_t *p);

/* The entry called id (a catalogue id, or a twin's own). */
const check_conf_t *profile_find(const profile_t *p, const char *id);
/* The maximum: points of the checks that are not bonus. */
double profile_total_points(const profile_t *p);
/* Points the bonus checks can add on top. */
double profile_bonus_points(const profile_t *p);
/* The points of the hidden checks (not bonus; bonus: the bonus ones), which
 * a grade without --hidden lists as graded after submission. */
double profile_hidden_points(const profile_t *p, int bonus);

const char *visibility_name(visibility_t v);

#endif
