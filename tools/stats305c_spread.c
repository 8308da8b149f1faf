/* stats305c_spread.c: the stats305c-hw6 reference's spread over seeds, the
 * numbers its tests' and checks' bounds come from (`make
 * stats305c-spread`): problem 2's training accuracy and final loss after
 * the course's run (500 points, lr 1, 1,000 steps) with data and network
 * from each seed, and problem 1's Adam final f on the 10-D problem,
 * unshifted and shifted by c ~ U(-5, 5)^10 from each seed. Not a test.
 * Usage: stats305c-spread [--seeds N]   (seeds 1..N, default 40) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "vg_error.h"

int main(int argc, char **argv)
{
    unsigned long n_seeds = 40;
    if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
        n_seeds = strtoul(argv[2], NULL, 10);
    else if (argc != 1) {
        fprintf(stderr, "usage: %s [--seeds N]\n", argv[0]);
        return 2;
    }
    const stats305c_config_t s = config_stats305c_hw6();
    const size_t n = s.annulus_n, T = s.cls_iters, H = s.hd_iters;
    double *x = malloc(n * 2 * sizeof *x), *y = malloc(n * sizeof *y);
    double *losses = malloc(((T > H ? T : H) + 1) * sizeof *losses);
    double *xs = malloc((H + 1) * s.hd_n * sizeof *xs);
    double a[64], x0[64], c[64];
    if (!x || !y || !losses || !xs || s.hd_n > 64) {
        fprintf(stderr, "stats305c-spread: out of memory\n");
        return 1;
    }
    stats305c_hd_coefficients(a, s.hd_n);
    for (size_t i = 0; i < s.hd_n; i++)
        x0[i] = s.hd_x0;
    printf("seed  accuracy  final_loss  adam_f_shifted\n");
    size_t perfect = 0;
    double worst = 1.0;
    for (unsigned long seed = 1; seed <= n_seeds; seed++) {
        rng_t rng;
        rng_seed(&rng, seed);
        annulus_data(x, y, n, &rng);
        annulus_net_t net;
        if (annulus_net_create(&net, n, seed) != VG_OK ||
            train_classifier(&net, x, y, n, s.cls_lr, T, losses) != 0) {
            fprintf(stderr, "stats305c-spread: %s\n", vg_error_last());
            return 1;
        }
        double acc = annulus_net_accuracy(&net, x, y, n), final = losses[T - 1];
        annulus_net_free(&net);
        perfect += acc == 1.0;
        worst = acc < worst ? acc : worst;
        rng_seed(&rng, seed);
        for (size_t i = 0; i < s.hd_n; i++)
            c[i] = -5.0 + 10.0 * rng_uniform(&rng);
        quadratic_t q = { s.hd_n, a, c };
        objective_t f = quadratic_objective(&q);
        run_my_optimizer(&f, x0, H, xs, losses);
        printf("%4lu  %8.3f  %10.5f  %14.3g\n", seed, acc, final,
               losses[H]);
    }
    quadratic_t q0 = { s.hd_n, a, NULL };
    objective_t f0 = quadratic_objective(&q0);
    run_my_optimizer(&f0, x0, H, xs, losses);
    printf("accuracy 1.000 on %zu of %lu seeds, worst %.3f; Adam unshifted "
           "f_%zu = %.3g (target %g)\n", perfect, n_seeds, worst, H, losses[H],
           s.hd_target);
    free(x);
    free(y);
    free(losses);
    free(xs);
    return 0;
}
