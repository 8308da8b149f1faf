/* checks.h: the check catalogue's shape. A check is static data (id,
 * title, the file and task it needs, its cases, its knobs with defaults,
 * the explanation of its tolerance) plus an evaluation function that the
 * driver runs on the runners' outputs. The course profile (profile.h)
 * decides points, visibility, timeouts, seeds and knob values.
 * Not the runner's tasks (runner/tasks*.c): those compute, checks judge. */
#ifndef VG_CHECKS_H
#define VG_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "driver/outcome.h"
#include "runner/protocol.h"

typedef enum {
    VIS_VISIBLE = 0,
    VIS_HIDDEN,          /* hidden seeds and fixtures; not run locally */
    VIS_AFTER_DUE_DATE,
    VIS_AFTER_PUBLISHED,
} visibility_t;

/* A knob a profile may set: a sample count, a tolerance, a z-bound. Runner
 * knobs are passed to the runner as --param key=value; the others stay in
 * the driver (tolerances live there only). */
typedef struct check_param {
    const char *key;
    double def, lo, hi;
    int to_runner;
    const char *what;
} check_param_t;

struct check_def;

/* What an evaluation sees for one case (one seed, one input case). */
typedef struct case_data {
    const struct check_def *def;
    const struct check_conf *conf;
    uint64_t seed;
    const char *case_name;         /* NULL for a check of one case */
    const proto_result_t *sub;     /* the submission runner's outputs */
    const proto_result_t *ref;     /* runner-ref's, when def->needs_ref */
    const char *root;              /* the grader's root (fixtures/ under it) */
    int hidden;                    /* hidden seeds and data */
} case_data_t;

typedef struct verdict {
    double score;                  /* in [0,1] */
    outcome_t outcome;
    char message[3072];
} verdict_t;

typedef void (*check_eval_fn)(verdict_t *v, const case_data_t *cd);

#define CHECK_MAX_PARAMS 8
struct check_conf;
/* Writes into buf what the check's knobs in this profile make of its
 * false-fail rate and bounds (vaegrade explain); root: the grader's root,
 * for the fixtures a bound comes from. */
typedef void (*check_explain_fn)(const struct check_conf *c, const char *root,
                                 char *buf, size_t cap);
#define CHECK_MAX_CASES 4

typedef struct check_def {
    const char *id;                /* "1.4-kl-normal-values" */
    const char *title;
    const char *file;              /* "utils.c" */
    const char *functions;         /* what it exercises, for people */
    const char *task;              /* the runner task */
    const char *cases[CHECK_MAX_CASES]; /* passed as case=...; none: one */
    int needs_ref;                 /* expected values from runner-ref */
    check_eval_fn eval;
    check_param_t params[CHECK_MAX_PARAMS];
    const char *explain;
    check_explain_fn explain_more; /* NULL: explain says it all */
    /* Arrays of the submission's run handed to runner-ref on its input
     * pipe (weights a submission trained, evaluated by the reference);
     * NULL-terminated, none for most checks. */
    const char *ref_inputs[4];
} check_def_t;

/* One table of catalogue entries (a checks_*.c file's); an assignment's
 * catalogue is a list of them (assignment.h). */
typedef struct check_table {
    const check_def_t *checks;
    const size_t *n;
} check_table_t;

/* Selects the catalogue every call below sees: the assignment's, once, by
 * main before anything reads the catalogue (a profile's ids are resolved
 * against it). Until then, none: checks_all gives 0 checks. */
void checks_use_catalogue(const check_table_t *tables, size_t n_tables);

/* The whole catalogue, in report order. */
const check_def_t *const *checks_all(size_t *n);
const check_def_t *checks_find(const char *id);
/* The number in an id: "1.4" of "1.4-kl-normal-values", in buf. */
const char *checks_number(const check_def_t *def, char *buf, size_t len);
/* The same of any id (a hidden twin's "H1.4-kl-normal-values": "H1.4"). */
const char *checks_number_of(const char *id, char *buf, size_t len);

/* The value of knob key for this case: the profile's, else the default. */
double case_param(const case_data_t *cd, const char *key);
/* The same for profile entry c (explain_more, which has no case). */
double conf_param(const struct check_conf *c, const char *key);

#endif
