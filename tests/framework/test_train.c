/* test_train.c: the trainer's own mechanics with bounds written here (no
 * assignment code): batches without replacement within an epoch, dynamic
 * binarisation, no allocation inside a step, the not-implemented stop, the
 * running loss and the step timing. The reference's training is tested in
 * tests/reference/test_train.c.
 * Shapes: B batch, D data dimension (784), N synthetic digits. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "not_implemented.h"
#include "prob.h"
#include "../common/alloc_count.h"
#include "../common/blas_scope.h"
#include "train.h"
#include "vg_error.h"

#define D 784
#define B 100

/* ---- synthetic data and bounds -------------------------------------------- */

/* N digits, digit i lighting pixel i alone (so a row names its digit) when
 * `signature`, else every pixel at `level`; labels i % 10. */
static void synthetic(dataset_t *ds, size_t n, int signature, double level)
{
    memset(ds, 0, sizeof *ds); /* no pixels: binarised from x */
    ds->n = n;
    ds->d = D;
    ds->x = calloc(n * D, sizeof *ds->x);
    ds->y = calloc(n, 1);
    cr_assert(ds->x && ds->y);
    for (size_t i = 0; i < n; i++) {
        ds->y[i] = (uint8_t)(i % 10);
        for (size_t j = 0; j < D; j++)
            ds->x[i * D + j] = signature ? (j == i) : level;
    }
}

static void synthetic_free(dataset_t *ds)
{
    free(ds->x);
    free(ds->y);
    free(ds->pixels);
}

/* Random bytes, x = bytes / 255.0 as dataset_load scales them, and the
 * bytes kept in pixels when `keep`. */
static void synthetic_bytes(dataset_t *ds, size_t n, int keep, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    synthetic(ds, n, 0, 0.0);
    uint8_t *px = malloc(n * D);
    cr_assert(px);
    for (size_t i = 0; i < n * D; i++) {
        px[i] = (uint8_t)rng_below(&rng, 256);
        ds->x[i] = px[i] / 255.0;
    }
    if (keep)
        ds->pixels = px;
    else
        free(px);
}

/* What the hashing bound saw: per step, an FNV-1a hash of the batch's
 * bytes. */
static uint64_t batch_hash[16];
static size_t hashed_steps;

static double hashing_bound(model_t *m, const double *x, size_t batch,
                            rng_t *rng, bound_terms_t *terms, int backward)
{
    (void)m;
    (void)rng;
    (void)backward;
    const unsigned char *p = (const unsigned char *)x;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < batch * D * sizeof *x; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    if (hashed_steps < 16)
        batch_hash[hashed_steps] = h;
    hashed_steps++;
    terms->nelbo = 1.0;
    return 1.0;
}

/* What the recording bound saw: per step, the digit of each row. */
static size_t seen[16][B];
static size_t seen_steps, ones_seen, pixels_seen;

static double recording_bound(model_t *m, const double *x, size_t batch,
                              rng_t *rng, bound_terms_t *terms, int backward)
{
    (void)m;
    (void)rng;
    (void)backward;
    for (size_t r = 0; r < batch; r++) {
        size_t lit = D;
        for (size_t j = 0; j < D; j++) {
            ones_seen += x[r * D + j] == 1.0;
            if (x[r * D + j] == 1.0)
                lit = j;
        }
        if (seen_steps < 16)
            seen[seen_steps][r] = lit;
    }
    pixels_seen += batch * D;
    seen_steps++;
    terms->nelbo = 1.0;
    return 1.0;
}

/* A deterministic autoencoder loss through the framework's networks:
 * rec = -mean log p(x | decoder(encoder mean)); buffers from the scratch,
 * as assignment code takes them. */
