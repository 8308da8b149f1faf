/* checks_models.c: the catalogue entries of vae.c, gmvae.c, ssvae.c and
 * the bonus fsvae.c (knobs, explain texts, points), numbered after CS236
 * HW2: 1 VAE, 2 GMVAE, 3 IWAE, 4 SSVAE, 5 FSVAE (bonus); and what their
 * evaluations share (the models' terms, the Monte Carlo comparison). The
 * evaluations themselves are in checks_elbo.c, checks_iwae.c and
 * checks_short_run.c. Each entry says how its tolerance or false-fail rate
 * is derived; `vaegrade explain ID` prints it with the rates computed for
 * the profile's knobs. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs236-hw2/catalogue.h"
#include "cs236-hw2/checks_models.h"
#include "driver/hints.h"
#include "driver/profile.h"
#include "numcheck/stats.h"
#include "driver/thresholds.h"
#include "vg_error.h"

/* ---- what every model check needs to know about its model ----------------- */

static const kind_info_t kinds[] = {
    { "vae", "vae_negative_elbo_bound", 2, { "kl", "rec" }, { 1, 0 } },
    { "gmvae", "gmvae_negative_elbo_bound", 2, { "kl", "rec" }, { 0, 0 } },
    { "ssvae", "ssvae_negative_elbo_bound", 3, { "kl_y", "kl_z", "rec" }, { 1, 1, 0 } },
    { "fsvae", "fsvae_negative_elbo_bound", 2, { "kl_z", "rec" }, { 1, 0 } },
};

const kind_info_t *kind_of(const check_def_t *d)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(d->task, kinds[i].name, strlen(kinds[i].name)) == 0 &&
            d->task[strlen(kinds[i].name)] == '_')
            return &kinds[i];
    return &kinds[0];
}

/* ---- Monte Carlo comparisons ------------------------------------------------ */

void mc_term(mc_term_t *t, const char *what, double mean_sub,
                    double sd_sub, double n_sub, double mean_ref, double sd_ref,
                    double n_ref, double z, double floor_abs, double floor_rel)
{
    t->mean_sub = mean_sub;
    t->mean_ref = mean_ref;
    t->sd_sub = sd_sub;
    t->sd_ref = sd_ref;
    t->tol = z * sd_ref * sqrt(1.0 / n_sub + 1.0 / n_ref) + floor_abs;
    cmp_bound_t b = { t->tol, floor_rel };
    t->ok = compare_scalar(&t->rep, mean_ref, mean_sub, b, what);
    t->finite = isfinite(mean_sub);
}

void grouped_mean_sd(const double *x, size_t R, size_t G, size_t stride,
                            double *mean, double *sd, double *df)
{
    double m = 0, ss = 0;
    for (size_t r = 0; r < R; r++)
        for (size_t g = 0; g < G; g++)
            m += x[(r * G + g) * stride];
    m /= (double)(R * G);
    for (size_t g = 0; g < G; g++) {
        double mg = 0;
        for (size_t r = 0; r < R; r++)
            mg += x[(r * G + g) * stride];
        mg /= (double)R;
        for (size_t r = 0; r < R; r++) {
            double d = x[(r * G + g) * stride] - mg;
            ss += d * d;
        }
    }
    *mean = m;
    *df = (double)(G * (R - 1));
    *sd = R > 1 ? sqrt(ss / *df) : 0;
}

int plausible(double got, double ref, double factor)
{
    if (!isfinite(got) || !isfinite(ref) || ref == 0)
        return 0;
    double r = got / ref;
    return r >= 1.0 / factor && r <= factor;
}

/* ---- knobs and texts --------------------------------------------------------- */

#define VALUE_PARAMS(digits, rep, ref_rep)                                       \
    { "digits", digits, 1, 100, 1, "digits of the test subset per call" },       \
    { "repeats", rep, 2, 100000, 1, "your calls, each with fresh noise" },       \
    { "ref_repeats", ref_rep, 2, 100000, 1, "the reference's calls" },           \
    { "z", 5, 3, 10, 0, "bound on the standardised difference of the means" },   \
    { "floor_abs", 1e-9, 0, 1, 0, "absolute floor (terms without noise)" },      \
    { "floor_rel", 1e-5, 0, 1, 0, "relative floor (terms without noise)" },  \
    { "spread_alpha", 1e-6, 1e-12, 0.1, 0, "false-fail rate of the spread's F test" }

