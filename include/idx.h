/* idx.h: reads MNIST-format idx files, plain or gzip (zlib), and validates
 * them: magic, element type, dimensions, sizes, length (truncated or
 * trailing data), gzip integrity (CRC-32, length, garbage after the stream).
 * Any standard MNIST or Fashion-MNIST file loads; a malformed one is an
 * error naming the file and what is wrong. Also writes idx.gz (the fixtures
 * converter). */
#ifndef VG_IDX_H
#define VG_IDX_H

#include <stddef.h>
#include <stdint.h>

/* Images: n x rows x cols unsigned bytes (idx3-ubyte, magic 0x00000803). */
typedef struct idx_images {
    size_t n, rows, cols;
    uint8_t *pixels; /* (n, rows*cols) */
} idx_images_t;

/* Labels: n unsigned bytes (idx1-ubyte, magic 0x00000801). */
typedef struct idx_labels {
    size_t n;
    uint8_t *labels; /* (n) */
} idx_labels_t;

int idx_load_images(idx_images_t *out, const char *path);
int idx_load_labels(idx_labels_t *out, const char *path);
void idx_images_free(idx_images_t *img);
void idx_labels_free(idx_labels_t *lab);

/* Writes gzip-compressed idx files (mtime 0, so output is reproducible),
 * through a temporary file renamed into place. */
int idx_save_images_gz(const char *path, const idx_images_t *img);
int idx_save_labels_gz(const char *path, const idx_labels_t *lab);

/* A data set as the models use it: pixels as doubles in [0,1]. */
typedef struct dataset {
    size_t n, d;
    double *x;        /* (n, d), or NULL (dataset_load_bytes) */
    uint8_t *y;       /* (n) labels, or NULL */
    /* (n, d) the bytes x was scaled from, x = pixels / 255.0 exactly, or
     * NULL (a data set made otherwise). Read only by the trainer's
     * binarisation, which reads a random batch of rows each step: 1 byte a
     * pixel rather than 8 is the difference between the caches and DRAM. */
    uint8_t *pixels;
} dataset_t;

/* Loads images (and labels when labels_path is not NULL, which must be as
 * many), scaling bytes by 1/255 and keeping the bytes. x, pixels and y
 * share one block: dataset_free releases all three. */
int dataset_load(dataset_t *out, const char *images_path,
                 const char *labels_path);
/* The same without x (x is NULL): the bytes and labels only, for a training
 * split, which the trainer reads as bytes. 60,000 digits as doubles would be
 * 376 MB and a third of a second of conversion per short run. */
int dataset_load_bytes(dataset_t *out, const char *images_path,
                       const char *labels_path);
/* The same from idx data in memory (copied; lab may be NULL). */
int dataset_from_idx(dataset_t *out, const idx_images_t *img,
                     const idx_labels_t *lab, int with_x, const char *what);
void dataset_free(dataset_t *ds);

#endif
