/* catalogue.h: stats305c-hw6's check tables, which its descriptor
 * (main/assignments.c) lists as its catalogue, numbered by the course's
 * problems: 1 optim.c (checks_optim.c), 2 bce.c and classifier.c
 * (checks_classifier.c), 3 vae_terms.c and vae_elbo.c (checks_vae.c). The
 * evaluations they share are in driver/stat_checks.c. */
#ifndef VG_S305_CATALOGUE_H
#define VG_S305_CATALOGUE_H

#include <stddef.h>

#include "driver/checks.h"

extern const check_def_t s305_checks_optim[];
extern const size_t n_s305_checks_optim;
extern const check_def_t s305_checks_classifier[];
extern const size_t n_s305_checks_classifier;
extern const check_def_t s305_checks_vae[];
extern const size_t n_s305_checks_vae;

#endif
