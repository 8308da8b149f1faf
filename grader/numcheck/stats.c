/* stats.c: normal, Student's t, Fisher's F and chi-square tails and the t
 * quantile (stats.h). The
 * incomplete beta function by its continued fraction (modified Lentz),
 * the form that stays accurate in the far tails the checks quote. */
#include "numcheck/stats.h"

#include <math.h>

double stats_normal_tail2(double z)
{
    return erfc(fabs(z) / sqrt(2.0));
}

/* The continued fraction of I_x(a, b), valid (fast) for x < (a+1)/(a+b+2). */
static double beta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= 10000; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = 1.0 / (fabs(d) < tiny ? tiny : d);
        c = fabs(c) < tiny ? tiny : c;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-15)
            break;
    }
    return h;
}

/* The regularised incomplete beta function I_x(a, b). */
static double inc_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) +
                    b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0))
        return exp(lfront) * beta_fraction(a, b, x) / a;
    return 1.0 - exp(lfront) * beta_fraction(b, a, 1.0 - x) / b;
}

double stats_t_tail2(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0;
    return inc_beta(df / 2.0, 0.5, df / (df + t * t));
}

double stats_t_tail1(double t, double df)
{
    double half = stats_t_tail2(t, df) / 2.0;
    return t >= 0 ? half : 1.0 - half;
}

double stats_f_tail_upper(double f, double d1, double d2)
{
    if (isnan(f) || !(d1 > 0) || !(d2 > 0))
        return NAN;
    if (f <= 0)
        return 1;
    if (isinf(f))
        return 0;
    return inc_beta(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f));
}

double stats_f_p2(double f, double d1, double d2)
{
    double up = stats_f_tail_upper(f, d1, d2);
    if (isnan(up))
        return NAN;
    double p = 2.0 * fmin(up, 1.0 - up);
    return p < 1.0 ? p : 1.0;
}

double stats_t_quantile(double p, double df)
{
    if (!(p > 0 && p < 1) || !(df > 0))
        return NAN;
    /* P(T > q) = 1 - p is decreasing in q. */
    double lo = -1.0, hi = 1.0;
    while (stats_t_tail1(lo, df) < 1.0 - p)
        lo *= 2.0;
    while (stats_t_tail1(hi, df) > 1.0 - p)
        hi *= 2.0;
    for (int i = 0; i < 200 && hi - lo > 1e-13 * fmax(1.0, fabs(lo)); i++) {
        double mid = 0.5 * (lo + hi);
        if (stats_t_tail1(mid, df) > 1.0 - p)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

void stats_mean_sd(const double *x, unsigned long n, double *mean, double *sd)
{
    double m = 0;
    for (unsigned long i = 0; i < n; i++)
        m += x[i];
    m /= (double)(n ? n : 1);
    double ss = 0;
    for (unsigned long i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
}

static double poisson_pmf(double lam, double j)
{
    return exp(-lam + j * log(lam) - lgamma(j + 1.0));
}

/* P(chi2_k < x) and P(chi2_k > x) for even k, exactly: for even k,
 * chi2_k > x exactly when a Poisson(x/2) count is below k/2 (the
 * gamma-Poisson duality), so each tail is a sum of Poisson terms, summed
 * as such (no 1 - p cancellation in either tail). */
static void chi2_even_tails(double x, unsigned k, double *lower, double *upper)
{
    if (x <= 0) {
        *lower = 0;
        *upper = 1;
        return;
    }
    double lam = x / 2.0, up = 0, lo = 0;
    unsigned h = k / 2;
    for (unsigned j = 0; j < h; j++)
        up += poisson_pmf(lam, j);
    /* The terms past the mode fall faster than geometrically: stop when
     * one no longer moves the sum. */
    for (unsigned j = h;; j++) {
        double t = poisson_pmf(lam, j);
        lo += t;
        if ((double)j > lam && t <= 1e-17 * lo)
            break;
    }
    *lower = lo;
    *upper = up;
}

/* For odd k the even neighbours bound each tail: chi2_k grows
 * stochastically with k, so P(chi2_k < lo) <= P(chi2_{k-1} < lo) and
 * P(chi2_k > hi) <= P(chi2_{k+1} > hi). */
double stats_chi2_outside(double lo, double hi, unsigned k)
{
    double l, u, dummy;
    if (k % 2 == 0) {
        chi2_even_tails(lo, k, &l, &dummy);
        chi2_even_tails(hi, k, &dummy, &u);
    } else {
        chi2_even_tails(lo, k - 1, &l, &dummy);
        chi2_even_tails(hi, k + 1, &dummy, &u);
    }
    return l + u;
}
