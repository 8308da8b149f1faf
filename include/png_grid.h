/* png_grid.h: tiles rows x cols grayscale images of h x w into one 8-bit
 * grayscale PNG (libpng), e.g. the 10 x 20 grid of 200 samples. */
#ifndef VG_PNG_GRID_H
#define VG_PNG_GRID_H

#include <stddef.h>

/* images (rows*cols, h*w) in [0,1] (clamped), image r*cols+c at tile (r,c). */
int png_write_grid(const char *path, const double *images, size_t rows,
                   size_t cols, size_t h, size_t w);

#endif
