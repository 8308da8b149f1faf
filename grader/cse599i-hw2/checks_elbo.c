/* checks_elbo.c: the checks of the Gaussian-output ELBOs (Problem 5 of CSE
 * 599i HW2): gaussian_elbo (closed-form KL) and mc_gaussian_elbo (the
 * one-sample Monte Carlo KL), each's mean against the reference's by a
 * z-test (any correct estimator passes, whatever order it draws its noise
 * in), each's gradient against central differences of the submission's
 * own estimate at one noise stream, and the two against each other: equal
 * in expectation, the Monte Carlo one of the larger per-call spread
 * (tasks_elbo.c). The decoder's sigma is a knob of the profile. */
#include <math.h>
#include <stdio.h>

#include "driver/evaluate.h"
#include "numcheck/stats.h"
#include "cse599i-hw2/catalogue.h"
#include "driver/stat_checks.h"

static void eval_closed_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "gaussian_elbo on 10 grayscale test digits", 0);
}

static void eval_mckl_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "mc_gaussian_elbo on 10 grayscale test digits", 0);
}

static void eval_closed_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "gaussian_elbo's gradient (backward = 1) against central "
                        "differences of gaussian_elbo at the same noise");
}

static void eval_mckl_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "mc_gaussian_elbo's gradient (backward = 1) against "
                        "central differences of mc_gaussian_elbo at the same noise");
}

/* c with P(F(d1, d2) > c) = alpha, by bisection on the tail (decreasing
 * in c). */
