/* plot.h: the figures of the training programs as RGB PNG files: loss
 * curves (plot_lines), latent codes coloured by class (plot_scatter), and
 * isocontours of functions sampled on a grid, with a second function's and
 * paths of points over them (plot_contours). Drawn by PLplot's cairo driver
 * (antialiased lines and text); not for grids of digits (png_grid.h).
 *
 * Every function validates its arguments first (status VG_ERR and a
 * vg_error message, nothing written), opens its own PLplot session and ends
 * it, so that no PLplot state survives a call. PLplot has one library-wide
 * state: do not call these from two threads at once. */
#ifndef VG_PLOT_H
#define VG_PLOT_H

#include <stddef.h>
#include <stdint.h>

/* The picture: its file and size in pixels (each side PLOT_MIN_SIDE ..
 * PLOT_MAX_SIDE), and its texts (NULL for none). Texts, here and in
 * legends, are PLplot's: '#' starts an escape (#u superscript, #d
 * subscript, #gm a Greek mu), "##" is a '#'. */
#define PLOT_MIN_SIDE 64
#define PLOT_MAX_SIDE 4096
typedef struct {
    const char *path;
    int width, height;
    const char *title, *xlabel, *ylabel;
} plot_frame_t;

/* n points (x[i], y[i]), drawn joined in order. A non-finite point breaks
 * the line there (a diverged run shows as a gap, not as a wild axis).
 * name: its legend entry; NULL or "" leaves it out of the legend. */
typedef struct {
    const char *name;
    const double *x, *y; /* (n) each */
    size_t n;
} plot_series_t;

/* The palette: entry i (any i, taken modulo PLOT_PALETTE) as 0xRRGGBB.
 * Series i of plot_lines and class k of plot_scatter are drawn in entry i
 * and k; the background is white, axes and text black. Exposed so that
 * tests and other figures can find the same colours. */
#define PLOT_PALETTE 10
uint32_t plot_palette_rgb(size_t i);

/* Loss curves: nseries >= 1 series on one set of axes, with a legend of the
 * named ones. PLOT_LOG_Y draws y on a log scale (then every finite y must
 * be > 0). */
enum { PLOT_LOG_Y = 1u };
int plot_lines(const plot_frame_t *frame, const plot_series_t *series,
               size_t nseries, unsigned flags);

/* n points (points[2i], points[2i+1]), point i as a filled disc in palette
 * entry classes[i] (0 .. PLOT_PALETTE-1), and a legend of the classes that
 * occur, named class_names[k] (NULL: "0" .. "9"). Non-finite points are
 * left out; n >= 1 and at least one point finite. */
int plot_scatter(const plot_frame_t *frame, const double *points,
                 const int *classes, size_t n,
                 const char *const *class_names);

/* A function sampled on a regular grid: f[j*nx + i] at
 * (x0 + i (x1-x0)/(nx-1), y0 + j (y1-y0)/(ny-1)), nx, ny >= 2, x0 < x1,
 * y0 < y1. Its isocontours are drawn at levels[0 .. nlevels-1], or, when
 * levels is NULL, at nlevels (>= 1) values evenly spaced strictly between
 * the minimum and maximum of f. Every sample must be finite (contouring
 * has no meaning across an infinite corner: clamp a log density's -inf
 * first, to a level below every drawn one). name: its legend entry, or
 * NULL. At most PLOT_MAX_LEVELS levels. */
#define PLOT_MAX_LEVELS 100
typedef struct {
    const double *f; /* (ny, nx) */
    size_t nx, ny;
    double x0, x1, y0, y1;
    const double *levels; /* (nlevels) or NULL */
    size_t nlevels;
    const char *name;
} plot_grid_t;

/* The palette entries of plot_contours' parts. */
#define PLOT_CONTOUR_UNDER 0 /* blue */
#define PLOT_CONTOUR_OVER 3  /* red */
#define PLOT_CONTOUR_PATH 2  /* green */

/* Contours of *under in PLOT_CONTOUR_UNDER; over (NULL for none) drawn on
 * top in PLOT_CONTOUR_OVER; then npaths paths (NULL/0 for none: for
 * example the iterates of an optimiser) as lines with a dot at each point
 * in PLOT_CONTOUR_PATH. The axes are under's extent. */
int plot_contours(const plot_frame_t *frame, const plot_grid_t *under,
                  const plot_grid_t *over, const plot_series_t *paths,
                  size_t npaths);

#endif
