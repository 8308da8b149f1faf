/* checks_flow.c: the checks of flow.c (Problems 3 and 6d of CSE 599i HW2,
 * the inverse autoregressive flow): iaf_step's outputs against the
 * reference's (random and extreme s), its backward, its log-determinant
 * against log|det| of its own Jacobian by central differences in float64,
 * that Jacobian's triangular shape in the step's MADE order, the flow's
 * density log q_T over repeated samples, and iaf_elbo's mean and gradient
 * (tasks_flow.c). The short run is in checks_short_run.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "driver/evaluate.h"
#include "cse599i-hw2/catalogue.h"
#include "driver/stat_checks.h"

/* z_out and logdet against the reference's at the value tolerances;
 * returns 1 when both pass (v then says so). */
static int step_outputs_agree(verdict_t *v, const case_data_t *cd)
{
    eval_values(v, cd, "logdet", "iaf_step: logdet = sum log sigmoid(s) per row");
    if (v->outcome != OUTCOME_PASSED)
        return 0;
    eval_values(v, cd, "z_out", "iaf_step: z_out = sigma z_in + (1 - sigma) m");
    return v->outcome == OUTCOME_PASSED;
}

static void eval_step_values(verdict_t *v, const case_data_t *cd)
{
    if (step_outputs_agree(v, cd))
        verdict_set(v, OUTCOME_PASSED, 1, "iaf_step's z_out and logdet agree with "
                    "the reference's (bound %g + %g |expected|)",
                    case_param(cd, "abs_tol"), case_param(cd, "rel_tol"));
}

static void eval_step_grad(verdict_t *v, const case_data_t *cd)
{
    eval_gradient(v, cd, "iaf_step_backward");
}

/* log|det A| of A (n,n), destroyed, by LU with partial pivoting; -inf for
 * a singular A. */
static double log_abs_det(double *A, size_t n)
{
    double s = 0;
    for (size_t c = 0; c < n; c++) {
        size_t p = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(A[r * n + c]) > fabs(A[p * n + c]))
                p = r;
        if (A[p * n + c] == 0)
            return -INFINITY;
        if (p != c)
            for (size_t k = 0; k < n; k++) {
                double t = A[c * n + k];
                A[c * n + k] = A[p * n + k];
                A[p * n + k] = t;
            }
        s += log(fabs(A[c * n + c]));
        for (size_t r = c + 1; r < n; r++) {
            double f = A[r * n + c] / A[c * n + c];
            for (size_t k = c; k < n; k++)
                A[r * n + k] -= f * A[c * n + k];
        }
    }
    return s;
}

/* The Jacobian task's arrays, the submission's outputs checked against
 * the reference's first (so that a step that computes nothing, whose
 * identity Jacobian has every property, earns nothing). 0: go on. */
static int jac_fetch(verdict_t *v, const case_data_t *cd, const proto_array_t **J,
                     const proto_array_t **ld, const proto_array_t **order,
                     size_t *Z, size_t *B)
{
    const proto_array_t *zd = eval_array(v, cd->ref, "zdim", "reference", 1);
    if (!zd || !(*order = eval_array(v, cd->ref, "order", "reference", (size_t)zd->data[0])))
        return -1;
    *Z = (size_t)zd->data[0];
    if (!step_outputs_agree(v, cd)) {
        verdict_append(v, "\n(this check holds iaf_step's Jacobian to its own "
                       "outputs only once they are the reference's)");
        v->score = 0;
        return -1;
    }
    if (!(*ld = eval_array(v, cd->sub, "logdet", "submission", 0)))
        return -1;
    *B = (*ld)->n;
    if (!(*J = eval_array(v, cd->sub, "jacobian", "submission", *B * *Z * *Z)))
        return -1;
    for (size_t i = 0; i < (*J)->n; i++)
        if (!isfinite((*J)->data[i])) {
            verdict_set(v, OUTCOME_NAN, 0, "the central differences of your "
                        "iaf_step are %s at entry %zu", eval_nonfinite_word((*J)->data[i]), i);
            return -1;
        }
    return 0;
}

