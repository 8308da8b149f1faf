/* plot.c: loss curves (plot_lines) and latent codes coloured by class
 * (plot_scatter), drawn with PLplot on plot_canvas.c's session. Arguments
 * are checked here, before any drawing; contours are plot_contours.c's. */
#include "plot.h"

#include <math.h>
#include <plplot/plplot.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot_canvas.h"
#include "vg_error.h"

/* ---- plot_lines ----------------------------------------------------------- */

/* A point plot_lines draws: finite, and positive on a log axis. */
static int drawable(double x, double y, int log_y)
{
    return isfinite(x) && isfinite(y) && (!log_y || y > 0.0);
}

int plot_lines(const plot_frame_t *frame, const plot_series_t *series,
               size_t nseries, unsigned flags)
{
    if (plot_frame_check(frame) != VG_OK)
        return VG_ERR;
    if (!series || nseries == 0)
        return vg_error_set("plot %s: no series to draw", frame->path);
    if (flags & ~(unsigned)PLOT_LOG_Y)
        return vg_error_set("plot %s: unknown flags 0x%x", frame->path, flags);
    int log_y = (flags & PLOT_LOG_Y) != 0;

    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    size_t longest = 0;
    for (size_t s = 0; s < nseries; s++) {
        const plot_series_t *p = &series[s];
        if (p->n > 0 && (!p->x || !p->y))
            return vg_error_set("plot %s: series %zu has %zu points but no "
                                "array", frame->path, s, p->n);
        if (p->n > (size_t)INT32_MAX)
            return vg_error_set("plot %s: series %zu is too long (%zu)",
                                frame->path, s, p->n);
        for (size_t i = 0; i < p->n; i++) {
            if (log_y && isfinite(p->y[i]) && p->y[i] <= 0.0)
                return vg_error_set("plot %s: series %zu point %zu has y = "
                                    "%g, not > 0 as a log scale needs",
                                    frame->path, s, i, p->y[i]);
            if (!drawable(p->x[i], p->y[i], log_y))
                continue;
            double y = log_y ? log10(p->y[i]) : p->y[i];
            x0 = fmin(x0, p->x[i]);
            x1 = fmax(x1, p->x[i]);
            y0 = fmin(y0, y);
            y1 = fmax(y1, y);
        }
        if (p->n > longest)
            longest = p->n;
    }
    if (!(x0 <= x1))
        return vg_error_set("plot %s: no series has a finite point",
                            frame->path);
    plot_range_pad(&x0, &x1);
    plot_range_pad(&y0, &y1);

    /* One (x, y) buffer (longest) for a run of drawable points at a time. */
    PLFLT *bx = malloc(2 * longest * sizeof *bx);
    if (!bx)
        return vg_error_set("plot %s: out of memory", frame->path);
    PLFLT *by = bx + longest;

    plot_canvas_t c;
    if (plot_canvas_open(&c, frame) != VG_OK) {
        free(bx);
        return VG_ERR;
    }
    plot_canvas_axes(frame, x0, x1, y0, y1, log_y);
    enum { MAX_NAMED = 16 };
    int cols[MAX_NAMED];
    const char *names[MAX_NAMED];
    int named = 0;
    for (size_t s = 0; s < nseries; s++) {
        const plot_series_t *p = &series[s];
        plcol0(plot_col_of(s));
        plwidth(2.0);
        size_t run = 0;
        for (size_t i = 0; i <= p->n; i++) {
            if (i < p->n && drawable(p->x[i], p->y[i], log_y)) {
                bx[run] = p->x[i];
                by[run] = log_y ? log10(p->y[i]) : p->y[i];
                run++;
                continue;
            }
            /* A break, or the end: draw the run (a lone point as a dot). */
            if (run == 1)
                plot_canvas_disc(frame, bx[0], by[0], 2.0);
            else if (run > 1)
                plline((PLINT)run, bx, by);
            run = 0;
        }
        if (p->name && p->name[0] && named < MAX_NAMED) {
            cols[named] = plot_col_of(s);
            names[named] = p->name;
            named++;
        }
    }
    plwidth(1.5);
    plot_canvas_legend(named, cols, names, 1);
    free(bx);
    return plot_canvas_close(&c);
}

/* ---- plot_scatter --------------------------------------------------------- */

int plot_scatter(const plot_frame_t *frame, const double *points,
                 const int *classes, size_t n,
                 const char *const *class_names)
{
    if (plot_frame_check(frame) != VG_OK)
        return VG_ERR;
    if (n == 0 || !points || !classes)
        return vg_error_set("plot %s: no points to draw", frame->path);
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int seen[PLOT_PALETTE] = {0};
    for (size_t i = 0; i < n; i++) {
        if (classes[i] < 0 || classes[i] >= PLOT_PALETTE)
            return vg_error_set("plot %s: point %zu has class %d, not 0 .. "
                                "%d", frame->path, i, classes[i],
                                PLOT_PALETTE - 1);
        double x = points[2 * i], y = points[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            continue;
        seen[classes[i]] = 1;
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    if (!(x0 <= x1))
        return vg_error_set("plot %s: no point is finite", frame->path);
    plot_range_pad(&x0, &x1);
    plot_range_pad(&y0, &y1);
    /* Room on the right for the legend: 25% more x range. */
    x1 += 0.25 * (x1 - x0);

    plot_canvas_t c;
    if (plot_canvas_open(&c, frame) != VG_OK)
        return VG_ERR;
    plot_canvas_axes(frame, x0, x1, y0, y1, 0);
    for (size_t i = 0; i < n; i++) {
        double x = points[2 * i], y = points[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            continue;
        plcol0(plot_col_of(classes[i]));
        plot_canvas_disc(frame, x, y, 2.5);
    }
    static const char *const digits[PLOT_PALETTE] = {"0", "1", "2", "3", "4",
                                                    "5", "6", "7", "8", "9"};
    int cols[PLOT_PALETTE];
    const char *names[PLOT_PALETTE];
    int m = 0;
    for (int k = 0; k < PLOT_PALETTE; k++)
        if (seen[k]) {
            cols[m] = plot_col_of(k);
            names[m] = class_names && class_names[k] ? class_names[k] : digits[k];
            m++;
        }
    plot_canvas_legend(m, cols, names, 0);
    return plot_canvas_close(&c);
}
