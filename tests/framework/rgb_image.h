/* rgb_image.h: reading a figure of plot.h back for the tests: the PNG as
 * 8-bit RGB pixels, and which pixels show a given colour. Test helpers:
 * they fail the test (through Criterion) instead of returning errors. */
#ifndef VG_TESTS_RGB_IMAGE_H
#define VG_TESTS_RGB_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *px; /* (h, w, 3), malloc'd */
    size_t w, h;
} image_t;

/* The PNG at path, which must be 8-bit RGB. */
image_t read_rgb(const char *path);
/* Pixel (x, y) as 0xRRGGBB. */
uint32_t pixel(const image_t *im, size_t x, size_t y);
/* Whether pixel p is colour c blended over the white background with
 * weight at least 0.4: antialiased lines thinner than two pixels may have
 * no pixel of exactly their colour. Each channel that c darkens by more
 * than 40 levels gives the weight (255 - p) / (255 - c); they must agree
 * to 0.1. For c black every grey dark enough counts (the axes and text). */
int is_tint(uint32_t p, uint32_t c);
/* Pixels of the image that are tints of c. */
size_t count_tint(const image_t *im, uint32_t c);

#endif
