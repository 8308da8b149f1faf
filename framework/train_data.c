/* train_data.c: loads the three data sets of a run (training split, test
 * split, binarised test subset) from one folder of standard MNIST idx.gz
 * names (fixtures/README.md). Not the idx parsing (idx.c). */
#include "train.h"

#include <stdio.h>
#include <string.h>

#include "vg_error.h"

static int load_pair(dataset_t *ds, const char *dir, const char *stem)
{
    char img[4096], lab[4096];
    int a = snprintf(img, sizeof img, "%s/%s-images-idx3-ubyte.gz", dir, stem);
    int b = snprintf(lab, sizeof lab, "%s/%s-labels-idx1-ubyte.gz", dir, stem);
    if (a < 0 || b < 0 || (size_t)a >= sizeof img || (size_t)b >= sizeof lab)
        return vg_error_set("train_data_load: data folder path too long: %s",
                            dir);
    return dataset_load(ds, img, lab);
}

int train_data_load(train_data_t *d, const char *dir)
{
    memset(d, 0, sizeof *d);
    if (load_pair(&d->train, dir, "train") != VG_OK ||
        load_pair(&d->test, dir, "t10k") != VG_OK ||
        load_pair(&d->subset, dir, "subset") != VG_OK)
        goto fail;
    if (d->train.d != d->test.d || d->train.d != d->subset.d) {
        vg_error_set("train_data_load: %s holds digits of %zu, %zu and %zu "
                     "pixels (train, t10k, subset); they must agree", dir,
                     d->train.d, d->test.d, d->subset.d);
        goto fail;
    }
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
