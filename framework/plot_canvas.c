/* plot_canvas.c: one PLplot session per figure, drawn by the cairo driver
 * into memory ("memcairo") and written by libpng; the palette, axes and
 * legend every figure shares. Not a figure itself (plot.c, plot_contours.c).
 *
 * Why memcairo and not the "pngcairo" file driver: pngcairo opens the file
 * itself, and on a path it cannot open it retries, prints to stderr, and
 * calls exit(). Drawing into memory leaves every file error to this code,
 * where it becomes a status and a message; the pixels are the same cairo
 * renders for pngcairo. */
#include "plot_canvas.h"

#include <errno.h>
#include <math.h>
#include <plplot/plplot.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vg_error.h"

/* matplotlib's "tab10" (Vega's category10): ten colours told apart on
 * screen and in print, the colours course notebooks draw classes in. */
static const uint32_t palette[PLOT_PALETTE] = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
    0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
};

uint32_t plot_palette_rgb(size_t i)
{
    return palette[i % PLOT_PALETTE];
}

int plot_frame_check(const plot_frame_t *frame)
{
    if (!frame)
        return vg_error_set("plot: no frame given");
    if (!frame->path || !frame->path[0])
        return vg_error_set("plot: no output path given");
    if (frame->width < PLOT_MIN_SIDE || frame->width > PLOT_MAX_SIDE ||
        frame->height < PLOT_MIN_SIDE || frame->height > PLOT_MAX_SIDE)
        return vg_error_set("plot %s: size %d x %d pixels is outside %d .. "
                            "%d per side", frame->path, frame->width,
                            frame->height, PLOT_MIN_SIDE, PLOT_MAX_SIDE);
    return VG_OK;
}

/* PLplot reports through these two hooks. plabort's (recoverable: a bad
 * argument to one call) is kept and turns the figure into an error at
 * plot_canvas_close. plexit's (unrecoverable: a driver that will not load)
 * cannot be returned from; PLplot exits after it, so the message says
 * which figure and what to install. Library-wide, like PLplot's own state,
 * and reset by every plot_canvas_open. */
static char abort_message[256];
static const char *current_path;

static void on_plabort(PLCHAR_VECTOR msg)
{
    if (!abort_message[0])
        snprintf(abort_message, sizeof abort_message, "%s", msg);
}

static int on_plexit(PLCHAR_VECTOR msg)
{
    fprintf(stderr, "plot %s: PLplot cannot go on (%s); is Debian's "
            "plplot-driver-cairo installed (tools/deps.sh)?\n",
            current_path ? current_path : "?", msg);
    return 1;
}

/* PLplot's own (plplotP.h, its private header, exported from libplplot):
 * the folder it loads drivers from, PLPLOT_DRV_DIR or the one it was built
 * with. Declared here rather than pulling in plplotP.h's internals. */
PLDLLIMPEXP PLCHAR_VECTOR plGetDrvDir(void);

/* Whether the cairo driver with its memory device is installed where
 * PLplot will look, checked without starting PLplot: started without any
 * driver it calls exit(), and without this one plinit() asks for a device
 * on stdin. The driver's .driver_info lists its devices, one a line,
 * "name:description:...". */
