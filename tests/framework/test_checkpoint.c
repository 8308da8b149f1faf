/* test_checkpoint.c: checkpoint round trips (same dtype exactly, float32
 * files into float64 models and back) and every kind of refusal. Models are
 * built by hand (cfg, dtype, n_params, params): the checkpoint touches
 * nothing else of a model_t. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "rng.h"
#include "tmpfiles.h"
#include "vg_error.h"

/* File layout offsets, from the format comment in checkpoint.c. */
#define OFF_VERSION 8
#define OFF_CRC 44
#define HEADER_BYTES 80

#define N_PARAMS 1000

static char dir[PATH_MAX];

static void setup(void)
{
    tmp_dir_create(dir);
}

static void teardown(void)
{
    tmp_dir_remove(dir);
}

static model_config_t small_cfg(void)
{
    model_config_t c = {.kind = MODEL_GMVAE, .x_dim = 784, .y_dim = 0,
                        .z_dim = 10, .hidden = 300, .n_hidden = 2, .k = 500,
                        .act = NN_ELU};
    return c;
}

/* A hand-built model over params (n of dtype), filled from seed when
 * seed is not 0, else zeroed. */
static model_t hand_model(void *params, nn_dtype_t dtype, size_t n,
                          uint64_t seed)
{
    model_t m;
    memset(&m, 0, sizeof m);
    m.cfg = small_cfg();
    m.dtype = dtype;
    m.n_params = n;
    m.params = params;
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n; i++) {
        double v = seed ? rng_normal(&rng) : 0.0;
        if (dtype == NN_FLOAT64)
            ((double *)params)[i] = v;
        else
            ((float *)params)[i] = (float)v;
    }
    return m;
}

static void save_ok(const model_t *m, const char *path)
{
    cr_assert(checkpoint_save(m, path, 42, 1234) == VG_OK, "%s",
              vg_error_last());
}

/* Loads path into m, expecting a refusal whose message names the file and
 * holds both fragments (frag2 may be NULL). */
static void expect_refused(model_t *m, const char *path, const char *frag1,
                           const char *frag2)
{
    vg_error_clear();
    cr_assert(checkpoint_load(m, path, NULL) == VG_ERR, "%s was accepted",
              path);
    const char *msg = vg_error_last();
    cr_assert(strstr(msg, path), "message does not name the file: %s", msg);
    cr_assert(strstr(msg, frag1), "message lacks \"%s\": %s", frag1, msg);
    cr_assert(!frag2 || strstr(msg, frag2), "message lacks \"%s\": %s", frag2,
              msg);
}

/* Writes bytes (n) to out = dir/name. */
static void write_edited(char *out, const char *name, const uint8_t *bytes,
                         size_t n)
{
    tmp_path(out, dir, name);
    tmp_write(out, bytes, n);
}

Test(checkpoint, round_trip_is_exact_in_each_dtype, .init = setup,
     .fini = teardown)
{
    static double p64[N_PARAMS], q64[N_PARAMS];
    static float p32[N_PARAMS], q32[N_PARAMS];
    char path[PATH_MAX];
    checkpoint_header_t h;

    model_t a = hand_model(p64, NN_FLOAT64, N_PARAMS, 7);
    model_t b = hand_model(q64, NN_FLOAT64, N_PARAMS, 0);
    tmp_path(path, dir, "f64.ckpt");
    save_ok(&a, path);
    cr_assert(checkpoint_load(&b, path, &h) == VG_OK, "%s", vg_error_last());
    cr_assert(memcmp(p64, q64, sizeof p64) == 0, "float64 round trip differs");
    cr_assert(h.version == CHECKPOINT_VERSION && h.dtype == 8 &&
              h.n_params == N_PARAMS && h.seed == 42 && h.iters == 1234 &&
              h.kind == MODEL_GMVAE && h.z_dim == 10 && h.k == 500 &&
              h.act == NN_ELU);

    a = hand_model(p32, NN_FLOAT32, N_PARAMS, 8);
    b = hand_model(q32, NN_FLOAT32, N_PARAMS, 0);
    tmp_path(path, dir, "f32.ckpt");
    save_ok(&a, path);
    cr_assert(checkpoint_load(&b, path, &h) == VG_OK, "%s", vg_error_last());
    cr_assert(memcmp(p32, q32, sizeof p32) == 0, "float32 round trip differs");
    cr_assert(h.dtype == 4);
}

