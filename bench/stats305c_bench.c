/* stats305c_bench.c: the C side of `make bench ASSIGNMENT=stats305c-hw6`:
 * STATS 305C HW6 problem 3's VAE (config_model_stats305c_hw6, float32
 * networks) trained with the reference elbo() for --steps steps on the
 * course's 60,000 training digits, timed per step the way
 * bench/torch_stats305c.py times PyTorch's (the batch gathered and
 * binarised, the ELBO forward and backward, Adam; median after the
 * warm-up). The step is stats305c-train's own (tools/stats305c-hw6/step.c),
 * on full batches of 64 after a fresh permutation whenever one would not
 * fit, as the PyTorch side draws them. Prints one `BENCH impl=c ...` line
 * for bench/bench_vae.sh. Not a trainer to keep models with. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "adam.h"
#include "assignment.h"
#include "config.h"
#include "nn.h"
#include "step.h"
#include "vg_error.h"

/* As torch_stats305c.py's WARMUP_STEPS. */
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
    for (int i = 1; i < argc; i += 2) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int ok = v != NULL;
        if (ok && strcmp(a, "--data") == 0)
            data = v;
        else if (ok && strcmp(a, "--steps") == 0)
            ok = s305_parse_count(v, &steps) == VG_OK && steps > 0;
        else if (ok && strcmp(a, "--threads") == 0)
            ok = s305_parse_count(v, &threads) == VG_OK && threads >= 1 &&
                 threads <= 64;
        else if (ok && strcmp(a, "--seed") == 0)
            ok = s305_parse_count(v, &seed) == VG_OK;
        else
            ok = 0;
        if (!ok) {
            fprintf(stderr, "stats305c-bench: bad option %s %s\nusage: "
                    "stats305c-bench [--steps N] [--threads T] [--seed S] "
                    "[--data DIR]\n", a, v ? v : "");
            return 2;
        }
    }

    const stats305c_config_t sc = config_stats305c_hw6();
    const model_config_t mc = config_model_stats305c_hw6();
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
    s305_binariser_t bin;
    s305_binariser_init(&bin, sc.binarise_above);
    nn_set_threads((int)threads);
    if (dataset_load_bytes(&train, images, NULL) != VG_OK ||
        model_create(&m, &mc, NN_FLOAT32, B, seed) != VG_OK ||
        s305_adam_init(&opt, &m, &sc.train) != VG_OK)
        goto cleanup;
    const size_t N = train.n < sc.n_train ? train.n : sc.n_train, D = train.d;
    perm = malloc(N * sizeof *perm);   /* (N) */
    xb = malloc(B * D * sizeof *xb);   /* (B,D) */
    ms = malloc(steps * sizeof *ms);   /* (steps) */
    if (!perm || !xb || !ms) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < N; i++)
        perm[i] = i;
    rng_t rng;
    rng_seed(&rng, seed);
    size_t pos = N; /* a permutation is drawn before the first step */
    double value = NAN;
    for (size_t s = 0; s < steps; s++) {
        double t0 = now_s();
        if (pos + B > N) {
            rng_shuffle(&rng, perm, N);
            pos = 0;
        }
        s305_gather(xb, &train, perm + pos, B, &bin);
        if (s305_step(&m, &opt, xb, B, &rng, s, &value) != VG_OK)
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
        fprintf(stderr, "stats305c-bench: %s\n", vg_error_last());
    free(perm);
    free(xb);
    free(ms);
    adam_free(&opt);
    model_free(&m);
    dataset_free(&train);
    return status;
}
