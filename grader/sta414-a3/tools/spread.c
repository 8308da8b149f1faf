/* spread.c: sta414-a3-spread, the reference's spread for the check 4.4
 * (part 4's optimisation), written as fixtures/sta414-a3/thresholds.json
 * by `make fixtures-thresholds-sta414-a3`:
 *   sta414-a3-spread --seeds N --data DIR [--digits N]
 * For each of the task's digits (test digits 20.., as tasks_svi.c loads
 * them), the reference's svi_top_elbo drives svi_eval.h's fit from seeds
 * 1..N and the fitted q's top-half ELBO is estimated as the task does
 * (eval stream 4140 + digit); prints their values, mean and standard
 * deviation as JSON on stdout. With --short-seeds M (0: none), also the
 * check 2.4's: the reference's elbo trains the course's model from seeds
 * 1..M as short_run.h says and scores it the same way. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "binarised.h"
#include "config.h"
#include "sta414-a3/short_run.h"
#include "sta414-a3/svi_eval.h"
#include "vg_error.h"

#define MAX_SEEDS 1000
#define MAX_DIGITS 8

/* Loads rows first..first+n-1 of the training split, binarised. */
static int rows(dataset_t *ds, const char *data, size_t first, size_t n)
{
    char img[4200];
    snprintf(img, sizeof img, "%s/train-images-idx3-ubyte.gz", data);
    return binarised_load(ds, img, NULL, first, n, config_sta414_a3().binarise_above);
}

/* The "short_run" section: seeds 1..n, each the model's and the run's. */
static int short_spread(const char *data, size_t n)
{
    sta414_config_t sc = config_sta414_a3();
    dataset_t train, test;
    if (rows(&train, data, sc.train_first, S414_SHORT_TRAIN) != VG_OK)
        return VG_ERR;
    if (rows(&test, data, sc.test_first, S414_SHORT_TEST) != VG_OK) {
        dataset_free(&train);
        return VG_ERR;
    }
    static double v[MAX_SEEDS];
    model_config_t cfg = config_model_sta414_a3();
    int rc = VG_OK;
    for (size_t s = 0; s < n && rc == VG_OK; s++) {
        model_t m;
        vae_short_t run;
        if (model_create(&m, &cfg, NN_FLOAT32, 100, s + 1) != VG_OK)
            return VG_ERR;
        rc = vae_short_init(&run, &m, config_sta414_a3().train, train.n);
        if (rc == VG_OK)
            rc = vae_short_train(&m, elbo, &run, train.x, train.n,
                                 S414_SHORT_ITERS, s + 1);
        if (rc == VG_OK)
            v[s] = vae_test_elbo(&m, elbo, test.x, test.n, S414_SHORT_EVAL_SEED);
        vae_short_free(&run);
        model_free(&m);
        fprintf(stderr, "short run %zu/%zu: %.4f\n", s + 1, n, v[s]);
    }
    dataset_free(&train);
    dataset_free(&test);
    if (rc != VG_OK)
        return rc;
    double mean = 0, ss = 0;
    for (size_t s = 0; s < n; s++)
        mean += v[s];
    mean /= (double)n;
    for (size_t s = 0; s < n; s++)
        ss += (v[s] - mean) * (v[s] - mean);
    printf("  \"short_run\": {\n    \"made_by\": \"make fixtures-thresholds-sta414-a3 "
           "(grader/sta414-a3/tools/spread.c)\",\n");
    printf("    \"seeds\": %zu, \"iters\": %d, \"n_train\": %d, \"n_test\": %d, "
           "\"eval_seed\": %d,\n", n, S414_SHORT_ITERS, S414_SHORT_TRAIN,
           S414_SHORT_TEST, S414_SHORT_EVAL_SEED);
    printf("    \"mean\": %.17g, \"sd\": %.17g, \"values\": [", mean,
           sqrt(ss / (double)(n - 1)));
    for (size_t s = 0; s < n; s++)
        printf("%s%.10g", s ? ", " : "", v[s]);
    printf("]\n  }\n");
    return VG_OK;
}

