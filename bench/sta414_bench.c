/* sta414_bench.c: the C side of `make bench ASSIGNMENT=sta414-a3`: STA414
 * A3's VAE (config_model_sta414_a3, float32 networks) trained with the
 * reference elbo() for --steps steps on the assignment's data, timed per
 * step the way bench/torch_sta414.py times PyTorch's (batch copy, ELBO
 * forward and backward, Adam; median after the warm-up). The step is
 * sta414-train's own (tools/sta414-a3/step.c, sta414_step), after a fresh
 * permutation each epoch as train_epoch draws it. Prints one `BENCH impl=c ...` line
 * for bench/bench_vae.sh. Not a trainer to keep models with. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adam.h"
#include "assignment.h"
#include "binarised.h"
#include "config.h"
#include "nn.h"
#include "step.h"
#include "vg_error.h"

/* As the CS236 bench (TRAIN_WARMUP_STEPS) and torch_sta414.py. */
#define WARMUP_STEPS 20
#define PATH_LEN 4096

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *data = "fixtures/mnist-full";
    unsigned long long steps = 300, threads = 1, seed = 0;
    for (int i = 1; i + 1 < argc + 1; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = v != NULL;
        if (ok && strcmp(a, "--data") == 0)
            data = v;
        else if (ok && strcmp(a, "--steps") == 0)
            ok = sta414_parse_count(v, &steps) == VG_OK && steps > 0;
        else if (ok && strcmp(a, "--threads") == 0)
            ok = sta414_parse_count(v, &threads) == VG_OK && threads >= 1 && threads <= 64;
        else if (ok && strcmp(a, "--seed") == 0)
            ok = sta414_parse_count(v, &seed) == VG_OK;
        else
            ok = 0;
        if (!ok) {
            fprintf(stderr, "sta414-bench: bad option %s %s\nusage: sta414-bench "
                    "[--steps N] [--threads T] [--seed S] [--data DIR]\n", a,
                    v ? v : "");
            return 2;
        }
    }

    const sta414_config_t sc = config_sta414_a3();
    const model_config_t mc = config_model_sta414_a3();
    const size_t B = sc.train.batch;
    char images[PATH_LEN];
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte.gz", data);
    if (access(images, R_OK) != 0)
        snprintf(images, sizeof images, "%s/train-images-idx3-ubyte", data);

    int status = 1;
    dataset_t train;
    model_t m;
    adam_t opt;
    memset(&train, 0, sizeof train);
    memset(&m, 0, sizeof m);
    memset(&opt, 0, sizeof opt);
    size_t *perm = NULL;
    double *xb = NULL, *ms = NULL;
    nn_set_threads((int)threads);
    if (binarised_load(&train, images, NULL, sc.train_first, sc.n_train,
                       sc.binarise_above) != VG_OK ||
        model_create(&m, &mc, NN_FLOAT32, B, seed) != VG_OK ||
        adam_init(&opt, m.n_params, m.dtype, sc.train.lr, sc.train.beta1,
                  sc.train.beta2, sc.train.adam_eps) != VG_OK)
        goto cleanup;
    const size_t N = train.n, D = train.d;
    perm = malloc(N * sizeof *perm);
    xb = malloc(B * D * sizeof *xb);       /* (B,D) */
    ms = malloc(steps * sizeof *ms);       /* (steps) */
    if (!perm || !xb || !ms) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < N; i++)
        perm[i] = i;
    rng_t rng;
    rng_seed(&rng, seed ^ 0x5a414ULL);
    size_t pos = N; /* a permutation is drawn before the first step */
    double value = NAN;
    for (size_t s = 0; s < steps; s++) {
        double t0 = now_s();
        if (pos + B > N) {
            rng_shuffle(&rng, perm, N);
            pos = 0;
        }
        if (sta414_step(&m, &opt, &train, perm + pos, xb, &rng, s, &value) !=
            VG_OK)
            goto cleanup;
        pos += B;
        ms[s] = 1e3 * (now_s() - t0);
    }
    size_t from = steps > WARMUP_STEPS ? WARMUP_STEPS : 0, n = steps - from;
    qsort(ms + from, n, sizeof *ms, cmp_double);
    double median = n % 2 ? ms[from + n / 2]
                          : 0.5 * (ms[from + n / 2 - 1] + ms[from + n / 2]);
    printf("BENCH impl=c threads=%llu steps=%llu ms_per_iter=%.4f min_ms=%.4f "
           "final_loss=%.4f\n", threads, steps, median, ms[from], -value);
    status = 0;
cleanup:
    if (status)
        fprintf(stderr, "sta414-bench: %s\n", vg_error_last());
    free(perm);
    free(xb);
    free(ms);
    adam_free(&opt);
    model_free(&m);
    dataset_free(&train);
    return status;
}
