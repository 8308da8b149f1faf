/* catalogue.h: cse599i-hw2's check tables, which its descriptor
 * (main/assignments.c) lists as its catalogue, numbered by the course's
 * problems as the files group them: 1 the closed-form KL (kl.c, Problem
 * 1; checks_kl.c), 2 the Gaussian ELBOs (Problem 5; checks_elbo.c), 3 the
 * discrete-output ELBO and the importance-sampled log p(x) (Problems 6b
 * and 2; checks_is.c), 4 the inverse autoregressive flow (Problems 3 and
 * 6d; checks_flow.c, its short run checks_short_run.c). The statistical
 * evaluations they share are the driver's (driver/stat_checks.h: the
 * z-test of two estimators' means, the finite-difference test of an
 * estimate's own gradient, the one-sided prediction bound). */
#ifndef VG_CSE599I_CATALOGUE_H
#define VG_CSE599I_CATALOGUE_H

#include <stddef.h>

#include "driver/checks.h"

/* The student file of the ELBOs (assignment.h's elbo.c), named once. */
#define CSE_ELBO_FILE "elbo.c"

extern const check_def_t cse_checks_kl[];
extern const size_t n_cse_checks_kl;
extern const check_def_t cse_checks_elbo[];
extern const size_t n_cse_checks_elbo;
extern const check_def_t cse_checks_is[];
extern const size_t n_cse_checks_is;
extern const check_def_t cse_checks_flow[];
extern const size_t n_cse_checks_flow;
extern const check_def_t cse_checks_short_run[];
extern const size_t n_cse_checks_short_run;

#endif
