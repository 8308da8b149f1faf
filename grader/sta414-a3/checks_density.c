/* checks_density.c: the checks of density.c (part 1 of STA414 A3):
 * log_prior, log_q, log_likelihood and joint_log_density, their values on
 * random and extreme inputs against runner-ref, and each backward against
 * runner-ref's finite-difference-verified gradient (tasks_density.c). */
#include <stdio.h>

#include "driver/evaluate.h"
#include "sta414-a3/catalogue.h"
#include "driver/stat_checks.h"

static void eval_prior_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_prior: log N(z | 0, I) per row");
}

static void eval_q_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_q: log N(z | mu, diag exp(2 logsig)) per row");
}

static void eval_lik_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "log_likelihood: log p(x | z) per row");
}

static void eval_joint_values(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "out", "joint_log_density: log p(x, z) per row");
}

static void eval_prior_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_prior_backward");
}

static void eval_q_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_q_backward");
}

static void eval_lik_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "log_likelihood_backward");
}

static void eval_joint_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "joint_log_density_backward");
}

#define DECODER_INPUTS \
    "The model is the course's (784 -> 500 tanh -> 2 -> 500 tanh -> 784), " \
    "initialised from the seed, in float64; x is random 0s and 1s. "

const check_def_t s414_checks_density[] = {
    {
        .id = "1.1-log-prior-values",
        .title = "log_prior: values on random and extreme z",
        .file = "density.c",
        .functions = "log_prior",
        .task = "log_prior.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_prior_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log N(z | 0, I) per row against the reference, half the points per "
            "input set: random (B = 6, Z = 3: zdim is an argument, not 2 always; "
            "z ~ N(0, 1.5^2)) and extreme (B = 8, Z = 2; rows with |z| in [1e2, "
            "1e3], in [1e100, 1e150] (z^2 still finite), in [1e-200, 1e-100], "
            "and ordinary ones). Bound 1e-9 + 1e-9 |expected| (driver/stat_checks.h: "
            "equivalent forms round ~1e-13 apart). Mistakes: the log 2 pi term "
            "left out or not halved, a sum over the batch, a variance other than "
            "1.",
    },
    {
        .id = "1.2-log-q-values",
        .title = "log_q: values on random and extreme (mu, logsig, z)",
        .file = "density.c",
        .functions = "log_q",
        .task = "log_q.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_q_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log N(z | mu, diag exp(2 logsig)) per row against the reference, half "
            "the points per input set: random (B = 6, Z = 3, logsig in [-2, 1]) "
            "and extreme (B = 8, Z = 2; rows with logsig in [-300, -250] and z "
            "drawn from q, logsig in [250, 300] with z 1e3 from mu, z 1e3 from mu "
            "at logsig in [-2, 2], ordinary ones): the header promises finite "
            "values for logsig of +-300, which (z - mu) exp(-logsig) gives and a "
            "variance exp(2 logsig) also gives there (it under- or overflows only "
            "past +-354). Bound 1e-9 + 1e-9 |expected|. Mistakes: logsig used as "
            "the variance or as log variance, the 2 pi term missing.",
    },
    {
        .id = "1.3-log-likelihood-values",
        .title = "log_likelihood: values, logits of O(1) and of +-1e3",
        .file = "density.c",
        .functions = "log_likelihood",
        .task = "log_likelihood.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_lik_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "The Bernoulli log-mass of x summed over 784 pixels, per row, against "
            "the reference: random (B = 6, z ~ N(0, 1.5^2), logits O(1)) and "
            "extreme (B = 8, the decoder's parameters x 1e3 so the logits reach "
            "+-1e3, z far out as in 1.1, clipped to +-1e4). " DECODER_INPUTS
            "log(sigmoid(l)) of a rounded sigmoid is -inf or 0 at such logits; "
            "x l - softplus(l) (prob.h) is exact. Bound 1e-9 + 1e-9 |expected|.",
    },
    {
        .id = "1.4-joint-log-density-values",
        .title = "joint_log_density: values, logits of O(1) and of +-1e3",
        .file = "density.c",
        .functions = "joint_log_density",
        .task = "joint_log_density.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_joint_values,
        .params = { CHK_VALUE_TOLS },
        .explain =
            "log p(x, z) = log_prior + log_likelihood per row, on 1.3's inputs, "
            "against the reference at 1e-9 + 1e-9 |expected|.",
    },
    {
        .id = "1.5-log-prior-backward",
        .title = "log_prior_backward: gradient to z",
        .file = "density.c",
        .functions = "log_prior_backward",
        .task = "log_prior.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_prior_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "B = 4, Z = 2, z ~ N(0, 1.5^2). " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "1.6-log-q-backward",
        .title = "log_q_backward: gradients to mu, logsig, z",
        .file = "density.c",
        .functions = "log_q_backward",
        .task = "log_q.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_q_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "B = 4, Z = 2, mu in [-2, 2], logsig in [-1, 1]. " CHK_GRAD_EXPLAIN,
    },
    {
        .id = "1.7-log-likelihood-backward",
        .title = "log_likelihood_backward: gradients to z and the decoder",
        .file = "density.c",
        .functions = "log_likelihood_backward",
        .task = "log_likelihood.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_lik_grad,
        .params = { CHK_GRAD_TOLS },
        .explain =
            "B = 4; d z and d of 16 decoder parameters drawn from the seed (the "
            "accumulation into the decoder's gradients, read after the call). "
            DECODER_INPUTS CHK_GRAD_EXPLAIN,
    },
    {
        .id = "1.8-joint-log-density-backward",
        .title = "joint_log_density_backward: gradients to z and the decoder",
        .file = "density.c",
        .functions = "joint_log_density_backward",
        .task = "joint_log_density.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_joint_grad,
        .params = { CHK_GRAD_TOLS },
        .explain = "As 1.7, for the joint (the prior's -z added to d z). "
                   DECODER_INPUTS CHK_GRAD_EXPLAIN,
    },
};
const size_t n_s414_checks_density =
    sizeof s414_checks_density / sizeof s414_checks_density[0];
