/* mnist_subset.h: the class-balanced binarised test subset of an MNIST-format
 * test split, by the one rule of fixtures/README.md ("Test subsets"): for
 * each class, the digits at ranks [skip, skip + per_class) among that class's
 * rows in file order, kept in file order, each pixel binarised by one uniform
 * draw from seed (255 if u < byte/255, else 0). The fixtures' converters and
 * a --data folder without subset files both use it. Not a loader (idx.h). */
#ifndef VG_MNIST_SUBSET_H
#define VG_MNIST_SUBSET_H

#include <stddef.h>
#include <stdint.h>

#include "idx.h"

#define MNIST_SUBSET_CLASSES 10
#define MNIST_SUBSET_PER_CLASS 10
/* The public subset: ranks 0..9 of each class, binarised from seed 2361. */
#define MNIST_SUBSET_PUBLIC_SKIP 0u
#define MNIST_SUBSET_PUBLIC_SEED 2361u
/* The hidden subset: ranks 10..19, binarised from seed 2362. */
#define MNIST_SUBSET_HIDDEN_SKIP 10u
#define MNIST_SUBSET_HIDDEN_SEED 2362u

/* Draws the subset of the test split (pixels (n, rows*cols), labels (n))
 * into out_img and out_lab (allocated; idx_images_free / idx_labels_free
 * release them). Fails, naming `what`, when a label is outside 0..9 or a
 * class has fewer than skip + MNIST_SUBSET_PER_CLASS digits. */
int mnist_subset_draw(idx_images_t *out_img, idx_labels_t *out_lab,
                      const uint8_t *pixels, const uint8_t *labels, size_t n,
                      size_t rows, size_t cols, size_t skip, uint64_t seed,
                      const char *what);

#endif