static double f_quantile_upper(double alpha, double d1, double d2)
{
    double lo = 0, hi = 1;
    while (stats_f_tail_upper(hi, d1, d2) > alpha && hi < 1e12)
        hi *= 2;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (stats_f_tail_upper(mid, d1, d2) > alpha)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

/* 2.5: the submission's two estimators on the same digits, independent
 * noise: their means agree (z-test), the Monte Carlo KL's spread is the
 * larger (one-sided F-test at var_alpha), and, so that two equal
 * constants earn nothing, the closed-form one's mean agrees with the
 * reference's. */
static void eval_against(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *rc = eval_array(v, cd->ref, "closed", "reference", 0);
    const proto_array_t *rm = rc ? eval_array(v, cd->ref, "mc", "reference", rc->n) : NULL;
    const proto_array_t *sc = rm ? eval_array(v, cd->sub, "closed", "submission", 0) : NULL;
    const proto_array_t *sm = sc ? eval_array(v, cd->sub, "mc", "submission", sc->n) : NULL;
    if (!sm)
        return;
    for (size_t i = 0; i < sc->n; i++)
        if (!isfinite(sc->data[i]) || !isfinite(sm->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "call %zu returned %s", i,
                        eval_nonfinite_word(isfinite(sc->data[i]) ? sm->data[i]
                                                                  : sc->data[i]));
            return;
        }
    double zb = case_param(cd, "z_bound"), alpha = case_param(cd, "var_alpha");
    double mrc, src, mrm, srm, msc, ssc, msm, ssm;
    stats_mean_sd(rc->data, rc->n, &mrc, &src);
    stats_mean_sd(rm->data, rm->n, &mrm, &srm);
    stats_mean_sd(sc->data, sc->n, &msc, &ssc);
    stats_mean_sd(sm->data, sm->n, &msm, &ssm);
    double ns = (double)sc->n, nr = (double)rc->n;
    double se0 = sqrt(ssc * ssc / ns + src * src / nr);
    double z0 = se0 > 0 ? fabs(msc - mrc) / se0 : (msc == mrc ? 0 : INFINITY);
    if (!(z0 <= zb)) {
        verdict_set(v, OUTCOME_FAILED, 0, "gaussian_elbo's mean %.6g is %.1f "
                    "standard errors from the reference's %.6g (bound %g): there "
                    "is no correct closed form to hold the Monte Carlo one to "
                    "(2.1 says more)", msc, z0, mrc, zb);
        return;
    }
    double se = sqrt(ssc * ssc / ns + ssm * ssm / ns);
    double z = se > 0 ? fabs(msm - msc) / se : (msm == msc ? 0 : INFINITY);
    if (!(z <= zb)) {
        verdict_set(v, OUTCOME_FAILED, 0, "mc_gaussian_elbo averages %.6g over "
                    "%.0f calls and gaussian_elbo %.6g over as many, on the same "
                    "digits: %.1f standard errors apart (bound %g), where the "
                    "one-sample KL log q(z|x) - log r(z) is unbiased for the "
                    "closed form", msm, ns, msc, z, zb);
        if (msm > msc)
            verdict_append(v, "\nHint: the Monte Carlo one is the higher: q's and "
                           "r's roles swapped (log r - log q) flip the KL's sign.");
        return;
    }
    double d = ns - 1;
    double c = f_quantile_upper(alpha, d, d);
    double f = ssc > 0 ? ssm * ssm / (ssc * ssc) : INFINITY;
    double rho = src > 0 ? srm * srm / (src * src) : INFINITY;
    /* A correct pair's f is rho F(d, d), rho the true ratio, which the
     * reference's own ratio estimates: it falls under c with probability
     * P(F(d, d) < c / rho) = P(F(d, d) > rho / c). */
    double miss = isfinite(rho) ? stats_f_tail_upper(rho / c, d, d) : 0;
    if (f >= c) {
        verdict_set(v, OUTCOME_PASSED, 1, "the two agree in the mean (%.6g and "
                    "%.6g, %.2f standard errors apart, bound %g) and the Monte "
                    "Carlo KL's calls vary %.3g times as much (variance ratio; "
                    "at least %.3g needed, P(F > %.3g) = %g; the reference's "
                    "ratio is %.3g)", msm, msc, z, zb, f, c, c, alpha, rho);
        return;
    }
    verdict_set(v, OUTCOME_FAILED, 0, "the two agree in the mean (%.6g and %.6g) "
                "but mc_gaussian_elbo's calls vary only %.3g times as much as "
                "gaussian_elbo's (variance ratio over %.0f calls each; the "
                "reference's is %.3g, and a ratio under %.3g happens to it with "
                "probability %.2g): the closed-form KL removes the KL's noise, so "
                "gaussian_elbo must vary less. Does gaussian_elbo sample its KL, "
                "or mc_gaussian_elbo compute it in closed form?", msm, msc, f,
                ns, rho, c, miss);
}

static void more_against(const check_conf_t *c, const char *root, char *buf,
                         size_t cap)
{
    (void)root;
    double zb = conf_param(c, "z_bound"), p = stats_normal_tail2(zb);
    double n = conf_param(c, "repeats"), a = conf_param(c, "var_alpha");
    double crit = f_quantile_upper(a, n - 1, n - 1);
    snprintf(buf, cap, "With this profile: each of the two mean tests fails a "
             "correct pair with probability %.2e; the variance test needs a "
             "ratio of %.3g over %g calls each, which a correct pair misses "
             "with P(F(%g, %g) > rho / %.3g), rho the true ratio (the failure "
             "message prints it from the reference's own calls).", p, crit, n,
             n - 1, n - 1, crit);
}

#define SIGMA_PARAM { "sigma", 1.0, 1e-3, 1e3, 1, "the decoder's fixed sigma" }
#define MC_PARAMS \
    { "repeats", 100, 10, 100000, 1, "your calls" }, \
    { "ref_repeats", 200, 10, 100000, 1, "the reference's calls" }, \
    { "digits", 10, 1, 20, 1, "test digits per call" }, \
    { "z_bound", 5, 3, 10, 0, "bound on the standard score" }, \
    SIGMA_PARAM
#define FD_PARAMS \
    { "digits", 4, 1, 20, 1, "test digits per call" }, \
    { "coords", 24, 2, 32, 1, "parameters checked (half the encoder's)" }, \
    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "central-difference step" }, \
    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" }, \
    { "fd_abs_tol", 1e-6, 0, 1, 0, "absolute bound" }, \
    SIGMA_PARAM

#define MC_EXPLAIN(fn) \
    fn "(x, B = 10 grayscale test digits in [0, 1], sigma, backward = 0) on " \
    "the course's model initialised from the seed (float64, the encoder's " \
    "variance biases lowered so q is narrower than the prior, as trained), " \
    "100 calls each with its own noise stream, against 200 calls of the " \
    "reference's on streams of its own: any correct estimator of the " \
    "batch-mean ELBO has the same expectation, so the test is |mean - " \
    "mean_ref| <= 5 se, se = sqrt(s^2/100 + s_ref^2/200) from the calls' " \
    "own sample deviations. False-fail rate, normal approximation of a mean " \
    "of 100 i.i.d. calls: P(|Z| > 5) = 5.7e-7 per seed. "
#define FD_EXPLAIN(fn) \
    fn "(x, B = 4, sigma, backward = 1) from zeroed gradients, read at 24 " \
    "parameters drawn from the seed (12 of the encoder's last layer, 12 of " \
    "the decoder's), against central differences (step 1e-5) of your own " \
    fn "(backward = 0) with the SAME noise stream reseeded for every call: a " \
    "reparameterised estimate is a smooth function of the parameters once " \
    "its draws are fixed, in whatever order you draw them, so any correct " \
    "estimator passes. Bound 1e-6 + 1e-5 |numeric| (rounding of the float64 " \
    "forward over the step: ~1e-16 x |ELBO| x sqrt(terms) / 1e-5, under " \
    "1e-7; truncation h^2 f''' / 6 ~ 1e-10). Deterministic given the seed. " \
    "A gradient missing a path (through z = mu + sd eps, through the KL, " \
    "through sigma's 1/(2 sigma^2)) is off by O(1); an estimate that does " \
    "not move with the parameters (every difference under 1e-8) fails."

