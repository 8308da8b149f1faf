/* test_rng.c: the generator is xoshiro256** seeded by splitmix64 (published
 * reference vectors), a seed gives the same numbers everywhere (pinned
 * outputs), and uniforms, bounded integers, normals and shuffles have the
 * right distributions. Not a test suite for randomness quality (TestU01's
 * job); statistical tests here catch wrong formulas, not subtle bias.
 *
 * Every statistical test below uses a fixed seed, so it is deterministic;
 * its stated false-fail rate is the probability, over seeds, that a correct
 * generator fails it (normal or chi-square tail, from the CLT at sample
 * sizes where it is accurate). All are under 1e-6. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>

#include "numcheck/compare.h"
#include "rng.h"

/* ---- pinned values ------------------------------------------------------ */

/* Blackman & Vigna's xoshiro256** reference: state {1, 2, 3, 4} gives
 * these (also the test vector of Rust's rand_xoshiro). */
Test(rng, xoshiro256starstar_reference_vector)
{
    rng_t r = { { 1, 2, 3, 4 }, 0, 0.0 };
    const uint64_t want[4] = { 11520u, 0u, 1509978240u,
                               1215971899390074240u };
    for (int i = 0; i < 4; i++)
        cr_assert_eq(rng_u64(&r), want[i], "output %d", i);
}

/* splitmix64 seeded with 0 first gives 0xe220a8397b1dcdaf (Vigna's
 * splitmix64.c), which becomes the first state word. */
Test(rng, splitmix64_seeds_the_state)
{
    rng_t r;
    rng_seed(&r, 0);
    cr_assert_eq(r.s[0], 0xe220a8397b1dcdafULL);
    cr_assert_eq(r.has_spare, 0);
}

/* Pinned once from this implementation (integer arithmetic only, so these
 * bits are the same on every machine): a change here changes every seed's
 * samples, fixtures and golden values. */
Test(rng, pinned_outputs_seed_0_and_1)
{
    const uint64_t want0[4] = { 0x99ec5f36cb75f2b4ULL, 0xbf6e1f784956452aULL,
                                0x1a5f849d4933e6e0ULL, 0x6aa594f1262d2d2cULL };
    const uint64_t want1[4] = { 0xb3f2af6d0fc710c5ULL, 0x853b559647364ceaULL,
                                0x92f89756082a4514ULL, 0x642e1c7bc266a3a7ULL };
    rng_t r0, r1;
    rng_seed(&r0, 0);
    rng_seed(&r1, 1);
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(rng_u64(&r0), want0[i], "seed 0, output %d", i);
        cr_assert_eq(rng_u64(&r1), want1[i], "seed 1, output %d", i);
    }
}

/* Pinned from this implementation. The polar method uses log and sqrt;
 * sqrt is correctly rounded everywhere, glibc's log is within 1 ulp, and
 * the result passes through a division, sqrt and product: a few ulp, so
 * 1e-15 relative (about 9 ulp) allows another libm and still pins the
 * draw order (a swapped pair or a skipped spare is off by O(1)). */
Test(rng, pinned_normals)
{
    const double want0[4] = { 0.5981026483626094, 1.4634599192204392,
                              -0.89505255323799138, -0.1880627660388742 };
    const double want1[4] = { 1.8843961047879769, 0.18978089448693036,
                              1.302090250702661, -1.9094343319583578 };
    double got0[4], got1[4];
    rng_t r;
    rng_seed(&r, 0);
    for (int i = 0; i < 4; i++)
        got0[i] = rng_normal(&r);
    rng_seed(&r, 1);
    for (int i = 0; i < 4; i++)
        got1[i] = rng_normal(&r);
    cmp_report_t rep;
    cmp_bound_t b = { 0, 1e-15 };
    cr_assert(compare_arrays(&rep, want0, got0, 4, b, "normals, seed 0"),
              "%s", rep.message);
    cr_assert(compare_arrays(&rep, want1, got1, 4, b, "normals, seed 1"),
              "%s", rep.message);
}

Test(rng, uniform_is_top_53_bits)
{
    rng_t a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) {
        double u = rng_uniform(&a);
        uint64_t x = rng_u64(&b);
        cr_assert_eq(u, (double)(x >> 11) * 0x1.0p-53, "draw %d", i);
        cr_assert(u >= 0.0 && u < 1.0);
    }
}

