/* png_grid.c: tiles images into one 8-bit grayscale PNG with libpng, for
 * looking at samples. Not a general image writer: no colour, no padding
 * between tiles, no metadata (so the bytes depend only on the pixels). */
#include "png_grid.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

/* libpng reports through these; the error handler must not return, so it
 * records the message and longjmps back to png_write_grid's setjmp. */
static void on_png_error(png_structp png, png_const_charp msg)
{
    vg_error_set("%s: libpng: %s", (const char *)png_get_error_ptr(png), msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* warnings do not make a grid wrong */
}

static uint8_t to_byte(double v)
{
    if (!(v > 0.0)) /* NaN too: a broken sample shows as black */
        return 0;
    if (v >= 1.0)
        return 255;
    return (uint8_t)(v * 255.0 + 0.5);
}

int png_write_grid(const char *path, const double *images, size_t rows,
                   size_t cols, size_t h, size_t w)
{
    if (!images || rows == 0 || cols == 0 || h == 0 || w == 0)
        return vg_error_set("cannot write %s: empty grid (%zu x %zu tiles of "
                            "%zu x %zu)", path, rows, cols, h, w);
    /* PNG's limit is 2^31 - 1 per side; libpng's default user limit is
     * 10^6, far beyond any grid of digits. */
    if (rows > 1000000 / h || cols > 1000000 / w)
        return vg_error_set("cannot write %s: a %zu x %zu grid of %zu x %zu "
                            "images is too large for a PNG", path, rows, cols,
                            h, w);
    size_t height = rows * h, width = cols * w;

    /* Everything setjmp may return to is volatile or fixed before it. */
    FILE *volatile f = NULL;
    uint8_t *volatile line = NULL;
    png_structp png = NULL;
    png_infop info = NULL;
    volatile int status = VG_ERR;

    f = fopen(path, "wb");
    if (!f)
        return vg_error_set("cannot open %s for writing: %s", path,
                            strerror(errno));
    line = malloc(width);
    if (!line) {
        vg_error_set("cannot write %s: out of memory", path);
        goto cleanup;
    }
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, (png_voidp)path,
                                  on_png_error, on_png_warning);
    if (!png) {
        vg_error_set("cannot write %s: libpng could not start", path);
        goto cleanup;
    }
    info = png_create_info_struct(png);
    if (!info) {
        vg_error_set("cannot write %s: libpng could not start", path);
        goto cleanup;
    }
    if (setjmp(png_jmpbuf(png)))
        goto cleanup; /* on_png_error has set the message */

    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t y = 0; y < height; y++) {
        size_t r = y / h, py = y % h;
        for (size_t c = 0; c < cols; c++) {
            /* image r*cols+c, (h*w) row-major; its row py */
            const double *src = images + ((r * cols + c) * h + py) * w;
            for (size_t px = 0; px < w; px++)
                line[c * w + px] = to_byte(src[px]);
        }
        png_write_row(png, line);
    }
    png_write_end(png, NULL);
    status = VG_OK;
cleanup:
    if (png)
        png_destroy_write_struct(&png, info ? &info : NULL);
    free(line);
    if (f && fclose(f) != 0 && status == VG_OK)
        status = vg_error_set("cannot write %s: %s", path, strerror(errno));
    if (f && status != VG_OK)
        remove(path); /* no half-written image left behind */
    return status;
}