const check_def_t cse_checks_elbo[] = {
    {
        .id = "2.1-gaussian-elbo-monte-carlo",
        .title = "gaussian_elbo: the estimate agrees with the reference's in the mean",
        .file = CSE_ELBO_FILE,
        .functions = "gaussian_elbo",
        .task = "gaussian_elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_closed_mc,
        .explain_more = chk_more_mc,
        .params = { MC_PARAMS },
        .explain = MC_EXPLAIN("gaussian_elbo")
            "Mistakes: the reconstruction without 1/(2 sigma^2) (sigma = 1: off "
            "by twice the squared error, tens of nats), sigma for sigma^2, a sum "
            "over the batch, the KL with the wrong sign.",
    },
    {
        .id = "2.2-gaussian-elbo-gradient",
        .title = "gaussian_elbo: the gradient of the estimate by finite differences",
        .file = CSE_ELBO_FILE,
        .functions = "gaussian_elbo",
        .task = "gaussian_elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_closed_grad,
        .params = { FD_PARAMS },
        .explain = FD_EXPLAIN("gaussian_elbo"),
    },
    {
        .id = "2.3-mc-gaussian-elbo-monte-carlo",
        .title = "mc_gaussian_elbo: the estimate agrees with the reference's in the mean",
        .file = CSE_ELBO_FILE,
        .functions = "mc_gaussian_elbo",
        .task = "mc_gaussian_elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_mckl_mc,
        .explain_more = chk_more_mc,
        .params = { MC_PARAMS },
        .explain = MC_EXPLAIN("mc_gaussian_elbo")
            "Mistakes: log r(z) - log q(z|x) for the KL (q's and the prior's "
            "roles swapped: the KL's sign flips), log q at a sample other than "
            "the reconstruction's, a variance used as a standard deviation.",
    },
    {
        .id = "2.4-mc-gaussian-elbo-gradient",
        .title = "mc_gaussian_elbo: the gradient of the estimate by finite differences",
        .file = CSE_ELBO_FILE,
        .functions = "mc_gaussian_elbo",
        .task = "mc_gaussian_elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_mckl_grad,
        .params = { FD_PARAMS },
        .explain = FD_EXPLAIN("mc_gaussian_elbo"),
    },
    {
        .id = "2.5-mc-against-closed-form",
        .title = "the Monte Carlo KL: equal to the closed form in expectation, noisier per call",
        .file = CSE_ELBO_FILE,
        .functions = "gaussian_elbo, mc_gaussian_elbo",
        .task = "gaussian_elbo.against_mc",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_against,
        .explain_more = more_against,
        .params = { { "repeats", 200, 20, 100000, 1, "calls of each" },
                    { "digits", 10, 1, 20, 1, "test digits per call" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard scores" },
                    { "var_alpha", 1e-3, 1e-12, 0.5, 0, "the variance test's level" },
                    SIGMA_PARAM },
        .explain =
            "Your gaussian_elbo and your mc_gaussian_elbo, 200 calls each on the "
            "same 10 digits and model as 2.1, each call its own noise. (1) So "
            "that two equal constants earn nothing: gaussian_elbo's mean within "
            "5 standard errors of the reference's (P(|Z| > 5) = 5.7e-7). (2) "
            "The two means within 5 standard errors of each other: the one-sample "
            "KL log q(z|x) - log r(z) at z ~ q is unbiased for the closed form "
            "(5.7e-7). (3) mc_gaussian_elbo's sample variance over "
            "gaussian_elbo's at least the F(199, 199) upper 1e-3 quantile "
            "(about 1.55): the Monte Carlo KL adds its own noise to the "
            "reconstruction's. Its false-fail rate is P(F(199, 199) > rho / "
            "1.55) for the true variance ratio rho (the message prints the "
            "reference's; `vaegrade explain` the formula), tiny when rho is "
            "several times 1.55 on this narrow q. A gaussian_elbo that samples "
            "its KL (ratio 1) fails (3); an MC KL with q's and the prior's roles "
            "swapped fails (2).",
    },
};
const size_t n_cse_checks_elbo = sizeof cse_checks_elbo / sizeof cse_checks_elbo[0];