static void eval_logdet_jacobian(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *J, *ld, *order;
    size_t Z, B;
    if (jac_fetch(v, cd, &J, &ld, &order, &Z, &B))
        return;
    double *A = malloc(Z * Z * sizeof *A), *want = malloc(B * sizeof *want);
    if (!A || !want) {
        free(A);
        free(want);
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: no memory");
        return;
    }
    for (size_t b = 0; b < B; b++) {
        for (size_t i = 0; i < Z * Z; i++)
            A[i] = J->data[b * Z * Z + i];
        want[b] = log_abs_det(A, Z);
    }
    cmp_bound_t bound = { case_param(cd, "jac_abs_tol"), case_param(cd, "jac_rel_tol") };
    eval_compare(v, cd, "iaf_step's logdet against log|det| of its Jacobian by "
                 "central differences", want, ld->data, B, bound, 0);
    free(A);
    free(want);
}

static void eval_triangular(verdict_t *v, const case_data_t *cd)
{
    const proto_array_t *J, *ld, *order;
    size_t Z, B;
    if (jac_fetch(v, cd, &J, &ld, &order, &Z, &B))
        return;
    size_t pos[64];
    if (Z > 64) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: Z = %zu", Z);
        return;
    }
    for (size_t i = 0; i < Z; i++)
        pos[(size_t)order->data[i] % Z] = i;
    double tol = case_param(cd, "zero_tol"), worst = 0, below = 0;
    size_t wb = 0, wj = 0, wk = 0;
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < Z; j++)
            for (size_t k = 0; k < Z; k++) {
                double a = fabs(J->data[(b * Z + j) * Z + k]);
                if (pos[k] > pos[j] && a > worst) {
                    worst = a;
                    wb = b, wj = j, wk = k;
                }
                if (pos[k] < pos[j])
                    below = fmax(below, a);
            }
    if (worst > tol) {
        verdict_set(v, OUTCOME_FAILED, 0, "iaf_step's output %zu moves with input "
                    "%zu (d z_out/d z_in = %.3g in row %zu, bound %g), which comes "
                    "after it in step %g's order: the Jacobian is not triangular "
                    "in the MADE's order (use flow->made[t], the step's own MADE, "
                    "and its outputs m and s as they are)", wj, wk, worst, wb,
                    tol, case_param(cd, "t"));
        return;
    }
    if (below < 1e-6) {
        verdict_set(v, OUTCOME_FAILED, 0, "iaf_step's Jacobian is diagonal (every "
                    "entry off the diagonal under 1e-6): z_out does not depend on "
                    "the earlier variables through m and sigma");
        return;
    }
    verdict_set(v, OUTCOME_PASSED, 1, "iaf_step's Jacobian by central differences "
                "is triangular in step %g's order: every entry above the diagonal "
                "at most %.2g (bound %g), below it up to %.3g",
                case_param(cd, "t"), worst, tol, below);
}

static void eval_sample_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "iaf_sample's log q_T(z_T | x), the mean over 10 digits,", 0);
}

static void eval_elbo_mc(verdict_t *v, const case_data_t *cd)
{
    chk_eval_mc(v, cd, "iaf_elbo on 10 binarised test digits", 0);
}

static void eval_elbo_grad(verdict_t *v, const case_data_t *cd)
{
    chk_eval_fd(v, cd, "iaf_elbo's gradient (backward = 1) in the model's and "
                        "the flow's parameters against central differences of "
                        "iaf_elbo at the same noise");
}

#define STEP_T(t) { "t", t, 0, 15, 1, "the step (its order: even t forward, odd reversed)" }
#define JAC_PARAMS(t) \
    CHK_VALUE_TOLS, STEP_T(t), \
    { "fd_step", 1e-6, 1e-9, 1e-2, 1, "central-difference step" }, \
    { "jac_abs_tol", 1e-6, 0, 1, 0, "absolute bound on log|det|" }, \
    { "jac_rel_tol", 1e-6, 0, 1, 0, "relative bound on log|det|" }, \
    { "zero_tol", 1e-7, 0, 1, 0, "bound on an entry above the diagonal" }
