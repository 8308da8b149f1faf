/* test_train.c: training with the reference bounds on the MNIST fixtures:
 * no allocation inside a step (every model), a short run lowers the test
 * NELBO, and a seed fixes the result to the byte. The trainer's mechanics
 * with made-up bounds are tested in tests/framework/test_train.c. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/alloc_count.h"
#include "../common/blas_scope.h"
#include "assignment.h"
#include "checkpoint.h"
#include "config.h"
#include "train.h"
#include "train_bounds.h"
#include "vg_error.h"

#define DATA_DIR "fixtures/mnist"

/* A model and trainer of `kind` as vae-train makes them. */
typedef struct run {
    model_t m;
    trainer_t t;
    train_bounds_t b;
} run_t;

static void run_start(run_t *r, const train_data_t *data, model_kind_t kind,
                      uint64_t seed, size_t iters)
{
    model_config_t mcfg = config_model_default(kind);
    train_config_t tcfg = config_train_default();
    size_t labelled = kind == MODEL_SSVAE
                          ? tcfg.n_labelled_per_class * mcfg.y_dim : 0;
    memset(r, 0, sizeof *r);
    r->b = train_bounds_linked(kind);
    cr_assert_eq(model_create(&r->m, &mcfg, NN_FLOAT32,
                              tcfg.batch > labelled ? tcfg.batch : labelled,
                              seed), VG_OK, "%s", vg_error_last());
    cr_assert_eq(trainer_create(&r->t, &r->m, &r->b, &data->train, &tcfg,
                                seed, iters), VG_OK, "%s", vg_error_last());
}

static void run_steps(run_t *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(trainer_step(&r->t), VG_OK, "step %zu: %s", r->t.step,
                     vg_error_last());
}

static void run_end(run_t *r)
{
    trainer_free(&r->t);
    model_free(&r->m);
}

static void load(train_data_t *data)
{
    cr_assert_eq(train_data_load(data, DATA_DIR), VG_OK, "%s",
                 vg_error_last());
}

ParameterizedTestParameters(train_reference, a_step_allocates_nothing)
{
    static model_kind_t kinds[] = {MODEL_VAE, MODEL_GMVAE, MODEL_SSVAE,
                                   MODEL_FSVAE};
    return cr_make_param_array(model_kind_t, kinds, 4);
}

/* The DESIGN's promise: buffers are sized once per model and batch. After
 * two warm-up steps (OpenBLAS's first call sets up its buffers), five more
 * steps of the reference, bound and Adam and all, call malloc or free zero
 * times. */
ParameterizedTest(model_kind_t *kind, train_reference, a_step_allocates_nothing,
                  .timeout = 60)
{
    train_data_t data;
    run_t r;
    load(&data);
    run_start(&r, &data, *kind, 1, 7);
    cr_assert(alloc_count_install(),
              "ASan's allocator hooks are not available (make test builds "
              "with ASan)");
    run_steps(&r, 2);
    size_t gemms = blas_scope_calls();
    alloc_count_start();
    int ok = 1;
    for (int s = 0; s < 5 && ok; s++)
        ok = trainer_step(&r.t) == VG_OK;
    alloc_count_stop();
    size_t n = alloc_count_mallocs() + alloc_count_frees();
    cr_assert(ok, "%s", vg_error_last());
    cr_assert_gt(blas_scope_calls(), gemms, "no GEMM went through the "
                 "wrappers (tests/common/blas_scope.c)");
    cr_assert_eq(n, 0, "%s: %zu malloc/free calls in 5 training steps",
                 config_kind_name(*kind), n);
    run_end(&r);
    train_data_free(&data);
}

/* 40 steps of the reference VAE from seed 0 must lower the test-subset
 * NELBO (10 repeats, fixed eval seed). At initialisation the decoder's
 * logits are near 0, so NELBO is about 784 log 2 = 543; PyTorch's run of
 * this model is near 200 by step 40. A fall of 100 nats is far inside that,
 * and the run is deterministic, so there is no false-fail rate to speak of:
 * a failure means training does not train. */
Test(train_reference, a_short_run_lowers_the_test_nelbo, .timeout = 60)
{
    train_data_t data;
    run_t r;
    bound_terms_t before, after;
    load(&data);
    run_start(&r, &data, MODEL_VAE, 0, 40);
    cr_assert_eq(eval_elbo(&before, &r.m, &r.b, data.subset.x, NULL,
                           data.subset.n, 10, EVAL_SEED), VG_OK, "%s",
                 vg_error_last());
    run_steps(&r, 40);
    cr_assert_eq(eval_elbo(&after, &r.m, &r.b, data.subset.x, NULL,
                           data.subset.n, 10, EVAL_SEED), VG_OK, "%s",
                 vg_error_last());
    cr_assert_lt(after.nelbo, before.nelbo - 100.0,
                 "test NELBO %.2f before, %.2f after 40 steps", before.nelbo,
                 after.nelbo);
    cr_assert_float_eq(after.nelbo, after.kl + after.rec, 1e-9 * after.nelbo,
                       "NELBO is not KL + Rec");
    run_end(&r);
    train_data_free(&data);
}

static size_t file_bytes(const char *path, unsigned char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    size_t n = fread(buf, 1, cap, f);
    cr_assert(feof(f), "%s is larger than %zu bytes", path, cap);
    fclose(f);
    return n;
}

/* Trains `steps` steps from `seed` and saves the checkpoint to `path`. */
static void train_and_save(const train_data_t *data, model_kind_t kind,
                           uint64_t seed, size_t steps, const char *path)
{
    run_t r;
    run_start(&r, data, kind, seed, steps);
    run_steps(&r, steps);
    cr_assert_eq(checkpoint_save(&r.m, path, seed, steps), VG_OK, "%s",
                 vg_error_last());
    run_end(&r);
}

/* Same seed, same bytes: batches, binarisation, noise and initialisation
 * all come from the seed (at one BLAS thread, as `make test` runs). A
 * different seed must give different bytes, or the seed is ignored. */
Test(train_reference, same_seed_same_checkpoint_bytes, .timeout = 60)
{
    enum { CAP = 8 << 20 };
    train_data_t data;
    char dir[] = "/tmp/vg-train-XXXXXX", a[64], b[64], c[64];
    unsigned char *ba = malloc(CAP), *bb = malloc(CAP), *bc = malloc(CAP);
    cr_assert(ba && bb && bc && mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.ckpt", dir);
    snprintf(b, sizeof b, "%s/b.ckpt", dir);
    snprintf(c, sizeof c, "%s/c.ckpt", dir);
    load(&data);
    train_and_save(&data, MODEL_GMVAE, 3, 5, a);
    train_and_save(&data, MODEL_GMVAE, 3, 5, b);
    train_and_save(&data, MODEL_GMVAE, 4, 5, c);
    size_t na = file_bytes(a, ba, CAP), nb = file_bytes(b, bb, CAP),
           nc = file_bytes(c, bc, CAP);
    cr_assert(na == nb && memcmp(ba, bb, na) == 0,
              "two runs from seed 3 saved different checkpoints");
    cr_assert(na != nc || memcmp(ba, bc, na) != 0,
              "seeds 3 and 4 saved the same checkpoint");
    unlink(a);
    unlink(b);
    unlink(c);
    rmdir(dir);
    free(ba);
    free(bb);
    free(bc);
    train_data_free(&data);
}
