/* test_plot.c: plot.h's figures read back with libpng as RGB: the file has
 * the asked size and is not blank; each series, class and contour shows in
 * its palette colour where it should; bad arguments and paths are errors
 * with a message, and leave no file. */
#include <criterion/criterion.h>
#include <limits.h>
#include <math.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"
#include "rgb_image.h"
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

/* Pixels of exactly colour rgb inside rows [y0, y1): the antialiased edges
 * of a line or disc blend with the background, but its core is exact. */
static size_t count_colour(const image_t *im, uint32_t rgb, size_t y0,
                           size_t y1)
{
    size_t n = 0;
    for (size_t y = y0; y < y1; y++)
        for (size_t x = 0; x < im->w; x++)
            n += pixel(im, x, y) == rgb;
    return n;
}

/* The bounding box and centroid of the pixels of colour rgb (tint: or
 * its tints, is_tint). */
typedef struct {
    size_t n, x0, x1, y0, y1;
    double cx, cy;
} blob_t;

static blob_t find_colour(const image_t *im, uint32_t rgb, int tint)
{
    blob_t b = {0, SIZE_MAX, 0, SIZE_MAX, 0, 0.0, 0.0};
    for (size_t y = 0; y < im->h; y++)
        for (size_t x = 0; x < im->w; x++)
            if (tint ? is_tint(pixel(im, x, y), rgb) : pixel(im, x, y) == rgb) {
                b.n++;
                b.x0 = x < b.x0 ? x : b.x0;
                b.x1 = x > b.x1 ? x : b.x1;
                b.y0 = y < b.y0 ? y : b.y0;
                b.y1 = y > b.y1 ? y : b.y1;
                b.cx += (double)x;
                b.cy += (double)y;
            }
    if (b.n) {
        b.cx /= (double)b.n;
        b.cy /= (double)b.n;
    }
    return b;
}

static void frame_at(plot_frame_t *f, char *path, const char *name, int w,
                     int h)
{
    tmp_path(path, dir, name);
    *f = (plot_frame_t){path, w, h, "title", "x label", "y label"};
}

Test(plot, lines_have_the_size_and_each_series_colour, .init = setup,
     .fini = teardown)
{
    enum { N = 50 };
    double x[N], a[N], b[N];
    for (int i = 0; i < N; i++) {
        x[i] = 10.0 * i;
        a[i] = 200.0 * exp(-i / 10.0) + 90.0; /* a falling loss */
        b[i] = 150.0 - i;
    }
    b[20] = NAN; /* a gap, not a failure */
    plot_series_t s[2] = {{"train", x, a, N}, {"test", x, b, N}};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "lines.png", 400, 300);
    cr_assert(plot_lines(&f, s, 2, 0) == VG_OK, "%s", vg_error_last());
    image_t im = read_rgb(path);
    cr_assert(im.w == 400 && im.h == 300, "%zu x %zu", im.w, im.h);
    size_t white = count_colour(&im, 0xffffff, 0, im.h);
    /* dark grey or black: the axes' antialiased lines */
    size_t black = count_tint(&im, 0x000000);
    cr_assert(white > im.w * im.h / 2, "background: %zu white pixels", white);
    cr_assert(black > 500, "axes and text: %zu black pixels", black);
    for (size_t k = 0; k < 2; k++)
        cr_assert(count_colour(&im, plot_palette_rgb(k), 0, im.h) > 50,
                  "series %zu's colour %06x is missing", k,
                  plot_palette_rgb(k));
    cr_assert(count_colour(&im, plot_palette_rgb(2), 0, im.h) == 0,
              "a third colour appeared");
    free(im.px);

    /* Log scale too, and a lone finite point between NaNs. */
    double c[3] = {NAN, 5.0, NAN};
    plot_series_t one = {NULL, x, c, 3};
    cr_assert(plot_lines(&f, &one, 1, PLOT_LOG_Y) == VG_OK, "%s",
              vg_error_last());
    im = read_rgb(path);
    cr_assert(count_colour(&im, plot_palette_rgb(0), 0, im.h) > 0);
    free(im.px);
}

