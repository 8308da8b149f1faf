/* binarised.c: a run of an MNIST split's digits, thresholded into 0/1
 * pixels (binarised.h). The whole file is read once and the run copied
 * out, since idx files carry no index to seek by. */
#include "binarised.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

int binarised_load(dataset_t *out, const char *images_path,
                   const char *labels_path, size_t first, size_t n,
                   double above)
{
    memset(out, 0, sizeof *out);
    idx_images_t img;
    idx_labels_t lab;
    memset(&lab, 0, sizeof lab);
    if (idx_load_images(&img, images_path) != VG_OK)
        return VG_ERR;
    int status = VG_ERR;
    if (labels_path && idx_load_labels(&lab, labels_path) != VG_OK)
        goto cleanup;
    if (first > img.n || n > img.n - first || n == 0) {
        vg_error_set("%s: digits %zu..%zu asked, the file has %zu", images_path,
                     first, first + n - 1, img.n);
        goto cleanup;
    }
    if (labels_path && lab.n != img.n) {
        vg_error_set("%s has %zu labels for %zu images in %s", labels_path,
                     lab.n, img.n, images_path);
        goto cleanup;
    }
    const size_t d = img.rows * img.cols;
    /* x and y in one block, as dataset_free expects */
    double *x = malloc(n * d * sizeof *x + n);
    if (!x) {
        vg_error_set("binarised_load: out of memory for %zu digits", n);
        goto cleanup;
    }
    uint8_t *y = (uint8_t *)(x + n * d);
    for (size_t i = 0; i < n * d; i++)
        x[i] = (double)img.pixels[first * d + i] / 255.0 > above ? 1.0 : 0.0;
    if (labels_path)
        memcpy(y, lab.labels + first, n);
    else
        memset(y, 0, n);
    out->n = n;
    out->d = d;
    out->x = x;
    out->y = labels_path ? y : NULL;
    out->pixels = NULL;
    status = VG_OK;
cleanup:
    idx_images_free(&img);
    idx_labels_free(&lab);
    return status;
}