static int have_memcairo(void)
{
    const char *dir = plGetDrvDir();
    char path[4096];
    if (!dir || snprintf(path, sizeof path, "%s/cairo.so", dir) >= (int)sizeof path ||
        access(path, R_OK) != 0)
        return 0;
    snprintf(path, sizeof path, "%s/cairo.driver_info", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[256];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = strncmp(line, "memcairo:", 9) == 0;
    fclose(f);
    return found;
}

static void set_colours(void)
{
    PLINT r[PLOT_COL_PALETTE + PLOT_PALETTE], g[PLOT_COL_PALETTE + PLOT_PALETTE],
        b[PLOT_COL_PALETTE + PLOT_PALETTE];
    r[PLOT_COL_BACKGROUND] = g[PLOT_COL_BACKGROUND] = b[PLOT_COL_BACKGROUND] = 255;
    r[PLOT_COL_FOREGROUND] = g[PLOT_COL_FOREGROUND] = b[PLOT_COL_FOREGROUND] = 0;
    for (int i = 0; i < PLOT_PALETTE; i++) {
        r[PLOT_COL_PALETTE + i] = (PLINT)(palette[i] >> 16 & 0xff);
        g[PLOT_COL_PALETTE + i] = (PLINT)(palette[i] >> 8 & 0xff);
        b[PLOT_COL_PALETTE + i] = (PLINT)(palette[i] & 0xff);
    }
    plscmap0(r, g, b, PLOT_COL_PALETTE + PLOT_PALETTE);
}

/* The file is opened (and so created) before drawing, so that a path that
 * cannot be written is reported before any work; its FILE waits here. */
static FILE *out_file;

int plot_canvas_open(plot_canvas_t *c, const plot_frame_t *frame)
{
    c->frame = frame;
    c->rgb = NULL;
    if (plot_frame_check(frame) != VG_OK)
        return VG_ERR;
    size_t n = (size_t)frame->width * (size_t)frame->height * 3;
    c->rgb = malloc(n);
    if (!c->rgb)
        return vg_error_set("plot %s: out of memory for a %d x %d page",
                            frame->path, frame->width, frame->height);
    memset(c->rgb, 255, n); /* memcairo draws over what the page holds */
    out_file = fopen(frame->path, "wb");
    if (!out_file) {
        int e = errno;
        free(c->rgb);
        c->rgb = NULL;
        return vg_error_set("plot: cannot open %s for writing: %s",
                            frame->path, strerror(e));
    }

    if (!have_memcairo()) {
        fclose(out_file);
        out_file = NULL;
        remove(frame->path);
        free(c->rgb);
        c->rgb = NULL;
        return vg_error_set("plot %s: PLplot's cairo driver (memcairo) is not "
                            "in %s; install Debian's plplot-driver-cairo "
                            "(tools/deps.sh), or point PLPLOT_DRV_DIR at the "
                            "folder holding cairo.so", frame->path,
                            plGetDrvDir());
    }
    abort_message[0] = '\0';
    current_path = frame->path;
    plsabort(on_plabort);
    plsexit(on_plexit);
    plsdev("memcairo");
    plsmem(frame->width, frame->height, c->rgb);
    set_colours();
    plinit();
    pladv(0);
    plwidth(1.5);
    return VG_OK;
}

/* libpng's error handler must not return: it records and longjmps. */
static void on_png_error(png_structp png, png_const_charp msg)
{
    vg_error_set("plot %s: libpng: %s", (const char *)png_get_error_ptr(png),
                 msg);
    png_longjmp(png, 1);
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* a warning does not make the picture wrong */
}

/* rgb (h, w, 3) to f as an 8-bit RGB PNG without metadata, so that the
 * bytes depend only on the pixels. */
static int write_png(FILE *f, const char *path, const uint8_t *rgb, int w,
                     int h)
{
    png_structp png = NULL;
    png_infop info = NULL;
    volatile int status = VG_ERR;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, (png_voidp)path,
                                  on_png_error, on_png_warning);
    if (!png)
        return vg_error_set("plot %s: libpng could not start", path);
    info = png_create_info_struct(png);
    if (!info) {
        vg_error_set("plot %s: libpng could not start", path);
        goto cleanup;
    }
    if (setjmp(png_jmpbuf(png)))
        goto cleanup; /* on_png_error has set the message */
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < h; y++)
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * (size_t)w * 3));
    png_write_end(png, NULL);
    status = VG_OK;
cleanup:
    png_destroy_write_struct(&png, info ? &info : NULL);
    return status;
}

