/* plot_canvas.h: what plot.c and plot_contours.c share, inside the
 * framework only: one PLplot session drawing into memory, its axes and
 * legend, and the checks of the arguments common to every figure. */
#ifndef VG_PLOT_CANVAS_H
#define VG_PLOT_CANVAS_H

#include <stdint.h>

#include "plot.h"

/* PLplot's colour map 0 as this project sets it: the background, the
 * foreground (axes, text), then the palette. */
#define PLOT_COL_BACKGROUND 0
#define PLOT_COL_FOREGROUND 1
#define PLOT_COL_PALETTE 2
#define plot_col_of(palette_index) (PLOT_COL_PALETTE + (int)((palette_index) % PLOT_PALETTE))

/* Checks frame (path, size; texts may be NULL) before anything is drawn. */
int plot_frame_check(const plot_frame_t *frame);

/* One figure: rgb (height, width, 3) is the page cairo draws into. */
typedef struct {
    const plot_frame_t *frame;
    uint8_t *rgb;
} plot_canvas_t;

/* Starts a PLplot session on a white page of frame's size. On failure
 * nothing is left open; on success plot_canvas_close must follow. */
int plot_canvas_open(plot_canvas_t *c, const plot_frame_t *frame);
/* Ends the session (every PLplot stream and the library's state), then
 * writes the page to frame->path as an 8-bit RGB PNG unless PLplot
 * reported an error while drawing. Frees the page either way. */
int plot_canvas_close(plot_canvas_t *c);

/* The axes: a viewport with room for the labels, the world window
 * [x0,x1] x [y0,y1] (log10 of y when log_y), a box with ticks and the
 * frame's title and labels. */
void plot_canvas_axes(const plot_frame_t *frame, double x0, double x1,
                      double y0, double y1, int log_y);

/* A legend of n entries in the top-right corner inside the box: a line
 * (lines != 0) or a filled box in colour map 0 entries cols[i], text
 * names[i]. */
void plot_canvas_legend(int n, const int *cols, const char *const *names,
                        int lines);

/* A filled disc of radius_px pixels centred at world (x, y), in the
 * current colour: round whatever the axes' scales (after plot_canvas_axes). */
void plot_canvas_disc(const plot_frame_t *frame, double x, double y,
                      double radius_px);

/* [*lo, *hi] widened by 5% on each side (or by 0.5 when lo == hi, or
 * lo - 1, hi + 1 when that rounds away), so that nothing sits on the box. */
void plot_range_pad(double *lo, double *hi);

#endif
