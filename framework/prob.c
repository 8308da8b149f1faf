/* prob.c: the probability helpers of prob.h (softplus, gaussian_parameters,
 * Bernoulli log-likelihood with logits, log-softmax, categorical KL), each
 * beside its backward, all in double and stable at extreme inputs. Not
 * graded code: students call these, the grader tests them.
 * Shapes: B batch, D data dimension, Z latent, K classes. */
#include "prob.h"

#include <math.h>

/* log(1 + e^x) = max(x, 0) + log1p(e^-|x|): the exponent is never
 * positive, so nothing overflows, and log1p keeps the tail exact where
 * e^-|x| is tiny (softplus(-40) = 4.2e-18, not 0). */
double softplus(double x)
{
    return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x)));
}

/* Both branches take exp of a non-positive number, so neither overflows. */
double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

/* The 1e-8 keeps v away from 0 when softplus underflows, as CS236. */
void gaussian_parameters(double *m, double *v, const double *h, size_t batch,
                         size_t z)
{
    for (size_t b = 0; b < batch; b++) {
        const double *hb = h + b * 2 * z; /* (2Z) */
        for (size_t j = 0; j < z; j++) {
            m[b * z + j] = hb[j];
            v[b * z + j] = softplus(hb[z + j]) + 1e-8;
        }
    }
}

/* dh (B,2Z) += [dm, dv * sigmoid(h[:, Z:])]; dm or dv NULL counts as zero
 * upstream gradient. */
void gaussian_parameters_backward(double *dh, const double *dm,
                                  const double *dv, const double *h,
                                  size_t batch, size_t z)
{
    for (size_t b = 0; b < batch; b++) {
        double *dhb = dh + b * 2 * z;      /* (2Z) */
        const double *hb = h + b * 2 * z;  /* (2Z) */
        for (size_t j = 0; j < z; j++) {
            if (dm)
                dhb[j] += dm[b * z + j];
            if (dv)
                dhb[z + j] += dv[b * z + j] * sigmoid(hb[z + j]);
        }
    }
}

/* ---- Bernoulli log-likelihood ------------------------------------------- *
 * x log s(l) + (1-x) log(1 - s(l)) = x l - softplus(l): one softplus and no
 * log of a rounded probability, so logits of +-1000 give exact values (the
 * PyTorch BCE-with-logits form).
 *
 * Training calls these on every pixel of every batch (78,400 per step), and
 * the libm exp and log1p behind softplus and sigmoid took 2 ms of a 7 ms
 * step. So x86-64 CPUs with AVX2 take a vector path, four pixels at a time;
 * the plain loops stay as the fallback, for the tails and as the in-tree
 * reference that tests/framework/test_prob_avx2.c compares with. */

static void log_bernoulli_plain(double *out, const double *x,
                                const double *logits, size_t batch, size_t d)
{
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d; /* (D) */
        double acc = 0.0;
        for (size_t j = 0; j < d; j++)
            acc += xb[j] * lb[j] - softplus(lb[j]);
        out[b] = acc;
    }
}

/* dlogits (n) += g * (x - sigmoid(l)) over one row. */
static void log_bernoulli_backward_plain(double *dlogits, double g,
                                         const double *x, const double *logits,
                                         size_t n)
{
    for (size_t i = 0; i < n; i++)
        dlogits[i] += g * (x[i] - sigmoid(logits[i]));
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define PROB_AVX2 1

static int have_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

/* e^t for t <= 0, 4 lanes: t = k ln2 + r with |r| <= ln2/2, e^r by its
 * Taylor series to r^13 (remainder 0.347^14 / 14! = 4e-18 relative), times
 * 2^k built in the exponent bits. t is clamped at -708 so that 2^k stays a
 * normal number; lanes below -708 (where e^t < 3.3e-308) give 0, as libm's
 * exp gives 0 or a subnormal there. Relative error a few ulp. */
__attribute__((target("avx2,fma")))
static __m256d exp_nonpos_avx2(__m256d t)
{
    const __m256d lo = _mm256_set1_pd(-708.0);
    __m256d keep = _mm256_cmp_pd(t, lo, _CMP_GE_OQ);
    t = _mm256_max_pd(t, lo);
    __m256d k = _mm256_round_pd(_mm256_mul_pd(t, _mm256_set1_pd(1.4426950408889634)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    /* ln 2 in two parts (Cody-Waite), so k ln2 is subtracted exactly */
    __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(6.93147180369123816490e-01), t);
    r = _mm256_fnmadd_pd(k, _mm256_set1_pd(1.90821492927058770002e-10), r);
    static const double inv_fact[14] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
        1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0 };
    __m256d p = _mm256_set1_pd(inv_fact[13]);
    for (int i = 12; i >= 0; i--)
        p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(inv_fact[i]));
    __m256i e = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(k));
    __m256i bits = _mm256_slli_epi64(_mm256_add_epi64(e, _mm256_set1_epi64x(1023)), 52);
    return _mm256_and_pd(_mm256_mul_pd(p, _mm256_castsi256_pd(bits)), keep);
}

/* Per row, sum_d x l - softplus(l) = sum_d (x l - max(l, 0))
 * - log prod_d (1 + e^-|l|): one vector exp per 4 pixels and a few logs per
 * row. Against the plain loop: 1 + e rounds away at most 1.1e-16 of
 * log1p(e) per pixel, and a product of at most 256 factors in (1, 2] per
 * lane (flushed to a log before it could overflow) rounds by < 3e-14
 * relative, so a row of 784 pixels differs by < 1e-13 absolute. Where
 * e^-|l| < 2^-53 it is exactly 1 + e = 1 in both, up to the 1e-16 that
 * log1p keeps: -|l| is clamped at -40 for that reason. */
