/* vae_run.c: problem 3 (problems.h): the course's training loop for the
 * VAE with the submission's elbo(): epochs over the 60,000 training
 * digits in a fresh order each, minibatches of 64 (the epoch's last one
 * 32, as the course's DataLoader leaves it), Adam at the configuration's
 * lr, and after each epoch the mean training ELBO and the test ELBO over
 * the 10,000 test digits (one sample each), as the notebook prints them;
 * then the 8 x 8 samples and the latent means. Data binarised as the
 * course's binarize() (step.h). */
#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adam.h"
#include "assignment.h"
#include "config.h"
#include "figures.h"
#include "step.h"
#include "vg_error.h"

/* Streams apart from training's: the test ELBO's noise and the samples. */
#define EVAL_STREAM 0x305e7ULL
#define FIGURE_SEED 305

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* DIR/name-ubyte.gz, or DIR/name-ubyte when only that exists. */
static void data_path(char *out, const char *dir, const char *name)
{
    snprintf(out, S305_PATH_LEN, "%s/%s-ubyte.gz", dir, name);
    if (access(out, R_OK) != 0)
        snprintf(out, S305_PATH_LEN, "%s/%s-ubyte", dir, name);
}

/* The mean over ds of one-sample ELBOs, in batches of the model's
 * max_batch, no backward. NAN when elbo() gives a non-finite value. */
static double mean_elbo(model_t *m, const dataset_t *ds, double *xb,
                        size_t *rows, const s305_binariser_t *t, rng_t *rng)
{
    double sum = 0.0;
    for (size_t at = 0; at < ds->n; at += m->max_batch) {
        size_t b = ds->n - at < m->max_batch ? ds->n - at : m->max_batch;
        for (size_t r = 0; r < b; r++)
            rows[r] = at + r;
        s305_gather(xb, ds, rows, b, t);
        scratch_reset(m);
        double v = elbo(m, xb, b, rng, 0);
        if (!isfinite(v))
            return NAN;
        sum += v * (double)b;
    }
    return sum / (double)ds->n;
}

/* Loads DIR's split `name` (train or t10k) as bytes and labels; with
 * digits > 0, *view is its first `digits` rows only. */
static int load_split(dataset_t *ds, dataset_t *view, const char *dir,
                      const char *name, size_t digits)
{
    char images[S305_PATH_LEN], labels[S305_PATH_LEN], stem[64];
    snprintf(stem, sizeof stem, "%s-images-idx3", name);
    data_path(images, dir, stem);
    snprintf(stem, sizeof stem, "%s-labels-idx1", name);
    data_path(labels, dir, stem);
    if (dataset_load_bytes(ds, images, labels) != VG_OK)
        return VG_ERR;
    *view = *ds;
    if (digits) {
        if (digits > ds->n)
            return vg_error_set("%s has %zu digits, fewer than --digits %zu",
                                images, ds->n, digits);
        view->n = digits;
    }
    return VG_OK;
}

int s305_problem3(const s305_vae_opts_t *o)
{
    const stats305c_config_t sc = config_stats305c_hw6();
    const model_config_t mc = config_model_stats305c_hw6();
    const size_t B = sc.train.batch;
    dataset_t train_all, test_all, train, test;
    model_t m;
    adam_t opt;
    memset(&train_all, 0, sizeof train_all);
    memset(&test_all, 0, sizeof test_all);
    memset(&m, 0, sizeof m);
    memset(&opt, 0, sizeof opt);
    size_t *perm = NULL, *rows = NULL;
    double *xb = NULL;
    char path[S305_PATH_LEN];
    int status = S305_FAILED;
    s305_binariser_t bin;
    s305_binariser_init(&bin, sc.binarise_above);
    if (load_split(&train_all, &train, o->data, "train",
                   o->digits ? o->digits : sc.n_train) != VG_OK ||
        load_split(&test_all, &test, o->data, "t10k", o->digits) != VG_OK ||
        model_create(&m, &mc, NN_FLOAT32, B, o->seed) != VG_OK ||
        s305_adam_init(&opt, &m, &sc.train) != VG_OK)
        goto cleanup;
    perm = malloc(train.n * sizeof *perm);  /* (N) */
    rows = malloc(B * sizeof *rows);        /* (B) */
    xb = malloc(B * train.d * sizeof *xb);  /* (B,D) */
    if (!perm || !rows || !xb) {
        vg_error_set("problem 3: out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < train.n; i++)
        perm[i] = i;
    printf("problem 3: %zu training digits, %zu test digits, binarised x > "
           "%.1f; %zu epochs of batches of %zu, Adam lr %g, seed %llu\n",
           train.n, test.n, sc.binarise_above, o->epochs, B, sc.train.lr,
           (unsigned long long)o->seed);
    fflush(stdout);

    rng_t rng, eval_rng;
    rng_seed(&rng, o->seed);
    rng_seed(&eval_rng, o->seed ^ EVAL_STREAM);
    double t0 = seconds(), step_s = 0.0, test_elbo = NAN;
    size_t step = 0;
    for (size_t e = 1; e <= o->epochs; e++) {
        rng_shuffle(&rng, perm, train.n);
        double sum = 0.0;
        for (size_t at = 0; at < train.n; at += B, step++) {
            size_t b = train.n - at < B ? train.n - at : B;
            double ts = seconds(), v;
            s305_gather(xb, &train, perm + at, b, &bin);
            int rc = s305_step(&m, &opt, xb, b, &rng, step, &v);
            step_s += seconds() - ts;
            if (not_implemented_which()) {
                status = S305_NOT_IMPLEMENTED;
                goto cleanup;
            }
            if (rc != VG_OK)
                goto cleanup;
            sum += v * (double)b;
        }
        test_elbo = mean_elbo(&m, &test, xb, rows, &bin, &eval_rng);
        if (!isfinite(test_elbo)) {
            vg_error_set("problem 3: the test ELBO is not finite after epoch "
                         "%zu", e);
            goto cleanup;
        }
        printf("epoch %zu: mean training ELBO %.3f, test ELBO %.3f  (%.1f s)\n",
               e, sum / (double)train.n, test_elbo, seconds() - t0);
        fflush(stdout);
    }
    double all_s = seconds() - t0;
    if (s305_path_in(path, o->out, "p3_samples.png") != VG_OK ||
        figure_samples(path, &m, FIGURE_SEED) != VG_OK ||
        s305_path_in(path, o->out, "p3_latent_means.png") != VG_OK ||
        figure_latent_means(path, &m, &train, &bin) != VG_OK)
        goto cleanup;
    printf("problem 3: %zu epochs (%zu steps) in %.1f s, %.1f s of them "
           "training steps, the rest the test ELBOs\n", o->epochs, step, all_s,
           step_s);
    printf("problem 3: test ELBO (%zu digits, one sample each): %.3f\n",
           test.n, test_elbo);
    status = S305_DONE;
cleanup:
    free(perm);
    free(rows);
    free(xb);
    adam_free(&opt);
    model_free(&m);
    dataset_free(&train_all);
    dataset_free(&test_all);
    return status;
}