static double autoencoder_bound(model_t *m, const double *x, size_t batch,
                                rng_t *rng, bound_terms_t *terms, int backward)
{
    (void)rng;
    size_t Z = m->cfg.z_dim;
    double *qm = scratch_alloc(m, batch * Z);        /* (B,Z) */
    double *qv = scratch_alloc(m, batch * Z);        /* (B,Z) */
    double *logits = scratch_alloc(m, batch * D);    /* (B,D) */
    double *lp = scratch_alloc(m, batch);            /* (B) */
    double *dlogits = scratch_alloc(m, batch * D);   /* (B,D) */
    double *dz = scratch_alloc(m, batch * Z);        /* (B,Z) */
    double *dqv = scratch_alloc(m, batch * Z);       /* (B,Z) stays 0 */
    double *dout = scratch_alloc(m, batch);          /* (B) */
    if (!qm || !qv || !logits || !lp || !dlogits || !dz || !dqv || !dout)
        return NAN;
    encoder_forward(m, qm, qv, x, NULL, batch);
    decoder_forward(m, logits, qm, NULL, batch);
    log_bernoulli_with_logits(lp, x, logits, batch, D);
    double rec = 0;
    for (size_t b = 0; b < batch; b++)
        rec -= lp[b] / (double)batch;
    if (backward) {
        for (size_t b = 0; b < batch; b++)
            dout[b] = -1.0 / (double)batch;
        log_bernoulli_with_logits_backward(dlogits, dout, x, logits, batch, D);
        decoder_backward(m, dz, dlogits);
        encoder_backward(m, dz, dqv);
    }
    terms->rec = terms->nelbo = rec;
    return rec;
}

static double stub_bound(model_t *m, const double *x, size_t batch, rng_t *rng,
                         bound_terms_t *terms, int backward)
{
    (void)m;
    (void)x;
    (void)batch;
    (void)rng;
    (void)terms;
    (void)backward;
    not_implemented("vae_negative_elbo_bound");
    return 0;
}

static double nan_bound(model_t *m, const double *x, size_t batch, rng_t *rng,
                        bound_terms_t *terms, int backward)
{
    (void)m;
    (void)x;
    (void)batch;
    (void)rng;
    (void)terms;
    (void)backward;
    return NAN;
}

/* autoencoder_bound after zeroing the gradients itself: with it every step
 * is zero, backward, update, whatever the trainer left in them. */
static double zeroing_bound(model_t *m, const double *x, size_t batch,
                            rng_t *rng, bound_terms_t *terms, int backward)
{
    model_zero_grad(m);
    return autoencoder_bound(m, x, batch, rng, terms, backward);
}

/* Writes into every gradient, then fails: a step stopped midway. */
static double poisoning_bound(model_t *m, const double *x, size_t batch,
                              rng_t *rng, bound_terms_t *terms, int backward)
{
    (void)x;
    (void)batch;
    (void)rng;
    (void)terms;
    (void)backward;
    float *g = m->grads;
    for (size_t i = 0; i < m->n_params; i++)
        g[i] += 1e3f;
    return NAN;
}

static size_t nonzero_grads(const model_t *m)
{
    const float *g = m->grads;
    size_t n = 0;
    for (size_t i = 0; i < m->n_params; i++)
        n += g[i] != 0.0f;
    return n;
}

static void make_vae(model_t *m, uint64_t seed)
{
    model_config_t cfg = config_model_default(MODEL_VAE);
    cr_assert_eq(model_create(m, &cfg, NN_FLOAT32, B, seed), VG_OK, "%s",
                 vg_error_last());
}

/* ---- tests ---------------------------------------------------------------- */

/* 300 digits, batch 100: each epoch is three steps that together show every
 * digit exactly once; the next epoch is a different order. */
Test(train, batches_cover_an_epoch_without_replacement)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = recording_bound};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 300, 1, 0);
    make_vae(&m, 1);
    seen_steps = 0;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 7, 6), VG_OK, "%s",
                 vg_error_last());
    for (int s = 0; s < 6; s++)
        cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    for (int epoch = 0; epoch < 2; epoch++) {
        int count[300] = {0};
        for (int s = 0; s < 3; s++)
            for (int r = 0; r < B; r++) {
                size_t i = seen[epoch * 3 + s][r];
                cr_assert_lt(i, 300, "a row lit no pixel: binarised a 1 to 0");
                count[i]++;
            }
        for (int i = 0; i < 300; i++)
            cr_assert_eq(count[i], 1, "epoch %d shows digit %d %d times",
                         epoch, i, count[i]);
    }
    cr_assert(memcmp(seen[0], seen[3], sizeof seen[0]) != 0,
              "two epochs in the same order: the order is not reshuffled");
    cr_assert_eq(trainer_step(&t), VG_ERR, "a 7th step on a 6-step trainer");
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

