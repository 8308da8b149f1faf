/* outcome.h: how a check ended, with the names the results files and the
 * terminal use. Not a score: a partial outcome carries its fraction apart. */
#ifndef VG_OUTCOME_H
#define VG_OUTCOME_H

typedef enum {
    OUTCOME_PASSED = 0,
    OUTCOME_FAILED,
    OUTCOME_PARTIAL,         /* some cases (seeds, inputs) passed */
    OUTCOME_NOT_IMPLEMENTED, /* the function called not_implemented() */
    OUTCOME_TIMED_OUT,       /* wall clock or CPU limit */
    OUTCOME_CRASHED,         /* a signal, or an exit before the result */
    OUTCOME_OVER_MEMORY,     /* an allocation refused under the cap */
    OUTCOME_NAN,             /* NaN or Inf where a finite value was due */
    OUTCOME_REFUSED,         /* build, symbol gate, or a forbidden syscall */
    OUTCOME_SKIPPED,         /* a hidden check in a local run */
    OUTCOME_ERROR,           /* the grader itself failed (reference runner) */
    OUTCOME_COUNT
} outcome_t;

/* "not_implemented": the machine name, for JSON. */
const char *outcome_name(outcome_t o);
/* "not implemented": the words, for people. */
const char *outcome_label(outcome_t o);

#endif
