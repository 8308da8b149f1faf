/* stat_checks.h: what the catalogue entries of sta414-a3, cse599i-hw2 and
 * stats305c-hw6 share (one copy, built into vaegrade once as part of
 * driver/): the knobs of value and backward checks (with where their
 * bounds come from), the Monte Carlo z-tests, the finite-difference
 * comparison, and the prediction bounds read from an assignment's
 * thresholds. Internal to the driver; the runner tasks are tasks_*.c. */
#ifndef VG_STAT_CHECKS_H
#define VG_STAT_CHECKS_H

#include <stddef.h>

#include "driver/checks.h"
#include "driver/profile.h"

/* Values: relative 1e-9 plus absolute 1e-9. A correct submission may use
 * another equivalent form (log sigmoid(l) by log1p(exp(-|l|)), a variance
 * exp(2 logsig) in log_q within +-300, ...), whose rounding differs from
 * the reference's by ~1e-16 per term times the terms (784 pixels): ~1e-13
 * relative, four decades under the bound; every mistake the mutants make
 * is off by 1e-3 relative or more. */
#define CHK_VALUE_TOLS \
    { "rel_tol", 1e-9, 0, 1, 0, "relative tolerance on values" }, \
    { "abs_tol", 1e-9, 0, 1, 0, "absolute tolerance on values" }

/* Backwards: against runner-ref's gradient, which fd_check verifies on
 * every run against central differences of the reference's forward in
 * float64 (step 1e-5; bound 1e-6 + 1e-6 |numeric|: the objective is up to
 * ~1e3 for the decoder's densities, so rounding is ~1e-16 * 1e3 / 1e-5 =
 * 1e-8, truncation h^2 f''' / 6 ~ 1e-10). The submission's backward runs
 * the same framework decoder_backward, so a correct one agrees to ~1e-13;
 * the bound 1e-9 + 1e-7 |expected| keeps four decades of headroom. */
#define CHK_GRAD_TOLS \
    { "grad_rel", 1e-7, 0, 1, 0, "relative tolerance on gradients" }, \
    { "grad_abs", 1e-9, 0, 1, 0, "absolute tolerance on gradients" }, \
    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "finite-difference step (reference check)" }, \
    { "fd_rel", 1e-6, 0, 1, 1, "finite-difference relative bound (reference check)" }, \
    { "fd_abs", 1e-6, 0, 1, 1, "finite-difference absolute bound (reference check)" }

#define CHK_GRAD_EXPLAIN \
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
void chk_eval_mc(verdict_t *v, const case_data_t *cd, const char *what,
                  int variance_test);
/* The gradient of an estimate against central differences of the
 * submission's own estimate at the same noise stream ("analytic",
 * "numeric"), bound fd_abs_tol + fd_rel_tol |numeric|; fails when every
 * numeric derivative is under 1e-8 (an estimate that depends on nothing). */
void chk_eval_fd(verdict_t *v, const case_data_t *cd, const char *what);
/* vaegrade explain's rates for the two tests above. */
void chk_more_mc(const check_conf_t *c, const char *root, char *buf, size_t cap);
void chk_more_mc_var(const check_conf_t *c, const char *root, char *buf, size_t cap);

/* fixtures/<assignment>/thresholds.json under root, parsed (cJSON_Delete
 * it), made by `make fixtures-thresholds-<assignment>` from the
 * reference's runs over many seeds; NULL with the reason in why. */
struct cJSON;
struct cJSON *chk_thresholds(const char *root, const char *assignment,
                             char *why, size_t cap);
/* The one-sided prediction bound of one new run at false-fail rate alpha
 * from n runs of mean and sample deviation sd (higher is better): mean -
 * t_{n-1, 1-alpha} sd sqrt(1 + 1/n), which a new run of the reference
 * falls under with probability alpha when the runs' values are normal. */
double chk_lower_bound(double mean, double sd, double n, double alpha);

#endif
