/* train_data.c: loads the three data sets of a run (training split, test
 * split, binarised test subset) from one folder of MNIST-format idx files
 * under the standard names, plain or gzip (fixtures/README.md), drawing the
 * subset from the test split when the folder has none. Not the idx parsing
 * (idx.c) nor the subset rule (mnist_subset.c). */
#include "train.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mnist_subset.h"
#include "vg_error.h"

#define PATH_CAP 4096

/* <dir>/<stem>-<kind>-ubyte.gz if it exists, else <dir>/<stem>-<kind>-ubyte
 * if it exists; *found says whether either does (path is then the .gz one,
 * for the message). */
static int resolve(char *path, const char *dir, const char *stem,
                   const char *kind, int *found)
{
    struct stat st;
    *found = 0;
    for (int gz = 1; gz >= 0; gz--) {
        int k = snprintf(path, PATH_CAP, "%s/%s-%s-ubyte%s", dir, stem, kind,
                         gz ? ".gz" : "");
        if (k < 0 || k >= PATH_CAP)
            return vg_error_set("train_data_load: data folder path too long: "
                                "%s", dir);
        if (stat(path, &st) == 0) {
            *found = 1;
            return VG_OK;
        }
    }
    snprintf(path, PATH_CAP, "%s/%s-%s-ubyte.gz", dir, stem, kind);
    return VG_OK;
}

static int missing(const char *dir, const char *stem, const char *kind)
{
    return vg_error_set("%s has no %s-%s-ubyte.gz nor %s-%s-ubyte (tried "
                        "%s/%s-%s-ubyte.gz and %s/%s-%s-ubyte): --data takes a "
                        "folder of MNIST-format idx files under the standard "
                        "names (train-, t10k-, optional subset-), plain or "
                        "gzip", dir, stem, kind, stem, kind, dir, stem, kind,
                        dir, stem, kind);
}

/* The pair <stem>-images-idx3 / <stem>-labels-idx1 into ds; with_x as
 * dataset_load (1) or dataset_load_bytes (0). */
static int load_pair(dataset_t *ds, const char *dir, const char *stem,
                     int with_x)
{
    char img[PATH_CAP], lab[PATH_CAP];
    int found_img, found_lab;
    if (resolve(img, dir, stem, "images-idx3", &found_img) != VG_OK ||
        resolve(lab, dir, stem, "labels-idx1", &found_lab) != VG_OK)
        return VG_ERR;
    if (!found_img)
        return missing(dir, stem, "images-idx3");
    if (!found_lab)
        return missing(dir, stem, "labels-idx1");
    return with_x ? dataset_load(ds, img, lab) : dataset_load_bytes(ds, img, lab);
}

/* The public subset of the test split by mnist_subset.h's rule. */
static int draw_subset(train_data_t *d, const char *dir)
{
    const dataset_t *t = &d->test;
    size_t side = 0;
    while (side * side < t->d)
        side++;
    char what[PATH_CAP + 32];
    snprintf(what, sizeof what, "the t10k split of %s", dir);
    idx_images_t img;
    idx_labels_t lab;
    if (mnist_subset_draw(&img, &lab, t->pixels, t->y, t->n, 1, t->d,
                          MNIST_SUBSET_PUBLIC_SKIP, MNIST_SUBSET_PUBLIC_SEED,
                          what) != VG_OK)
        return VG_ERR;
    int status = dataset_from_idx(&d->subset, &img, &lab, 1, what);
    idx_images_free(&img);
    idx_labels_free(&lab);
    if (status == VG_OK)
        snprintf(d->note, sizeof d->note,
                 "%s has no subset-images-idx3-ubyte[.gz]: the test subset is "
                 "drawn from its t10k split (the first %d digits of each class "
                 "in file order, binarised with seed %u; fixtures/README.md)",
                 dir, MNIST_SUBSET_PER_CLASS, MNIST_SUBSET_PUBLIC_SEED);
    return status;
}

int train_data_load(train_data_t *d, const char *dir)
{
    return train_data_load_parts(d, dir, TRAIN_DATA_TRAIN | TRAIN_DATA_TEST |
                                             TRAIN_DATA_SUBSET);
}

/* Pixel counts of the parts loaded must agree (an empty part has d 0). */
static int check_dims(const train_data_t *d, const char *dir)
{
    size_t dd = 0;
    const dataset_t *sets[3] = {&d->train, &d->test, &d->subset};
    for (int i = 0; i < 3; i++) {
        if (sets[i]->n == 0)
            continue;
        if (dd && sets[i]->d != dd)
            return vg_error_set("train_data_load: %s holds digits of %zu, %zu "
                                "and %zu pixels (train, t10k, subset); they "
                                "must agree", dir, d->train.d, d->test.d,
                                d->subset.d);
        dd = sets[i]->d;
    }
    return VG_OK;
}

int train_data_load_parts(train_data_t *d, const char *dir, unsigned parts)
{
    memset(d, 0, sizeof *d);
    struct stat st;
    if (stat(dir, &st) != 0)
        return vg_error_set("data folder %s: %s (--data takes a folder of "
                            "MNIST-format idx files)", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return vg_error_set("data folder %s is not a folder (--data takes a "
                            "folder of MNIST-format idx files)", dir);
    if ((parts & TRAIN_DATA_TRAIN) &&
        load_pair(&d->train, dir, "train", 0) != VG_OK)
        goto fail;
    char img[PATH_CAP], lab[PATH_CAP];
    int found_img = 1, found_lab = 1;
    if ((parts & TRAIN_DATA_SUBSET) &&
        (resolve(img, dir, "subset", "images-idx3", &found_img) != VG_OK ||
         resolve(lab, dir, "subset", "labels-idx1", &found_lab) != VG_OK))
        goto fail;
    if (found_img != found_lab) {
        missing(dir, "subset", found_img ? "labels-idx1" : "images-idx3");
        goto fail;
    }
    /* the test split is loaded when asked for or when the subset is drawn
     * from it */
    if (((parts & TRAIN_DATA_TEST) || !found_img) &&
        load_pair(&d->test, dir, "t10k", 1) != VG_OK)
        goto fail;
    if ((parts & TRAIN_DATA_SUBSET) &&
        (found_img ? dataset_load(&d->subset, img, lab) != VG_OK
                   : draw_subset(d, dir) != VG_OK))
        goto fail;
    if (check_dims(d, dir) != VG_OK)
        goto fail;
    return VG_OK;
fail:
    train_data_free(d);
    return VG_ERR;
}

void train_data_free(train_data_t *d)
{
    dataset_free(&d->train);
    dataset_free(&d->test);
    dataset_free(&d->subset);
}
