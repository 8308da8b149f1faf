/* png_grid.c: tiles images into one 8-bit grayscale PNG with libpng, for
 * looking at samples. Not a general image writer: no colour, no padding
 * between tiles, no metadata (so the bytes depend only on the pixels). */
#include "png_grid.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "png_write.h"
#include "vg_error.h"

/* "cannot write " and a path: the prefix of vg_png_write's messages. */
#define GRID_WHAT_LEN 4200

static uint8_t to_byte(double v)
{
    if (!(v > 0.0)) /* NaN too: a broken sample shows as black */
        return 0;
    if (v >= 1.0)
        return 255;
    return (uint8_t)(v * 255.0 + 0.5);
}

/* The grid's rows for vg_png_write, tiled into line (width bytes). */
typedef struct {
    const double *images;
    size_t cols, h, w;
    uint8_t *line;
} grid_rows_t;

static const uint8_t *grid_row(void *ctx, size_t y)
{
    const grid_rows_t *g = ctx;
    size_t r = y / g->h, py = y % g->h;
    for (size_t c = 0; c < g->cols; c++) {
        /* image r*cols+c, (h*w) row-major; its row py */
        const double *src = g->images + ((r * g->cols + c) * g->h + py) * g->w;
        for (size_t px = 0; px < g->w; px++)
            g->line[c * g->w + px] = to_byte(src[px]);
    }
    return g->line;
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
    grid_rows_t g = {images, cols, h, w, malloc(width)};
    if (!g.line)
        return vg_error_set("cannot write %s: out of memory", path);
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(g.line);
        return vg_error_set("cannot open %s for writing: %s", path,
                            strerror(errno));
    }
    char what[GRID_WHAT_LEN];
    snprintf(what, sizeof what, "cannot write %s", path);
    int status = vg_png_write(f, what, 1, width, height, grid_row, &g);
    free(g.line);
    if (fclose(f) != 0 && status == VG_OK)
        status = vg_error_set("cannot write %s: %s", path, strerror(errno));
    if (status != VG_OK)
        remove(path); /* no half-written image left behind */
    return status;
}
