/* spread.c: cse599i-hw2-spread, the reference's spread for the check
 * 4.8 (the IAF VAE's short run), written as
 * fixtures/cse599i-hw2/thresholds.json by `make
 * fixtures-thresholds-cse599i-hw2`:
 *   cse599i-hw2-spread --seeds N --data DIR [--iters I]
 * For seeds 1..N, the reference's iaf_elbo trains the course's model and
 * flow (initialised from the seed, as the task does: the flow from seed ^
 * 0x1af) as short_run.h says, and the reference scores them as runner-ref
 * does (test ELBO on the first 1000 test digits, the importance-sampled
 * log p(x) on the first 100 with K = 100); prints their values, means and
 * standard deviations as JSON on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "idx.h"
#include "cse599i-hw2/short_run.h"
#include "vg_error.h"

#define MAX_SEEDS 1000

/* x (n, D): rows 0..n-1 of DIR/split-images-idx3-ubyte.gz, binarised at
 * 128 as the tasks do. */
static double *rows(const char *data, const char *split, size_t n)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s-images-idx3-ubyte.gz", data, split);
    idx_images_t img;
    if (idx_load_images(&img, path) != VG_OK)
        return NULL;
    size_t D = img.rows * img.cols;
    double *x = n <= img.n ? malloc(n * D * sizeof *x) : NULL;
    if (x)
        for (size_t i = 0; i < n * D; i++)
            x[i] = img.pixels[i] >= 128 ? 1.0 : 0.0;
    else
        vg_error_set("%s: %zu digits, %zu needed (or no memory)", path, img.n, n);
    idx_images_free(&img);
    return x;
}

static void stats(const double *v, size_t n, double *mean, double *sd)
{
    double s = 0, q = 0;
    for (size_t i = 0; i < n; i++)
        s += v[i];
    *mean = s / (double)n;
    for (size_t i = 0; i < n; i++)
        q += (v[i] - *mean) * (v[i] - *mean);
    *sd = n > 1 ? sqrt(q / (double)(n - 1)) : 0;
}

static void print_series(const char *name, const double *v, size_t n, int last)
{
    double mean, sd;
    stats(v, n, &mean, &sd);
    printf("    \"%s\": { \"mean\": %.17g, \"sd\": %.17g, \"values\": [", name, mean, sd);
    for (size_t i = 0; i < n; i++)
        printf("%s%.10g", i ? ", " : "", v[i]);
    printf("] }%s\n", last ? "" : ",");
}

int main(int argc, char **argv)
{
    size_t seeds = 20, iters = CSE_SHORT_ITERS;
    const char *data = "fixtures/mnist-full";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--iters"))
            iters = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--data"))
            data = argv[i + 1];
        else {
            fprintf(stderr, "usage: %s --seeds N --data DIR [--iters I]\n", argv[0]);
            return 2;
        }
    }
    if (seeds < 2 || seeds > MAX_SEEDS) {
        fprintf(stderr, "--seeds: 2..%d\n", MAX_SEEDS);
        return 2;
    }
    double *train = rows(data, "train", CSE_SHORT_TRAIN);
    double *test = train ? rows(data, "t10k", CSE_SHORT_TEST) : NULL;
    if (!test) {
        fprintf(stderr, "cse599i-hw2-spread: %s\n", vg_error_last());
        return 1;
    }
    static double ve[MAX_SEEDS], vi[MAX_SEEDS];
    model_config_t cfg = config_model_cse599i_hw2();
    iaf_config_t fc = config_cse599i_hw2().iaf;
    for (size_t s = 0; s < seeds; s++) {
        model_t m;
        iaf_t f;
        cse_short_t run;
        if (model_create(&m, &cfg, NN_FLOAT32, 100, s + 1) != VG_OK ||
            iaf_create(&f, &fc, NN_FLOAT32, 100, (s + 1) ^ 0x1afull) != VG_OK ||
            cse_short_init(&run, &m, &f, CSE_SHORT_TRAIN) != VG_OK ||
            cse_short_train(&m, &f, iaf_elbo, &run, train, CSE_SHORT_TRAIN, iters,
                            1000 + s) != VG_OK) {
            fprintf(stderr, "cse599i-hw2-spread: seed %zu: %s\n", s + 1, vg_error_last());
            return 1;
        }
        ve[s] = cse_test_elbo(&m, &f, iaf_elbo, test, CSE_SHORT_TEST, CSE_SHORT_EVAL_SEED);
        vi[s] = cse_test_is(&m, &f, iaf_sample, test, CSE_SHORT_IS_DIGITS,
                            CSE_SHORT_EVAL_SEED + 1);
        fprintf(stderr, "short run %zu/%zu: test ELBO %.4f, IS %.4f\n", s + 1, seeds,
                ve[s], vi[s]);
        cse_short_free(&run);
        iaf_free(&f);
        model_free(&m);
    }
    printf("{\n  \"short_run\": {\n    \"made_by\": \"make "
           "fixtures-thresholds-cse599i-hw2 (grader/cse599i-hw2/tools/spread.c)\",\n");
    printf("    \"seeds\": %zu, \"iters\": %zu, \"n_train\": %d, \"n_test\": %d, "
           "\"is_digits\": %d, \"is_k\": 100, \"eval_seed\": %d,\n", seeds, iters,
           CSE_SHORT_TRAIN, CSE_SHORT_TEST, CSE_SHORT_IS_DIGITS, CSE_SHORT_EVAL_SEED);
    print_series("test_elbo", ve, seeds, 0);
    print_series("test_is", vi, seeds, 1);
    printf("  }\n}\n");
    free(train);
    free(test);
    return 0;
}
