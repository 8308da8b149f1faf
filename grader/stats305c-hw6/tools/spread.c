/* spread.c: stats305c-hw6-spread, the reference's spread for the checks
 * 2.5 (the classifier's training accuracy) and 3.8 (the VAE's short run),
 * written as fixtures/stats305c-hw6/thresholds.json by `make
 * fixtures-thresholds-stats305c-hw6`:
 *   stats305c-hw6-spread --seeds N --data DIR [--short-seeds M]
 *       [--cls-seeds C]
 * For seeds 1..C (default 1,000: a run takes ~5 ms): the annulus data and
 * network of the seed (cls_run.h) trained by the reference's
 * train_classifier at the course's lr and steps, its training accuracy,
 * and how much lower the same run on the points in reverse order ends;
 * and for seeds 1..M (default N) the course's VAE trained by the
 * reference's elbo as short_run.h says, scored the same way as the
 * check. Prints the values, means and standard deviations as
 * JSON on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "binarised.h"
#include "config.h"
#include "stats305c-hw6/cls_run.h"
#include "stats305c-hw6/short_run.h"
#include "vg_error.h"

#define MAX_SEEDS 1000

static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
    double m = 0, ss = 0;
    for (size_t s = 0; s < n; s++)
        m += v[s];
    m /= (double)n;
    for (size_t s = 0; s < n; s++)
        ss += (v[s] - m) * (v[s] - m);
    *mean = m;
    *sd = sqrt(ss / (double)(n - 1));
}

static void print_values(const double *v, size_t n)
{
    printf("[");
    for (size_t s = 0; s < n; s++)
        printf("%s%.10g", s ? ", " : "", v[s]);
    printf("]");
}

/* Trains the network of seed on x, y (N) with the reference; its
 * training accuracy. */
static double cls_train(uint64_t seed, const double *x, const double *y, size_t N,
                        double *losses)
{
    stats305c_config_t sc = config_stats305c_hw6();
    annulus_net_t net;
    if (annulus_net_create(&net, N, seed) != VG_OK)
        return NAN;
    double acc = NAN;
    if (train_classifier(&net, x, y, N, sc.cls_lr, sc.cls_iters, losses) == 0)
        acc = annulus_net_accuracy(&net, x, y, N);
    annulus_net_free(&net);
    return acc;
}

/* The "classifier" section: for seeds 1..n, the reference's training
 * accuracy on the seed's data, and the same training on the same points
 * in reverse order (the same mathematics, rounded otherwise: the mean's
 * sums run the other way), whose difference is how far rounding alone
 * moves a correct submission's accuracy from the reference's. */
static int cls_spread(size_t n)
{
    stats305c_config_t sc = config_stats305c_hw6();
    const size_t N = sc.annulus_n;
    static double v[MAX_SEEDS], drop[MAX_SEEDS];
    double *x = malloc(6 * N * sizeof *x), *losses = malloc(sc.cls_iters * sizeof *losses);
    if (!x || !losses) {
        free(x);
        free(losses);
        return vg_error_set("no memory");
    }
    double *y = x + 2 * N, *xr = y + N, *yr = xr + 2 * N;
    double worst = 0;
    size_t over[3] = { 0, 0, 0 };
    static const double deltas[3] = { 0.01, 0.02, 0.05 };
    for (size_t s = 0; s < n; s++) {
        s305_cls_data(s + 1, x, y, N);
        for (size_t i = 0; i < N; i++) {
            xr[2 * i] = x[2 * (N - 1 - i)];
            xr[2 * i + 1] = x[2 * (N - 1 - i) + 1];
            yr[i] = y[N - 1 - i];
        }
        v[s] = cls_train(s + 1, x, y, N, losses);
        drop[s] = v[s] - cls_train(s + 1, xr, yr, N, losses);
        if (!isfinite(drop[s])) {
            free(x);
            free(losses);
            return vg_error_set("training failed at seed %zu", s + 1);
        }
        worst = fmax(worst, drop[s]);
        for (size_t k = 0; k < 3; k++)
            over[k] += drop[s] > deltas[k];
    }
    free(x);
    free(losses);
    double mean, sd;
    mean_sd(v, n, &mean, &sd);
    fprintf(stderr, "classifier: accuracy %.4f +- %.4f over %zu seeds; reversed "
            "order lower by at most %.4f\n", mean, sd, n, worst);
    printf("  \"classifier\": {\n    \"made_by\": \"make fixtures-thresholds-"
           "stats305c-hw6 (grader/stats305c-hw6/tools/spread.c)\",\n");
    printf("    \"seeds\": %zu, \"n\": %zu, \"lr\": %g, \"iters\": %zu,\n", n, N,
           sc.cls_lr, sc.cls_iters);
    printf("    \"mean\": %.17g, \"sd\": %.17g,\n", mean, sd);
    printf("    \"reversed_worst_drop\": %.17g, \"reversed_drops_over\": "
           "{ \"0.01\": %zu, \"0.02\": %zu, \"0.05\": %zu },\n", worst, over[0],
           over[1], over[2]);
    printf("    \"values\": ");
    print_values(v, n);
    printf(",\n    \"reversed_drops\": ");
    print_values(drop, n);
    printf("\n  }");
    return VG_OK;
}

