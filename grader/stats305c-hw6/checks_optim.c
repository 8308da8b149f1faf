/* checks_optim.c: the checks of optim.c (problem 1 of STATS 305C HW6):
 * gradient descent's iterates against the closed form
 * x_k = c + (1 - 2 lr a)^k (x0 - c), its losses against f of its own
 * iterates, and the student's optimiser on the course's 10-D problem and
 * on the same with a hidden centre. runner-ref hands over the problem
 * (a, c, x0, lr, iters: trusted inputs, tasks_optim.c); the closed form
 * and f are computed here, in the driver. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "driver/evaluate.h"
#include "stats305c-hw6/catalogue.h"
#include "driver/stat_checks.h"

typedef struct problem {
    const proto_array_t *a, *c, *x0;
    size_t n, iters;
    double lr;
} problem_t;

static int problem_get(verdict_t *v, const case_data_t *cd, problem_t *p,
                       const char *c_name)
{
    p->a = eval_array(v, cd->ref, "a", "reference", 0);
    p->c = p->a ? eval_array(v, cd->ref, c_name, "reference", p->a->n) : NULL;
    p->x0 = p->c ? eval_array(v, cd->ref, "x0", "reference", p->a->n) : NULL;
    const proto_array_t *li = p->x0 ? eval_array(v, cd->ref, "lr_iters", "reference", 2) : NULL;
    if (!li)
        return -1;
    p->n = p->a->n;
    p->lr = li->data[0];
    p->iters = (size_t)li->data[1];
    return 0;
}

static double f_at(const problem_t *p, const double *c, const double *x)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++)
        s += p->a->data[i] * (x[i] - c[i]) * (x[i] - c[i]);
    return s;
}

/* ---- 1.1: gradient descent's iterates ------------------------------------ */

/* closed (T+1, N) = c + r^k (x0 - c), r = 1 - factor lr a: factor 2 is the
 * gradient of a x^2; 1 is the classic slip. */
static void closed_form(const problem_t *p, double factor, double *closed)
{
    for (size_t k = 0; k <= p->iters; k++)
        for (size_t i = 0; i < p->n; i++) {
            double r = 1.0 - factor * p->lr * p->a->data[i];
            double c = p->c->data[i];
            closed[k * p->n + i] = c + pow(r, (double)k) * (p->x0->data[i] - c);
        }
}

static void eval_gd_iterates(verdict_t *v, const case_data_t *cd)
{
    problem_t p;
    if (problem_get(v, cd, &p, "c"))
        return;
    const size_t m = (p.iters + 1) * p.n;
    const proto_array_t *xs = eval_array(v, cd->sub, "xs", "submission", m);
    if (!xs)
        return;
    double *closed = malloc(m * sizeof *closed);
    if (!closed) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: no memory");
        return;
    }
    closed_form(&p, 2.0, closed);
    cmp_bound_t b = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    char what[160];
    snprintf(what, sizeof what, "run_optimization: the iterates xs (%zu x %zu, "
             "row-major) against x_k = c + (1 - 2 lr a)^k (x0 - c), lr %g",
             p.iters + 1, p.n, p.lr);
    eval_compare(v, cd, what, closed, xs->data, m, b, 0);
    if (v->outcome == OUTCOME_FAILED) {
        cmp_report_t rep;
        closed_form(&p, 1.0, closed);
        if (compare_arrays(&rep, closed, xs->data, m, (cmp_bound_t){ 1e-6, 1e-6 }, "x"))
            verdict_append(v, "\nHint: your iterates follow (1 - lr a)^k: the "
                           "gradient of a x^2 is 2 a x.");
    }
    free(closed);
}

static void more_gd(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    snprintf(buf, cap, "With this profile: |x - closed form| <= %g + %g |closed "
             "form| per coordinate; deterministic (no false fails from chance).",
             conf_param(c, "abs_tol"), conf_param(c, "rel_tol"));
}

/* ---- 1.2: the losses are f of the iterates -------------------------------- */

/* 1 when xs row 0 is x0 and, with descent, the last iterate has at most
 * half f(x0): a run that starts where it was told (and descends), so that
 * a sequence of zeros (f(0) = 0 on the course's quadratic) scores
 * nothing. */
static int run_sane(verdict_t *v, const problem_t *p, const double *c,
                    const double *xs, const char *who, int descent)
{
    for (size_t i = 0; i < p->n; i++)
        if (!(fabs(xs[i] - p->x0->data[i]) <= 1e-12 * (1 + fabs(p->x0->data[i])))) {
            verdict_set(v, isfinite(xs[i]) ? OUTCOME_FAILED : OUTCOME_NAN, 0,
                        "%s: row 0 of xs is not x0 (coordinate %zu: %.17g, x0 "
                        "%.17g): xs holds every iterate, x0 first", who, i, xs[i],
                        p->x0->data[i]);
            return 0;
        }
    double f0 = f_at(p, c, xs), fT = f_at(p, c, xs + p->iters * p->n);
    if (descent && !(fT <= 0.5 * f0)) {
        verdict_set(v, isfinite(fT) ? OUTCOME_FAILED : OUTCOME_NAN, 0,
                    "%s: f at your last iterate is %.6g, at x0 %.6g: the run does "
                    "not descend, so its losses are not checked", who, fT, f0);
        return 0;
    }
    return 1;
}

