/* checks_utils.h: what utils.c's checks share between their files
 * (checks_utils.c holds the catalogue and the density and log-sum-exp
 * evaluations, checks_sample.c the evaluations of sample_gaussian and the
 * statistics they use). Internal to the driver. */
#ifndef VG_GRADER_CHECKS_UTILS_H
#define VG_GRADER_CHECKS_UTILS_H

#include <stddef.h>

#include "driver/checks.h"
#include "driver/profile.h"

/* checks_sample.c */
void eval_moments(verdict_t *v, const case_data_t *cd);
void eval_scaling(verdict_t *v, const case_data_t *cd);
void eval_stream(verdict_t *v, const case_data_t *cd);
void more_moments(const check_conf_t *c, const char *root, char *buf, size_t cap);
void more_scaling(const check_conf_t *c, const char *root, char *buf, size_t cap);

#endif