Test(plot, lines_refuse_bad_arguments, .init = setup, .fini = teardown)
{
    double x[3] = {0, 1, 2}, y[3] = {1, -1, 2}, nan3[3] = {NAN, NAN, NAN};
    plot_series_t s = {"s", x, y, 3};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "bad.png", 200, 200);

    cr_assert(plot_lines(&f, &s, 1, PLOT_LOG_Y) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "log scale"), "%s", vg_error_last());
    cr_assert(plot_lines(&f, NULL, 1, 0) == VG_ERR);
    cr_assert(plot_lines(&f, &s, 0, 0) == VG_ERR);
    cr_assert(plot_lines(&f, &s, 1, 8u) == VG_ERR);
    plot_series_t none = {"s", x, nan3, 3};
    cr_assert(plot_lines(&f, &none, 1, 0) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "finite"), "%s", vg_error_last());
    plot_series_t no_array = {"s", NULL, y, 3};
    cr_assert(plot_lines(&f, &no_array, 1, 0) == VG_ERR);
    cr_assert(plot_lines(NULL, &s, 1, 0) == VG_ERR);
    plot_frame_t tiny = f;
    tiny.width = 10;
    cr_assert(plot_lines(&tiny, &s, 1, 0) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "size"), "%s", vg_error_last());
    plot_frame_t nameless = f;
    nameless.path = "";
    cr_assert(plot_lines(&nameless, &s, 1, 0) == VG_ERR);
    cr_assert(access(path, F_OK) != 0, "a refused figure left %s", path);
}

Test(plot, bad_paths_are_errors_not_crashes, .init = setup, .fini = teardown)
{
    double x[2] = {0, 1}, y[2] = {0, 1};
    plot_series_t s = {"s", x, y, 2};
    int cls[1] = {0};
    double pts[2] = {0, 0}, g[4] = {0, 1, 1, 2};
    plot_grid_t grid = {g, 2, 2, 0, 1, 0, 1, NULL, 1, NULL};
    char path[PATH_MAX];
    tmp_path(path, dir, "no-such-folder/plot.png");
    const char *paths[2] = {path, dir}; /* missing folder; a folder */
    for (int i = 0; i < 2; i++) {
        plot_frame_t f = {paths[i], 200, 200, NULL, NULL, NULL};
        cr_assert(plot_lines(&f, &s, 1, 0) == VG_ERR);
        cr_assert(strstr(vg_error_last(), paths[i]), "%s", vg_error_last());
        cr_assert(plot_scatter(&f, pts, cls, 1, NULL) == VG_ERR);
        cr_assert(strstr(vg_error_last(), paths[i]), "%s", vg_error_last());
        cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_ERR);
        cr_assert(strstr(vg_error_last(), paths[i]), "%s", vg_error_last());
    }
    /* And PLplot still works after the failures. */
    plot_frame_t ok;
    frame_at(&ok, path, "after.png", 200, 200);
    cr_assert(plot_lines(&ok, &s, 1, 0) == VG_OK, "%s", vg_error_last());
}

Test(plot, scatter_draws_each_class_in_its_colour_where_it_is, .init = setup,
     .fini = teardown)
{
    /* Classes 0 and 3 in two clusters in the lower half, left and right;
     * class 4 in the upper half, under the legend. */
    enum { N = 60 };
    double pts[2 * N];
    int cls[N];
    for (int i = 0; i < N; i++) {
        int k = i % 3;
        double jitter = 0.1 * sin(i * 12.9898);
        cls[i] = k == 0 ? 0 : k == 1 ? 3 : 4;
        pts[2 * i] = (k == 0 ? -2.0 : k == 1 ? 2.0 : 0.0) + jitter;
        pts[2 * i + 1] = (k == 2 ? 2.0 : -2.0) + jitter;
    }
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "scatter.png", 500, 400);
    cr_assert(plot_scatter(&f, pts, cls, N, NULL) == VG_OK, "%s",
              vg_error_last());
    image_t im = read_rgb(path);
    cr_assert(im.w == 500 && im.h == 400);
    for (int k = 0; k < PLOT_PALETTE; k++) {
        size_t n = count_colour(&im, plot_palette_rgb((size_t)k), 0, im.h);
        if (k == 0 || k == 3 || k == 4)
            cr_assert(n > 40, "class %d: %zu pixels of %06x", k, n,
                      plot_palette_rgb((size_t)k));
        else if (k != 7) /* 7 is grey, as the text's antialiased edges */
            cr_assert(n == 0, "class %d is absent but has %zu pixels", k, n);
    }
    /* The lower half holds only the two clusters: 0 left of 3. */
    blob_t b0 = {0}, b3 = {0};
    image_t lower = {im.px + im.w * 3 * (im.h / 2), im.w, im.h - im.h / 2};
    b0 = find_colour(&lower, plot_palette_rgb(0), 0);
    b3 = find_colour(&lower, plot_palette_rgb(3), 0);
    cr_assert(b0.n > 20 && b3.n > 20, "%zu, %zu", b0.n, b3.n);
    cr_assert(b0.x1 < b3.x0, "class 0 ends at x %zu, class 3 starts at %zu",
              b0.x1, b3.x0);
    cr_assert(count_colour(&lower, plot_palette_rgb(4), 0, lower.h) == 0,
              "class 4 drawn in the lower half");
    free(im.px);
}

