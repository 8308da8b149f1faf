/* p2.c: problem 2 (problems.h): the annulus data drawn from a seed, the
 * course's network from the same seed, trained by the submission's
 * train_classifier (full-batch gradient descent, lr 1, 1,000 iterations),
 * with its loss curve and its probabilities over the plane. */
#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "assignment.h"
#include "config.h"
#include "figures.h"
#include "vg_error.h"

/* The data's stream apart from the network's initialisation (seed). */
#define DATA_STREAM 0x305c2ULL

int s305_problem2(const char *out, uint64_t seed)
{
    const stats305c_config_t c = config_stats305c_hw6();
    const size_t N = c.annulus_n, T = c.cls_iters;
    double *x = malloc(N * 2 * sizeof *x);         /* (N,2) */
    double *y = malloc(N * sizeof *y);             /* (N) */
    double *losses = malloc(T * sizeof *losses);   /* (T) */
    double *it = malloc(T * sizeof *it);           /* (T) */
    char path[S305_PATH_LEN];
    annulus_net_t net = {0};
    int have_net = 0, status = S305_FAILED;
    if (!x || !y || !losses || !it) {
        vg_error_set("problem 2: out of memory");
        goto cleanup;
    }
    rng_t rng;
    rng_seed(&rng, seed ^ DATA_STREAM);
    annulus_data(x, y, N, &rng);
    if (annulus_net_create(&net, N, seed) != 0)
        goto cleanup;
    have_net = 1;
    int rc = train_classifier(&net, x, y, N, c.cls_lr, T, losses);
    if (not_implemented_which()) {
        status = S305_NOT_IMPLEMENTED;
        goto cleanup;
    }
    if (rc != 0) {
        vg_error_set("problem 2: train_classifier returned %d%s%s", rc,
                     *vg_error_last() ? ": " : "", vg_error_last());
        goto cleanup;
    }
    double acc = annulus_net_accuracy(&net, x, y, N);
    printf("problem 2: %zu points, %zu full-batch gradient descent steps at "
           "lr %g: loss %.6f -> %.6f, training accuracy %.1f%%\n", N, T,
           c.cls_lr, losses[0], losses[T - 1], 100.0 * acc);
    for (size_t k = 0; k < T; k++)
        it[k] = (double)k;
    plot_series_t s = {"mean BCE", it, losses, T};
    if (s305_path_in(path, out, "p2_losses.png") != VG_OK ||
        figure_losses(path, "problem 2: the classifier's training loss",
                      "gradient descent iteration", &s, 1) != VG_OK ||
        s305_path_in(path, out, "p2_probability.png") != VG_OK ||
        figure_probability(path, &net, x, N) != VG_OK ||
        s305_path_in(path, out, "p2_data.png") != VG_OK ||
        figure_annulus_data(path, x, y, N) != VG_OK)
        goto cleanup;
    status = S305_DONE;
cleanup:
    if (have_net)
        annulus_net_free(&net);
    free(x);
    free(y);
    free(losses);
    free(it);
    return status;
}