/* Every pixel at 0.3: each binarised pixel is 1 with probability 0.3. Over
 * 5 steps of 100 x 784 pixels (n = 392,000) the fraction has standard
 * deviation sqrt(0.3 * 0.7 / n) = 7.3e-4; the bound 5e-3 is 6.8 of them, a
 * false-fail rate below 1e-11 (two-sided normal tail); the seed is fixed,
 * so the test either always passes or always fails. */
Test(train, dynamic_binarisation_has_the_pixel_mean)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = recording_bound};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 200, 0, 0.3);
    make_vae(&m, 1);
    seen_steps = ones_seen = pixels_seen = 0;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 3, 5), VG_OK);
    for (int s = 0; s < 5; s++)
        cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    double frac = (double)ones_seen / (double)pixels_seen;
    cr_assert(fabs(frac - 0.3) < 5e-3, "fraction of ones %.5f, want 0.3",
              frac);
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

/* After a few warm-up steps (OpenBLAS sets up its buffers on first use),
 * a step must not call malloc or free: counted through ASan's hooks,
 * leaving out what OpenBLAS does inside a GEMM (blas_scope.h). With
 * blas_alloc set, every GEMM also allocates, as some CPUs' kernels do. */
static void step_allocates_nothing(int blas_alloc)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = autoencoder_bound};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 300, 0, 0.5);
    make_vae(&m, 2);
    cr_assert(alloc_count_install(),
              "ASan's allocator hooks are not available: run this suite "
              "from the sanitised build (make test)");
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 2, 20), VG_OK);
    for (int s = 0; s < 3; s++)
        cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    blas_scope_simulate_alloc(blas_alloc);
    size_t gemms = blas_scope_calls();
    alloc_count_start();
    int ok = 1;
    for (int s = 0; s < 10 && ok; s++)
        ok = trainer_step(&t) == VG_OK;
    alloc_count_stop();
    cr_assert(ok, "%s", vg_error_last());
    cr_assert_gt(blas_scope_calls(), gemms, "no GEMM went through the "
                 "wrappers: the suite is not linked with $(BLAS_WRAP)");
    if (blas_alloc)
        cr_assert_gt(alloc_count_in_blas(), 0, "simulated GEMM mallocs unseen");
    cr_assert_eq(alloc_count_mallocs(), 0, "%zu mallocs in 10 steps",
                 alloc_count_mallocs());
    cr_assert_eq(alloc_count_frees(), 0, "%zu frees in 10 steps",
                 alloc_count_frees());
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

Test(train, a_step_allocates_nothing) { step_allocates_nothing(0); }
Test(train, a_step_allocates_nothing_beside_an_allocating_blas)
{
    step_allocates_nothing(1);
}

Test(train, not_implemented_stops_training)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = stub_bound};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 200, 0, 0.5);
    make_vae(&m, 1);
    double before = model_param_get(&m, 0);
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, 5), VG_OK);
    cr_assert_eq(trainer_step(&t), VG_ERR);
    cr_assert(strstr(vg_error_last(), "vae_negative_elbo_bound is not "
                     "implemented"), "%s", vg_error_last());
    cr_assert_eq(model_param_get(&m, 0), before, "a stub step moved weights");
    cr_assert_eq(t.step, 0);
    trainer_free(&t);

    bounds.elbo = nan_bound;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, 5), VG_OK);
    cr_assert_eq(trainer_step(&t), VG_ERR);
    cr_assert(strstr(vg_error_last(), "loss is nan"), "%s", vg_error_last());
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

/* The deterministic autoencoder on one repeated pattern: 30 Adam steps
 * must lower its loss, the running loss follows it and every step is
 * timed. */
Test(train, loss_falls_and_steps_are_timed)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = autoencoder_bound};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 100, 0, 1.0); /* all ones: the decoder must learn it */
    make_vae(&m, 4);
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 4, 30), VG_OK);
    cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    double first = t.loss;
    cr_assert_float_eq(trainer_running_loss(&t), first, 1e-9 * first,
                       "after one step the running loss is that step's");
    for (int s = 1; s < 30; s++)
        cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    /* all-ones digits: the optimum is logits -> +inf, loss -> 0; at a random
     * start the loss is about D log 2 = 543. Halving it is a weak demand. */
    cr_assert_lt(t.loss, 0.5 * first, "loss %g after 30 steps, %g at first",
                 t.loss, first);
    cr_assert_gt(trainer_ms_per_iter(&t), 0.0);
    for (size_t s = 0; s < t.step; s++)
        cr_assert(t.step_ms[s] >= 0 && isfinite(t.step_ms[s]));
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

