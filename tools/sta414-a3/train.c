/* train.c: sta414-train, STA414 A3's training program. Trains the
 * assignment's VAE (config_model_sta414_a3) with whichever elbo() it is
 * linked with (the reference, or a submission built by
 * `make train ASSIGNMENT=sta414-a3`), prints the test ELBO, fits q to the
 * top halves of a few test digits with the linked svi_top_elbo (part 4),
 * and writes the assignment's pictures into --out.
 * Data: rows 0..9,999 of DIR's training split to train, rows
 * 10,000..19,999 to test, binarised as x > 0.5 (config_sta414_a3). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adam.h"
#include "assignment.h"
#include "binarised.h"
#include "config.h"
#include "figures.h"
#include "svi_fit.h"
#include "vg_error.h"

#define PATH_LEN 4096
/* Fixed seeds of the pictures and of part 4, apart from training's. */
#define FIGURE_SEED 414
#define SVI_SEED 412

typedef struct options {
    const char *data, *out;
    size_t epochs;
    size_t digits;  /* 0: the course's split; N: train 0..N-1, test N..2N-1 */
    unsigned long long seed;
    int threads;
} options_t;

static const char usage[] =
    "usage: sta414-train [--data DIR] [--epochs N] [--seed S] [--threads T] "
    "[--digits N] [--out DIR]\n"
    "  DIR holds train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz]"
    " (default fixtures/mnist-full);\n  N epochs over 10,000 digits (100); "
    "pictures into --out (runs/sta414-a3);\n  --digits N trains on rows "
    "0..N-1 and tests on N..2N-1 instead (short runs, tests)\n";

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-')
        return VG_ERR;
    *out = v;
    return VG_OK;
}

static int parse(options_t *o, int argc, char **argv)
{
    o->data = "fixtures/mnist-full";
    o->out = "runs/sta414-a3";
    o->epochs = config_sta414_a3().epochs;
    o->seed = 0;
    o->threads = 1;
    o->digits = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (!v)
            return vg_error_set("%s needs a value", a);
        if (strcmp(a, "--data") == 0)
            o->data = v;
        else if (strcmp(a, "--out") == 0)
            o->out = v;
        else if (strcmp(a, "--epochs") == 0 && parse_size(v, &n) == VG_OK && n)
            o->epochs = (size_t)n;
        else if (strcmp(a, "--digits") == 0 && parse_size(v, &n) == VG_OK &&
                 n >= 100)
            o->digits = (size_t)n;
        else if (strcmp(a, "--seed") == 0 && parse_size(v, &n) == VG_OK)
            o->seed = n;
        else if (strcmp(a, "--threads") == 0 && parse_size(v, &n) == VG_OK &&
                 n >= 1 && n <= 64)
            o->threads = (int)n;
        else
            return vg_error_set("bad option or value: %s %s", a, v);
        i++;
    }
    return VG_OK;
}

static int make_dirs(const char *path)
{
    char buf[PATH_LEN];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return vg_error_set("--out path too long");
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c != '/' && c != '\0')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return vg_error_set("cannot create %s: %s", buf, strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    return VG_OK;
}

