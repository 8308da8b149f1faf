/* vae_bench.c: the C side of `make bench`: the reference VAE trained in the
 * float32 path for --iters steps (median ms per step after the warm-up),
 * then NIWAE-1000 on the 100-digit test subset, timed. Prints one
 * `BENCH impl=c ...` line for bench/bench.sh, the same fields as
 * bench/torch_vae.py. Not a trainer to keep models with (vae-train is). */
#include <stdio.h>
#include <time.h>

#include "assignment.h"
#include "config.h"
#include "nn.h"
#include "train.h"
#include "train_cli.h"
#include "vg_error.h"

#define BENCH_IW 1000

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    train_options_t o;
    if (train_options_parse(&o, argc, argv) != VG_OK || o.help ||
        o.kind != MODEL_VAE) {
        fprintf(stderr, "vae-bench: %s\nusage: vae-bench vae --iters N "
                "--threads T [--seed S] [--data DIR]\n",
                o.help ? "" : vg_error_last()[0] ? vg_error_last()
                                                 : "the bench trains vae");
        return 2;
    }
    int status = 1;
    train_data_t data = {0};
    model_t model = {0};
    trainer_t tr = {0};
    train_bounds_t bounds = {.elbo = vae_negative_elbo_bound,
                             .iwae = vae_negative_iwae_bound};
    model_config_t mcfg = config_model_default(MODEL_VAE);
    train_config_t tcfg = config_train_default();
    if (o.batch)
        tcfg.batch = o.batch;

    nn_set_threads(o.threads);
    if (train_data_load(&data, o.data_dir) != VG_OK ||
        model_create(&model, &mcfg, NN_FLOAT32, tcfg.batch, o.seed) != VG_OK ||
        trainer_create(&tr, &model, &bounds, &data.train, &tcfg, o.seed,
                       o.iters) != VG_OK)
        goto cleanup;
    if (data.note[0])
        fprintf(stderr, "vae-bench: %s\n", data.note);
    for (size_t i = 0; i < o.iters; i++)
        if (trainer_step(&tr) != VG_OK)
            goto cleanup;
    double ms = trainer_ms_per_iter(&tr), ms_min = trainer_ms_quantile(&tr, 0);
    double niwae;
    double t0 = now_s();
    if (eval_iwae(&niwae, &model, &bounds, data.subset.x, data.subset.n,
                  BENCH_IW, 1, EVAL_SEED) != VG_OK)
        goto cleanup;
    double secs = now_s() - t0;
    printf("BENCH impl=c threads=%d steps=%zu ms_per_iter=%.4f min_ms=%.4f "
           "final_loss=%.4f niwae%d=%.4f niwae%d_s=%.4f\n", o.threads, o.iters,
           ms, ms_min, tr.loss, BENCH_IW, niwae, BENCH_IW, secs);
    status = 0;
cleanup:
    if (status)
        fprintf(stderr, "vae-bench: %s\n", vg_error_last());
    trainer_free(&tr);
    model_free(&model);
    train_data_free(&data);
    return status;
}
