/* outcome.c: outcome names (outcome.h). */
#include "driver/outcome.h"

static const char *const names[OUTCOME_COUNT] = {
    "passed", "failed", "partial", "not_implemented", "timed_out", "crashed",
    "over_memory", "nan", "refused", "skipped", "error",
};
static const char *const labels[OUTCOME_COUNT] = {
    "passed", "failed", "partial", "not implemented", "timed out", "crashed",
    "over memory", "NaN/Inf", "refused", "after submission", "grader error",
};

const char *outcome_name(outcome_t o)
{
    return o < OUTCOME_COUNT ? names[o] : "?";
}

const char *outcome_label(outcome_t o)
{
    return o < OUTCOME_COUNT ? labels[o] : "?";
}