#define VALUE_EXPLAIN(model, terms)                                              \
    "Calls the bound R times with backward = 0 on the digits of the test "       \
    "subset, each call with fresh noise, and compares the mean of nelbo and "    \
    "of each term (" terms ") with the reference's mean over its own R_ref "     \
    "calls. The two runners draw from independent streams, so whatever "        \
    "order your code draws its noise in (row-major or not, +eps or -eps) the "  \
    "two means are independent estimates of the same expectation: the "         \
    "difference has standard deviation sigma sqrt(1/R + 1/R_ref), and with "    \
    "sigma estimated by the reference's spread s_ref over R_ref calls, "        \
    "(mean - mean_ref) / (s_ref sqrt(1/R + 1/R_ref)) is exactly Student's t "   \
    "with R_ref - 1 degrees of freedom when the calls' values are normal (each " \
    "is a mean over the digits, so they are, closely). The check passes a "    \
    "term when |mean - mean_ref| <= z s_ref sqrt(1/R + 1/R_ref) + floor; the "  \
    "floor (1e-9 + 1e-5 |expected|) is for terms without noise, the "           \
    "closed-form KLs, where correct code differs by rounding only: the "       \
    "networks run in float32, and a GEMM's summation order follows the "       \
    "rows' layout and the buffers' alignment, so the encoder's outputs move "   \
    "by ~1e-7 relative between equally correct codes (Higham's bound n u, n "  \
    "<= 794 inputs, u = 6e-8, is 5e-5; measured between two row layouts of "   \
    "the ssvae: 3e-9), while a real mistake moves a term by 1e-3 or more. "    \
    "False-fail rate per term: P(|t| > z), by the union bound at most (terms "  \
    "+ 1) x that per seed. One more part compares the per-call spread of "     \
    "nelbo with the reference's: the ratio of their variances is Fisher's F " \
    "with (R - 1, R_ref - 1) degrees of freedom when the calls are normal, "  \
    "and the part fails when its two-sided p-value is under spread_alpha "    \
    "(1e-6): noise shared by the rows multiplies the spread of a per-call "  \
    "mean (4.7x measured for one eps for 100 rows), no noise "                \
    "divides it (the rates are printed below for this profile). Points: the " \
    "fraction of nelbo, terms and spread within tolerance. Named mistakes: a sum over " \
    "the batch, a flipped sign, the KL missing or doubled, rec without its "    \
    "minus, a sampled KL where the closed form is due" model "."

#define BATCH_EXPLAIN                                                            \
    "The value check on an odd batch of 97 rows (of a buffer of 100 whose "     \
    "last 3 rows hold NaN, so reading past the batch shows as NaN): every "    \
    "term is a mean over the rows passed, so a sum (97 x), a division by a "    \
    "fixed 100 (0.97 x) or a loop to a fixed size is caught. Tolerance and "    \
    "false-fail rate as the value check's."

#define GRADIENT_PARAMS(pretrained)                                              \
    { "batch", 5, 1, 20, 1, "rows of the test subset" },                         \
    { "per_layer", 4, 1, 1000, 1, "weights checked per layer (and prior component)" }, \
    { "per_bias", 2, 0, 1000, 1, "biases checked per layer" },                   \
    { "prior_components", 4, 1, 100, 1, "gmvae: components checked" },          \
    { "pretrained", pretrained, 0, 1, 1, "1: the pretrained weights; 0: a seeded initialisation" }, \
    { "fd_step", 1e-5, 1e-8, 1e-2, 1, "central-difference step h" },             \
    { "grad_abs", 1e-7, 0, 1, 0, "absolute bound" },                              \
    { "grad_rel", 1e-5, 0, 1, 0, "relative bound" }

