/* loss_curve.c: loss_curve.h's recorder and its picture. The training
 * program feeds it; plot_lines draws it. */
#include "loss_curve.h"

#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "vg_error.h"

int loss_curve_create(loss_curve_t *c, size_t iters, size_t eval_every)
{
    memset(c, 0, sizeof *c);
    if (iters == 0)
        return vg_error_set("loss curve: a run of 0 steps");
    c->iters = iters;
    c->every = (iters + LOSS_CURVE_POINTS - 1) / LOSS_CURVE_POINTS;
    /* The first step, each multiple of every, the last. */
    c->cap_train = iters / c->every + 2;
    /* Each evaluation, and the final one. */
    c->cap_test = (eval_every ? iters / eval_every : 0) + 1;
    size_t n = 2 * (c->cap_train + c->cap_test);
    double *block = malloc(n * sizeof *block);
    if (!block)
        return vg_error_set("loss curve: out of memory for %zu points", n / 2);
    c->block = block;
    c->train_step = block;
    c->train_loss = c->train_step + c->cap_train;
    c->test_step = c->train_loss + c->cap_train;
    c->test_nelbo = c->test_step + c->cap_test;
    return VG_OK;
}

void loss_curve_add_train(loss_curve_t *c, size_t step, double loss)
{
    if (step != 1 && step % c->every != 0 && step != c->iters)
        return;
    if (c->n_train == c->cap_train)
        return;
    c->train_step[c->n_train] = (double)step;
    c->train_loss[c->n_train] = loss;
    c->n_train++;
}

void loss_curve_add_test(loss_curve_t *c, size_t step, double nelbo)
{
    if (c->n_test == c->cap_test)
        return;
    c->test_step[c->n_test] = (double)step;
    c->test_nelbo[c->n_test] = nelbo;
    c->n_test++;
}

int loss_curve_write(const loss_curve_t *c, const char *path,
                     const char *title)
{
    plot_series_t s[2] = {
        {"training loss (running mean)", c->train_step, c->train_loss,
         c->n_train},
        {"test NELBO", c->test_step, c->test_nelbo, c->n_test},
    };
    plot_frame_t f = {path, LOSS_CURVE_WIDTH, LOSS_CURVE_HEIGHT, title,
                      "step", "nats per digit"};
    return plot_lines(&f, s, 2, 0);
}

void loss_curve_free(loss_curve_t *c)
{
    free(c->block);
    memset(c, 0, sizeof *c);
}
