/* vae.c: the reference VAE bounds of CS236 HW2 (assignment.h): the negative
 * ELBO with its backward into every parameter, and the negative IWAE bound.
 * Not the networks (model.c) nor training (the vae-train program).
 * Shapes: B batch, D data dimension, Z latent, IW importance samples,
 * R rows of one decoder call in the IWAE bound. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "vg_error.h"

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#else
#define HAVE_AVX2_PATH 0
#endif

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

static double mean(const double *a, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i];
    return s / (double)n;
}

static void terms_set(bound_terms_t *t, double nelbo, double niwae, double kl,
                      double rec)
{
    if (!t)
        return;
    t->nelbo = nelbo;
    t->niwae = niwae;
    t->kl = kl;
    t->kl_z = NAN;
    t->kl_y = NAN;
    t->rec = rec;
}

static int check_batch(const model_t *model, size_t batch, const char *func)
{
    if (batch == 0 || batch > model->max_batch)
        return vg_error_set("%s: batch %zu is outside 1..%zu, the rows the "
                            "model was built for (model_create's max_batch)",
                            func, batch, model->max_batch);
    return VG_OK;
}

double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double nelbo = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    /* Every buffer comes from the model's scratch so that a training step
     * allocates nothing; scratch_alloc zeroes, so gradients start at 0. */
    double *qm = scratch_alloc(model, B * Z);      /* (B,Z) q's mean */
    double *qv = scratch_alloc(model, B * Z);      /* (B,Z) q's variance */
    double *pm = scratch_alloc(model, B * Z);      /* (B,Z) prior mean 0 */
    double *pv = scratch_alloc(model, B * Z);      /* (B,Z) prior var 1 */
    double *eps = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *z = scratch_alloc(model, B * Z);       /* (B,Z) */
    double *logits = scratch_alloc(model, B * D);  /* (B,D) */
    double *kl_b = scratch_alloc(model, B);        /* (B) */
    double *logpx = scratch_alloc(model, B);       /* (B) log p(x|z) */
    if (!qm || !qv || !pm || !pv || !eps || !z || !logits || !kl_b || !logpx)
        goto cleanup;
    fill(pv, B * Z, 1.0);

    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    sample_gaussian(rng, qm, qv, B * Z, z, eps);
    if (decoder_forward(model, logits, z, NULL, B) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, B, Z, kl_b);
    log_bernoulli_with_logits(logpx, x, logits, B, D);
    kl = mean(kl_b, B);
    rec = -mean(logpx, B);

    if (backward) {
        double *dlogits = scratch_alloc(model, B * D); /* (B,D) */
        double *dz = scratch_alloc(model, B * Z);      /* (B,Z) */
        double *dqm = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dqv = scratch_alloc(model, B * Z);     /* (B,Z) */
        double *dkl = scratch_alloc(model, B);         /* (B) d nelbo/d kl_b */
        double *dlogpx = scratch_alloc(model, B);      /* (B) */
        if (!dlogits || !dz || !dqm || !dqv || !dkl || !dlogpx)
            goto cleanup;
        /* nelbo = mean_b (kl_b - logpx_b): each row weighs 1/B. */
        fill(dkl, B, 1.0 / (double)B);
        fill(dlogpx, B, -1.0 / (double)B);
        log_bernoulli_with_logits_backward(dlogits, dlogpx, x, logits, B, D);
        if (decoder_backward(model, dz, dlogits) != VG_OK)
            goto cleanup;
        sample_gaussian_backward(dqm, dqv, dz, qv, eps, B * Z);
        kl_normal_backward(dqm, dqv, NULL, NULL, dkl, qm, qv, pm, pv, B, Z);
        if (encoder_backward(model, dqm, dqv) != VG_OK)
            goto cleanup;
    }
    nelbo = kl + rec;

cleanup:
    terms_set(terms, nelbo, NAN, kl, rec);
    return nelbo;
}

/* ---- log p(x|z) for the IWAE's many rows --------------------------------- */

/* The IWAE bound at iw = 1000 spends as long in log_bernoulli_with_logits
 * (an exp and a log1p per pixel: 78 M of them for 100 digits) as in its
 * GEMMs. Per row, sum_d x l - softplus(l) = sum_d (x l - max(l, 0))
 * - log prod_d (1 + e^-|l|): one exp per pixel and one log per row, four
 * pixels at a time with AVX2 where the CPU has it. Against the plain loop
 * (log_bernoulli_with_logits, the fallback and the in-tree reference,
 * which test_bound_iwae.c compares it with through iw = 1 against the
 * ELBO): 1 + e rounds away at most 1.1e-16 of log1p(e) per pixel, exp is
 * a degree-13 polynomial good to 4e-18 relative after the reduction, and
 * a product of 256 factors per lane rounds by 3e-14 relative at most; so
 * a row differs by < 1e-13 absolute on values of O(100). */
