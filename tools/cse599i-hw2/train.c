/* train.c: cse599i-train, UW CSE 599i HW2's training program. Trains, one
 * after the other, (a) the Gaussian VAE on grayscale MNIST, (b) the
 * discrete-output VAE on dynamically binarised MNIST and (c) the same with
 * an 8-step IAF encoder, each with whichever elbo.c, importance.c and
 * flow.c it is linked with (the reference, or a submission built by
 * `make train ASSIGNMENT=cse599i-hw2`), prints each one's test ELBO and,
 * for (b) and (c), the IS log-likelihood (M = 1000), and writes the sample
 * grids and loss curves into --out. A model that fails is reported and
 * the next one still runs; the exit status is 1 when any failed.
 * Data (--data DIR, train.h's folder rules): all of DIR's training split
 * to train; the public test subset to test (fixtures/README.md: 10 digits
 * per class of t10k, binarised once; (a) takes the same digits in
 * grayscale) -- the grader's digits, the same bytes PyTorch's side reads
 * (bench/torch_cse599i.py), and cheap enough for M = 1000. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assignment.h"
#include "data.h"
#include "dirs.h"
#include "eval.h"
#include "figures.h"
#include "loss_curve.h"
#include "run.h"
#include "vg_error.h"

#define PATH_LEN 4096
/* Fixed seeds of the evaluation and of the pictures, apart from training's. */
#define EVAL_ELBO_SEED 5991
#define EVAL_IS_SEED 5992
#define FIGURE_SEED 5993
#define DEFAULT_STEPS 5000
#define DEFAULT_REPEATS 100

typedef struct options {
    const char *data, *out;
    size_t steps, repeats, is_samples;
    unsigned long long seed;
    int threads;
    int kinds[CSE_N_KINDS]; /* 1: train this one */
} options_t;

static const char usage[] =
    "usage: cse599i-train [--data DIR] [--steps N] [--seed S] [--threads T]\n"
    "                     [--models gauss,discrete,iaf] [--repeats R]\n"
    "                     [--is-samples M] [--out DIR]\n"
    "  DIR: MNIST-format idx files (default fixtures/mnist-full); N steps of\n"
    "  batch 100 per model (5000); the test ELBO over R passes of the test\n"
    "  subset (100); IS with M samples per digit (1000); pictures into --out\n"
    "  (runs/cse599i-hw2)\n";

static int parse_count(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-')
        return VG_ERR;
    *out = v;
    return VG_OK;
}

/* A comma-separated list of model names into o->kinds. */
static int parse_models(options_t *o, const char *list)
{
    char buf[256];
    if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
        return VG_ERR;
    memset(o->kinds, 0, sizeof o->kinds);
    int any = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        int k = cse_kind_from_name(t);
        if (k < 0)
            return VG_ERR;
        o->kinds[k] = any = 1;
    }
    return any ? VG_OK : VG_ERR;
}

static int parse(options_t *o, int argc, char **argv)
{
    o->data = "fixtures/mnist-full";
    o->out = "runs/cse599i-hw2";
    o->steps = DEFAULT_STEPS;
    o->repeats = DEFAULT_REPEATS;
    o->is_samples = config_cse599i_hw2().is_samples;
    o->seed = 0;
    o->threads = 1;
    for (int k = 0; k < CSE_N_KINDS; k++)
        o->kinds[k] = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (!v)
            return vg_error_set("%s needs a value", a);
        if (strcmp(a, "--data") == 0)
            o->data = v;
        else if (strcmp(a, "--out") == 0)
            o->out = v;
        else if (strcmp(a, "--models") == 0 && parse_models(o, v) == VG_OK)
            ;
        else if (strcmp(a, "--steps") == 0 && parse_count(v, &n) == VG_OK && n)
            o->steps = (size_t)n;
        else if (strcmp(a, "--repeats") == 0 && parse_count(v, &n) == VG_OK && n)
            o->repeats = (size_t)n;
        else if (strcmp(a, "--is-samples") == 0 && parse_count(v, &n) == VG_OK && n)
            o->is_samples = (size_t)n;
        else if (strcmp(a, "--seed") == 0 && parse_count(v, &n) == VG_OK)
            o->seed = n;
        else if (strcmp(a, "--threads") == 0 && parse_count(v, &n) == VG_OK &&
                 n >= 1 && n <= 64)
            o->threads = (int)n;
        else
            return vg_error_set("bad option or value: %s %s", a, v);
        i++;
    }
    return VG_OK;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds of this process: what a quiet core would take, where the
 * wall time is the shared machine's. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The median of x (n > 0), sorting x in place. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}
