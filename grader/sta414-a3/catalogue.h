/* catalogue.h: sta414-a3's check tables, which its descriptor
 * (driver/assignment.c) lists as its catalogue, numbered by the course's
 * parts: 1 density.c (checks_density.c), 2 elbo.c (checks_elbo.c), 4 svi.c
 * (checks_svi.c; part 3 is the pictures, which make train draws). The
 * evaluations they share are in driver/stat_checks.c. */
#ifndef VG_STA414_CATALOGUE_H
#define VG_STA414_CATALOGUE_H

#include <stddef.h>

#include "driver/checks.h"

extern const check_def_t s414_checks_density[];
extern const size_t n_s414_checks_density;
extern const check_def_t s414_checks_elbo[];
extern const size_t n_s414_checks_elbo;
extern const check_def_t s414_checks_svi[];
extern const size_t n_s414_checks_svi;

#endif