static int rows(dataset_t *ds, const char *data, const char *file, size_t n)
{
    char img[4200];
    snprintf(img, sizeof img, "%s/%s", data, file);
    return binarised_load(ds, img, NULL, 0, n, config_stats305c_hw6().binarise_above);
}

/* The "short_run" section: seeds 1..n, each the model's and the run's. */
static int short_spread(const char *data, size_t n)
{
    dataset_t train, test;
    if (rows(&train, data, "train-images-idx3-ubyte.gz", S305_SHORT_TRAIN) != VG_OK)
        return VG_ERR;
    if (rows(&test, data, "t10k-images-idx3-ubyte.gz", S305_SHORT_TEST) != VG_OK) {
        dataset_free(&train);
        return VG_ERR;
    }
    static double v[MAX_SEEDS];
    model_config_t cfg = config_model_stats305c_hw6();
    size_t batch = config_stats305c_hw6().train.batch;
    int rc = VG_OK;
    for (size_t s = 0; s < n && rc == VG_OK; s++) {
        model_t m;
        vae_short_t run;
        if (model_create(&m, &cfg, NN_FLOAT32, batch, s + 1) != VG_OK)
            return VG_ERR;
        rc = vae_short_init(&run, &m, config_stats305c_hw6().train, train.n);
        if (rc == VG_OK)
            rc = vae_short_train(&m, elbo, &run, train.x, train.n,
                                 S305_SHORT_ITERS, s + 1);
        if (rc == VG_OK)
            v[s] = vae_test_elbo(&m, elbo, test.x, test.n, S305_SHORT_EVAL_SEED);
        vae_short_free(&run);
        model_free(&m);
        fprintf(stderr, "short run %zu/%zu: %.4f\n", s + 1, n, v[s]);
    }
    dataset_free(&train);
    dataset_free(&test);
    if (rc != VG_OK)
        return rc;
    double mean, sd;
    mean_sd(v, n, &mean, &sd);
    printf("  \"short_run\": {\n    \"made_by\": \"make fixtures-thresholds-"
           "stats305c-hw6 (grader/stats305c-hw6/tools/spread.c)\",\n");
    printf("    \"seeds\": %zu, \"iters\": %d, \"batch\": %zu, \"n_train\": %d, "
           "\"n_test\": %d, \"eval_seed\": %d,\n", n, S305_SHORT_ITERS, batch,
           S305_SHORT_TRAIN, S305_SHORT_TEST, S305_SHORT_EVAL_SEED);
    printf("    \"mean\": %.17g, \"sd\": %.17g, \"values\": ", mean, sd);
    print_values(v, n);
    printf("\n  }");
    return VG_OK;
}

int main(int argc, char **argv)
{
    size_t seeds = 20, short_seeds = (size_t)-1, cls_seeds = 1000;
    const char *data = "fixtures/mnist-full";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--short-seeds"))
            short_seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--cls-seeds"))
            cls_seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--data"))
            data = argv[i + 1];
        else {
            fprintf(stderr, "stats305c-hw6-spread: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (short_seeds == (size_t)-1)
        short_seeds = seeds;
    if (seeds < 2 || seeds > MAX_SEEDS || short_seeds == 1 || short_seeds > MAX_SEEDS) {
        fprintf(stderr, "stats305c-hw6-spread: --seeds 2..%d, --short-seeds 0 or "
                "2..%d\n", MAX_SEEDS, MAX_SEEDS);
        return 2;
    }
    printf("{\n");
    if (cls_seeds < 2 || cls_seeds > MAX_SEEDS) {
        fprintf(stderr, "stats305c-hw6-spread: --cls-seeds 2..%d\n", MAX_SEEDS);
        return 2;
    }
    if (cls_spread(cls_seeds) != VG_OK) {
        fprintf(stderr, "stats305c-hw6-spread: %s\n", vg_error_last());
        return 1;
    }
    if (short_seeds) {
        printf(",\n");
        if (short_spread(data, short_seeds) != VG_OK) {
            fprintf(stderr, "stats305c-hw6-spread: %s\n", vg_error_last());
            return 1;
        }
    }
    printf("\n}\n");
    return 0;
}