/* DIR/name-ubyte.gz, or DIR/name-ubyte when only that exists. */
static void data_path(char *out, const char *dir, const char *name)
{
    snprintf(out, PATH_LEN, "%s/%s-ubyte.gz", dir, name);
    if (access(out, R_OK) != 0)
        snprintf(out, PATH_LEN, "%s/%s-ubyte", dir, name);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The mean ELBO over ds, in batches of the model's max_batch, no backward. */
static double mean_elbo(model_t *m, const dataset_t *ds, rng_t *rng)
{
    double sum = 0.0;
    for (size_t at = 0; at < ds->n; at += m->max_batch) {
        size_t b = ds->n - at < m->max_batch ? ds->n - at : m->max_batch;
        scratch_reset(m);
        double v = elbo(m, ds->x + at * ds->d, b, rng, 0);
        if (!isfinite(v))
            return NAN;
        sum += v * (double)b;
    }
    return sum / (double)ds->n;
}

/* A stub raised the flag: training on its zeros would print nonsense. */
static int missing(void)
{
    return vg_error_set("%s is not implemented (the submission lacks it, or "
                        "it still calls not_implemented)",
                        not_implemented_which());
}

/* One epoch: a fresh permutation, minibatches of B, Adam on -ELBO. */
static int train_epoch(model_t *m, adam_t *opt, const dataset_t *train,
                       size_t *perm, double *xb, rng_t *rng, double *mean)
{
    const size_t B = m->max_batch, D = train->d, N = train->n;
    rng_shuffle(rng, perm, N);
    double sum = 0.0;
    size_t steps = 0;
    for (size_t at = 0; at + B <= N; at += B, steps++) {
        for (size_t r = 0; r < B; r++)
            memcpy(xb + r * D, train->x + perm[at + r] * D, D * sizeof *xb);
        scratch_reset(m);
        double v = elbo(m, xb, B, rng, 1);
        if (!isfinite(v))
            return vg_error_set("elbo returned %g at step %zu%s%s", v, steps,
                                *vg_error_last() ? ": " : "",
                                vg_error_last());
        if (not_implemented_which())
            return missing();
        sum += v;
        /* elbo() accumulated d ELBO; Adam descends, so turn it into the
         * loss's gradient, then the step zeroes it for the next call. */
        float *g = m->grads;
        for (size_t i = 0; i < m->n_params; i++)
            g[i] = -g[i];
        adam_step_consume(opt, m->params, m->grads);
    }
    *mean = sum / (double)steps;
    return VG_OK;
}

/* Part 4: q fitted to the top halves of the first SVI_DIGITS test digits. */
static int fit_top_halves(model_t *m, const dataset_t *test, svi_digits_t *f)
{
    const sta414_config_t c = config_sta414_a3();
    const size_t Z = m->cfg.z_dim;
    double trace[1024];
    if (c.svi_iters > sizeof trace / sizeof *trace || Z > SVI_MAX_LATENT)
        return vg_error_set("fit_top_halves: svi_iters %zu or z %zu too big",
                            c.svi_iters, Z);
    rng_t rng;
    rng_seed(&rng, SVI_SEED);
    memset(f, 0, sizeof *f);
    f->n = SVI_DIGITS;
    for (size_t i = 0; i < f->n; i++) {
        f->x[i] = test->x + i * test->d;
        f->label[i] = test->y ? test->y[i] : -1;
        if (svi_fit(m, svi_top_elbo, f->x[i], f->mu[i], f->logsig[i], c.svi_k,
                    c.svi_iters, c.svi_lr, &rng, trace) != VG_OK)
            return not_implemented_which() ? missing() : VG_ERR;
        if (not_implemented_which())
            return missing();
        f->elbo_first[i] = trace[0];
        f->elbo_last[i] = trace[c.svi_iters - 1];
    }
    return VG_OK;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse(&o, argc, argv) != VG_OK) {
        fprintf(stderr, "sta414-train: %s\n%s", vg_error_last(), usage);
        return 2;
    }
    sta414_config_t sc = config_sta414_a3();
    if (o.digits) {
        sc.train_first = 0;
        sc.n_train = sc.test_first = sc.n_test = o.digits;
    }
    const model_config_t mc = config_model_sta414_a3();
    char images[PATH_LEN], labels[PATH_LEN];
    data_path(images, o.data, "train-images-idx3");
    data_path(labels, o.data, "train-labels-idx1");

    dataset_t train, test;
    model_t m;
    adam_t opt;
    memset(&train, 0, sizeof train);
    memset(&test, 0, sizeof test);
    memset(&m, 0, sizeof m);
    memset(&opt, 0, sizeof opt);
    size_t *perm = NULL;
    double *xb = NULL;
    int status = 1;
    nn_set_threads(o.threads);
    if (make_dirs(o.out) != VG_OK ||
        binarised_load(&train, images, labels, sc.train_first, sc.n_train,
                       sc.binarise_above) != VG_OK ||
        binarised_load(&test, images, labels, sc.test_first, sc.n_test,
                       sc.binarise_above) != VG_OK ||
        model_create(&m, &mc, NN_FLOAT32, sc.train.batch, o.seed) != VG_OK ||
        adam_init(&opt, m.n_params, m.dtype, sc.train.lr, sc.train.beta1,
                  sc.train.beta2, sc.train.adam_eps) != VG_OK)
        goto cleanup;
    perm = malloc(train.n * sizeof *perm);
    xb = malloc(sc.train.batch * train.d * sizeof *xb);
    if (!perm || !xb) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < train.n; i++)
        perm[i] = i;

    printf("sta414-a3: %zu training digits (rows %zu..%zu), %zu test digits "
           "(rows %zu..%zu), binarised x > %.1f; %zu epochs of batch %zu, "
           "Adam lr %g, seed %llu\n", train.n, sc.train_first,
           sc.train_first + train.n - 1, test.n, sc.test_first,
           sc.test_first + test.n - 1, sc.binarise_above, o.epochs,
           sc.train.batch, sc.train.lr, o.seed);
    rng_t rng;
    rng_seed(&rng, o.seed ^ 0x5a414ULL);
    double t0 = seconds();
    for (size_t e = 1; e <= o.epochs; e++) {
        double mean = NAN;
        if (train_epoch(&m, &opt, &train, perm, xb, &rng, &mean) != VG_OK)
            goto cleanup;
        if (e % 10 == 0 || e == o.epochs || e == 1)
            printf("epoch %zu: mean training ELBO %.3f  (%.1f s)\n", e, mean,
                   seconds() - t0);
        fflush(stdout);
    }
    double train_s = seconds() - t0;
    rng_t eval_rng;
    rng_seed(&eval_rng, 1);
    double test_elbo = mean_elbo(&m, &test, &eval_rng);
    if (!isfinite(test_elbo)) {
        vg_error_set("the test ELBO is not finite");
        goto cleanup;
    }

    svi_digits_t fits;
    if (not_implemented_which()) {
        missing();
        goto cleanup;
    }
    if (figure_prior_samples(o.out, &m, FIGURE_SEED) != VG_OK ||
        figure_latent_scatter(o.out, &m, &train) != VG_OK ||
        figure_interpolations(o.out, &m, &train) != VG_OK ||
        fit_top_halves(&m, &test, &fits) != VG_OK ||
        figure_top_half_posterior(o.out, &m, &fits) != VG_OK ||
        figure_completions(o.out, &m, &fits, FIGURE_SEED) != VG_OK) {
        if (not_implemented_which())
            missing();
        goto cleanup;
    }
    if (not_implemented_which()) { /* the contours' densities */
        missing();
        goto cleanup;
    }
    for (size_t i = 0; i < fits.n; i++)
        printf("part 4, test digit %zu (a %d): top-half ELBO %.3f -> %.3f "
               "after %zu SVI steps of %zu samples\n", i, fits.label[i],
               fits.elbo_first[i], fits.elbo_last[i], sc.svi_iters, sc.svi_k);
    printf("training: %.1f s for %zu epochs\n", train_s, o.epochs);
    printf("test ELBO (%zu digits, one sample each): %.3f\n", test.n,
           test_elbo);
    printf("pictures in %s\n", o.out);
    status = 0;
cleanup:
    if (status)
        fprintf(stderr, "sta414-train: %s\n", vg_error_last());
    free(perm);
    free(xb);
    adam_free(&opt);
    model_free(&m);
    dataset_free(&train);
    dataset_free(&test);
    return status;
}