Test(plot, scatter_refuses_bad_arguments, .init = setup, .fini = teardown)
{
    double pts[4] = {0, 0, 1, 1}, nans[2] = {NAN, 0};
    int cls[2] = {0, 10}, neg[1] = {-1};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "bad.png", 200, 200);
    cr_assert(plot_scatter(&f, pts, cls, 2, NULL) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "class 10"), "%s", vg_error_last());
    cr_assert(plot_scatter(&f, pts, neg, 1, NULL) == VG_ERR);
    cr_assert(plot_scatter(&f, pts, cls, 0, NULL) == VG_ERR);
    cr_assert(plot_scatter(&f, NULL, cls, 1, NULL) == VG_ERR);
    cr_assert(plot_scatter(&f, nans, cls, 1, NULL) == VG_ERR);
    cr_assert(access(path, F_OK) != 0, "a refused figure left %s", path);
}

/* f(x, y) = x (along) or y on [0,1]^2: the level 0.5 is a straight line,
 * vertical for x, horizontal for y, so swapped grid axes show. */
static void linear_grid(double *g, size_t n, int along_x)
{
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            g[j * n + i] = (double)(along_x ? i : j) / (double)(n - 1);
}

Test(plot, contour_of_a_linear_function_is_a_straight_line, .init = setup,
     .fini = teardown)
{
    enum { N = 21 };
    double g[N * N], level = 0.5;
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "linear.png", 400, 400);
    for (int along_x = 0; along_x <= 1; along_x++) {
        linear_grid(g, N, along_x);
        plot_grid_t grid = {g, N, N, 0, 1, 0, 1, &level, 1, NULL};
        cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_OK, "%s",
                  vg_error_last());
        image_t im = read_rgb(path);
        blob_t b = find_colour(&im, plot_palette_rgb(PLOT_CONTOUR_UNDER), 1);
        size_t wide = b.x1 - b.x0, tall = b.y1 - b.y0;
        cr_assert(b.n > 50, "%zu contour pixels", b.n);
        if (along_x)
            cr_assert(wide <= 3 && tall > 100, "x = 0.5 is %zu wide, %zu tall",
                      wide, tall);
        else
            cr_assert(tall <= 3 && wide > 100, "y = 0.5 is %zu wide, %zu tall",
                      wide, tall);
        free(im.px);
    }
}