Test(rng, reseeding_repeats_and_seeds_differ)
{
    rng_t a, b;
    rng_seed(&a, 7);
    rng_seed(&b, 7);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(rng_normal(&a), rng_normal(&b));
    rng_seed(&a, 7);
    rng_seed(&b, 8);
    int same = 0;
    for (int i = 0; i < 100; i++)
        same += rng_u64(&a) == rng_u64(&b);
    cr_assert_eq(same, 0);
}

/* The assignment fixes eps[i] = rng_normal(rng) in index order, spares
 * included; rng_normal_fill must be that and nothing else. */
Test(rng, normal_fill_is_sequential_normals)
{
    rng_t a, b;
    rng_seed(&a, 3);
    rng_seed(&b, 3);
    double fill[7];
    (void)rng_normal(&a); /* odd start: the fill begins on a spare */
    (void)rng_normal(&b);
    rng_normal_fill(&a, fill, 7);
    for (int i = 0; i < 7; i++)
        cr_assert_eq(fill[i], rng_normal(&b), "index %d", i);
    cr_assert_eq(rng_u64(&a), rng_u64(&b), "same state afterwards");
}

/* ---- distributions ------------------------------------------------------ */

#define N_MOMENTS 1000000

/* Uniform(0,1): mean 1/2, variance 1/12. Over N draws the mean's standard
 * error is sqrt(1/12 / N) = 2.89e-4 and the variance's is
 * sqrt((mu4 - sigma^4) / N) = sqrt((1/80 - 1/144) / N) = 7.45e-5. Bounds
 * are 5 standard errors: false-fail rate 2 x 5.7e-7 for the two. */
Test(rng, uniform_moments)
{
    rng_t r;
    rng_seed(&r, 2024);
    double s = 0, s2 = 0;
    for (int i = 0; i < N_MOMENTS; i++) {
        double u = rng_uniform(&r);
        s += u;
        s2 += u * u;
    }
    double mean = s / N_MOMENTS, var = s2 / N_MOMENTS - mean * mean;
    double se_mean = sqrt(1.0 / 12 / N_MOMENTS);
    double se_var = sqrt((1.0 / 80 - 1.0 / 144) / N_MOMENTS);
    cr_assert(fabs(mean - 0.5) < 5 * se_mean, "mean %.6f, 5 se %.2e", mean,
              5 * se_mean);
    cr_assert(fabs(var - 1.0 / 12) < 5 * se_var, "var %.6f, 5 se %.2e", var,
              5 * se_var);
}

/* N(0,1): mean 0 (se sqrt(1/N)), E x^2 = 1 (se sqrt(2/N)), E x^3 = 0 (se
 * sqrt(15/N), E x^6 = 15) and E x^4 = 3 (se sqrt((105 - 9)/N), E x^8 =
 * 105), each within 5.3 se: a two-sided normal tail of 1.16e-7 each, so a
 * false-fail rate of at most 4.6e-7 for the four. */
Test(rng, normal_moments)
{
    rng_t r;
    rng_seed(&r, 2025);
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int i = 0; i < N_MOMENTS; i++) {
        double x = rng_normal(&r), x2 = x * x;
        m1 += x;
        m2 += x2;
        m3 += x2 * x;
        m4 += x2 * x2;
    }
    m1 /= N_MOMENTS;
    m2 /= N_MOMENTS;
    m3 /= N_MOMENTS;
    m4 /= N_MOMENTS;
    const double k = 5.3, n = N_MOMENTS;
    cr_assert(fabs(m1) < k * sqrt(1 / n), "mean %.6f", m1);
    cr_assert(fabs(m2 - 1) < k * sqrt(2 / n), "E x^2 %.6f", m2);
    cr_assert(fabs(m3) < k * sqrt(15 / n), "E x^3 %.6f", m3);
    cr_assert(fabs(m4 - 3) < k * sqrt(96 / n), "E x^4 %.6f", m4);
}

/* The tail, where a wrong polar formula (say sqrt(-log s / s)) shows: the
 * fraction of |x| > 1.959964 is 0.05, binomial se sqrt(0.05 0.95 / N) =
 * 2.18e-4; 5 se gives a false-fail rate of 5.7e-7. */
