/* png_write.h: the framework's one libpng writer, inside the framework only
 * (png_grid.c's sample grids, plot_canvas.c's figures): 8-bit gray or RGB,
 * no interlace, no metadata, so that the bytes depend only on the pixels. */
#ifndef VG_PNG_WRITE_H
#define VG_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Row y (0..height-1) of the picture: width * channels bytes, valid until
 * the next call. */
typedef const uint8_t *(*png_row_fn)(void *ctx, size_t y);

/* Writes the PNG to f (left open) row by row; channels is 1 (gray) or 3
 * (RGB). On failure the message starts with what (e.g. "plot out.png"). */
int vg_png_write(FILE *f, const char *what, int channels, size_t width,
                   size_t height, png_row_fn row, void *ctx);

#endif