Test(checkpoint, converts_dtype_on_load, .init = setup, .fini = teardown)
{
    static double p64[N_PARAMS], q64[N_PARAMS];
    static float p32[N_PARAMS], q32[N_PARAMS];
    char path[PATH_MAX];

    /* float32 on disk into a float64 model: widening is exact. */
    model_t a = hand_model(p32, NN_FLOAT32, N_PARAMS, 9);
    model_t b = hand_model(q64, NN_FLOAT64, N_PARAMS, 0);
    tmp_path(path, dir, "f32.ckpt");
    save_ok(&a, path);
    cr_assert(checkpoint_load(&b, path, NULL) == VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < N_PARAMS; i++)
        cr_assert(q64[i] == (double)p32[i], "param %zu: %.17g vs %.9g", i,
                  q64[i], (double)p32[i]);

    /* float64 on disk into a float32 model: rounded to nearest, as a cast. */
    a = hand_model(p64, NN_FLOAT64, N_PARAMS, 10);
    b = hand_model(q32, NN_FLOAT32, N_PARAMS, 0);
    tmp_path(path, dir, "f64.ckpt");
    save_ok(&a, path);
    cr_assert(checkpoint_load(&b, path, NULL) == VG_OK, "%s", vg_error_last());
    for (size_t i = 0; i < N_PARAMS; i++)
        cr_assert(q32[i] == (float)p64[i], "param %zu", i);
}

Test(checkpoint, save_is_reproducible, .init = setup, .fini = teardown)
{
    static double p[N_PARAMS];
    char a_path[PATH_MAX], b_path[PATH_MAX];
    model_t m = hand_model(p, NN_FLOAT64, N_PARAMS, 11);
    tmp_path(a_path, dir, "a.ckpt");
    tmp_path(b_path, dir, "b.ckpt");
    save_ok(&m, a_path);
    save_ok(&m, b_path);
    uint8_t *a, *b;
    size_t na, nb;
    tmp_read(&a, &na, a_path);
    tmp_read(&b, &nb, b_path);
    cr_assert(na == nb && memcmp(a, b, na) == 0, "two saves differ");
    free(a);
    free(b);
}

/* One saved file for the corruption tests, and a zeroed model to load into
 * (whose parameters must stay zero when a load fails). */
static uint8_t *file;
static size_t file_n;
static double good[N_PARAMS], target[N_PARAMS];
static model_t target_model;

static void setup_corrupt(void)
{
    char path[PATH_MAX];
    setup();
    model_t m = hand_model(good, NN_FLOAT64, N_PARAMS, 12);
    tmp_path(path, dir, "good.ckpt");
    save_ok(&m, path);
    tmp_read(&file, &file_n, path);
    cr_assert(file_n > HEADER_BYTES + 100);
    target_model = hand_model(target, NN_FLOAT64, N_PARAMS, 0);
}

static void teardown_corrupt(void)
{
    free(file);
    teardown();
}

static void assert_untouched(void)
{
    static const double zero[N_PARAMS];
    cr_assert(memcmp(target, zero, sizeof zero) == 0,
              "a failed load changed the model's parameters");
}

Test(checkpoint, refuses_flipped_payload_byte, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    /* Anywhere in the stream: zlib's own Adler-32 or our CRC-32 catches it,
     * whichever the damage reaches first. */
    size_t at[3] = {HEADER_BYTES + 2, HEADER_BYTES + (file_n - HEADER_BYTES) / 2,
                    file_n - 1};
    for (int i = 0; i < 3; i++) {
        file[at[i]] ^= 0x20;
        write_edited(path, "flipped.ckpt", file, file_n);
        file[at[i]] ^= 0x20;
        vg_error_clear();
        cr_assert(checkpoint_load(&target_model, path, NULL) == VG_ERR,
                  "flip at %zu accepted", at[i]);
        const char *msg = vg_error_last();
        cr_assert(strstr(msg, path) && (strstr(msg, "CRC mismatch") ||
                                        strstr(msg, "corrupt compressed")),
                  "flip at %zu: %s", at[i], msg);
    }
    assert_untouched();
}

Test(checkpoint, refuses_crc_mismatch, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    file[OFF_CRC] ^= 1;
    write_edited(path, "crc.ckpt", file, file_n);
    expect_refused(&target_model, path, "CRC mismatch", NULL);
    assert_untouched();
}

