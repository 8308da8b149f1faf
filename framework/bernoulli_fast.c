/* bernoulli_fast.c: the Bernoulli log-likelihood with logits and its
 * backward, fast, for the reference bounds (see bernoulli_fast.h). It lives
 * in the framework so that every reference file, each built alone like a
 * submission's, can call it. A
 * training step of the vae spent 3 of its 7.6 ms, and the IWAE bound at
 * iw = 1000 half its time, in prob.h's plain loops: an exp and a log1p per
 * pixel, then a sigmoid per pixel. Not the plain loops themselves: those
 * stay in prob.c, as the fallback and the reference this is tested against
 * (tests/framework/test_bernoulli_fast.c).
 *
 * Forward, per row: sum_d x l - softplus(l) = sum_d (x l - max(l, 0))
 * - log prod_d (1 + e^-|l|): one exp per pixel and one log per row.
 * Against the plain loop: 1 + e rounds away at most 1.1e-16 of log1p(e)
 * per pixel, and e's own error (2.5e-16 relative, below) at most 1.3e-16
 * more, e/(1 + e) of it; a product of at most 256 factors per lane rounds
 * by 3e-14 relative at most; so a row of D = 784 differs by < 3e-13
 * absolute on a value of O(100) (in practice the roundings cancel:
 * ~1e-14).
 * Backward: sigmoid(l) = 1/(1 + e) for l >= 0, e/(1 + e) below, with the
 * same e = e^-|l|, as the plain sigmoid does it.
 * NaN logits stay NaN in both directions (the clamps keep NaN operands).
 * Shapes: B batch, D data dimension. */
#include "bernoulli_fast.h"

#include <math.h>

#include "prob.h"

/* BERNOULLI_FAST_PLAIN_ONLY builds the fallback that a CPU without AVX2,
 * or another architecture, runs, so that the tests can check it here
 * (tests/framework/bernoulli_fast_plain.c). */
#if defined(__GNUC__) && defined(__x86_64__) && \
    !defined(BERNOULLI_FAST_PLAIN_ONLY)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#else
#define HAVE_AVX2_PATH 0
#endif

#if HAVE_AVX2_PATH
/* e^t for t in [-708, 0] or NaN (callers clamp), to 2.5e-16 relative
 * (measured: 0.92 ulp at most against expl on 16M points).
 * Reduction: t = k ln2 + r. k = nearest integer to t log2e, by adding
 * 1.5 * 2^52 in one FMA (the sum's ulp is 1, so the FMA's one rounding is
 * that to an integer; k sits in the sum's low mantissa bits, which become
 * 2^k's exponent below); r = t - k ln2 with ln2 in two parts, ln2hi with
 * 32 bits so k ln2hi is exact: |r| <= ln2/2 (1 + 2.3e-13), r rounded once
 * (relative 1.1e-16, so e^r by |r| 1.1e-16 <= 3.9e-17).
 * e^r ~ p(r) = 1 + r (1 + r q(r)), degree 11, c0 = c1 = 1 exact and
 * c2..c11 near-minimax (made and checked by tools/exp_poly.py: relative
 * error <= 9.4e-18 on that interval with these double coefficients;
 * Taylor needs degree 13 for 4e-18). q = c2 + ... + c11 r^9 by its even
 * and odd halves in r^2, two chains of 4 FMAs instead of one of 9: its
 * rounding errors reach p times r^2 <= 0.12, and the two Horner steps
 * after it each round once, the first scaled by |r| <= 0.35: with the
 * last rounding, |p(r) - e^r| <= 2.5e-16 e^r.
 * 2^k: k + 1023 shifted into the exponent bits (k >= -1021, a normal
 * number). A NaN t makes p NaN, and NaN times anything is NaN. */
/* Inlined by force: GCC would otherwise call it, spilling the caller's
 * registers around each call. */