#define GRADIENT_EXPLAIN(parts)                                                  \
    "With a float64 copy of the model and a small odd batch, the bound is "     \
    "called once with backward = 1 from zeroed gradients, then its value "      \
    "(backward = 0) is differenced centrally, h = 1e-5, at a seeded sample of " \
    "coordinates covering " parts ", the rng reseeded before every call "       \
    "(common random numbers), so the bound is a smooth deterministic "          \
    "function of the parameters. Your gradient is compared with the "           \
    "differences of YOUR OWN bound: the check depends on your backward "        \
    "matching your forward, not on your noise order or your formulas. Bound "   \
    "|analytic - numeric| <= 1e-7 + 1e-5 |numeric|: rounding costs ~eps |f| / " \
    "h ~ 1e-9 for bounds of O(100), truncation ~h^2 |f'''| ~ 1e-10, and an "    \
    "ELU kink crossed within h (its second derivative jumps) costs ~h |jump| "  \
    "~ 1e-6 at worst; measured on the reference over 300 seeds per model the "  \
    "worst coordinate sits at 2% to 24% of the bound. h = 1e-4 was rejected: " \
    "kinks made 2-4% of seeds fail at the tighter 1e-8 + 1e-6. Every "          \
    "genuine mistake (a missing part, a factor, a sign) is off by O(|g|). The " \
    "reference runs the same check; if its own gradient failed it, the "        \
    "grader would report an error, not you. The property holds for any "       \
    "constant (0 = 0), so it scores only for a bound whose value at the point " \
    "is a plausible negative ELBO (same sign as the reference's on the same "  \
    "rows, within a factor 200: wide enough for a sum over the batch, so one " \
    "mistake in the value is charged by the value checks only) and whose "     \
    "backward reaches every part (encoder, decoder, classifier, prior) where " \
    "the reference's gradient is non-zero, with at least 1e-3 of the "         \
    "reference's size there. Deterministic: no false-fail rate beyond the "    \
    "kink case, which the 10x headroom covers."

#define CONTRACT_EXPLAIN                                                         \
    "Two cases, half the points each. accumulates: from zeroed gradients the "  \
    "bound is called twice with backward = 1 and the same noise; the second "   \
    "call must add the same gradient again (second - first = first, within "   \
    "1e-15 + 1e-12 |g|: a GEMM adds its product block by block, a few ulps), "  \
    "so a bound that zeroes or overwrites the gradients is caught. "            \
    "no_backward: the gradients hold random values and the bound is called "   \
    "with backward = 0: they must be left bit for bit. Both halves score only " \
    "for a backward that computes something: what one call with backward = 1 " \
    "adds from zero must be within a factor 200 of the reference's in size "   \
    "(sum of |g| over the parameters; the reference runs the same rows), so "  \
    "a bound that never writes (which leaves gradients alone) or that adds "   \
    "a constant (which doubles) earns nothing. Deterministic."

#define SHORT_PARAMS                                                             \
    { "iters", 0, 0, 1e6, 1, "steps; 0: thresholds.json's run length" },         \
    { "alpha", 1e-5, 1e-9, 0.1, 0, "false-fail rate of the pass bound" },        \
    { "partial_factor", 2, 1, 100, 0, "the partial band is this x the margin" }, \
    { "partial_score", 0.5, 0, 1, 0, "fraction of the points in the partial band" }, \
    { "track_repeats", 10, 2, 10000, 1, "your bound's calls on the trained weights" }, \
    { "track_ref_repeats", 40, 2, 10000, 1, "the reference bound's calls on them" }, \
    { "track_z", 6, 3, 10, 0, "bound on the standardised difference (tracking)" }

#define SHORT_EXPLAIN(what)                                                      \
    "Trains the model for thresholds.json's run length from the check's seed "  \
    "with YOUR bound (its backward drives Adam; batch 100, lr 1e-3, dynamic "   \
    "binarisation, float32, as vae-train), in your runner; the trained weights " \
    "are handed to runner-ref, which measures " what " with the reference "     \
    "code, so nothing your code reports is trusted. The thresholds come from "  \
    "fixtures/thresholds.json (make fixtures): the reference trained the same " \
    "way from n >= 20 seeds, giving mean m and sample sd s. A new correct run " \
    "is another draw from that distribution, so the one-sided prediction "      \
    "bound m + t_{n-1, 1-alpha} s sqrt(1 + 1/n) (alpha = 1e-5) is missed by a " \
    "correct run with probability alpha exactly if the values are normal. "    \
    "Within twice that margin: half the points. Training stopping on a NaN "    \
    "loss scores 0 with the step. The run scores only when your bound's own "  \
    "nelbo on the weights it trained (10 calls on the test subset) agrees "    \
    "with the reference bound's on the same weights (40 calls, independent "   \
    "noise) within 6 x the reference's spread x sqrt(1/10 + 1/40) + 1e-5 "     \
    "|expected| (Student's t with 39 degrees of freedom): a bound that reports " \
    "0 or a constant while its backward, or its own edits of the weights, "   \
    "train the model earns nothing."