static double median_of(double *x, size_t n)
{
    qsort(x, n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static int path_in(char *out, const char *dir, const char *stem,
                   const char *kind)
{
    if (snprintf(out, PATH_LEN, "%s/%s_%s.png", dir, stem, kind) >= PATH_LEN)
        return vg_error_set("path too long: %s/%s_%s.png", dir, stem, kind);
    return VG_OK;
}

static void title_of(char *out, size_t cap, const cse_run_t *r)
{
    if (r->kind == CSE_GAUSS)
        snprintf(out, cap, "(a) Gaussian VAE (sigma %.2g), grayscale MNIST: "
                 "-ELBO", r->cfg.sigma);
    else if (r->kind == CSE_DISCRETE)
        snprintf(out, cap, "(b) discrete-output VAE, binarised MNIST: -ELBO");
    else
        snprintf(out, cap, "(c) discrete-output VAE, IAF encoder of %zu "
                 "steps: -ELBO", r->cfg.iaf.n_steps);
}

/* One model: train, evaluate, draw. Prints its figures (and the FIG line
 * bench/cse599i_figures.sh reads). */
static int one_model(const options_t *o, cse_kind_t kind, const cse_data_t *d)
{
    cse_run_t r;
    loss_curve_t curve;
    memset(&curve, 0, sizeof curve);
    double *step_s = malloc(o->steps * sizeof *step_s); /* (steps) */
    char path[PATH_LEN], title[256];
    int status = VG_ERR;
    const char *name = cse_kind_name(kind);
    if (cse_run_create(&r, kind, d, o->seed) != VG_OK ||
        loss_curve_create(&curve, o->steps, 0) != VG_OK)
        goto cleanup;
    if (!step_s) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    title_of(title, sizeof title, &r);
    printf("%s: %zu steps of batch %zu, Adam lr %g, seed %llu\n", name,
           o->steps, r.cfg.train.batch, r.cfg.train.lr, o->seed);
    fflush(stdout);
    double t0 = seconds(), c0 = cpu_seconds();
    for (size_t s = 1; s <= o->steps; s++) {
        double v, ts = seconds();
        if (cse_run_step(&r, d, &v) != VG_OK)
            goto cleanup;
        step_s[s - 1] = seconds() - ts;
        loss_curve_add_train(&curve, s, r.loss_ema);
        if (s % 1000 == 0 || s == o->steps) {
            printf("%s step %zu: running -ELBO %.3f (%.1f s)\n", name, s,
                   r.loss_ema, seconds() - t0);
            fflush(stdout);
        }
    }
    double train_s = seconds() - t0, t1 = seconds();
    double train_cpu_s = cpu_seconds() - c0;
    double elbo, is_ll = NAN, is_se = NAN;
    const double *x = kind == CSE_GAUSS ? d->test_gray : d->all.subset.x;
    /* The ELBO and the pictures first: a submission without importance.c
     * still sees its samples. */
    if (cse_eval_elbo(&elbo, &r, x, d->n_test, o->repeats, EVAL_ELBO_SEED) != VG_OK)
        goto cleanup;
    loss_curve_add_test(&curve, o->steps, -elbo);
    if (path_in(path, o->out, "samples", name) != VG_OK ||
        cse_figure_samples(path, &r, FIGURE_SEED) != VG_OK ||
        path_in(path, o->out, "loss", name) != VG_OK ||
        loss_curve_write(&curve, path, title) != VG_OK)
        goto cleanup;
    printf("%s: trained in %.1f s (%.1f s of CPU, %.2f ms per step); test "
           "ELBO (%zu %s digits, %zu passes): %.3f\n", name, train_s,
           train_cpu_s, 1e3 * train_s / o->steps, d->n_test,
           kind == CSE_GAUSS ? "grayscale" : "binarised", o->repeats, elbo);
    fflush(stdout);
    if (kind != CSE_GAUSS) {
        if (cse_eval_is(&is_ll, &is_se, &r, x, d->n_test, o->is_samples,
                        EVAL_IS_SEED) != VG_OK)
            goto cleanup;
        printf("%s: IS log-likelihood (M = %zu): %.3f (+- %.2f between "
               "digits)\n", name, o->is_samples, is_ll, is_se);
    }
    double eval_s = seconds() - t1;
    printf("FIG impl=c model=%s steps=%zu seed=%llu test_elbo=%.4f is%zu=%.4f "
           "is_se=%.4f train_s=%.2f train_cpu_s=%.2f eval_s=%.2f ms_per_step=%.3f "
           "ms_median=%.3f\n", name, o->steps, o->seed, elbo, o->is_samples,
           is_ll, is_se, train_s, train_cpu_s, eval_s,
           1e3 * train_s / o->steps, 1e3 * median_of(step_s, o->steps));
    fflush(stdout);
    status = VG_OK;
cleanup:
    free(step_s);
    loss_curve_free(&curve);
    cse_run_free(&r);
    return status;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse(&o, argc, argv) != VG_OK) {
        fprintf(stderr, "cse599i-train: %s\n%s", vg_error_last(), usage);
        return 2;
    }
    cse_data_t d;
    memset(&d, 0, sizeof d);
    int status = 1, failed = 0; /* failed: a model reported its own error */
    nn_set_threads(o.threads);
    if (dirs_make_all(o.out, 0777) != VG_OK || cse_data_load(&d, o.data) != VG_OK)
        goto cleanup;
    if (d.all.note[0])
        fprintf(stderr, "cse599i-train: %s\n", d.all.note);
    printf("cse599i-hw2: %zu training digits of %s; test: its public subset "
           "(%zu digits)\n", d.all.train.n, o.data, d.n_test);
    /* A model that fails (a function not implemented, a NaN) is reported
     * and the next one still runs: a submission with elbo.c alone still
     * trains (a) and (b) and sees their pictures. The exit status says
     * whether every model got every figure. */
    for (int k = 0; k < CSE_N_KINDS; k++) {
        if (!o.kinds[k])
            continue;
        not_implemented_reset();
        if (one_model(&o, (cse_kind_t)k, &d) != VG_OK) {
            fprintf(stderr, "cse599i-train: %s: %s\n",
                    cse_kind_name((cse_kind_t)k), vg_error_last());
            failed = 1;
        }
    }
    printf("pictures in %s\n", o.out);
    status = failed;
cleanup:
    if (status && !failed)
        fprintf(stderr, "cse599i-train: %s\n", vg_error_last());
    cse_data_free(&d);
    return status;
}