__attribute__((target("avx2,fma"), always_inline))
static inline __m256d exp_nonpos_avx2(__m256d t)
{
    const __m256d log2e = _mm256_set1_pd(1.4426950408889634);
    const __m256d ln2hi = _mm256_set1_pd(6.93147180369123816490e-01);
    const __m256d ln2lo = _mm256_set1_pd(1.90821492927058770002e-10);
    const __m256d shift = _mm256_set1_pd(0x1.8p52);
    const __m256d one = _mm256_set1_pd(1.0);
    static const double c[12] = { /* tools/exp_poly.py */
        1.0, 1.0, 0x1.0000000000009p-1, 0x1.5555555555558p-3,
        0x1.55555555503f4p-5, 0x1.111111110f808p-7, 0x1.6c16c185fded5p-10,
        0x1.a01a01b009b94p-13, 0x1.a01993bebde07p-16, 0x1.71ddf6badec7dp-19,
        0x1.28b40639f71a4p-22, 0x1.af631dc77319ep-26 };
    __m256d kd = _mm256_fmadd_pd(t, log2e, shift);
    __m256d k = _mm256_sub_pd(kd, shift);
    __m256d r = _mm256_fnmadd_pd(k, ln2hi, t);
    r = _mm256_fnmadd_pd(k, ln2lo, r);
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d even = _mm256_set1_pd(c[10]), odd = _mm256_set1_pd(c[11]);
    for (int i = 8; i >= 2; i -= 2) { /* constant bounds: GCC unrolls */
        even = _mm256_fmadd_pd(even, r2, _mm256_set1_pd(c[i]));
        odd = _mm256_fmadd_pd(odd, r2, _mm256_set1_pd(c[i + 1]));
    }
    __m256d p = _mm256_fmadd_pd(odd, r, even);   /* q(r) */
    p = _mm256_fmadd_pd(p, r, one);
    p = _mm256_fmadd_pd(p, r, one);
    __m256i bits = _mm256_slli_epi64(
        _mm256_add_epi64(_mm256_castpd_si256(kd), _mm256_set1_epi64x(1023)),
        52);
    return _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
}

/* e^-|l|, clamped at e^-708 (max_pd returns its second operand, t, when
 * that is NaN, so NaN passes through). */
__attribute__((target("avx2,fma"), always_inline))
static inline __m256d exp_neg_abs_avx2(__m256d l)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    const __m256d floor = _mm256_set1_pd(-708.0);
    return exp_nonpos_avx2(_mm256_max_pd(floor, _mm256_or_pd(l, sign)));
}

/* The log of the product of a vector's four lanes, as two logs of pairs
 * (each pair stays below 2^512: see the flush in log_lik_avx2). */
__attribute__((target("avx2,fma")))
static double log_of_lanes(__m256d prod)
{
    double p[4];
    _mm256_storeu_pd(p, prod);
    return log(p[0] * p[1]) + log(p[2] * p[3]);
}

__attribute__((target("avx2,fma")))
static double sum_of_lanes(__m256d v)
{
    double l[4];
    _mm256_storeu_pd(l, v);
    return (l[0] + l[1]) + (l[2] + l[3]);
}

__attribute__((target("avx2,fma")))
static void log_lik_avx2(double *out, const double *x, const double *logits,
                         size_t batch, size_t d)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d;   /* (D) */
        __m256d lin = zero, prod = one;
        double acc = 0.0;
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j), xx = _mm256_loadu_pd(xb + j);
            lin = _mm256_add_pd(lin, _mm256_sub_pd(_mm256_mul_pd(xx, l),
                                                   _mm256_max_pd(l, zero)));
            prod = _mm256_mul_pd(prod,
                                 _mm256_add_pd(one, exp_neg_abs_avx2(l)));
            /* Each factor is in [1, 2]: flush every 256 per lane, so a
             * lane stays below 2^256 and a pair of lanes below 2^512. */
            if ((j / 4) % 256 == 255) {
                acc -= log_of_lanes(prod);
                prod = one;
            }
        }
        acc += sum_of_lanes(lin);
        acc -= log_of_lanes(prod);
        if (d4 < d) {
            double tail;
            log_bernoulli_with_logits(&tail, xb + d4, lb + d4, 1, d - d4);
            acc += tail;
        }
        out[b] = acc;
    }
}

/* g4 (4) += g (x - sigmoid(l)), with e = e^-|l| and one_e = 1 + e:
 * sigmoid(l) = 1/(1 + e) for l >= 0, e/(1 + e) below. */
