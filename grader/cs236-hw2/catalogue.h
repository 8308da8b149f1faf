/* catalogue.h: CS236 HW2's check tables, which its descriptor
 * (main/assignments.c) lists as its catalogue: checks_utils.c's and
 * checks_models.c's (which gathers the model files' checks). */
#ifndef VG_CS236_HW2_CATALOGUE_H
#define VG_CS236_HW2_CATALOGUE_H

#include <stddef.h>

#include "driver/checks.h"

extern const check_def_t checks_utils[];
extern const size_t n_checks_utils;
extern const check_def_t checks_models[];
extern const size_t n_checks_models;

#endif
