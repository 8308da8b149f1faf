/* plot_contours.c: isocontours of one or two functions sampled on regular
 * grids (a joint density and a variational posterior over it), and paths of
 * points over them (an optimiser's iterates), with PLplot's plfcont on
 * plot_canvas.c's session. Checks every argument before drawing. */
#include "plot.h"

#include <math.h>
#include <plplot/plplot.h>
#include <stdlib.h>

#include "plot_canvas.h"
#include "vg_error.h"

/* plfcont reads f through this: grid point (ix, iy) of a row-major (ny, nx)
 * array, so that callers keep their layout. */
static PLFLT grid_value(PLINT ix, PLINT iy, PLPointer data)
{
    const plot_grid_t *g = data;
    return g->f[(size_t)iy * g->nx + (size_t)ix];
}

/* plfcont's contours come in grid indices; this maps them to the world. */
static void grid_to_world(PLFLT i, PLFLT j, PLFLT *x, PLFLT *y, PLPointer data)
{
    const plot_grid_t *g = data;
    *x = g->x0 + i * (g->x1 - g->x0) / (double)(g->nx - 1);
    *y = g->y0 + j * (g->y1 - g->y0) / (double)(g->ny - 1);
}

static int grid_check(const plot_frame_t *frame, const plot_grid_t *g,
                      const char *which)
{
    if (!g->f)
        return vg_error_set("plot %s: the %s grid has no values", frame->path,
                            which);
    if (g->nx < 2 || g->ny < 2 || g->nx > 100000 || g->ny > 100000)
        return vg_error_set("plot %s: the %s grid is %zu x %zu points, not 2 "
                            ".. 100000 per side", frame->path, which, g->nx,
                            g->ny);
    if (!(isfinite(g->x0) && isfinite(g->x1) && g->x0 < g->x1 &&
          isfinite(g->y0) && isfinite(g->y1) && g->y0 < g->y1))
        return vg_error_set("plot %s: the %s grid's extent [%g, %g] x [%g, %g]"
                            " is not two finite increasing ranges", frame->path,
                            which, g->x0, g->x1, g->y0, g->y1);
    if (g->nlevels < 1 || g->nlevels > PLOT_MAX_LEVELS)
        return vg_error_set("plot %s: the %s grid asks for %zu levels, not 1 "
                            ".. %d", frame->path, which, g->nlevels,
                            PLOT_MAX_LEVELS);
    for (size_t k = 0; k < g->nx * g->ny; k++)
        if (!isfinite(g->f[k]))
            return vg_error_set("plot %s: the %s grid's value %zu (row %zu, "
                                "column %zu) is %g; every value must be "
                                "finite", frame->path, which, k, k / g->nx,
                                k % g->nx, g->f[k]);
    if (g->levels)
        for (size_t k = 0; k < g->nlevels; k++)
            if (!isfinite(g->levels[k]))
                return vg_error_set("plot %s: the %s grid's level %zu is %g",
                                    frame->path, which, k, g->levels[k]);
    return VG_OK;
}

/* levels (nlevels): g's own, or nlevels evenly spaced strictly inside
 * (min f, max f). */
static void grid_levels(PLFLT *levels, const plot_grid_t *g)
{
    if (g->levels) {
        for (size_t k = 0; k < g->nlevels; k++)
            levels[k] = g->levels[k];
        return;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < g->nx * g->ny; k++) {
        lo = fmin(lo, g->f[k]);
        hi = fmax(hi, g->f[k]);
    }
    for (size_t k = 0; k < g->nlevels; k++)
        levels[k] = lo + (hi - lo) * (double)(k + 1) / (double)(g->nlevels + 1);
}

static void draw_grid(const plot_grid_t *g, int col)
{
    PLFLT levels[PLOT_MAX_LEVELS];
    grid_levels(levels, g);
    plcol0(col);
    plwidth(1.5);
    plfcont(grid_value, (PLPointer)g, (PLINT)g->nx, (PLINT)g->ny, 1,
            (PLINT)g->nx, 1, (PLINT)g->ny, levels, (PLINT)g->nlevels,
            grid_to_world, (PLPointer)g);
}

int plot_contours(const plot_frame_t *frame, const plot_grid_t *under,
                  const plot_grid_t *over, const plot_series_t *paths,
                  size_t npaths)
{
    if (plot_frame_check(frame) != VG_OK)
        return VG_ERR;
    if (!under)
        return vg_error_set("plot %s: no grid to contour", frame->path);
    if (grid_check(frame, under, "first") != VG_OK ||
        (over && grid_check(frame, over, "second") != VG_OK))
        return VG_ERR;
    if (npaths > 0 && !paths)
        return vg_error_set("plot %s: %zu paths but no array", frame->path,
                            npaths);
    size_t longest = 0;
    for (size_t p = 0; p < npaths; p++) {
        if (paths[p].n > 0 && (!paths[p].x || !paths[p].y))
            return vg_error_set("plot %s: path %zu has %zu points but no "
                                "array", frame->path, p, paths[p].n);
        if (paths[p].n > (size_t)INT32_MAX)
            return vg_error_set("plot %s: path %zu is too long (%zu)",
                                frame->path, p, paths[p].n);
        if (paths[p].n > longest)
            longest = paths[p].n;
    }
    PLFLT *buf = malloc((2 * longest + 1) * sizeof *buf);
    if (!buf)
        return vg_error_set("plot %s: out of memory", frame->path);

    plot_canvas_t c;
    if (plot_canvas_open(&c, frame) != VG_OK) {
        free(buf);
        return VG_ERR;
    }
    plot_canvas_axes(frame, under->x0, under->x1, under->y0, under->y1, 0);
    /* PLplot clips to the box: the second grid and the paths may reach
     * beyond the first's extent. */
    draw_grid(under, plot_col_of(PLOT_CONTOUR_UNDER));
    if (over)
        draw_grid(over, plot_col_of(PLOT_CONTOUR_OVER));
    for (size_t p = 0; p < npaths; p++) {
        const plot_series_t *s = &paths[p];
        size_t m = 0;
        for (size_t i = 0; i < s->n; i++)
            if (isfinite(s->x[i]) && isfinite(s->y[i])) {
                buf[m] = s->x[i];
                buf[longest + m] = s->y[i];
                m++;
            }
        plcol0(plot_col_of(PLOT_CONTOUR_PATH));
        if (m > 1)
            plline((PLINT)m, buf, buf + longest);
        for (size_t i = 0; i < m; i++)
            plot_canvas_disc(frame, buf[i], buf[longest + i], 2.0);
    }
    int cols[3];
    const char *names[3];
    int named = 0;
    if (under->name && under->name[0]) {
        cols[named] = plot_col_of(PLOT_CONTOUR_UNDER);
        names[named++] = under->name;
    }
    if (over && over->name && over->name[0]) {
        cols[named] = plot_col_of(PLOT_CONTOUR_OVER);
        names[named++] = over->name;
    }
    if (npaths > 0 && paths[0].name && paths[0].name[0]) {
        cols[named] = plot_col_of(PLOT_CONTOUR_PATH);
        names[named++] = paths[0].name;
    }
    plot_canvas_legend(named, cols, names, 1);
    free(buf);
    return plot_canvas_close(&c);
}