int plot_canvas_close(plot_canvas_t *c)
{
    const plot_frame_t *frame = c->frame;
    int status = VG_OK;
    /* plend, not plend1: it also frees the driver table and unloads the
     * driver, so no PLplot state outlives the figure. */
    plend();
    plsabort(NULL);
    plsexit(NULL);
    current_path = NULL;
    if (abort_message[0])
        status = vg_error_set("plot %s: PLplot: %s", frame->path,
                              abort_message);
    else
        status = write_png(out_file, frame->path, c->rgb, frame->width,
                           frame->height);
    if (fclose(out_file) != 0 && status == VG_OK)
        status = vg_error_set("plot: cannot write %s: %s", frame->path,
                              strerror(errno));
    out_file = NULL;
    if (status != VG_OK)
        remove(frame->path); /* no half-written picture left behind */
    free(c->rgb);
    c->rgb = NULL;
    return status;
}

void plot_canvas_axes(const plot_frame_t *frame, double x0, double x1,
                      double y0, double y1, int log_y)
{
    plcol0(PLOT_COL_FOREGROUND);
    plschr(0.0, 1.2);
    plvsta();
    plwind(x0, x1, y0, y1);
    plbox("bcnst", 0.0, 0, log_y ? "bcnstvl" : "bcnstv", 0.0, 0);
    pllab(frame->xlabel ? frame->xlabel : "", frame->ylabel ? frame->ylabel : "",
          frame->title ? frame->title : "");
}

void plot_canvas_legend(int n, const int *cols, const char *const *names,
                        int lines)
{
    if (n <= 0)
        return;
    enum { MAX_LEGEND = 16 };
    if (n > MAX_LEGEND)
        n = MAX_LEGEND;
    PLINT opt[MAX_LEGEND], text_col[MAX_LEGEND], box_col[MAX_LEGEND],
        box_pat[MAX_LEGEND], line_col[MAX_LEGEND], line_sty[MAX_LEGEND];
    PLFLT box_scale[MAX_LEGEND], box_width[MAX_LEGEND], line_width[MAX_LEGEND];
    for (int i = 0; i < n; i++) {
        opt[i] = lines ? PL_LEGEND_LINE : PL_LEGEND_COLOR_BOX;
        text_col[i] = PLOT_COL_FOREGROUND;
        box_col[i] = line_col[i] = cols[i];
        box_pat[i] = 0;
        box_scale[i] = 0.8;
        box_width[i] = 1.0;
        line_sty[i] = 1;
        line_width[i] = 2.0;
    }
    PLFLT w, h;
    plcol0(PLOT_COL_FOREGROUND);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | PL_POSITION_TOP | PL_POSITION_INSIDE, 0.02,
             0.02, 0.08, PLOT_COL_BACKGROUND, PLOT_COL_FOREGROUND, 1, 0, 0, n,
             opt, 1.0, 0.8, 1.6, 0.0, text_col, names, box_col, box_pat,
             box_scale, box_width, line_col, line_sty, line_width, NULL, NULL,
             NULL, NULL);
}

void plot_canvas_disc(const plot_frame_t *frame, double x, double y,
                      double radius_px)
{
    /* The viewport and window give world units per pixel on each axis. */
    PLFLT vx0, vx1, vy0, vy1, wx0, wx1, wy0, wy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plgvpw(&wx0, &wx1, &wy0, &wy1);
    double rx = radius_px * (wx1 - wx0) / ((vx1 - vx0) * frame->width);
    double ry = radius_px * (wy1 - wy0) / ((vy1 - vy0) * frame->height);
    enum { SIDES = 12 };
    PLFLT px[SIDES], py[SIDES];
    for (int k = 0; k < SIDES; k++) {
        double a = 2.0 * M_PI * k / SIDES;
        px[k] = x + rx * cos(a);
        py[k] = y + ry * sin(a);
    }
    plfill(SIDES, px, py);
}

void plot_range_pad(double *lo, double *hi)
{
    double span = *hi - *lo;
    if (span > 0.0) {
        *lo -= 0.05 * span;
        *hi += 0.05 * span;
    }
    if (!(*hi > *lo)) { /* one value, or a span lost to rounding */
        double m = fmax(0.5, 0.05 * fabs(*lo));
        *lo -= m;
        *hi += m;
    }
}