Test(train, create_refuses_what_cannot_train)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = recording_bound}, none = {0};
    train_config_t cfg = config_train_default();
    synthetic(&ds, 200, 0, 0.5);
    make_vae(&m, 1);
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, 0), VG_ERR);
    cr_assert_eq(trainer_create(&t, &m, &none, &ds, &cfg, 1, 5), VG_ERR);
    cr_assert(strstr(vg_error_last(), "no bound"), "%s", vg_error_last());
    cfg.batch = B + 1;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, 5), VG_ERR);
    cr_assert(strstr(vg_error_last(), "max_batch"), "%s", vg_error_last());
    cfg = config_train_default();
    ds.d = 10;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, 5), VG_ERR);
    cr_assert(strstr(vg_error_last(), "pixels"), "%s", vg_error_last());
    ds.d = D;
    model_free(&m);
    synthetic_free(&ds);
}

/* Adam zeroes the gradients as it consumes them and the next step adds
 * into them without zeroing: each step ends with zero gradients, and the
 * parameters stay bit for bit those of zeroing before every backward (the
 * sequence before adam_step_consume). A step that fails after its bound
 * wrote gradients (poison, then NaN) leaves them dirty, and so does an
 * evaluation between steps whose bound writes them without backward; the
 * step after either must zero them, or the two runs part. */
Test(train, steps_leave_zero_gradients_and_match_zeroing_each_step)
{
    dataset_t ds;
    model_t ma, mb;
    trainer_t ta, tb;
    train_bounds_t consumed = {.elbo = autoencoder_bound};
    train_bounds_t zeroed = {.elbo = zeroing_bound};
    train_config_t cfg = config_train_default();
    synthetic_bytes(&ds, 300, 1, 8);
    make_vae(&ma, 4);
    make_vae(&mb, 4);
    size_t bytes = ma.n_params * sizeof(float);
    cr_assert_eq(trainer_create(&ta, &ma, &consumed, &ds, &cfg, 5, 10), VG_OK);
    cr_assert_eq(trainer_create(&tb, &mb, &zeroed, &ds, &cfg, 5, 10), VG_OK);
    for (int s = 0; s < 8; s++) {
        if (s == 4) { /* a failing step on each: poison on a, nothing on b */
            ta.bounds.elbo = poisoning_bound;
            tb.bounds.elbo = nan_bound;
            cr_assert_eq(trainer_step(&ta), VG_ERR);
            cr_assert_eq(trainer_step(&tb), VG_ERR);
            cr_assert_eq(nonzero_grads(&ma), ma.n_params,
                         "the poison did not reach the gradients");
            ta.bounds = consumed;
            tb.bounds = zeroed;
        }
        if (s == 6) { /* an evaluation between steps whose bound writes
                         gradients though not asked to (backward 0) */
            rng_t r;
            rng_seed(&r, 1);
            scratch_reset(&ma);
            poisoning_bound(&ma, ta.x, ta.batch, &r, NULL, 0);
            cr_assert_eq(nonzero_grads(&ma), ma.n_params);
        }
        cr_assert_eq(trainer_step(&ta), VG_OK, "%s", vg_error_last());
        cr_assert_eq(trainer_step(&tb), VG_OK, "%s", vg_error_last());
        cr_assert_eq(nonzero_grads(&ma), 0, "step %d left %zu of %zu "
                     "gradients non-zero", s, nonzero_grads(&ma), ma.n_params);
        cr_assert(memcmp(ma.params, mb.params, bytes) == 0,
                  "step %d: the parameters part from zeroing every step", s);
    }
    trainer_free(&ta);
    trainer_free(&tb);
    model_free(&ma);
    model_free(&mb);
    synthetic_free(&ds);
}

/* The timing statistics leave out TRAIN_WARMUP_STEPS and interpolate
 * between order statistics: step times set by hand, in scrambled order. */
