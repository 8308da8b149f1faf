/* mnist_subset.c: the test subset rule of mnist_subset.h, its only
 * implementation (the converters and train_data_load call it), so that a
 * subset drawn at load time is byte-identical to a committed one. */
#include "mnist_subset.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vg_error.h"

int mnist_subset_draw(idx_images_t *out_img, idx_labels_t *out_lab,
                      const uint8_t *pixels, const uint8_t *labels, size_t n,
                      size_t rows, size_t cols, size_t skip, uint64_t seed,
                      const char *what)
{
    enum { N = MNIST_SUBSET_CLASSES * MNIST_SUBSET_PER_CLASS };
    size_t d = rows * cols, seen[MNIST_SUBSET_CLASSES] = {0}, got = 0;
    memset(out_img, 0, sizeof *out_img);
    memset(out_lab, 0, sizeof *out_lab);
    uint8_t *px = malloc((size_t)N * d), *lab = malloc(N);
    if (!px || !lab) {
        free(px);
        free(lab);
        return vg_error_set("%s: out of memory for the test subset", what);
    }
    for (size_t i = 0; i < n && got < N; i++) {
        if (labels[i] >= MNIST_SUBSET_CLASSES) {
            free(px);
            free(lab);
            return vg_error_set("%s: label %u at row %zu is outside 0..%d; "
                                "the test subset needs 10 classes", what,
                                labels[i], i, MNIST_SUBSET_CLASSES - 1);
        }
        size_t k = seen[labels[i]]++;
        if (k < skip || k >= skip + MNIST_SUBSET_PER_CLASS)
            continue;
        memcpy(px + got * d, pixels + i * d, d);
        lab[got++] = labels[i];
    }
    if (got != N) {
        free(px);
        free(lab);
        return vg_error_set("%s: some class has fewer than %zu digits, too few "
                            "for a test subset of %d per class from rank %zu",
                            what, skip + MNIST_SUBSET_PER_CLASS,
                            MNIST_SUBSET_PER_CLASS, skip);
    }
    /* One draw per pixel in row-major order over the subset, image by
     * image: the order is part of the rule. */
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < (size_t)N * d; i++)
        px[i] = rng_uniform(&rng) < px[i] / 255.0 ? 255 : 0;
    *out_img = (idx_images_t){.n = N, .rows = rows, .cols = cols, .pixels = px};
    *out_lab = (idx_labels_t){.n = N, .labels = lab};
    return VG_OK;
}