#define IWAE_PARAMS                                                              \
    { "digits", 20, 1, 100, 1, "digits of the test subset" },                    \
    { "group", 5, 1, 100, 1, "rows per call (digits / group calls)" },          \
    { "repeats", 4, 2, 10000, 1, "your calls per group and iw" },                \
    { "ref_repeats", 16, 2, 10000, 1, "the reference's" },                       \
    { "max_iw", 1000, 1, 1000, 1, "largest iw (of 1, 10, 100, 1000)" },          \
    { "z", 5, 3, 10, 0, "bound on the standardised difference" },                \
    { "z_paired", 7, 3, 10, 0, "bound for the monotone pairs (your own spread)" }, \
    { "floor_abs", 1e-9, 0, 1, 0, "absolute floor" }

#define IWAE_EXPLAIN                                                             \
    "Calls the IWAE bound with iw = 1, 10, 100, 1000 on 20 digits of the test " \
    "subset in G = 4 calls of 5 rows (a batch above 1, so the (B, IW) "         \
    "bookkeeping is exercised), R times each with fresh noise (one seed per "   \
    "call, replayed for every iw), on the pretrained model. Parts, each worth " \
    "the same. (1) Each iw against the reference's mean over its own R_ref "    \
    "calls (independent noise): the calls hold different digits, so the "      \
    "spread is the reference's pooled within-call standard deviation s "       \
    "(G(R_ref - 1) degrees of freedom) and an iw passes when |mean - "          \
    "mean_ref| <= z s sqrt(1/(R G) + 1/(R_ref G)) + 1e-9: Student's t under "   \
    "normality (approximately, since the calls' spreads differ a little). (2) " \
    "iw = 1 against the reference's ELBO on its calls: the IWAE bound with "    \
    "one sample is the one-sample ELBO (the vae's with the sampled KL log q - " \
    "log p in place of the closed form: equal in expectation), tolerance z "   \
    "sqrt(s_iw1^2/(R G) + s_elbo^2/(R_ref G)) with both spreads the "           \
    "reference's. Your own ELBO is not called here, so a wrong ELBO costs the " \
    "ELBO's checks only. (3) The tightening: the paired gap, iw = 1 minus the " \
    "largest iw call by call, must not fall short of the reference's by more " \
    "than z s_gap sqrt(1/(R G) + 1/(R_ref G)) (one-sided Student's t): an "    \
    "ELBO returned for the IWAE (gap 0) or a constant fails. (4) The bound "   \
    "must not increase from one iw to the next: each pair differenced call "   \
    "by call, failing only when the mean rise exceeds z_paired standard "      \
    "errors; a correct bound's gap is >= 0 for every digit, so the one-sided " \
    "rate at a gap of 0 bounds its false fails. A bound that does not tighten " \
    "never increases either, so these pairs score only when (3) passed. (5) "  \
    "The terms kl and rec the bound fills (the ELBO of its first importance "  \
    "sample, assignment.h) at every iw against the reference's, as in (1) "    \
    "with the value checks' floor 1e-5 |expected| for the closed-form KL. "    \
    "Every iw's mean must be plausible (same sign as the reference's, within " \
    "a factor 10), or no part scores. Named mistakes: log_sum_exp for "        \
    "log_mean_exp (log iw too low), the ELBO for the IWAE, a sum over the "     \
    "batch, a flipped sign, a bound that grows with iw."