#define STEP_INPUTS \
    "Step t of the course's flow (8 MADEs 10 -> 64 ELU -> 64 ELU -> (m, s), " \
    "initialised from the seed, float64), B = 4 or 6 rows of z_in ~ N(0, " \
    "1.5^2). "
#define JAC_EXPLAIN \
    "The runner takes the Jacobian d z_out / d z_in of YOUR iaf_step by " \
    "central differences (step 1e-6, every row at once: rows do not " \
    "interact) in float64; its error is rounding ~1e-16 x |z| / 1e-6 = 1e-10 " \
    "plus truncation h^2 f''' / 6 ~ 1e-12 per entry. Scored only once your " \
    "z_out and logdet on these inputs are the reference's (to 1e-9), so that " \
    "a step that computes nothing (whose identity Jacobian has every " \
    "property) earns nothing; then deterministic given the seed. "

const check_def_t cse_checks_flow[] = {
    {
        .id = "4.1-iaf-step-values",
        .title = "iaf_step: z_out and logdet on random inputs and at s of +-1e3",
        .file = "flow.c",
        .functions = "iaf_step",
        .task = "iaf_step.values",
        .cases = { "random", "extreme" },
        .needs_ref = 1,
        .eval = eval_step_values,
        .params = { CHK_VALUE_TOLS, STEP_T(1) },
        .explain = STEP_INPUTS
            "z_out = sigma z_in + (1 - sigma) m and logdet = sum log sigma per "
            "row, sigma = sigmoid(s), (m, s) = made_forward(flow->made[t], z_in), "
            "against the reference's at 1e-9 + 1e-9 |expected| (equivalent forms "
            "round ~1e-15 apart), half the points per input set: random (the flow "
            "as initialised, sigma ~ 0.73) and extreme (step t's s biases at "
            "alternately -1e3 and +1e3: log sigmoid(s) must be -softplus(-s), "
            "finite at -1e3, where log of a rounded sigmoid is -inf). t = 1, an "
            "odd step, whose order is reversed. Mistakes: the (1 - sigma) m term "
            "left out, sigma * m + (1 - sigma) z, the log-determinant's sign, "
            "log of sigmoid computed naively.",
    },
    {
        .id = "4.2-iaf-step-backward",
        .title = "iaf_step_backward: gradients to z_in and the step's MADE",
        .file = "flow.c",
        .functions = "iaf_step_backward",
        .task = "iaf_step.backward",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_step_grad,
        .params = { CHK_GRAD_TOLS, STEP_T(1) },
        .explain = STEP_INPUTS
            "The objective sum dz_out . z_out + sum dlogdet . logdet with random "
            "dz_out, dlogdet; gradients to z_in and to 16 of step 1's MADE "
            "parameters drawn from the seed among the kept ones. "
            CHK_GRAD_EXPLAIN,
    },
    {
        .id = "4.3-iaf-logdet-jacobian",
        .title = "iaf_step: logdet is log|det| of the step's Jacobian",
        .file = "flow.c",
        .functions = "iaf_step",
        .task = "iaf_step.jacobian",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_logdet_jacobian,
        .params = { JAC_PARAMS(2) },
        .explain = STEP_INPUTS JAC_EXPLAIN
            "The driver takes log|det J| of each row's Jacobian by LU with "
            "partial pivoting and holds your logdet to it at 1e-6 + 1e-6 |log "
            "det| (the differences' error, 1e-10 per entry over sigma ~ 0.7, "
            "moves log|det| by ~1e-9). Step t = 2. A log-determinant with the "
            "wrong sign, or of log(1 - sigma), is off by O(1).",
    },
    {
        .id = "4.4-iaf-jacobian-triangular",
        .title = "iaf_step: the Jacobian is triangular in the MADE's order",
        .file = "flow.c",
        .functions = "iaf_step",
        .task = "iaf_step.jacobian",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_triangular,
        .params = { JAC_PARAMS(3) },
        .explain = STEP_INPUTS JAC_EXPLAIN
            "Step t = 3 (odd: order Z-1, ..., 0, iaf.h). Every entry d z_out_j / "
            "d z_in_k with k after j in the step's order must be at most 1e-7 "
            "(a correct step's are exactly 0 up to the differences' 1e-10), and "
            "some entry before the diagonal at least 1e-6 (z_out depends on the "
            "earlier variables). A step that uses another step's MADE (another "
            "order) fails.",
    },
    {
        .id = "4.5-iaf-sample-density",
        .title = "iaf_sample: log q_T(z_T | x) agrees with the reference's in the mean",
        .file = "flow.c",
        .functions = "iaf_sample",
        .task = "iaf_sample.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_sample_mc,
        .explain_more = chk_more_mc,
        .params = { { "repeats", 100, 10, 100000, 1, "your calls" },
                    { "ref_repeats", 200, 10, 100000, 1, "the reference's calls" },
                    { "digits", 10, 1, 20, 1, "test digits per call" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "iaf_sample(x, B = 10 binarised test digits) on the course's model "
            "and 8-step flow initialised from the seed (float64), 100 calls each "
            "with its own noise; each call's log_q averaged over the rows, "
            "against 200 calls of the reference's: E log q_T(z_T | x) (minus q_T's "
            "entropy) is the same for any correct sampler whatever order it "
            "draws in, so the test is |mean - mean_ref| <= 5 se. False-fail rate "
            "P(|Z| > 5) = 5.7e-7 per seed. Mistakes: log q_0 + sum logdet (the "
            "change of variables' sign: ~50 nats here), the steps' log-dets "
            "left out, z_0 without sqrt(var).",
    },
    {
        .id = "4.6-iaf-elbo-monte-carlo",
        .title = "iaf_elbo: the estimate agrees with the reference's in the mean",
        .file = "flow.c",
        .functions = "iaf_elbo",
        .task = "iaf_elbo.monte_carlo",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_elbo_mc,
        .explain_more = chk_more_mc,
        .params = { { "repeats", 100, 10, 100000, 1, "your calls" },
                    { "ref_repeats", 200, 10, 100000, 1, "the reference's calls" },
                    { "digits", 10, 1, 20, 1, "test digits per call" },
                    { "z_bound", 5, 3, 10, 0, "bound on the standard score" } },
        .explain =
            "iaf_elbo(x, B = 10 binarised test digits, backward = 0) with the "
            "model and flow of 4.5, 100 calls each with its own noise, against "
            "200 of the reference's: |mean - mean_ref| <= 5 se. False-fail rate "
            "P(|Z| > 5) = 5.7e-7 per seed. Mistakes: + log q_T for - log q_T, "
            "the closed-form KL of q_0 (which ignores the flow), a sum over the "
            "batch.",
    },
    {
        .id = "4.7-iaf-elbo-gradient",
        .title = "iaf_elbo: the gradient in the model's and the flow's parameters",
        .file = "flow.c",
        .functions = "iaf_elbo",
        .task = "iaf_elbo.gradient",
        .cases = { NULL },
        .needs_ref = 0,
        .eval = eval_elbo_grad,
        .params = { { "digits", 4, 1, 20, 1, "test digits per call" },
                    { "coords", 24, 4, 32, 1, "parameters checked (half the flow's)" },
                    { "fd_step", 1e-5, 1e-9, 1e-2, 1, "central-difference step" },
                    { "fd_rel_tol", 1e-5, 0, 1, 0, "relative bound" },
                    { "fd_abs_tol", 1e-6, 0, 1, 0, "absolute bound" } },
        .explain =
            "iaf_elbo(x, B = 4, backward = 1) from zeroed gradients, read at 24 "
            "parameters drawn from the seed (6 of the encoder's last layer, 6 of "
            "the decoder's, 12 of the flow's kept ones), against central "
            "differences (step 1e-5) of your own iaf_elbo (backward = 0) with the "
            "SAME noise stream reseeded for every call. Bound 1e-6 + 1e-5 "
            "|numeric| (float64 rounding over the step under 1e-7, truncation "
            "~1e-10). A gradient that skips the flow's parameters, or the path "
            "through the log-determinants, is off by O(1); an estimate that does "
            "not move with the parameters fails.",
    },
};
const size_t n_cse_checks_flow = sizeof cse_checks_flow / sizeof cse_checks_flow[0];
