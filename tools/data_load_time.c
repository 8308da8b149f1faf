/* data_load_time.c: how long train_data_load_parts takes on a data folder,
 * for each set of parts a program loads (the whole run as vae-train, the
 * training split alone as a grader short run trains, t10k alone as its
 * ssvae evaluation), best of 3, with the process's peak memory. The
 * measurement behind fixtures/README.md's loading figures; not a test.
 * Usage: data-load-time DIR */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "train.h"
#include "vg_error.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    static const struct { unsigned parts; const char *name; } sets[] = {
        {TRAIN_DATA_TRAIN | TRAIN_DATA_TEST | TRAIN_DATA_SUBSET, "all (vae-train)"},
        {TRAIN_DATA_TRAIN, "train (a short run's training)"},
        {TRAIN_DATA_TEST, "t10k (ssvae's evaluation)"},
    };
    for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
        double best = 1e30;
        for (int r = 0; r < 3; r++) {
            train_data_t d;
            double t0 = now_s();
            if (train_data_load_parts(&d, argv[1], sets[s].parts) != VG_OK) {
                fprintf(stderr, "data-load-time: %s\n", vg_error_last());
                return 1;
            }
            double t = now_s() - t0;
            best = t < best ? t : best;
            train_data_free(&d);
        }
        printf("%-32s %.3f s\n", sets[s].name, best);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak resident memory %.0f MiB\n", (double)ru.ru_maxrss / 1024.0);
    return 0;
}
