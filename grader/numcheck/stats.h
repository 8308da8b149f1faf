/* stats.h: the distribution tails the statistical checks state their
 * false-fail rates with (normal and Student's t), and the t quantile the
 * short-run thresholds are built from. Computed, not tabulated, so that a
 * profile that changes a repeat count or a z-bound gets the right rate.
 * Not a statistics library: only what the catalogue's derivations use. */
#ifndef VG_STATS_H
#define VG_STATS_H

/* P(|Z| > z) for Z standard normal. */
double stats_normal_tail2(double z);

/* P(|T| > t) and P(T > t) for T Student's t with df degrees of freedom
 * (df > 0, not necessarily whole), through the regularised incomplete beta
 * function: P(|T| > t) = I_{df/(df+t^2)}(df/2, 1/2). Relative accuracy
 * ~1e-12, down to tails of 1e-300. */
double stats_t_tail2(double t, double df);
double stats_t_tail1(double t, double df);

/* q with P(T <= q) = p, 0 < p < 1, by bisection on stats_t_tail1. */
double stats_t_quantile(double p, double df);

/* Sample mean and unbiased standard deviation of x (n >= 1; sd 0 when
 * n = 1). */
void stats_mean_sd(const double *x, unsigned long n, double *mean, double *sd);

#endif