__attribute__((target("avx2,fma"), always_inline))
static inline void grad_step(double *g4, __m256d g, __m256d x, __m256d l,
                             __m256d e, __m256d one_e)
{
    const __m256d one = _mm256_set1_pd(1.0);
    __m256d num = _mm256_blendv_pd(
        e, one, _mm256_cmp_pd(l, _mm256_setzero_pd(), _CMP_GE_OQ));
    __m256d sig = _mm256_div_pd(num, one_e);
    __m256d acc = _mm256_loadu_pd(g4);
    _mm256_storeu_pd(g4, _mm256_fmadd_pd(g, _mm256_sub_pd(x, sig), acc));
}

__attribute__((target("avx2,fma")))
static void log_lik_backward_avx2(double *dlogits, const double *dout,
                                  const double *x, const double *logits,
                                  size_t batch, size_t d)
{
    const __m256d one = _mm256_set1_pd(1.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d;   /* (D) */
        double *gb = dlogits + b * d;                         /* (D) */
        const __m256d g = _mm256_set1_pd(dout[b]);
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j), xx = _mm256_loadu_pd(xb + j);
            __m256d e = exp_neg_abs_avx2(l);
            grad_step(gb + j, g, xx, l, e, _mm256_add_pd(one, e));
        }
        if (d4 < d)
            log_bernoulli_with_logits_backward(gb + d4, dout + b, xb + d4,
                                               lb + d4, 1, d - d4);
    }
}

/* Both of the above in one pass: the forward's 1 + e is the sigmoid's
 * denominator, so each pixel's exp is computed once and x, logits are
 * read once. Each value is computed by the same operations as in the two
 * kernels above, so out and dlogits are the same bits as theirs. */
__attribute__((target("avx2,fma")))
static void log_lik_with_grad_avx2(double *out, double *dlogits,
                                   const double *dout, const double *x,
                                   const double *logits, size_t batch,
                                   size_t d)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d;   /* (D) */
        double *gb = dlogits + b * d;                         /* (D) */
        const __m256d g = _mm256_set1_pd(dout[b]);
        __m256d lin = zero, prod = one;
        double acc = 0.0;
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j), xx = _mm256_loadu_pd(xb + j);
            __m256d e = exp_neg_abs_avx2(l);
            __m256d one_e = _mm256_add_pd(one, e);
            lin = _mm256_add_pd(lin, _mm256_sub_pd(_mm256_mul_pd(xx, l),
                                                   _mm256_max_pd(l, zero)));
            prod = _mm256_mul_pd(prod, one_e);
            if ((j / 4) % 256 == 255) { /* as in log_lik_avx2 */
                acc -= log_of_lanes(prod);
                prod = one;
            }
            grad_step(gb + j, g, xx, l, e, one_e);
        }
        acc += sum_of_lanes(lin);
        acc -= log_of_lanes(prod);
        if (d4 < d) {
            double tail;
            log_bernoulli_with_logits(&tail, xb + d4, lb + d4, 1, d - d4);
            acc += tail;
            log_bernoulli_with_logits_backward(gb + d4, dout + b, xb + d4,
                                               lb + d4, 1, d - d4);
        }
        out[b] = acc;
    }
}

static int have_avx2(void)
{
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

void bernoulli_fast_log_lik(double *out, const double *x,
                            const double *logits, size_t batch, size_t d)
{
#if HAVE_AVX2_PATH
    if (have_avx2()) {
        log_lik_avx2(out, x, logits, batch, d);
        return;
    }
#endif
    log_bernoulli_with_logits(out, x, logits, batch, d);
}

void bernoulli_fast_log_lik_backward(double *dlogits, const double *dout,
                                     const double *x, const double *logits,
                                     size_t batch, size_t d)
{
#if HAVE_AVX2_PATH
    if (have_avx2()) {
        log_lik_backward_avx2(dlogits, dout, x, logits, batch, d);
        return;
    }
#endif
    log_bernoulli_with_logits_backward(dlogits, dout, x, logits, batch, d);
}

void bernoulli_fast_log_lik_with_grad(double *out, double *dlogits,
                                      const double *dout, const double *x,
                                      const double *logits, size_t batch,
                                      size_t d)
{
#if HAVE_AVX2_PATH
    if (have_avx2()) {
        log_lik_with_grad_avx2(out, dlogits, dout, x, logits, batch, d);
        return;
    }
#endif
    log_bernoulli_with_logits(out, x, logits, batch, d);
    log_bernoulli_with_logits_backward(dlogits, dout, x, logits, batch, d);
}