Test(plot, contours_of_a_paraboloid_are_circles_in_place, .init = setup,
     .fini = teardown)
{
    /* f = x^2 + y^2 on [-3,3]^2: level 1 (under, blue) is the circle of
     * radius 1, level 4 (over, red) of radius 2: the same centre, twice the
     * extent on each axis. The 61-point grid puts both radii on grid
     * lines; the 5% bound covers the contour's linear interpolation within
     * a cell and a pixel of antialiasing at each end. */
    enum { N = 61 };
    double *g = malloc(N * N * sizeof *g);
    for (size_t j = 0; j < N; j++)
        for (size_t i = 0; i < N; i++) {
            double x = -3.0 + 6.0 * i / (N - 1), y = -3.0 + 6.0 * j / (N - 1);
            g[j * N + i] = x * x + y * y;
        }
    double l1 = 1.0, l4 = 4.0;
    /* No names: no legend, whose lines would carry the same colours. */
    plot_grid_t under = {g, N, N, -3, 3, -3, 3, &l1, 1, NULL};
    plot_grid_t over = {g, N, N, -3, 3, -3, 3, &l4, 1, NULL};
    /* A path from the corner to the centre, as an optimiser's iterates. */
    double px[4] = {2.5, 1.5, 0.5, 0.0}, py[4] = {-2.5, -1.5, -0.5, 0.0};
    plot_series_t path_s = {NULL, px, py, 4};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "circles.png", 500, 500);
    cr_assert(plot_contours(&f, &under, &over, &path_s, 1) == VG_OK, "%s",
              vg_error_last());
    image_t im = read_rgb(path);
    blob_t b = find_colour(&im, plot_palette_rgb(PLOT_CONTOUR_UNDER), 1);
    blob_t r = find_colour(&im, plot_palette_rgb(PLOT_CONTOUR_OVER), 1);
    blob_t p = find_colour(&im, plot_palette_rgb(PLOT_CONTOUR_PATH), 1);
    cr_assert(b.n > 50 && r.n > 50 && p.n > 10, "%zu, %zu, %zu", b.n, r.n,
              p.n);
    /* The path hides parts of both circles, so their centres come from
     * their bounding boxes, not their centroids. */
    double bx = 0.5 * (double)(b.x0 + b.x1), by = 0.5 * (double)(b.y0 + b.y1);
    double rx = 0.5 * (double)(r.x0 + r.x1), ry = 0.5 * (double)(r.y0 + r.y1);
    cr_assert(fabs(bx - rx) <= 2.0 && fabs(by - ry) <= 2.0,
              "centres (%.1f, %.1f) and (%.1f, %.1f)", bx, by, rx, ry);
    double ratio_x = (double)(r.x1 - r.x0) / (double)(b.x1 - b.x0);
    double ratio_y = (double)(r.y1 - r.y0) / (double)(b.y1 - b.y0);
    cr_assert(fabs(ratio_x - 2.0) < 0.1 && fabs(ratio_y - 2.0) < 0.1,
              "extent ratios %.3f (x), %.3f (y), expected 2", ratio_x,
              ratio_y);
    /* The path's end is the circles' centre (0, 0). */
    cr_assert(fabs((double)p.x0 - bx) <= 4.0 && fabs((double)p.y0 - by) <= 4.0,
              "the path ends at (%zu, %zu), the centre is (%.1f, %.1f)", p.x0,
              p.y0, bx, by);
    free(im.px);
    free(g);
}

Test(plot, contours_refuse_bad_arguments, .init = setup, .fini = teardown)
{
    double g[4] = {0, 1, 1, NAN}, ok[4] = {0, 1, 1, 2};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "bad.png", 200, 200);
    plot_grid_t grid = {g, 2, 2, 0, 1, 0, 1, NULL, 3, NULL};
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "finite"), "%s", vg_error_last());
    grid.f = ok;
    grid.nx = 1;
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_ERR);
    grid.nx = 2;
    grid.x1 = 0;
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_ERR);
    grid.x1 = 1;
    grid.nlevels = 0;
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_ERR);
    grid.nlevels = 1;
    cr_assert(plot_contours(&f, NULL, NULL, NULL, 0) == VG_ERR);
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 2) == VG_ERR);
    plot_grid_t bad_over = grid;
    bad_over.f = g;
    cr_assert(plot_contours(&f, &grid, &bad_over, NULL, 0) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "second"), "%s", vg_error_last());
    cr_assert(access(path, F_OK) != 0, "a refused figure left %s", path);
    /* The good grid alone draws. */
    cr_assert(plot_contours(&f, &grid, NULL, NULL, 0) == VG_OK, "%s",
              vg_error_last());
}

Test(plot, a_missing_cairo_driver_is_an_error_not_a_prompt, .init = setup,
     .fini = teardown)
{
    /* PLplot looks for its drivers in PLPLOT_DRV_DIR first: an empty
     * folder stands for a machine without plplot-driver-cairo. Unchecked,
     * plinit() would then ask for a device on stdin. (Each Criterion test
     * is its own process: the variable goes no further.) */
    char empty[PATH_MAX];
    tmp_path(empty, dir, "no-drivers");
    cr_assert(mkdir(empty, 0700) == 0);
    cr_assert(setenv("PLPLOT_DRV_DIR", empty, 1) == 0);
    double x[2] = {0, 1}, y[2] = {0, 1};
    plot_series_t s = {"s", x, y, 2};
    char path[PATH_MAX];
    plot_frame_t f;
    frame_at(&f, path, "nodriver.png", 200, 200);
    cr_assert(plot_lines(&f, &s, 1, 0) == VG_ERR);
    cr_assert(strstr(vg_error_last(), "plplot-driver-cairo"), "%s",
              vg_error_last());
    cr_assert(access(path, F_OK) != 0, "a failed figure left %s", path);
    /* With the drivers back, the same call draws. */
    cr_assert(unsetenv("PLPLOT_DRV_DIR") == 0);
    cr_assert(plot_lines(&f, &s, 1, 0) == VG_OK, "%s", vg_error_last());
}
