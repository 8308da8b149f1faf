/* binarised.h: a contiguous run of digits of an MNIST-format split,
 * binarised at a threshold, as STA414 A3 uses the data (its first 10,000
 * training digits to train, the next 10,000 to test). Not the CS236
 * trainer's data (train_data.h), which binarises by sampling each step. */
#ifndef VG_BINARISED_H
#define VG_BINARISED_H

#include <stddef.h>

#include "idx.h"

/* Rows first..first+n-1 of images_path (idx or idx.gz) and of labels_path
 * (NULL for none) into out: x (n, rows*cols) with x = 1 when
 * pixel / 255 > above and 0 otherwise (above 0.5: a byte >= 128), y the
 * labels. out->pixels is NULL. Fails, naming the file, when the split has
 * fewer than first + n digits. Release with dataset_free. */
int binarised_load(dataset_t *out, const char *images_path,
                   const char *labels_path, size_t first, size_t n,
                   double above);

#endif
