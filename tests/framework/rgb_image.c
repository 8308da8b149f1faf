/* rgb_image.c: rgb_image.h's PNG reader (libpng's simplified API) and
 * colour matching. */
#include "rgb_image.h"

#include <criterion/criterion.h>
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

image_t read_rgb(const char *path)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    cr_assert(png_image_begin_read_from_file(&img, path) != 0,
              "libpng cannot read %s: %s", path, img.message);
    cr_assert(img.format == PNG_FORMAT_RGB, "%s: format %u, not 8-bit RGB",
              path, img.format);
    image_t im = {malloc(PNG_IMAGE_SIZE(img)), img.width, img.height};
    cr_assert(im.px != NULL);
    cr_assert(png_image_finish_read(&img, NULL, im.px, 0, NULL) != 0,
              "libpng: %s", img.message);
    return im;
}

uint32_t pixel(const image_t *im, size_t x, size_t y)
{
    const uint8_t *p = im->px + (y * im->w + x) * 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

int is_tint(uint32_t p, uint32_t c)
{
    double w = -1.0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double pc = (double)(p >> shift & 0xff), cc = (double)(c >> shift & 0xff);
        if (255.0 - cc <= 40.0) {
            if (pc < cc - 40.0) /* darkened where c is not: another colour */
                return 0;
            continue;
        }
        double wc = (255.0 - pc) / (255.0 - cc);
        if (w < 0.0)
            w = wc;
        else if (fabs(w - wc) > 0.1)
            return 0;
    }
    return w >= 0.4 && w <= 1.1;
}

size_t count_tint(const image_t *im, uint32_t c)
{
    size_t n = 0;
    for (size_t y = 0; y < im->h; y++)
        for (size_t x = 0; x < im->w; x++)
            n += (size_t)is_tint(pixel(im, x, y), c);
    return n;
}
