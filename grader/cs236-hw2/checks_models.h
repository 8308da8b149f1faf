/* checks_models.h: what the model checks' files share (checks_models.c
 * holds the catalogue, checks_elbo.c, checks_iwae.c and checks_short_run.c
 * the evaluations): the models' terms, the Monte Carlo comparison, and the
 * evaluation and explain functions the catalogue names. Internal to the
 * driver. */
#ifndef VG_GRADER_CHECKS_MODELS_H
#define VG_GRADER_CHECKS_MODELS_H

#include <stddef.h>

#include "driver/checks.h"
#include "driver/evaluate.h"
#include "numcheck/compare.h"
#include "driver/profile.h"

typedef struct kind_info {
    const char *name;        /* "vae" */
    const char *bound;       /* "vae_negative_elbo_bound" */
    size_t n_terms;
    const char *terms[3];    /* the bound's terms, nelbo their sum */
    int deterministic[3];    /* 1: no noise in it given x (closed forms) */
} kind_info_t;

/* The model a check's task exercises (from its task's prefix). */
const kind_info_t *kind_of(const check_def_t *d);

/* One term: the submission's mean of n_sub independent repeats against the
 * reference's of n_ref, tolerance z * s_ref * sqrt(1/n_sub + 1/n_ref) plus
 * a floor for terms without noise. Through the one comparator, so the
 * message reads like every other. */
typedef struct mc_term {
    double mean_sub, mean_ref, sd_sub, sd_ref, tol;
    int ok, finite;
    cmp_report_t rep;
} mc_term_t;

void mc_term(mc_term_t *t, const char *what, double mean_sub, double sd_sub,
             double n_sub, double mean_ref, double sd_ref, double n_ref,
             double z, double floor_abs, double floor_rel);

/* Mean and within-group pooled standard deviation of x laid out (R,G):
 * groups hold different digits, so their spread is not noise. R = 1 or
 * G = 0 gives sd 0. df: the pooled estimate's degrees of freedom. */
void grouped_mean_sd(const double *x, size_t R, size_t G, size_t stride,
                     double *mean, double *sd, double *df);

/* The non-triviality test of the property checks (terms sum, gradient,
 * contract): got is a plausible stand-in for the reference's ref, same
 * sign and within a factor either way. Loose on purpose: PLAUSIBLE_FACTOR
 * keeps one mistake that changes the scale (a sum over a batch of up to
 * 100 rows, with room for a missing or doubled term on top) and stops
 * zeros and sign flips, which a property alone cannot tell from right;
 * constants are stopped by each check's own second test (a value that
 * changes with the noise, a gradient that reaches every part).
 * SANE_FACTOR is the IWAE check's range: its calls hold 5 rows, so a
 * batch sum is 5x, and 0.02 nat where 96 are due is out. */
#define PLAUSIBLE_FACTOR 200.0
#define SANE_FACTOR 10.0
int plausible(double got, double ref, double factor);

/* checks_elbo.c */
void eval_value(verdict_t *v, const case_data_t *cd);
void eval_terms_sum(verdict_t *v, const case_data_t *cd);
void eval_model_gradient(verdict_t *v, const case_data_t *cd);
void eval_contract(verdict_t *v, const case_data_t *cd);
void more_value(const check_conf_t *c, const char *root, char *buf, size_t cap);
/* checks_iwae.c */
void eval_iwae(verdict_t *v, const case_data_t *cd);
void more_iwae(const check_conf_t *c, const char *root, char *buf, size_t cap);
/* checks_short_run.c */
void eval_short_run(verdict_t *v, const case_data_t *cd);
void more_short(const check_conf_t *c, const char *root, char *buf, size_t cap);

#endif
