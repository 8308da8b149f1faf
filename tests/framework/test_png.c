/* test_png.c: png_write_grid's output read back with libpng: size, format,
 * tile placement, rounding and clamping; and its refusals. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#include "png_grid.h"
#include "tmpfiles.h"
#include "vg_error.h"

static char dir[PATH_MAX];

static void setup(void)
{
    tmp_dir_create(dir);
}

static void teardown(void)
{
    tmp_dir_remove(dir);
}

/* Reads path with libpng's simplified API: *w, *h and 8-bit gray pixels
 * (*h, *w), after checking the file itself is 8-bit grayscale. */
static uint8_t *read_gray(const char *path, size_t *w, size_t *h)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    cr_assert(png_image_begin_read_from_file(&img, path) != 0,
              "libpng cannot read %s: %s", path, img.message);
    cr_assert(img.format == PNG_FORMAT_GRAY,
              "%s: format %u, not 8-bit grayscale", path, img.format);
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    cr_assert(px != NULL);
    cr_assert(png_image_finish_read(&img, NULL, px, 0, NULL) != 0,
              "libpng: %s", img.message);
    *w = img.width;
    *h = img.height;
    return px;
}

Test(png, grid_reads_back_with_tiles_in_place, .init = setup, .fini = teardown)
{
    enum { ROWS = 2, COLS = 3, H = 4, W = 5, N = ROWS * COLS };
    /* images (N, H*W): image k's pixel (y,x) is (k*20 + y*5 + x) / 119, all
     * distinct and in [0,1], so a misplaced tile shows. */
    double images[N * H * W];
    for (size_t i = 0; i < N * H * W; i++)
        images[i] = (double)i / (N * H * W - 1);
    char path[PATH_MAX];
    tmp_path(path, dir, "grid.png");
    cr_assert(png_write_grid(path, images, ROWS, COLS, H, W) == VG_OK, "%s",
              vg_error_last());

    size_t w, h;
    uint8_t *px = read_gray(path, &w, &h);
    cr_assert(w == COLS * W && h == ROWS * H, "%zu x %zu", w, h);
    for (size_t r = 0; r < ROWS; r++)
        for (size_t c = 0; c < COLS; c++)
            for (size_t y = 0; y < H; y++)
                for (size_t x = 0; x < W; x++) {
                    double v = images[((r * COLS + c) * H + y) * W + x];
                    /* round to nearest of 255 v */
                    uint8_t want = (uint8_t)lround(255.0 * v);
                    uint8_t got = px[(r * H + y) * w + c * W + x];
                    cr_assert(got == want, "tile (%zu,%zu) pixel (%zu,%zu): "
                              "%u, expected %u", r, c, y, x, got, want);
                }
    free(px);
}

Test(png, values_are_clamped, .init = setup, .fini = teardown)
{
    double images[4] = {-0.5, 1.5, NAN, 0.5};
    char path[PATH_MAX];
    tmp_path(path, dir, "clamp.png");
    cr_assert(png_write_grid(path, images, 1, 1, 2, 2) == VG_OK, "%s",
              vg_error_last());
    size_t w, h;
    uint8_t *px = read_gray(path, &w, &h);
    cr_assert(w == 2 && h == 2);
    cr_assert(px[0] == 0 && px[1] == 255 && px[2] == 0 && px[3] == 128,
              "pixels %u %u %u %u", px[0], px[1], px[2], px[3]);
    free(px);
}

Test(png, unwritable_path_is_an_error, .init = setup, .fini = teardown)
{
    double images[4] = {0};
    char path[PATH_MAX];
    tmp_path(path, dir, "no-such-folder/grid.png");
    cr_assert(png_write_grid(path, images, 1, 1, 2, 2) == VG_ERR);
    cr_assert(strstr(vg_error_last(), path), "%s", vg_error_last());
    /* A folder where the file should be. */
    cr_assert(png_write_grid(dir, images, 1, 1, 2, 2) == VG_ERR);
    cr_assert(strstr(vg_error_last(), dir), "%s", vg_error_last());
}

Test(png, empty_grid_is_an_error, .init = setup, .fini = teardown)
{
    double images[4] = {0};
    char path[PATH_MAX];
    tmp_path(path, dir, "empty.png");
    cr_assert(png_write_grid(path, images, 0, 1, 2, 2) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "empty grid"), "%s", vg_error_last());
}