#if HAVE_AVX2_PATH
/* e^t for t in [-40, 0] (callers clamp): t = k ln2 + r, |r| <= ln2 / 2,
 * e^r by Taylor to r^13 (remainder 0.347^14 / 14! = 4e-18), times 2^k
 * built in the exponent bits (k >= -58, so always a normal number). */
__attribute__((target("avx2,fma")))
static __m256d exp_nonpos_avx2(__m256d t)
{
    const __m256d log2e = _mm256_set1_pd(1.4426950408889634);
    const __m256d ln2hi = _mm256_set1_pd(6.93147180369123816490e-01);
    const __m256d ln2lo = _mm256_set1_pd(1.90821492927058770002e-10);
    __m256d k = _mm256_round_pd(_mm256_mul_pd(t, log2e),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256d r = _mm256_fnmadd_pd(k, ln2hi, t);
    r = _mm256_fnmadd_pd(k, ln2lo, r);
    static const double inv_fact[14] = {
        1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720,
        1.0 / 5040, 1.0 / 40320, 1.0 / 362880, 1.0 / 3628800,
        1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0 };
    __m256d p = _mm256_set1_pd(inv_fact[13]);
    for (int i = 12; i >= 0; i--)
        p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(inv_fact[i]));
    __m128i k32 = _mm256_cvtpd_epi32(k);
    __m256i bits = _mm256_slli_epi64(
        _mm256_add_epi64(_mm256_cvtepi32_epi64(k32), _mm256_set1_epi64x(1023)),
        52);
    return _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
}

/* out[b] for rows of d pixels; the tail beyond a multiple of 4 goes the
 * plain way. */
__attribute__((target("avx2,fma")))
static void log_bernoulli_rows_avx2(double *out, const double *x,
                                    const double *logits, size_t batch,
                                    size_t d)
{
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
    const __m256d floor40 = _mm256_set1_pd(-40.0);
    const __m256d sign = _mm256_set1_pd(-0.0);
    const size_t d4 = d / 4 * 4;
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d;   /* (D) */
        __m256d lin = zero, prod = one;
        double acc = 0.0;
        for (size_t j = 0; j < d4; j += 4) {
            __m256d l = _mm256_loadu_pd(lb + j), xx = _mm256_loadu_pd(xb + j);
            lin = _mm256_add_pd(lin, _mm256_sub_pd(_mm256_mul_pd(xx, l),
                                                   _mm256_max_pd(l, zero)));
            /* -|l|, clamped where 1 + e^-|l| is 1 to the last bit. */
            __m256d t = _mm256_max_pd(_mm256_or_pd(l, sign), floor40);
            prod = _mm256_mul_pd(prod, _mm256_add_pd(one, exp_nonpos_avx2(t)));
            /* Each lane's product stays below 2^256: flush to a log. */
            if ((j / 4) % 256 == 255) {
                double p[4];
                _mm256_storeu_pd(p, prod);
                acc -= log(p[0] * p[1]) + log(p[2] * p[3]);
                prod = one;
            }
        }
        double l4[4], p4[4];
        _mm256_storeu_pd(l4, lin);
        _mm256_storeu_pd(p4, prod);
        acc += (l4[0] + l4[1]) + (l4[2] + l4[3]);
        acc -= log(p4[0] * p4[1]) + log(p4[2] * p4[3]);
        if (d4 < d) {
            double tail;
            log_bernoulli_with_logits(&tail, xb + d4, lb + d4, 1, d - d4);
            acc += tail;
        }
        out[b] = acc;
    }
}
#endif

/* out (B) = log p(x | logits) for x, logits (B,D): the AVX2 path when the
 * CPU has it, else the framework's plain loop. */
static void log_bernoulli_rows(double *out, const double *x,
                               const double *logits, size_t batch, size_t d)
{
#if HAVE_AVX2_PATH
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        log_bernoulli_rows_avx2(out, x, logits, batch, d);
        return;
    }
#endif
    log_bernoulli_with_logits(out, x, logits, batch, d);
}

/* The log-weights of the IWAE bound are laid out (B, IW) so that each row's
 * iw weights are contiguous for log_mean_exp. Samples are drawn
 * sample-major, as CS236's duplicate() lays them out: importance sample i
 * of row b is noise row i*B + b, so iw = 1 draws exactly the ELBO's noise,
 * and a chunk of whole samples continues the same stream whatever the
 * chunk size. */