Test(rng, normal_tail_fraction)
{
    rng_t r;
    rng_seed(&r, 2026);
    long out = 0;
    for (int i = 0; i < N_MOMENTS; i++)
        out += fabs(rng_normal(&r)) > 1.959963984540054;
    double f = (double)out / N_MOMENTS;
    double se = sqrt(0.05 * 0.95 / N_MOMENTS);
    cr_assert(fabs(f - 0.05) < 5 * se, "tail fraction %.5f", f);
}

/* rng_below(10) over 100,000 draws: Pearson's chi-square with 9 degrees of
 * freedom (expected 10,000 per cell, where the chi-square law is accurate);
 * P(chi2_9 > 45) = 9.2e-7 is the false-fail rate. */
Test(rng, below_is_uniform)
{
    rng_t r;
    rng_seed(&r, 11);
    long count[10] = { 0 };
    const long n = 100000;
    for (long i = 0; i < n; i++) {
        uint64_t v = rng_below(&r, 10);
        cr_assert(v < 10);
        count[v]++;
    }
    double chi2 = 0, e = n / 10.0;
    for (int i = 0; i < 10; i++)
        chi2 += (count[i] - e) * (count[i] - e) / e;
    cr_assert(chi2 < 45.0, "chi-square %.2f on 9 df", chi2);
}

/* n = 3 * 2^62: plain `u64 % n` would put half the draws below 2^62 instead
 * of a third. Over 30,000 draws the fraction's se is sqrt(2/9 / 30000) =
 * 2.72e-3, so the 5 se bound (false-fail 5.7e-7) is 0.0136, and the biased
 * 1/2 is 61 se away. */
Test(rng, below_has_no_modulo_bias)
{
    rng_t r;
    rng_seed(&r, 12);
    const uint64_t n = 3ULL << 62, third = 1ULL << 62;
    const long draws = 30000;
    long low = 0;
    for (long i = 0; i < draws; i++) {
        uint64_t v = rng_below(&r, n);
        cr_assert(v < n);
        low += v < third;
    }
    double f = (double)low / draws, se = sqrt(2.0 / 9 / draws);
    cr_assert(fabs(f - 1.0 / 3) < 5 * se, "fraction below n/3: %.4f", f);
}

Test(rng, below_edge_cases)
{
    rng_t r;
    rng_seed(&r, 13);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(rng_below(&r, 1), 0u);
    uint64_t big = UINT64_MAX; /* the largest n: threshold 1 */
    for (int i = 0; i < 100; i++)
        cr_assert(rng_below(&r, big) < big);
}

/* Every shuffle is a permutation; over 60,000 shuffles of 3 items the 6
 * orders are equally likely: chi-square on 5 df, P(chi2_5 > 36) = 9.5e-7. */
Test(rng, shuffle_is_a_uniform_permutation)
{
    rng_t r;
    rng_seed(&r, 14);
    long count[6] = { 0 };
    const long n = 60000;
    for (long t = 0; t < n; t++) {
        size_t idx[3] = { 0, 1, 2 };
        rng_shuffle(&r, idx, 3);
        cr_assert(idx[0] != idx[1] && idx[1] != idx[2] && idx[0] != idx[2]);
        /* Lehmer code of the permutation: 0..5 */
        size_t code = idx[0] * 2 + (idx[1] > idx[2]);
        count[code]++;
    }
    double chi2 = 0, e = n / 6.0;
    for (int i = 0; i < 6; i++)
        chi2 += (count[i] - e) * (count[i] - e) / e;
    cr_assert(chi2 < 36.0, "chi-square %.2f on 5 df", chi2);

    size_t big[1000], seen[1000] = { 0 };
    for (size_t i = 0; i < 1000; i++)
        big[i] = i;
    rng_shuffle(&r, big, 1000);
    for (size_t i = 0; i < 1000; i++)
        seen[big[i]]++;
    for (size_t i = 0; i < 1000; i++)
        cr_assert_eq(seen[i], 1u, "item %zu", i);
    rng_shuffle(&r, big, 0); /* n = 0 and 1 are no-ops, not crashes */
    rng_shuffle(&r, big, 1);
}
