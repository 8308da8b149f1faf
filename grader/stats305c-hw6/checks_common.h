/* checks_common.h: what stats305c-hw6's catalogue entries share: the knobs of
 * value and backward checks (with where their bounds come from), and the
 * evaluations of the statistical and finite-difference checks. Internal to
 * the driver; the runner tasks are tasks_*.c. */
#ifndef VG_S305_CHECKS_COMMON_H
#define VG_S305_CHECKS_COMMON_H

#include <stddef.h>

#include "driver/checks.h"
#include "driver/profile.h"

/* Values: relative 1e-9 plus absolute 1e-9. A correct submission may use
 * another equivalent form (log sigmoid(l) by log1p(exp(-|l|)), a variance
 * exp(2 logsig) in log_q within +-300, ...), whose rounding differs from
 * the reference's by ~1e-16 per term times the terms (784 pixels): ~1e-13
 * relative, four decades under the bound; every mistake the mutants make
 * is off by 1e-3 relative or more. */
#define S305_VALUE_TOLS \
    { "rel_tol", 1e-9, 0, 1, 0, "relative tolerance on values" }, \
    { "abs_tol", 1e-9, 0, 1, 0, "absolute tolerance on values" }

/* Backwards: against runner-ref's gradient, which fd_check verifies on
 * every run against central differences of the reference's forward in
 * float64 (step 1e-5; bound 1e-6 + 1e-6 |numeric|: the objective is up to
 * ~1e3 for the decoder's densities, so rounding is ~1e-16 * 1e3 / 1e-5 =
 * 1e-8, truncation h^2 f''' / 6 ~ 1e-10). The submission's backward runs
 * the same framework decoder_backward, so a correct one agrees to ~1e-13;
 * the bound 1e-9 + 1e-7 |expected| keeps four decades of headroom. */
#define S305_GRAD_TOLS \
    { "grad_rel", 1e-7, 0, 1, 0, "relative tolerance on gradients" }, \
    { "grad_abs", 1e-9, 0, 1, 0, "absolute tolerance on gradients" }, \
    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "finite-difference step (reference check)" }, \
    { "fd_rel", 1e-6, 0, 1, 1, "finite-difference relative bound (reference check)" }, \
    { "fd_abs", 1e-6, 0, 1, 1, "finite-difference absolute bound (reference check)" }

#define S305_GRAD_EXPLAIN \
    "The accumulators start from random values and the upstream gradient is " \
    "random, so a backward that overwrites (=) instead of adding (+=), or " \
    "ignores dout, shows. The expected gradient is the reference backward's " \
    "on the same inputs, which runner-ref verifies on every run against " \
    "central differences of the reference forward in float64 (step 1e-5, " \
    "bound 1e-6 + 1e-6 |numeric|). Yours must agree with it to 1e-9 + 1e-7 " \
    "|expected| (a correct backward agrees to ~1e-13: the decoder's part is " \
    "the framework's decoder_backward either way). Depends only on your " \
    "backward: a wrong forward costs its own checks."

/* The Monte Carlo z-test of a submission's estimates ("values", R) against
 * runner-ref's (more of them): |mean_sub - mean_ref| <= z_bound * se, se
 * from both sides' sample standard deviations. With var_alpha > 0 also a
 * one-sided variance test: fails when P(F > s_sub^2 / s_ref^2) < var_alpha
 * (an estimator noisier than the course's: K ignored). */
void s305_eval_mc(verdict_t *v, const case_data_t *cd, const char *what,
                  int variance_test);
/* The gradient of an estimate against central differences of the
 * submission's own estimate at the same noise stream ("analytic",
 * "numeric"), bound fd_abs_tol + fd_rel_tol |numeric|; fails when every
 * numeric derivative is under 1e-8 (an estimate that depends on nothing). */
void s305_eval_fd(verdict_t *v, const case_data_t *cd, const char *what);
/* vaegrade explain's rates for the two tests above. */
void s305_more_mc(const check_conf_t *c, const char *root, char *buf, size_t cap);
void s305_more_mc_var(const check_conf_t *c, const char *root, char *buf, size_t cap);

/* fixtures/stats305c-hw6/thresholds.json under root, parsed (cJSON_Delete
 * it), made by `make fixtures-thresholds-stats305c-hw6` from the reference's
 * runs over many seeds; NULL with the reason in why. */
struct cJSON;
struct cJSON *s305_thresholds(const char *root, char *why, size_t cap);
/* The one-sided prediction bound of one new run at false-fail rate alpha
 * from n runs of mean and sample deviation sd (higher is better): mean -
 * t_{n-1, 1-alpha} sd sqrt(1 + 1/n), which a new run of the reference
 * falls under with probability alpha when the runs' values are normal. */
double s305_lower_bound(double mean, double sd, double n, double alpha);

#endif