__attribute__((target("avx2,fma")))
static void log_bernoulli_avx2(double *out, const double *x,
                               const double *logits, size_t batch, size_t d)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d floor40 = _mm256_set1_pd(-40.0), sign = _mm256_set1_pd(-0.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d; /* (D) */
        __m256d lin = zero, prod = one;
        double acc = 0.0, p[4];
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j), xx = _mm256_loadu_pd(xb + j);
            lin = _mm256_add_pd(lin, _mm256_sub_pd(_mm256_mul_pd(xx, l),
                                                   _mm256_max_pd(l, zero)));
            __m256d t = _mm256_max_pd(_mm256_or_pd(l, sign), floor40); /* -|l| */
            prod = _mm256_mul_pd(prod, _mm256_add_pd(one, exp_nonpos_avx2(t)));
            if ((j / 4) % 256 == 255) { /* each lane stays below 2^256 */
                _mm256_storeu_pd(p, prod);
                acc -= log(p[0] * p[1]) + log(p[2] * p[3]);
                prod = one;
            }
        }
        double l4[4];
        _mm256_storeu_pd(l4, lin);
        _mm256_storeu_pd(p, prod);
        acc += (l4[0] + l4[1]) + (l4[2] + l4[3]);
        acc -= log(p[0] * p[1]) + log(p[2] * p[3]);
        if (d4 < d) {
            double tail;
            log_bernoulli_plain(&tail, xb + d4, lb + d4, 1, d - d4);
            acc += tail;
        }
        out[b] = acc;
    }
}

/* sigmoid(l) = 1 / (1 + e) for l >= 0 and e / (1 + e) below, e = e^-|l|:
 * as sigmoid() does, with the same exp of a non-positive number. */
__attribute__((target("avx2,fma")))
static void log_bernoulli_backward_avx2(double *dlogits, const double *dout,
                                        const double *x, const double *logits,
                                        size_t batch, size_t d)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d; /* (D) */
        double *gb = dlogits + b * d;                      /* (D) */
        const __m256d g = _mm256_set1_pd(dout[b]);
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j);
            __m256d e = exp_nonpos_avx2(_mm256_or_pd(l, sign));
            __m256d q = _mm256_div_pd(one, _mm256_add_pd(one, e));
            __m256d s = _mm256_blendv_pd(_mm256_mul_pd(e, q), q,
                                         _mm256_cmp_pd(l, zero, _CMP_GE_OQ));
            __m256d dl = _mm256_mul_pd(g, _mm256_sub_pd(_mm256_loadu_pd(xb + j), s));
            _mm256_storeu_pd(gb + j, _mm256_add_pd(_mm256_loadu_pd(gb + j), dl));
        }
        if (d4 < d)
            log_bernoulli_backward_plain(gb + d4, dout[b], xb + d4, lb + d4,
                                         d - d4);
    }
}
#else
#define PROB_AVX2 0
#endif

void log_bernoulli_with_logits(double *out, const double *x,
                               const double *logits, size_t batch, size_t d)
{
#if PROB_AVX2
    if (have_avx2()) {
        log_bernoulli_avx2(out, x, logits, batch, d);
        return;
    }
#endif
    log_bernoulli_plain(out, x, logits, batch, d);
}

void log_bernoulli_with_logits_backward(double *dlogits, const double *dout,
                                        const double *x, const double *logits,
                                        size_t batch, size_t d)
{
#if PROB_AVX2
    if (have_avx2()) {
        log_bernoulli_backward_avx2(dlogits, dout, x, logits, batch, d);
        return;
    }
#endif
    for (size_t b = 0; b < batch; b++)
        log_bernoulli_backward_plain(dlogits + b * d, dout[b], x + b * d,
                                     logits + b * d, d);
}

/* Shifts each row by its maximum, so exp never overflows and the largest
 * term is exactly 1. */
void log_softmax(double *log_p, double *p, const double *logits, size_t batch,
                 size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        const double *lb = logits + b * k; /* (K) */
        double mx = lb[0];
        for (size_t j = 1; j < k; j++)
            if (lb[j] > mx)
                mx = lb[j];
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += exp(lb[j] - mx);
        double lse = mx + log(s);
        for (size_t j = 0; j < k; j++) {
            log_p[b * k + j] = lb[j] - lse;
            if (p)
                p[b * k + j] = exp(lb[j] - lse);
        }
    }
}

void log_softmax_backward(double *dlogits, const double *dlog_p,
                          const double *log_p, size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        const double *g = dlog_p + b * k, *lp = log_p + b * k; /* (K) */
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += g[j];
        for (size_t j = 0; j < k; j++)
            dlogits[b * k + j] += g[j] - exp(lp[j]) * s;
    }
}

/* Takes q and log_q both, as CS236's kl_cat, so that a q that underflowed
 * to 0 still meets a finite log_q and contributes 0, not NaN. */
void kl_cat(double *out, const double *q, const double *log_q,
            const double *log_p, size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < k; j++)
            acc += q[b * k + j] * (log_q[b * k + j] - log_p[j]);
        out[b] = acc;
    }
}

void kl_cat_backward(double *dq, double *dlog_q, const double *dout,
                     const double *q, const double *log_q, const double *log_p,
                     size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < k; j++) {
            size_t i = b * k + j;
            if (dq)
                dq[i] += dout[b] * (log_q[i] - log_p[j]);
            if (dlog_q)
                dlog_q[i] += dout[b] * q[i];
        }
}
