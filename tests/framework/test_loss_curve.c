/* test_loss_curve.c: loss_curve.h's recorder (which steps it keeps, that it
 * stays within the buffers it sized) and the picture vae-train writes with
 * it: a short run of the reference leaves loss.png with both series. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loss_curve.h"
#include "plot.h"
#include "rgb_image.h"
#include "tmpfiles.h"
#include "vg_error.h"

/* The reference's training program, as `make` builds it (test-build
 * depends on `all`, which builds it). */
#define VAE_TRAIN "build/rel/train/reference/vae-train"

static char dir[PATH_MAX];

static void setup(void)
{
    tmp_dir_create(dir);
}

static void teardown(void)
{
    tmp_dir_remove(dir);
}

Test(loss_curve, keeps_the_first_every_kth_and_last_steps)
{
    static const size_t iters[] = {1, 7, 500, 501, 1001, 20000, 123457};
    for (size_t k = 0; k < sizeof iters / sizeof iters[0]; k++) {
        loss_curve_t c;
        cr_assert(loss_curve_create(&c, iters[k], 0) == VG_OK, "%s",
                  vg_error_last());
        for (size_t i = 1; i <= iters[k]; i++)
            loss_curve_add_train(&c, i, 1000.0 / (double)i);
        cr_assert(c.n_train <= LOSS_CURVE_POINTS + 2 && c.n_train <= c.cap_train,
                  "%zu steps: %zu points (capacity %zu)", iters[k], c.n_train,
                  c.cap_train);
        cr_assert(c.train_step[0] == 1.0);
        cr_assert(c.train_step[c.n_train - 1] == (double)iters[k],
                  "%zu steps: the last point is step %g", iters[k],
                  c.train_step[c.n_train - 1]);
        for (size_t i = 1; i < c.n_train; i++)
            cr_assert(c.train_step[i] > c.train_step[i - 1]);
        /* Not thinned needlessly: at least half the points it may keep. */
        size_t want = iters[k] < LOSS_CURVE_POINTS ? iters[k] : LOSS_CURVE_POINTS / 2;
        cr_assert(c.n_train >= want, "%zu steps: only %zu points", iters[k],
                  c.n_train);
        loss_curve_free(&c);
    }
}

Test(loss_curve, test_points_stop_at_their_capacity)
{
    loss_curve_t c;
    cr_assert(loss_curve_create(&c, 100, 10) == VG_OK);
    /* 10 periodic evaluations (the 10th is the last step) and the final. */
    for (size_t i = 1; i <= 20; i++)
        loss_curve_add_test(&c, i * 10, 100.0);
    cr_assert(c.n_test == c.cap_test && c.cap_test == 11, "%zu of %zu",
              c.n_test, c.cap_test);
    loss_curve_free(&c);
    cr_assert(loss_curve_create(&c, 0, 0) == VG_ERR);
}

Test(loss_curve, nothing_recorded_is_an_error, .init = setup, .fini = teardown)
{
    loss_curve_t c;
    cr_assert(loss_curve_create(&c, 10, 0) == VG_OK);
    char path[PATH_MAX];
    tmp_path(path, dir, "loss.png");
    cr_assert(loss_curve_write(&c, path, "t") == VG_ERR);
    cr_assert(strstr(vg_error_last(), "finite"), "%s", vg_error_last());
    loss_curve_free(&c);
}

Test(loss_curve, vae_train_writes_it_with_both_series, .init = setup,
     .fini = teardown, .timeout = 120)
{
    char cmd[3 * PATH_MAX], path[PATH_MAX], summary[PATH_MAX];
    snprintf(cmd, sizeof cmd, VAE_TRAIN " vae --iters 30 --eval-every 10 "
             "--out %s > %s/log 2>&1", dir, dir);
    int rc = system(cmd);
    cr_assert(rc == 0, "%s: status %d (log in %s/log)", cmd, rc, dir);

    tmp_path(path, dir, "loss.png");
    image_t im = read_rgb(path);
    cr_assert(im.w == LOSS_CURVE_WIDTH && im.h == LOSS_CURVE_HEIGHT,
              "%zu x %zu", im.w, im.h);
    /* The training loss (30 points) and the test NELBO (3 periodic and
     * the final evaluation), each in its palette colour. The legend's
     * sample lines alone make about 150 and 100 such pixels (measured on
     * a 300-step run's picture: 1734 and 887 in all); the lines across
     * the box make several hundred more. */
    size_t train = count_tint(&im, plot_palette_rgb(0));
    size_t test = count_tint(&im, plot_palette_rgb(1));
    cr_assert(train > 600 && test > 300, "%zu training-loss pixels, %zu "
              "test-NELBO pixels", train, test);
    free(im.px);

    tmp_path(summary, dir, "summary.json");
    uint8_t *text;
    size_t n;
    tmp_read(&text, &n, summary);
    cr_assert(memmem(text, n, "\"loss_curve\":\t\"loss.png\"", 24) != NULL,
              "summary.json does not name loss.png: %.*s", (int)n, text);
    free(text);
}