Test(checkpoint, refuses_truncated_and_trailing, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    write_edited(path, "half.ckpt", file, file_n / 2);
    expect_refused(&target_model, path, "truncated", "make fixtures");
    write_edited(path, "header-only.ckpt", file, 40);
    expect_refused(&target_model, path, "truncated", "header");
    write_edited(path, "empty.ckpt", file, 0);
    expect_refused(&target_model, path, "empty", NULL);

    uint8_t *longer = malloc(file_n + 1);
    memcpy(longer, file, file_n);
    longer[file_n] = 0;
    write_edited(path, "long.ckpt", longer, file_n + 1);
    free(longer);
    expect_refused(&target_model, path, "trailing data", NULL);
    assert_untouched();
}

Test(checkpoint, refuses_wrong_magic_and_version, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    file[0] = 'X';
    write_edited(path, "magic.ckpt", file, file_n);
    expect_refused(&target_model, path, "wrong magic", NULL);
    file[0] = CHECKPOINT_MAGIC[0];

    file[OFF_VERSION] = CHECKPOINT_VERSION + 1;
    write_edited(path, "version.ckpt", file, file_n);
    expect_refused(&target_model, path, "version 2", "make fixtures");
    assert_untouched();
}

Test(checkpoint, refuses_other_architecture, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    tmp_path(path, dir, "good.ckpt");

    target_model.cfg.z_dim = 12;
    expect_refused(&target_model, path, "z_dim expected 12", "found 10");
    target_model.cfg = small_cfg();
    target_model.cfg.act = NN_RELU;
    expect_refused(&target_model, path, "act expected", NULL);
    target_model.cfg = small_cfg();
    target_model.cfg.kind = MODEL_VAE;
    expect_refused(&target_model, path, "kind expected vae", "found gmvae");
    target_model.cfg = small_cfg();
    assert_untouched();
}

Test(checkpoint, refuses_parameter_count_mismatch, .init = setup_corrupt,
     .fini = teardown_corrupt)
{
    char path[PATH_MAX];
    tmp_path(path, dir, "good.ckpt");
    target_model.n_params = N_PARAMS - 1;
    expect_refused(&target_model, path, "parameter count mismatch", "999");
    target_model.n_params = N_PARAMS;
    assert_untouched();
}

Test(checkpoint, refuses_missing_file_and_bad_path, .init = setup,
     .fini = teardown)
{
    static double p[N_PARAMS];
    char path[PATH_MAX];
    model_t m = hand_model(p, NN_FLOAT64, N_PARAMS, 13);
    tmp_path(path, dir, "missing.ckpt");
    expect_refused(&m, path, "cannot open", "No such file");
    tmp_path(path, dir, "no-such-folder/x.ckpt");
    cr_assert(checkpoint_save(&m, path, 1, 1) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "no-such-folder"), "%s",
              vg_error_last());
}

/* Every strict prefix of a small checkpoint is refused; every single-bit
 * flip is refused or leaves the parameters exact: the zlib stream's Adler-32
 * and our CRC-32 leave no way to load other values. */
Test(checkpoint, every_prefix_and_bit_flip, .init = setup, .fini = teardown)
{
    enum { N = 12 };
    double p[N], q[N];
    char ok_path[PATH_MAX], bad[PATH_MAX];
    model_t a = hand_model(p, NN_FLOAT64, N, 14);
    model_t b = hand_model(q, NN_FLOAT64, N, 0);
    tmp_path(ok_path, dir, "ok_path.ckpt");
    tmp_path(bad, dir, "bad.ckpt");
    save_ok(&a, ok_path);
    uint8_t *bytes;
    size_t n;
    tmp_read(&bytes, &n, ok_path);

    for (size_t len = 0; len < n; len++) {
        tmp_write(bad, bytes, len);
        cr_assert(checkpoint_load(&b, bad, NULL) == VG_ERR,
                  "prefix of %zu of %zu bytes accepted", len, n);
    }
    for (size_t bit = 0; bit < 8 * n; bit++) {
        bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        tmp_write(bad, bytes, n);
        bytes[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        memset(q, 0, sizeof q);
        if (checkpoint_load(&b, bad, NULL) == VG_ERR) {
            cr_assert(strstr(vg_error_last(), bad), "%s", vg_error_last());
            continue;
        }
        cr_assert(memcmp(p, q, sizeof p) == 0, "flip of bit %zu (byte %zu) "
                  "loaded other parameters", bit, bit / 8);
        /* In the header only seed (56..63) and iters (64..71) may change
         * unnoticed; in the stream, padding bits (a stored block's) may. */
        cr_assert(bit / 8 >= 56 && (bit / 8 < 72 || bit / 8 >= HEADER_BYTES),
                  "flip of header bit %zu (byte %zu) accepted", bit, bit / 8);
    }
    free(bytes);
}