Test(train, step_time_quantiles)
{
    dataset_t ds;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = recording_bound};
    train_config_t cfg = config_train_default();
    const size_t n = TRAIN_WARMUP_STEPS + 10;
    synthetic(&ds, 200, 0, 0.5);
    make_vae(&m, 1);
    cr_assert_eq(trainer_create(&t, &m, &bounds, &ds, &cfg, 1, n), VG_OK);
    cr_assert_eq(trainer_ms_per_iter(&t), 0.0, "no step yet");
    for (size_t i = 0; i < TRAIN_WARMUP_STEPS; i++)
        t.step_ms[i] = 1000.0; /* warm-up steps must not count */
    for (size_t i = 0; i < 10; i++) /* 1..10 ms, scrambled: 7i mod 10 */
        t.step_ms[TRAIN_WARMUP_STEPS + i] = (double)(i * 7 % 10 + 1);
    t.step = n;
    cr_assert_float_eq(trainer_ms_per_iter(&t), 5.5, 1e-12);
    cr_assert_float_eq(trainer_ms_quantile(&t, 0.0), 1.0, 1e-12);
    cr_assert_float_eq(trainer_ms_quantile(&t, 1.0), 10.0, 1e-12);
    cr_assert_float_eq(trainer_ms_quantile(&t, 0.25), 3.25, 1e-12);
    t.step = 5; /* fewer than the warm-up: every step counts */
    cr_assert_float_eq(trainer_ms_per_iter(&t), 1000.0, 1e-12);
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&ds);
}

/* ---- binarisation ----------------------------------------------------------- */

/* n pixels: the 256 byte levels k / 255.0, then uniforms in [0, 1), with
 * 0, 1 and tiny values sprinkled in. */
static void pixel_values(double *x, size_t n, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++)
        x[i] = i < 256 ? (double)i / 255.0 : rng_uniform(&rng);
    for (size_t i = 300; i + 3 < n; i += 97) {
        x[i] = 0.0;
        x[i + 1] = 1.0;
        x[i + 2] = 1e-300;
        x[i + 3] = 0x1p-33; /* below binarise's 2^-32 resolution */
    }
}

/* binarise (the generator's state held in registers) against binarise_ref
 * (one rng_u64 call per draw): the same doubles bit for bit, and the
 * generator left in the same state so that the next call starts where it
 * should, over odd and even lengths, called several times in a row. */
Test(train, binarise_matches_the_plain_loop)
{
    enum { N = 1001 };
    static double x[N], want[N], got[N];
    pixel_values(x, N, 5);
    const size_t lens[] = { 0, 1, 2, 3, 783, 784, N };
    rng_t a, b;
    rng_seed(&a, 42);
    b = a;
    for (size_t c = 0; c < sizeof lens / sizeof *lens; c++) {
        size_t n = lens[c];
        for (int rep = 0; rep < 3; rep++) {
            memset(got, 0xff, sizeof got);
            binarise_ref(want, x, n, &a);
            binarise(got, x, n, &b);
            cr_assert(memcmp(want, got, n * sizeof *got) == 0,
                      "n %zu call %d: binarise differs from binarise_ref", n,
                      rep);
            cr_assert(memcmp(a.s, b.s, sizeof a.s) == 0,
                      "n %zu call %d: the generators' states differ", n, rep);
            for (size_t i = n; i < N; i++)
                cr_assert(isnan(got[i]), "n %zu: wrote out[%zu]", n, i);
        }
    }
    /* the plain loop itself: 0 and 1 only, x = 0 never and x = 1 always lit */
    binarise_ref(want, x, N, &a);
    for (size_t i = 0; i < N; i++) {
        cr_assert(want[i] == 0.0 || want[i] == 1.0, "out[%zu] = %g", i,
                  want[i]);
        if (x[i] == 0.0 || x[i] == 1.0)
            cr_assert_eq(want[i], x[i], "pixel %zu at %g gave %g", i, x[i],
                         want[i]);
    }
}

/* The table binarise_bytes compares with, recomputed at run time (k passes
 * through a volatile, so the compiler cannot fold it) from the expressions
 * of dataset_load (k / 255.0) and binarise (x * 2^32). */
