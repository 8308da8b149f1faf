/* checks_kl.c: the checks of kl.c (Problem 1 of CSE 599i HW2): the
 * closed-form KL(N(mu, diag var) || N(0, I)) per row on random and extreme
 * inputs against runner-ref, and its backward against runner-ref's
 * finite-difference-verified gradient (tasks_kl.c). */
#include "driver/evaluate.h"
#include "cse599i-hw2/catalogue.h"
#include "driver/stat_checks.h"

static void eval_kl_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "kl_standard_normal: 1/2 sum (var + mu^2 - 1 - "
                              "log var) per row");
}

static void eval_kl_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "kl_standard_normal_backward");
}

static void eval_logn_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_normal_diag: log N(z | mu, diag var) per row");
}

static void eval_logn_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_normal_diag_backward");
}

static void eval_std_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_standard_normal: log N(z | 0, I) per row");
}

static void eval_std_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_standard_normal_backward");
}

#define GRAD_INPUTS \
    "B = 4, Z = 3, z ~ N(0, 1.5^2), mu in [-2, 2], var log-uniform in [0.1, " \
    "10]. "

const check_def_t cse_checks_kl[] = {
    {
        .id = "1.1-kl-standard-normal-values",
        .title = "kl_standard_normal: values on random and extreme (mu, var)",
        .file = "kl.c",
        .functions = "kl_standard_normal",
        .task = "kl.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_kl_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "KL(N(mu, diag var) || N(0, I)) = 1/2 sum over j of (var + mu^2 - 1 - "
            "log var), per row, against the reference, half the points per input "
            "set: random (B = 6, Z = 3: zdim is an argument; mu in [-3, 3], var "
            "log-uniform in [1e-2, 1e2]) and extreme (B = 8, Z = 4; rows with var "
            "in [1e-200, 1e-100] (-log var ~ 230..460), var in [1e100, 1e150], mu "
            "in +-[1e2, 1e3], ordinary ones). Bound 1e-9 + 1e-9 |expected| "
            "(equivalent forms round ~1e-15 relative apart; every mistake is off "
            "by 1e-3 relative or more). Mistakes: sigma for sigma^2 (sqrt(var) "
            "or log sqrt(var)), the 1/2 missing, a sum over the batch, the -1 "
            "per dimension missing.",
    },
    {
        .id = "1.2-kl-standard-normal-backward",
        .title = "kl_standard_normal_backward: gradients to mu and var",
        .file = "kl.c",
        .functions = "kl_standard_normal_backward",
        .task = "kl.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_kl_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = GRAD_INPUTS "d mu = dout mu, d var = dout (1 - 1/var) / 2. "
            "A gradient off by a factor (2 mu, or d var without the 1/2) is off "
            "by 100%. " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "1.3-log-normal-diag-values",
        .title = "log_normal_diag: values on random and extreme (z, mu, var)",
        .file = "kl.c",
        .functions = "log_normal_diag",
        .task = "log_normal_diag.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_logn_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log N(z | mu, diag var) per row (the Monte Carlo KL's log q) against "
            "the reference on 1.1's inputs, z drawn from q (random: z ~ N(0, "
            "2^2); extreme: z 2|mu| from mu when |mu| is 1e2..1e3). Bound 1e-9 + "
            "1e-9 |expected|. Mistakes: var used as a standard deviation, the "
            "log 2 pi or log var term missing or not halved.",
    },
    {
        .id = "1.4-log-normal-diag-backward",
        .title = "log_normal_diag_backward: gradients to z, mu and var",
        .file = "kl.c",
        .functions = "log_normal_diag_backward",
        .task = "log_normal_diag.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_logn_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = GRAD_INPUTS CHK_GRAD_EXPLAIN,
    },
    {
        .id = "1.5-log-standard-normal-values",
        .title = "log_standard_normal: values on random and extreme z",
        .file = "kl.c",
        .functions = "log_standard_normal",
        .task = "log_standard_normal.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_std_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log N(z | 0, I) per row (the prior r(z)) against the reference on "
            "1.3's z. Bound 1e-9 + 1e-9 |expected|.",
    },
    {
        .id = "1.6-log-standard-normal-backward",
        .title = "log_standard_normal_backward: gradient to z",
        .file = "kl.c",
        .functions = "log_standard_normal_backward",
        .task = "log_standard_normal.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_std_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = GRAD_INPUTS CHK_GRAD_EXPLAIN,
    },
};
const size_t n_cse_checks_kl = sizeof cse_checks_kl / sizeof cse_checks_kl[0];
