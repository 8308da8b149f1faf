/* data.h: cse599i-train's digits: the training split (bytes) and the
 * public test subset, binarised as committed and in grayscale (its twin:
 * the same digits of t10k), and the batches a step takes from them:
 * grayscale for the Gaussian VAE, dynamically binarised for the discrete
 * ones. Not a loader (train.h's train_data_load does that).
 * Shapes: N digits, B batch, D data dimension (784). */
#ifndef CSE599I_DATA_H
#define CSE599I_DATA_H

#include <stddef.h>

#include "rng.h"
#include "train.h"

typedef struct cse_data {
    train_data_t all;   /* train (bytes), test (grayscale), subset (0/1) */
    size_t n_test;      /* T: the subset's digits */
    double *test_gray;  /* (T,D) the subset's digits in grayscale, in the
                           subset's order */
} cse_data_t;

/* Loads DIR's training split, t10k and public subset (train.h's folder
 * rules), and finds the subset's grayscale twin in t10k: per class its
 * first subset.n / 10 digits in file order (mnist_subset.h's rule, public
 * skip 0), checked against the subset's pixels (a 1 only where the byte is
 * not 0). */
int cse_data_load(cse_data_t *d, const char *dir);
void cse_data_free(cse_data_t *d);

/* xb (B,D) = the training digits rows[0..B-1] as bytes / 255. */
void cse_batch_gray(double *xb, const cse_data_t *d, const size_t *rows,
                    size_t batch);
/* xb (B,D) = the same digits binarised by one draw per pixel from rng
 * (train.h's binarise_bytes: 1 with probability byte / 255). */
void cse_batch_binary(double *xb, const cse_data_t *d, const size_t *rows,
                      size_t batch, rng_t *rng);

#endif
