/* stats.h: the distribution tails the statistical checks state their
 * false-fail rates with (normal, Student's t, Fisher's F, chi-square), and the t quantile the
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

/* P(F > f) for F Fisher's F with (d1, d2) degrees of freedom, the
 * variance-ratio tests' tail: I_{d2/(d2 + d1 f)}(d2/2, d1/2). */
double stats_f_tail_upper(double f, double d1, double d2);
/* The two-sided p-value of a variance ratio f = s1^2 / s2^2 with (d1, d2)
 * degrees of freedom: 2 min(P(F > f), P(F < f)), at most 1. */
double stats_f_p2(double f, double d1, double d2);

/* P(chi2_k < lo) + P(chi2_k > hi) for lo <= hi: exact for even k (each
 * tail a sum of Poisson terms, no 1 - p cancellation), an upper bound for
 * odd k (its even neighbours' tails). */
double stats_chi2_outside(double lo, double hi, unsigned k);

/* q with P(T <= q) = p, 0 < p < 1, by bisection on stats_t_tail1. */
double stats_t_quantile(double p, double df);

/* Sample mean and unbiased standard deviation of x (n >= 1; sd 0 when
 * n = 1). */
void stats_mean_sd(const double *x, unsigned long n, double *mean, double *sd);

#endif
