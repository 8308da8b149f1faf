/* test_idx.c: the idx(.gz) loader and writer on the committed MNIST
 * fixtures, on Debian's Fashion-MNIST, and on purpose-built bad files, each
 * of which must be refused with a message naming the file and the fault. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idx.h"
#include "tmpfiles.h"
#include "vg_error.h"

#define MNIST "fixtures/mnist/"
#define FULL "fixtures/mnist-full/"
#define HIDDEN "fixtures/hidden/"
#define FASHION "/usr/share/datasets/fashion-mnist/"

static char dir[PATH_MAX];

static void setup(void)
{
    tmp_dir_create(dir);
}

static void teardown(void)
{
    tmp_dir_remove(dir);
}

static void count_classes(size_t counts[10], const idx_labels_t *lab)
{
    memset(counts, 0, 10 * sizeof counts[0]);
    for (size_t i = 0; i < lab->n; i++) {
        cr_assert(lab->labels[i] < 10, "label %u at %zu", lab->labels[i], i);
        counts[lab->labels[i]]++;
    }
}

/* ---- the committed fixtures ------------------------------------------- */

Test(idx, fixture_split_sizes)
{
    /* The split of fixtures/README.md: 100 test digits per class, the rest
     * of the package's 10,000 (per-class counts listed there) in train. */
    static const size_t train_counts[10] = {901, 1027, 891, 932, 880,
                                            763, 914,  970, 844, 878};
    idx_images_t img;
    idx_labels_t lab;
    size_t counts[10];

    cr_assert(idx_load_images(&img, MNIST "train-images-idx3-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(img.n == 9000 && img.rows == 28 && img.cols == 28,
              "train images %zu x %zu x %zu", img.n, img.rows, img.cols);
    idx_images_free(&img);
    cr_assert(idx_load_labels(&lab, MNIST "train-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(lab.n == 9000, "train labels %zu", lab.n);
    count_classes(counts, &lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == train_counts[c], "train class %d: %zu, not %zu",
                  c, counts[c], train_counts[c]);
    idx_labels_free(&lab);

    cr_assert(idx_load_images(&img, MNIST "t10k-images-idx3-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(img.n == 1000 && img.rows == 28 && img.cols == 28);
    idx_images_free(&img);
    cr_assert(idx_load_labels(&lab, MNIST "t10k-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(lab.n == 1000);
    count_classes(counts, &lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == 100, "test class %d: %zu", c, counts[c]);
    idx_labels_free(&lab);
}

/* A binarised subset must come from the t10k rows that the README's rule
 * names: the (skip+1)-th to (skip+10)-th digits of each class in t10k order.
 * Binarisation sets 255 only where u < byte/255, so never where the source
 * is 0, and always where it is 255; any other source digit breaks one of
 * the two on some of its 784 pixels. */
static void check_subset(const char *images, const char *labels,
                         const char *t10k_dir, size_t skip)
{
    idx_images_t sub, test;
    idx_labels_t sub_lab, test_lab;
    size_t counts[10];
    cr_assert(idx_load_images(&sub, images) == VG_OK, "%s", vg_error_last());
    cr_assert(idx_load_labels(&sub_lab, labels) == VG_OK, "%s", vg_error_last());
    cr_assert(sub.n == 100 && sub.rows == 28 && sub.cols == 28 &&
              sub_lab.n == 100, "%s: %zu images, %zu labels", images, sub.n,
              sub_lab.n);
    count_classes(counts, &sub_lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == 10, "%s: class %d has %zu", labels, c,
                  counts[c]);
    for (size_t i = 0; i < 100 * 784; i++)
        cr_assert(sub.pixels[i] == 0 || sub.pixels[i] == 255,
                  "%s: pixel %zu is %u, not binary", images, i, sub.pixels[i]);

    char ti[PATH_MAX], tl[PATH_MAX];
    snprintf(ti, sizeof ti, "%st10k-images-idx3-ubyte.gz", t10k_dir);
    snprintf(tl, sizeof tl, "%st10k-labels-idx1-ubyte.gz", t10k_dir);
    cr_assert(idx_load_images(&test, ti) == VG_OK, "%s", vg_error_last());
    cr_assert(idx_load_labels(&test_lab, tl) == VG_OK, "%s", vg_error_last());
    size_t seen[10] = {0}, k = 0;
    for (size_t i = 0; i < test.n; i++) {
        size_t rank = seen[test_lab.labels[i]]++;
        if (rank < skip || rank >= skip + 10)
            continue;
        cr_assert(sub_lab.labels[k] == test_lab.labels[i],
                  "%s row %zu: label %u, t10k row %zu has %u", labels, k,
                  sub_lab.labels[k], i, test_lab.labels[i]);
        const uint8_t *s = sub.pixels + k * 784, *t = test.pixels + i * 784;
        for (size_t p = 0; p < 784; p++)
            cr_assert((t[p] != 0 || s[p] == 0) && (t[p] != 255 || s[p] == 255),
                      "%s row %zu pixel %zu is %u but t10k row %zu has %u",
                      images, k, p, s[p], i, t[p]);
        k++;
    }
    cr_assert(k == 100);
    idx_images_free(&sub);
    idx_images_free(&test);
    idx_labels_free(&sub_lab);
    idx_labels_free(&test_lab);
}

Test(idx, public_subset_is_balanced_binary_and_from_its_rows)
{
    check_subset(MNIST "subset-images-idx3-ubyte.gz",
                 MNIST "subset-labels-idx1-ubyte.gz", MNIST, 0);
}

Test(idx, full_public_subset_is_balanced_binary_and_from_its_rows)
{
    check_subset(FULL "subset-images-idx3-ubyte.gz",
                 FULL "subset-labels-idx1-ubyte.gz", FULL, 0);
}

Test(idx, hidden_subset_is_balanced_binary_and_disjoint)
{
    /* Ranks 10..19 of each class of the full t10k, where the public subset
     * has 0..9. */
    check_subset(HIDDEN "subset-images-idx3-ubyte.gz",
                 HIDDEN "subset-labels-idx1-ubyte.gz", FULL, 10);
}

Test(idx, full_mnist_sizes_and_classes)
{
    /* fixtures/README.md, "The full MNIST": the original 60,000 + 10,000. */
    static const size_t train_counts[10] = {5923, 6742, 5958, 6131, 5842,
                                            5421, 5918, 6265, 5851, 5949};
    static const size_t test_counts[10] = {980, 1135, 1032, 1010, 982,
                                           892, 958, 1028, 974, 1009};
    idx_images_t img;
    idx_labels_t lab;
    size_t counts[10];
    cr_assert(idx_load_images(&img, FULL "train-images-idx3-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(img.n == 60000 && img.rows == 28 && img.cols == 28);
    idx_images_free(&img);
    cr_assert(idx_load_labels(&lab, FULL "train-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    count_classes(counts, &lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == train_counts[c], "train class %d: %zu", c,
                  counts[c]);
    idx_labels_free(&lab);
    cr_assert(idx_load_labels(&lab, FULL "t10k-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    count_classes(counts, &lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == test_counts[c], "t10k class %d: %zu", c,
                  counts[c]);
    idx_labels_free(&lab);
}

Test(idx, dataset_scales_bytes_to_unit_interval)
{
    dataset_t ds;
    idx_images_t img;
    idx_labels_t lab;
    cr_assert(dataset_load(&ds, MNIST "t10k-images-idx3-ubyte.gz",
                           MNIST "t10k-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(idx_load_images(&img, MNIST "t10k-images-idx3-ubyte.gz") == VG_OK);
    cr_assert(idx_load_labels(&lab, MNIST "t10k-labels-idx1-ubyte.gz") == VG_OK);
    cr_assert(ds.n == 1000 && ds.d == 784 && ds.y != NULL);
    double lo = 1, hi = 0;
    for (size_t i = 0; i < ds.n * ds.d; i++) {
        /* Exact: the same division by 255.0 in double. */
        cr_assert(ds.x[i] == img.pixels[i] / 255.0, "x[%zu] = %g for byte %u",
                  i, ds.x[i], img.pixels[i]);
        lo = ds.x[i] < lo ? ds.x[i] : lo;
        hi = ds.x[i] > hi ? ds.x[i] : hi;
    }
    cr_assert(lo == 0.0 && hi == 1.0, "range [%g, %g]", lo, hi);
    cr_assert(ds.pixels && memcmp(ds.pixels, img.pixels, ds.n * ds.d) == 0,
              "the bytes are not kept beside x");
    cr_assert(memcmp(ds.y, lab.labels, ds.n) == 0);
    dataset_free(&ds);
    idx_images_free(&img);
    idx_labels_free(&lab);

    cr_assert(dataset_load(&ds, MNIST "subset-images-idx3-ubyte.gz", NULL) ==
              VG_OK, "%s", vg_error_last());
    cr_assert(ds.n == 100 && ds.y == NULL && ds.pixels != NULL);
    for (size_t i = 0; i < ds.n * ds.d; i++)
        cr_assert(ds.x[i] == ds.pixels[i] / 255.0, "subset pixel %zu", i);
    dataset_free(&ds);
}

Test(idx, dataset_refuses_label_count_mismatch)
{
    dataset_t ds;
    cr_assert(dataset_load(&ds, MNIST "t10k-images-idx3-ubyte.gz",
                           MNIST "train-labels-idx1-ubyte.gz") == VG_ERR);
    const char *msg = vg_error_last();
    cr_assert(strstr(msg, "train-labels") && strstr(msg, "t10k-images") &&
              strstr(msg, "9000") && strstr(msg, "1000"), "message: %s", msg);
    cr_assert(ds.x == NULL && ds.n == 0);
}

Test(idx, loads_debian_fashion_mnist)
{
    idx_images_t img;
    idx_labels_t lab;
    size_t counts[10];
    int st = idx_load_images(&img, FASHION "t10k-images-idx3-ubyte.gz");
    cr_assert(st == VG_OK, "%s (install dataset-fashion-mnist; `make test` "
              "does)", vg_error_last());
    cr_assert(img.n == 10000 && img.rows == 28 && img.cols == 28,
              "%zu x %zu x %zu", img.n, img.rows, img.cols);
    cr_assert(idx_load_labels(&lab, FASHION "t10k-labels-idx1-ubyte.gz") == VG_OK,
              "%s", vg_error_last());
    cr_assert(lab.n == 10000);
    /* Fashion-MNIST's test set has exactly 1,000 items per class. */
    count_classes(counts, &lab);
    for (int c = 0; c < 10; c++)
        cr_assert(counts[c] == 1000, "class %d: %zu", c, counts[c]);
    idx_images_free(&img);
    idx_labels_free(&lab);
}

/* ---- writing ---------------------------------------------------------- */

/* Three 2 x 3 images whose bytes are 0..17 (labels 0, 1, 2). */
static uint8_t tiny_pixels[18] = {0,  1,  2,  3,  4,  5,  6,  7,  8,
                                  9, 10, 11, 12, 13, 14, 15, 16, 17};
static uint8_t tiny_labels[3] = {0, 1, 2};

/* The plain idx bytes of tiny: header, then data. */
static size_t tiny_images_idx(uint8_t *out)
{
    static const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, 3,
                                     0, 0, 0, 2, 0, 0, 0, 3};
    memcpy(out, head, 16);
    memcpy(out + 16, tiny_pixels, 18);
    return 34;
}

Test(idx, save_is_reproducible_and_round_trips, .init = setup, .fini = teardown)
{
    idx_images_t img = {.n = 3, .rows = 2, .cols = 3, .pixels = tiny_pixels};
    idx_labels_t lab = {.n = 3, .labels = tiny_labels};
    char a[PATH_MAX], b[PATH_MAX], l[PATH_MAX];
    tmp_path(a, dir, "a-images.gz");
    tmp_path(b, dir, "b-images.gz");
    tmp_path(l, dir, "labels.gz");
    cr_assert(idx_save_images_gz(a, &img) == VG_OK, "%s", vg_error_last());
    cr_assert(idx_save_images_gz(b, &img) == VG_OK, "%s", vg_error_last());
    cr_assert(idx_save_labels_gz(l, &lab) == VG_OK, "%s", vg_error_last());

    uint8_t *fa, *fb;
    size_t na, nb;
    tmp_read(&fa, &na, a);
    tmp_read(&fb, &nb, b);
    cr_assert(na == nb && memcmp(fa, fb, na) == 0, "two saves differ");
    /* gzip header: magic, deflate, no flags, mtime 0 (bytes 4..7). */
    cr_assert(na > 10 && fa[0] == 0x1f && fa[1] == 0x8b && fa[3] == 0 &&
              fa[4] == 0 && fa[5] == 0 && fa[6] == 0 && fa[7] == 0,
              "gzip header carries a name or a timestamp");
    free(fa);
    free(fb);

    idx_images_t back;
    idx_labels_t back_lab;
    cr_assert(idx_load_images(&back, a) == VG_OK, "%s", vg_error_last());
    cr_assert(back.n == 3 && back.rows == 2 && back.cols == 3);
    cr_assert(memcmp(back.pixels, tiny_pixels, 18) == 0);
    cr_assert(idx_load_labels(&back_lab, l) == VG_OK, "%s", vg_error_last());
    cr_assert(back_lab.n == 3 && memcmp(back_lab.labels, tiny_labels, 3) == 0);
    idx_images_free(&back);
    idx_labels_free(&back_lab);
}

Test(idx, reads_plain_and_concatenated_gzip, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    char plain[PATH_MAX], multi[PATH_MAX];
    tmp_path(plain, dir, "plain-idx3-ubyte");
    tmp_path(multi, dir, "multi.gz");
    tmp_write(plain, raw, n);

    /* Two gzip members, split inside the header, as `cat a.gz b.gz`. */
    uint8_t *g1, *g2;
    size_t n1, n2;
    tmp_gzip(&g1, &n1, raw, 10);
    tmp_gzip(&g2, &n2, raw + 10, n - 10);
    uint8_t *both = malloc(n1 + n2);
    memcpy(both, g1, n1);
    memcpy(both + n1, g2, n2);
    tmp_write(multi, both, n1 + n2);
    free(g1);
    free(g2);
    free(both);

    const char *paths[2] = {plain, multi};
    for (int i = 0; i < 2; i++) {
        idx_images_t img;
        cr_assert(idx_load_images(&img, paths[i]) == VG_OK, "%s",
                  vg_error_last());
        cr_assert(img.n == 3 && img.rows == 2 && img.cols == 3 &&
                  memcmp(img.pixels, tiny_pixels, 18) == 0, "%s", paths[i]);
        idx_images_free(&img);
    }
}

Test(idx, save_to_missing_folder_fails, .init = setup, .fini = teardown)
{
    idx_labels_t lab = {.n = 3, .labels = tiny_labels};
    char path[PATH_MAX];
    tmp_path(path, dir, "no-such-folder/labels.gz");
    cr_assert(idx_save_labels_gz(path, &lab) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "no-such-folder"), "message: %s",
              vg_error_last());
}

/* ---- malformed files -------------------------------------------------- */

/* Writes bytes to dir/name, loads it as images (or labels), and asserts the
 * load fails with a message holding the path and every given fragment. */
static void expect_refused(const char *name, const uint8_t *bytes, size_t n,
                           int as_labels, const char *frag1, const char *frag2)
{
    char path[PATH_MAX];
    tmp_path(path, dir, name);
    tmp_write(path, bytes, n);
    vg_error_clear();
    int st;
    if (as_labels) {
        idx_labels_t lab;
        st = idx_load_labels(&lab, path);
        cr_assert(lab.labels == NULL && lab.n == 0, "%s: output not cleared",
                  name);
    } else {
        idx_images_t img;
        st = idx_load_images(&img, path);
        cr_assert(img.pixels == NULL && img.n == 0, "%s: output not cleared",
                  name);
    }
    const char *msg = vg_error_last();
    cr_assert(st == VG_ERR, "%s was accepted", name);
    cr_assert(strstr(msg, path), "%s: message does not name the file: %s",
              name, msg);
    cr_assert(strstr(msg, frag1), "%s: message lacks \"%s\": %s", name, frag1,
              msg);
    cr_assert(!frag2 || strstr(msg, frag2), "%s: message lacks \"%s\": %s",
              name, frag2, msg);
}

Test(idx, refuses_wrong_magic, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    memcpy(raw, "PK\3\4", 4);
    expect_refused("zip-not-idx", raw, n, 0, "wrong magic", "50 4b 03 04");
}

Test(idx, refuses_wrong_element_type, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    raw[2] = 0x0D;
    expect_refused("float-idx", raw, n, 0, "wrong element type 0x0d",
                   "float32");
}

Test(idx, refuses_wrong_dimensions, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    /* An images file given to the labels loader, and a labels file to the
     * images loader. */
    expect_refused("images-as-labels", raw, n, 1,
                   "wrong number of dimensions: 3, expected 1", "images file");
    static const uint8_t labels[11] = {0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 2};
    expect_refused("labels-as-images", labels, sizeof labels, 0,
                   "wrong number of dimensions: 1, expected 3", "labels file");
}

Test(idx, refuses_absurd_and_zero_sizes, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    memset(raw + 4, 0xff, 4); /* 2^32 - 1 images of 2 x 3 */
    expect_refused("too-many-images", raw, n, 0, "absurd size", NULL);
    n = tiny_images_idx(raw);
    raw[9] = 0x10; /* rows = 0x00100002 */
    expect_refused("too-many-rows", raw, n, 0, "absurd size", "dimension 1");
    n = tiny_images_idx(raw);
    raw[15] = 0; /* cols = 0 */
    expect_refused("zero-cols", raw, n, 0, "dimension 2 is 0", NULL);
}

Test(idx, refuses_truncated, .init = setup, .fini = teardown)
{
    uint8_t raw[34];
    size_t n = tiny_images_idx(raw);
    expect_refused("short-data", raw, n - 1, 0, "truncated", "17");
    expect_refused("short-header", raw, 10, 0, "truncated", "header");
    expect_refused("short-magic", raw, 3, 0, "truncated", NULL);

    /* The same inside gzip: a complete stream with too little idx. */
    uint8_t *gz;
    size_t gz_n;
    tmp_gzip(&gz, &gz_n, raw, n - 5);
    expect_refused("short-data.gz", gz, gz_n, 0, "truncated", "13 of the 18");
    free(gz);
    /* ... and a gzip file cut short: the stream itself ends early. */
    tmp_gzip(&gz, &gz_n, raw, n);
    expect_refused("cut.gz", gz, gz_n - 4, 0, "truncated gzip stream", NULL);
    free(gz);
}

Test(idx, refuses_trailing_data, .init = setup, .fini = teardown)
{
    uint8_t raw[40];
    size_t n = tiny_images_idx(raw);
    raw[n] = 42;
    expect_refused("long-data", raw, n + 1, 0, "trailing data", "18 data");

    uint8_t *gz;
    size_t gz_n;
    tmp_gzip(&gz, &gz_n, raw, n + 1);
    expect_refused("long-data.gz", gz, gz_n, 0, "trailing data", NULL);
    free(gz);

    /* Garbage after a complete, correct gzip stream. */
    tmp_gzip(&gz, &gz_n, raw, n);
    uint8_t *junk = malloc(gz_n + 3);
    memcpy(junk, gz, gz_n);
    memcpy(junk + gz_n, "xyz", 3);
    expect_refused("junk-after.gz", junk, gz_n + 3, 0, "trailing garbage",
                   NULL);
    free(junk);
    free(gz);
}

Test(idx, refuses_corrupt_gzip, .init = setup, .fini = teardown)
{
    /* A larger file, so that the deflate stream has a body to damage. */
    size_t n = 16 + 64 * 28 * 28;
    uint8_t *raw = malloc(n);
    static const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, 64,
                                     0, 0, 0, 28, 0, 0, 0, 28};
    memcpy(raw, head, 16);
    for (size_t i = 16; i < n; i++)
        raw[i] = (uint8_t)((i * 2654435761u) >> 13);
    uint8_t *gz;
    size_t gz_n;
    tmp_gzip(&gz, &gz_n, raw, n);

    /* The CRC-32 in the trailer (the last 8 bytes are CRC, length). */
    gz[gz_n - 8] ^= 0xff;
    expect_refused("bad-crc.gz", gz, gz_n, 0, "corrupt gzip stream",
                   "incorrect data check");
    gz[gz_n - 8] ^= 0xff;
    /* The length in the trailer. */
    gz[gz_n - 1] ^= 0x01;
    expect_refused("bad-length.gz", gz, gz_n, 0, "corrupt gzip stream",
                   "incorrect length check");
    gz[gz_n - 1] ^= 0x01;
    /* A block header: 0xff right after the 10-byte gzip header makes the
     * first block's type 3, which deflate reserves. */
    gz[10] = 0xff;
    expect_refused("bad-block.gz", gz, gz_n, 0, "corrupt gzip stream",
                   "invalid block type");
    free(gz);
    free(raw);
}

Test(idx, refuses_empty_missing_and_directory, .init = setup, .fini = teardown)
{
    expect_refused("empty", NULL, 0, 0, "empty", NULL);
    uint8_t *gz;
    size_t gz_n;
    tmp_gzip(&gz, &gz_n, "", 0);
    expect_refused("empty.gz", gz, gz_n, 1, "empty", NULL);
    free(gz);

    char path[PATH_MAX];
    idx_images_t img;
    tmp_path(path, dir, "does-not-exist.gz");
    cr_assert(idx_load_images(&img, path) == VG_ERR);
    cr_assert(strstr(vg_error_last(), path) &&
              strstr(vg_error_last(), "No such file"), "message: %s",
              vg_error_last());
    cr_assert(idx_load_images(&img, dir) == VG_ERR);
    cr_assert(strstr(vg_error_last(), dir) &&
              strstr(vg_error_last(), "directory"), "message: %s",
              vg_error_last());
}

/* ---- every damage of a small file ------------------------------------- */

/* Every strict prefix of a valid idx.gz is refused, and every single-bit
 * flip is either refused or (in gzip header bytes zlib does not check, such
 * as mtime) loads the very same data: the gzip CRC-32 and length leave no
 * other way. Deterministic, so a pass is a pass for good. */
Test(idx, every_prefix_and_bit_flip_of_a_gz_file, .init = setup,
     .fini = teardown)
{
    idx_images_t img = {.n = 3, .rows = 2, .cols = 3, .pixels = tiny_pixels};
    char good[PATH_MAX], bad[PATH_MAX];
    tmp_path(good, dir, "good.gz");
    tmp_path(bad, dir, "bad.gz");
    cr_assert(idx_save_images_gz(good, &img) == VG_OK, "%s", vg_error_last());
    uint8_t *gz;
    size_t n;
    tmp_read(&gz, &n, good);

    idx_images_t back;
    for (size_t len = 0; len < n; len++) {
        tmp_write(bad, gz, len);
        cr_assert(idx_load_images(&back, bad) == VG_ERR,
                  "prefix of %zu of %zu bytes accepted", len, n);
        cr_assert(strstr(vg_error_last(), bad), "%s", vg_error_last());
    }
    for (size_t bit = 0; bit < 8 * n; bit++) {
        gz[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        tmp_write(bad, gz, n);
        gz[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        if (idx_load_images(&back, bad) == VG_ERR) {
            cr_assert(strstr(vg_error_last(), bad), "%s", vg_error_last());
            continue;
        }
        cr_assert(back.n == 3 && back.rows == 2 && back.cols == 3 &&
                  memcmp(back.pixels, tiny_pixels, 18) == 0,
                  "flip of bit %zu gave other data", bit);
        idx_images_free(&back);
    }
    free(gz);
}