const check_def_t checks_models[] = {
    /* ---- vae.c ---- */
    {
        .id = "1.9-vae-elbo-value",
        .title = "vae_negative_elbo_bound: nelbo, kl, rec on a pretrained model",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN(" (the vae's KL is kl_normal against N(0, I))",
                                 "kl closed form, rec"),
    },
    {
        .id = "1.10-vae-elbo-terms-sum",
        .title = "vae_negative_elbo_bound: nelbo = kl + rec, returned",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 5, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "On a few calls, terms->nelbo must equal terms->kl + "
            "terms->rec and the value returned must equal terms->nelbo, to "
            "1e-12 + 1e-12 x (|kl| + |rec|): a sum of two batch means and a "
            "mean of per-row sums differ by rounding only (~B eps), far under "
            "the bound. 0 = 0 + 0 holds too, so the check scores only for a "
            "plausible nelbo (same sign as the reference's on the same digits, "
            "within a factor 200) that changes from call to call as a "
            "one-sample bound with fresh noise does (a constant does not). "
            "Deterministic.",
    },
    {
        .id = "1.11-vae-elbo-batch-mean",
        .title = "vae_negative_elbo_bound: batch means on 97 rows",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 100, 100) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "1.12-vae-elbo-gradient",
        .title = "vae_negative_elbo_bound: gradient of the whole bound",
        .file = "vae.c", .functions = "vae_negative_elbo_bound (backward)",
        .task = "vae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(1) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder"),
    },
    {
        .id = "1.13-vae-backward-contract",
        .title = "vae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "vae.c", .functions = "vae_negative_elbo_bound (backward)",
        .task = "vae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 1,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "1.14-vae-short-run",
        .title = "vae: a short training run with your bound",
        .file = "vae.c", .functions = "vae_negative_elbo_bound",
        .task = "vae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the test NELBO (the reference bound, 100 "
                                 "repeats, eval seed 0, on the test subset)"),
    },
    /* ---- gmvae.c ---- */
    {
        .id = "2.8-gmvae-elbo-value",
        .title = "gmvae_negative_elbo_bound: nelbo, kl, rec on a pretrained model",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN("", "kl, one-sample Monte Carlo log q(z|x) - "
                                 "log p(z) under the mixture prior; rec"),
    },
    {
        .id = "2.9-gmvae-elbo-terms-sum",
        .title = "gmvae_negative_elbo_bound: nelbo = kl + rec, returned",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 5, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "As 1.10, for the gmvae.",
    },
    {
        .id = "2.10-gmvae-elbo-batch-mean",
        .title = "gmvae_negative_elbo_bound: batch means on 97 rows",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 100, 100) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "2.11-gmvae-elbo-gradient",
        .title = "gmvae_negative_elbo_bound: gradient of the whole bound, prior included",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound (backward)",
        .task = "gmvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(1) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder and "
            "the mixture prior's means and raw variances (of the 4 components "
            "nearest the batch's posterior means, where the prior's gradient is "
            "not negligible)"),
    },
    {
        .id = "2.12-gmvae-backward-contract",
        .title = "gmvae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound (backward)",
        .task = "gmvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 1,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "2.13-gmvae-short-run",
        .title = "gmvae: a short training run with your bound",
        .file = "gmvae.c", .functions = "gmvae_negative_elbo_bound",
        .task = "gmvae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the test NELBO (the reference bound, 100 "
                                 "repeats, eval seed 0, on the test subset)"),
    },
    /* ---- IWAE ---- */
    {
        .id = "3.4-vae-iwae",
        .title = "vae_negative_iwae_bound: iw = 1 .. 1000 against the reference, iw = 1 = ELBO, tightening, non-increasing, terms",
        .file = "vae.c", .functions = "vae_negative_iwae_bound",
        .task = "vae_negative_iwae_bound.values", .needs_ref = 1,
        .eval = eval_iwae, .explain_more = more_iwae,
        .params = { IWAE_PARAMS },
        .explain = IWAE_EXPLAIN,
    },
    {
        .id = "3.5-gmvae-iwae",
        .title = "gmvae_negative_iwae_bound: iw = 1 .. 1000 against the reference, iw = 1 = ELBO, tightening, non-increasing, terms",
        .file = "gmvae.c", .functions = "gmvae_negative_iwae_bound",
        .task = "gmvae_negative_iwae_bound.values", .needs_ref = 1,
        .eval = eval_iwae, .explain_more = more_iwae,
        .params = { IWAE_PARAMS },
        .explain = IWAE_EXPLAIN,
    },
    /* ---- ssvae.c ---- */
    {
        .id = "4.1-ssvae-elbo-value",
        .title = "ssvae_negative_elbo_bound: nelbo, kl_y, kl_z, rec on a pretrained model",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 30, 60) },
        .explain = VALUE_EXPLAIN(" (kl_y and kl_z are exact expectations: "
            "kl_cat, and kl_normal weighted by q(y|x))",
            "kl_y and kl_z closed forms, rec"),
    },
    {
        .id = "4.2-ssvae-elbo-terms-sum",
        .title = "ssvae_negative_elbo_bound: nelbo = kl_y + kl_z + rec, returned",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_terms_sum,
        .params = { { "digits", 100, 1, 100, 1, "digits per call" },
                    { "repeats", 3, 1, 1000, 1, "calls" },
                    { "rel_tol", 1e-12, 0, 1, 0, "relative to the terms' sizes" },
                    { "abs_tol", 1e-12, 0, 1, 0, "absolute" } },
        .explain = "As 1.10, for the ssvae's three terms.",
    },
    {
        .id = "4.3-ssvae-elbo-batch-mean",
        .title = "ssvae_negative_elbo_bound: batch means on 97 rows",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(97, 30, 60) },
        .explain = BATCH_EXPLAIN,
    },
    {
        .id = "4.4-ssvae-elbo-gradient",
        .title = "ssvae_negative_elbo_bound: gradient of the whole bound, classifier included",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound (backward)",
        .task = "ssvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(0) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder, decoder and "
            "classifier (on a seeded initialisation: the pretrained classifier "
            "is so sure of its labels that its gradients are ~1e-9, which "
            "would check nothing)"),
    },
    {
        .id = "4.5-ssvae-backward-contract",
        .title = "ssvae_negative_elbo_bound: backward accumulates, backward = 0 does nothing",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound (backward)",
        .task = "ssvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 1,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
    {
        .id = "4.6-ssvae-short-run-accuracy",
        .title = "ssvae: classification accuracy after a short run with your bound",
        .file = "ssvae.c", .functions = "ssvae_negative_elbo_bound",
        .task = "ssvae_negative_elbo_bound.short_run", .needs_ref = 1,
        .ref_inputs = { "params" }, .eval = eval_short_run,
        .explain_more = more_short, .params = { SHORT_PARAMS },
        .explain = SHORT_EXPLAIN("the classifier's accuracy on the 1000 digits "
                                 "of the test split"),
    },
    /* ---- fsvae.c (bonus) ---- */
    {
        .id = "5.1-fsvae-elbo-value",
        .title = "fsvae_negative_elbo_bound (bonus): nelbo, kl_z, rec",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound",
        .task = "fsvae_negative_elbo_bound.value", .needs_ref = 1,
        .eval = eval_value, .explain_more = more_value,
        .params = { VALUE_PARAMS(100, 100, 100) },
        .explain = VALUE_EXPLAIN(" (rec is -log N(x | decoder mean, 0.1 I) on "
            "grayscale digits; no pretrained fsvae: a seeded initialisation)",
            "kl_z closed form, rec"),
    },
    {
        .id = "5.2-fsvae-elbo-gradient",
        .title = "fsvae_negative_elbo_bound (bonus): gradient of the whole bound",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound (backward)",
        .task = "fsvae_negative_elbo_bound.gradient", .needs_ref = 1,
        .eval = eval_model_gradient,
        .params = { GRADIENT_PARAMS(0) },
        .explain = GRADIENT_EXPLAIN("every layer of the encoder and decoder"),
    },
    {
        .id = "5.3-fsvae-backward-contract",
        .title = "fsvae_negative_elbo_bound (bonus): backward accumulates, backward = 0 does nothing",
        .file = "fsvae.c", .functions = "fsvae_negative_elbo_bound (backward)",
        .task = "fsvae_negative_elbo_bound.backward_contract",
        .cases = { "accumulates", "no_backward" }, .needs_ref = 1,
        .eval = eval_contract,
        .params = { { "batch", 5, 1, 100, 1, "rows" } },
        .explain = CONTRACT_EXPLAIN,
    },
};
const size_t n_checks_models = sizeof checks_models / sizeof checks_models[0];