double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    double niwae = NAN, kl = NAN, rec = NAN;

    if (check_batch(model, B, __func__) != VG_OK)
        goto cleanup;
    if (iw == 0) {
        vg_error_set("%s: iw must be at least 1", __func__);
        goto cleanup;
    }
    double *qm = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *qv = scratch_alloc(model, B * Z);     /* (B,Z) */
    double *kl_b = scratch_alloc(model, B);       /* (B) closed-form KL */
    double *logw = scratch_alloc(model, B * iw);  /* (B,IW) log weights */
    if (!qm || !qv || !kl_b || !logw)
        goto cleanup;

    /* Samples per decoder call S: as many whole copies of the batch as the
     * decoder takes rows and the scratch holds, so that the GEMMs are large
     * while the logits stay bounded at R = S*B rows (never IW*B*D). */
    const size_t per_row = 7 * Z + D + 3; /* doubles per sample row below */
    const size_t slack = 16 * 10;         /* scratch_alloc's rounding */
    size_t left = model->scratch.cap - model->scratch.used;
    size_t rows_fit = left > slack ? (left - slack) / per_row : 0;
    size_t rows_max = model->dec.net.max_batch < rows_fit
                          ? model->dec.net.max_batch : rows_fit;
    size_t S = rows_max / B < iw ? rows_max / B : iw;
    if (S == 0) {
        vg_error_set("%s: the model's scratch (%zu doubles free) or decoder "
                     "(%zu rows) cannot hold one sample of %zu rows",
                     __func__, left, model->dec.net.max_batch, B);
        goto cleanup;
    }
    const size_t R = S * B;
    double *mr = scratch_alloc(model, R * Z);      /* (R,Z) qm, S copies */
    double *vr = scratch_alloc(model, R * Z);      /* (R,Z) qv, S copies */
    double *pm = scratch_alloc(model, R * Z);      /* (R,Z) prior mean 0 */
    double *pv = scratch_alloc(model, R * Z);      /* (R,Z) prior var 1 */
    double *eps = scratch_alloc(model, R * Z);     /* (R,Z) */
    double *z = scratch_alloc(model, R * Z);       /* (R,Z) */
    double *logits = scratch_alloc(model, R * D);  /* (R,D) */
    double *logpx = scratch_alloc(model, R);       /* (R) log p(x|z) */
    double *logq = scratch_alloc(model, R);        /* (R) log q(z|x) */
    double *logpz = scratch_alloc(model, R);       /* (R) log p(z) */
    if (!mr || !vr || !pm || !pv || !eps || !z || !logits || !logpx || !logq
        || !logpz)
        goto cleanup;
    fill(pv, R * Z, 1.0);

    if (encoder_forward(model, qm, qv, x, NULL, B) != VG_OK)
        goto cleanup;
    kl_normal(qm, qv, pm, pv, B, Z, kl_b);
    for (size_t s = 0; s < S; s++) {
        memcpy(mr + s * B * Z, qm, B * Z * sizeof *mr);
        memcpy(vr + s * B * Z, qv, B * Z * sizeof *vr);
    }
    double rec_sum = 0.0;
    for (size_t i0 = 0; i0 < iw; i0 += S) {
        const size_t s_n = iw - i0 < S ? iw - i0 : S, n = s_n * B;
        sample_gaussian(rng, mr, vr, n * Z, z, eps);
        if (decoder_forward(model, logits, z, NULL, n) != VG_OK)
            goto cleanup;
        for (size_t s = 0; s < s_n; s++)
            log_bernoulli_rows(logpx + s * B, x, logits + s * B * D, B, D);
        log_normal(z, mr, vr, n, Z, logq);
        log_normal(z, pm, pv, n, Z, logpz);
        for (size_t s = 0; s < s_n; s++)
            for (size_t b = 0; b < B; b++) {
                const size_t r = s * B + b;
                logw[b * iw + i0 + s] = logpx[r] + logpz[r] - logq[r];
            }
        if (i0 == 0)
            for (size_t b = 0; b < B; b++)
                rec_sum -= logpx[b];
    }
    double lme_sum = 0.0;
    for (size_t b = 0; b < B; b++)
        lme_sum += log_mean_exp(logw + b * iw, iw);
    niwae = -lme_sum / (double)B;
    kl = mean(kl_b, B);
    rec = rec_sum / (double)B;

cleanup:
    terms_set(terms, kl + rec, niwae, kl, rec);
    return niwae;
}