Test(train, byte_levels_are_the_scaled_bytes)
{
    for (int k = 0; k < 256; k++) {
        volatile int kv = k;
        double x = (double)kv / 255.0;
        double want = x * 4294967296.0;
        cr_assert(binarise_byte_level[k] == want,
                  "level %d: %.17g, want %.17g", k, binarise_byte_level[k],
                  want);
    }
}

/* binarise_bytes on bytes and binarise on bytes / 255.0 give the same bits
 * and leave the generator in the same state: every level, odd and even
 * lengths, several calls in a row. */
Test(train, binarise_bytes_matches_binarise_of_the_doubles)
{
    enum { N = 2049 };
    static uint8_t px[N];
    static double x[N], want[N], got[N];
    rng_t rng;
    rng_seed(&rng, 9);
    for (size_t i = 0; i < N; i++) {
        px[i] = i < 256 ? (uint8_t)i : (uint8_t)rng_below(&rng, 256);
        x[i] = px[i] / 255.0;
    }
    const size_t lens[] = { 1, 2, 784, N };
    rng_t a, b;
    rng_seed(&a, 77);
    b = a;
    size_t ones = 0, total = 0;
    for (size_t c = 0; c < sizeof lens / sizeof *lens; c++)
        for (int rep = 0; rep < 3; rep++) {
            size_t n = lens[c];
            binarise(want, x, n, &a);
            binarise_bytes(got, px, n, &b);
            cr_assert(memcmp(want, got, n * sizeof *got) == 0,
                      "n %zu call %d: binarise_bytes differs from binarise",
                      n, rep);
            cr_assert(memcmp(a.s, b.s, sizeof a.s) == 0,
                      "n %zu call %d: the generators' states differ", n, rep);
            for (size_t i = 0; i < n; i++)
                ones += got[i] == 1.0;
            total += n;
        }
    /* not all 0 or all 1: the comparison is live (mean pixel about 1/2) */
    cr_assert(ones > total / 4 && ones < 3 * total / 4, "%zu ones of %zu",
              ones, total);
}

/* A data set that kept its bytes (as dataset_load's do) is binarised from
 * them, with the same batches bit for bit as the same digits without the
 * bytes. */
Test(train, batches_from_the_bytes_equal_batches_from_the_doubles)
{
    dataset_t with, without;
    model_t m;
    trainer_t t;
    train_bounds_t bounds = {.elbo = hashing_bound};
    train_config_t cfg = config_train_default();
    uint64_t h[2][6];
    synthetic_bytes(&with, 250, 1, 3);
    synthetic_bytes(&without, 250, 0, 3);
    cr_assert(with.pixels && !without.pixels);
    make_vae(&m, 1);
    for (int k = 0; k < 2; k++) {
        hashed_steps = 0;
        cr_assert_eq(trainer_create(&t, &m, &bounds, k ? &without : &with,
                                    &cfg, 11, 6), VG_OK, "%s",
                     vg_error_last());
        for (int s = 0; s < 6; s++) /* 6 steps: two reshuffles of 250 */
            cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
        memcpy(h[k], batch_hash, sizeof h[k]);
        trainer_free(&t);
    }
    for (int s = 0; s < 6; s++)
        cr_assert_eq(h[0][s], h[1][s], "step %d: the batch from the bytes "
                     "differs from the batch from the doubles", s);
    cr_assert_neq(h[0][0], h[0][1], "two steps gave the same batch");

    /* and the bytes are what the trainer reads: bytes at 255 beside doubles
     * at 0 light every pixel */
    memset(with.pixels, 255, 250 * D);
    memset(with.x, 0, 250 * D * sizeof *with.x);
    bounds.elbo = recording_bound;
    seen_steps = ones_seen = pixels_seen = 0;
    cr_assert_eq(trainer_create(&t, &m, &bounds, &with, &cfg, 11, 1), VG_OK);
    cr_assert_eq(trainer_step(&t), VG_OK, "%s", vg_error_last());
    cr_assert_eq(ones_seen, pixels_seen, "%zu of %zu pixels lit: the batch "
                 "was not binarised from the bytes", ones_seen, pixels_seen);
    trainer_free(&t);
    model_free(&m);
    synthetic_free(&with);
    synthetic_free(&without);
}
