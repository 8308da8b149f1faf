/* spread.c: sta414-a3-spread, the reference's spread for the check 4.4
 * (part 4's optimisation), written as fixtures/sta414-a3/thresholds.json
 * by `make fixtures-thresholds-sta414-a3`:
 *   sta414-a3-spread --seeds N --data DIR [--digits N]
 * For each of the task's digits (test digits 20.., as tasks_svi.c loads
 * them), the reference's svi_top_elbo drives svi_eval.h's fit from seeds
 * 1..N and the fitted q's top-half ELBO is estimated as the task does
 * (eval stream 4140 + digit); prints their values, mean and standard
 * deviation as JSON on stdout. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "binarised.h"
#include "config.h"
#include "sta414-a3/svi_eval.h"
#include "vg_error.h"

#define MAX_SEEDS 1000
#define MAX_DIGITS 8

int main(int argc, char **argv)
{
    size_t seeds = 20, digits = 2;
    const char *data = "fixtures/mnist-full";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--seeds"))
            seeds = strtoul(argv[i + 1], NULL, 10);
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
    printf("    ]\n  }\n}\n");
    model_free(&m);
    dataset_free(&ds);
    return 0;
}