/* Compares losses (T+1) with f of xs's rows under cd's bound. */
static void losses_against_f(verdict_t *v, const case_data_t *cd, const problem_t *p,
                             const double *c, const double *xs, const double *losses,
                             const char *what)
{
    const size_t rows = p->iters + 1;
    double *f = malloc(2 * rows * sizeof *f);
    if (!f) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: no memory");
        return;
    }
    for (size_t k = 0; k < rows; k++)
        f[k] = f_at(p, c, xs + k * p->n);
    cmp_bound_t b = { case_param(cd, "abs_tol"), case_param(cd, "rel_tol") };
    eval_compare(v, cd, what, f, losses, rows, b, 0);
    if (v->outcome == OUTCOME_FAILED) {
        /* losses[k] = f(x_{k+1}) (one iterate ahead) or f(x_{k-1}) */
        cmp_report_t rep;
        if (compare_arrays(&rep, f + 1, losses, rows - 1, b, "late"))
            verdict_append(v, "\nHint: losses[k] is f of row k + 1 of xs: one "
                           "iterate ahead (losses[0] = f(x0), row 0 being x0).");
        else if (compare_arrays(&rep, f, losses + 1, rows - 1, b, "early"))
            verdict_append(v, "\nHint: losses[k + 1] is f of row k of xs: one "
                           "iterate behind (losses[k] = f(row k)).");
    }
    free(f);
}

static void eval_gd_losses(verdict_t *v, const case_data_t *cd)
{
    problem_t p;
    if (problem_get(v, cd, &p, "c"))
        return;
    const size_t rows = p.iters + 1;
    const proto_array_t *xs = eval_array(v, cd->sub, "xs", "submission", rows * p.n);
    const proto_array_t *ls = xs ? eval_array(v, cd->sub, "losses", "submission", rows) : NULL;
    if (!ls || !run_sane(v, &p, p.c->data, xs->data, "run_optimization", 1))
        return;
    losses_against_f(v, cd, &p, p.c->data, xs->data, ls->data,
                     "run_optimization: losses[k] against f(row k of your xs)");
}

static void more_det(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    snprintf(buf, cap, "With this profile: |loss - f| <= %g + %g |f|; "
             "deterministic (no false fails from chance).",
             conf_param(c, "abs_tol"), conf_param(c, "rel_tol"));
}

/* ---- 1.3: the student's optimiser ------------------------------------------ */

static int my_one(verdict_t *v, const case_data_t *cd, const problem_t *p,
                  const double *c, const char *xs_name, const char *ls_name,
                  const char *which, double *f_end)
{
    const size_t rows = p->iters + 1;
    const proto_array_t *xs = eval_array(v, cd->sub, xs_name, "submission", rows * p->n);
    const proto_array_t *ls = xs ? eval_array(v, cd->sub, ls_name, "submission", rows) : NULL;
    char who[160];
    snprintf(who, sizeof who, "run_my_optimizer on %s", which);
    if (!ls || !run_sane(v, p, c, xs->data, who, 0))
        return -1;
    char what[200];
    snprintf(what, sizeof what, "%s: losses[k] against f(row k of your xs)", who);
    losses_against_f(v, cd, p, c, xs->data, ls->data, what);
    if (v->outcome != OUTCOME_PASSED)
        return -1;
    *f_end = f_at(p, c, xs->data + p->iters * p->n);
    double target = case_param(cd, "target");
    if (!(*f_end < target)) {
        verdict_set(v, isfinite(*f_end) ? OUTCOME_FAILED : OUTCOME_NAN, 0,
                    "%s: f at the last of %zu iterates is %.6g, not below %g "
                    "(f(x0) = %.6g)", who, p->iters, *f_end, target,
                    f_at(p, c, xs->data));
        return -1;
    }
    return 0;
}

static void eval_my_optimizer(verdict_t *v, const case_data_t *cd)
{
    problem_t p;
    if (problem_get(v, cd, &p, "c"))
        return;
    const proto_array_t *c2 = eval_array(v, cd->ref, "c2", "reference", p.n);
    if (!c2)
        return;
    double f1, f2;
    if (my_one(v, cd, &p, p.c->data, "xs", "losses",
               "the course's 10-D quadratic", &f1) ||
        my_one(v, cd, &p, c2->data, "xs_shifted", "losses_shifted",
               "the same quadratic centred at a hidden c", &f2))
        return;
    verdict_set(v, OUTCOME_PASSED, 1, "run_my_optimizer: after %zu iterations f "
                "is %.3g on the course's 10-D quadratic and %.3g on the same "
                "centred at a hidden c (both below %g), and every loss is f of "
                "its iterate", p.iters, f1, f2, case_param(cd, "target"));
}