int main(int argc, char **argv)
{
    size_t seeds = 20, digits = 2, short_seeds = 0;
    const char *data = "fixtures/mnist-full";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--short-seeds"))
            short_seeds = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--digits"))
            digits = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--data"))
            data = argv[i + 1];
        else {
            fprintf(stderr, "sta414-a3-spread: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (seeds < 2 || seeds > MAX_SEEDS || digits < 1 || digits > MAX_DIGITS) {
        fprintf(stderr, "sta414-a3-spread: --seeds 2..%d, --digits 1..%d\n",
                MAX_SEEDS, MAX_DIGITS);
        return 2;
    }
    sta414_config_t sc = config_sta414_a3();
    char img[4200];
    snprintf(img, sizeof img, "%s/train-images-idx3-ubyte.gz", data);
    dataset_t ds;
    if (binarised_load(&ds, img, NULL, sc.test_first + 20, digits,
                       sc.binarise_above) != VG_OK) {
        fprintf(stderr, "sta414-a3-spread: %s\n", vg_error_last());
        return 1;
    }
    model_t m;
    model_config_t cfg = config_model_sta414_a3();
    if (model_create(&m, &cfg, NN_FLOAT32, 64, S414_SVI_MODEL_SEED) != VG_OK) {
        fprintf(stderr, "sta414-a3-spread: %s\n", vg_error_last());
        return 1;
    }
    size_t first = m.enc.net.n_params, end = first + m.dec.net.n_params;
    for (size_t i = first; i < end; i++)
        model_param_set(&m, i, S414_SVI_DEC_SCALE * model_param_get(&m, i));
    s414_svi_opts_t o = s414_svi_opts_default();
    static double v[MAX_DIGITS][MAX_SEEDS];
    for (size_t d = 0; d < digits; d++)
        for (size_t s = 0; s < seeds; s++) {
            double mu[8], logsig[8];
            if (s414_svi_run(&m, svi_top_elbo, ds.x + d * ds.d, &o, s + 1,
                             4140 + d, mu, logsig, &v[d][s]) != VG_OK) {
                fprintf(stderr, "sta414-a3-spread: digit %zu seed %zu: %s\n",
                        d, s + 1, vg_error_last());
                return 1;
            }
        }
    printf("{\n  \"svi_optimise\": {\n");
    printf("    \"made_by\": \"make fixtures-thresholds-sta414-a3 "
           "(grader/sta414-a3/tools/spread.c)\",\n");
    printf("    \"seeds\": %zu, \"k\": %zu, \"iters\": %zu, \"lr\": %.17g, "
           "\"samples\": %zu,\n", seeds, o.k, o.iters, o.lr, o.samples);
    printf("    \"digits\": [\n");
    for (size_t d = 0; d < digits; d++) {
        double mean = 0, ss = 0;
        for (size_t s = 0; s < seeds; s++)
            mean += v[d][s];
        mean /= (double)seeds;
        for (size_t s = 0; s < seeds; s++)
            ss += (v[d][s] - mean) * (v[d][s] - mean);
        printf("      { \"mean\": %.17g, \"sd\": %.17g, \"values\": [", mean,
               sqrt(ss / (double)(seeds - 1)));
        for (size_t s = 0; s < seeds; s++)
            printf("%s%.10g", s ? ", " : "", v[d][s]);
        printf("] }%s\n", d + 1 < digits ? "," : "");
    }
    printf("    ]\n  }%s\n", short_seeds ? "," : "");
    model_free(&m);
    dataset_free(&ds);
    if (short_seeds && short_spread(data, short_seeds) != VG_OK) {
        fprintf(stderr, "sta414-a3-spread: %s\n", vg_error_last());
        return 1;
    }
    printf("}\n");
    return 0;
}
