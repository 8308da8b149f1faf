/* png_write.c: png_write.h's writer; libpng's setjmp error handling lives
 * here only. */
#include "png_write.h"

#include <png.h>
#include <setjmp.h>

#include "vg_error.h"

/* libpng reports through these; the error handler must not return, so it
 * records the message and longjmps back to vg_png_write's setjmp. */
static void on_png_error(png_structp png, png_const_charp msg)
{
    vg_error_set("%s: libpng: %s", (const char *)png_get_error_ptr(png), msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* a warning does not make the picture wrong */
}

int vg_png_write(FILE *f, const char *what, int channels, size_t width,
                   size_t height, png_row_fn row, void *ctx)
{
    /* Everything setjmp may return to is volatile or fixed before it. */
    png_structp png = NULL;
    png_infop info = NULL;
    volatile int status = VG_ERR;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, (png_voidp)what,
                                  on_png_error, on_png_warning);
    if (!png)
        return vg_error_set("%s: libpng could not start", what);
    info = png_create_info_struct(png);
    if (!info) {
        vg_error_set("%s: libpng could not start", what);
        goto cleanup;
    }
    if (setjmp(png_jmpbuf(png)))
        goto cleanup; /* on_png_error has set the message */
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (size_t y = 0; y < height; y++)
        png_write_row(png, (png_const_bytep)row(ctx, y));
    png_write_end(png, NULL);
    status = VG_OK;
cleanup:
    png_destroy_write_struct(&png, info ? &info : NULL);
    return status;
}