static void more_my(const check_conf_t *c, const char *root, char *buf, size_t cap)
{
    (void)root;
    snprintf(buf, cap, "With this profile: both runs must end below %g with "
             "|loss - f| <= %g + %g |f|; deterministic given your optimiser.",
             conf_param(c, "target"), conf_param(c, "abs_tol"),
             conf_param(c, "rel_tol"));
}

/* Iterates: the closed form and the loop differ by rounding alone, a few
 * ulps per step of values up to 15, over 50 steps that contract: under
 * 1e-13 absolute. Bound 1e-10 + 1e-9 |expected|, three decades above; a
 * step of lr a instead of 2 lr a is off by 1e-1 at step 1. */
#define S305_OPTIM_TOLS \
    { "abs_tol", 1e-10, 0, 1, 0, "absolute tolerance" }, \
    { "rel_tol", 1e-9, 0, 1, 0, "relative tolerance" }

const check_def_t s305_checks_optim[] = {
    {
        .id = "1.1-gd-iterates",
        .title = "run_optimization: the iterates are (1 - 2 lr a)^k x0",
        .file = "optim.c",
        .functions = "run_optimization",
        .task = "run_optimization.run",
        .cases = { "course-a", "course-b", "shifted" },
        .needs_ref = 1,
        .eval = eval_gd_iterates,
        .explain_more = more_gd,
        .params = { S305_OPTIM_TOLS },
        .explain =
            "Gradient descent for 50 steps at lr 0.8 from x0 = (10, 10) on the "
            "course's f = sum a_i x_i^2 with a = (0.2, 0.2) (course-a) and a = "
            "(0.05, 1.2) (course-b), and on a 3-D f = sum a_i (x_i - c_i)^2 with "
            "a in [0.05, 0.6], x0 in [-10, 10] and a hidden c in [-5, 5] "
            "(shifted: the same descent, which a replay of the course's numbers "
            "does not pass); a third of the points each. Every row of xs (row 0 "
            "x0) against the closed form x_k = c + (1 - 2 lr a)^k (x0 - c), "
            "computed by the grader. Bound 1e-10 + 1e-9 |expected|: the loop and "
            "the closed form differ by rounding, under 1e-13 here. Mistakes: a "
            "step of lr a (the gradient of a x^2 is 2 a x), a step up the "
            "gradient, rows shifted by one.",
    },
    {
        .id = "1.2-gd-losses",
        .title = "run_optimization: every loss is f of its iterate",
        .file = "optim.c",
        .functions = "run_optimization",
        .task = "run_optimization.run",
        .cases = { "course-a", "course-b", "shifted" },
        .needs_ref = 1,
        .eval = eval_gd_losses,
        .explain_more = more_det,
        .params = { S305_OPTIM_TOLS },
        .explain =
            "The same three runs as 1.1. losses[k] against f(row k of YOUR xs), "
            "f computed by the grader (bound 1e-10 + 1e-9 |f|: the callback's "
            "value is the grader's own formula), provided row 0 of xs is x0 and "
            "the last iterate has at most half f(x0) (a run that starts where "
            "it is told and descends: zeros everywhere score nothing). So a "
            "wrong step costs 1.1, not this check; a loss one iterate late or "
            "early costs this one alone.",
    },
    {
        .id = "1.3-my-optimizer",
        .title = "run_my_optimizer: the 10-D problem below 0.01 in 1,000 iterations",
        .file = "optim.c",
        .functions = "run_my_optimizer",
        .task = "run_my_optimizer.run",
        .cases = { NULL },
        .needs_ref = 1,
        .eval = eval_my_optimizer,
        .explain_more = more_my,
        .params = { S305_OPTIM_TOLS,
                    { "target", 0.01, 1e-9, 1e3, 0, "f must end below this" } },
        .explain =
            "Your optimiser for 1,000 iterations from x0 = (10, ..., 10) on the "
            "course's f = sum a_i x_i^2, a_i = 10^(-2 + 4 (i - 1)/9), and on the "
            "same f centred at a hidden c in [-5, 5]^10 (known only through the "
            "callbacks: returning the course's minimum 0 does not pass). Each "
            "run must start at x0, give losses[k] = f(row k of xs) (bound 1e-10 "
            "+ 1e-9 |f|, f computed by the grader) and end with f(last iterate) "
            "< 0.01; both runs, for all the points. Plain gradient descent cannot "
            "(a runs from 0.01 to 100: a stable lr < 0.01 leaves the a = 0.01 "
            "coordinate at 10 (1 - 2e-4)^1000 = 8.2, f > 0.6); the reference's "
            "Adam (lr 0.1) gets there.",
    },
};
const size_t n_s305_checks_optim = sizeof s305_checks_optim / sizeof s305_checks_optim[0];
