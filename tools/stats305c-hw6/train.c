/* train.c: stats305c-train, STATS 305C HW6's training program. Runs the
 * three problems with whichever functions it is linked with (the
 * reference, or a submission built by `make train
 * ASSIGNMENT=stats305c-hw6`), prints what the course's notebook prints
 * (problem 3's test ELBO last) and writes every picture into --out.
 * A problem whose functions are still stubs is skipped and said; the
 * others run. Exit status 0 when all the asked problems ran, 1 when one
 * was skipped or failed, 2 for bad options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "dirs.h"
#include "nn.h"
#include "problems.h"
#include "step.h"
#include "vg_error.h"

static const char usage[] =
    "usage: stats305c-train [--data DIR] [--epochs N] [--seed S] "
    "[--threads T] [--digits N] [--problems LIST] [--out DIR]\n"
    "  DIR holds the full MNIST: train-images-idx3-ubyte[.gz],\n"
    "  train-labels-idx1-ubyte[.gz] and the t10k-* pair (default\n"
    "  fixtures/mnist-full); problem 3 trains N epochs (the course's 20);\n"
    "  --digits N uses the first N digits of each split instead (short\n"
    "  runs, tests); --problems picks some of 1, 2, 3 (default 123);\n"
    "  pictures into --out (runs/stats305c-hw6)\n";

typedef struct options {
    s305_vae_opts_t vae;
    int threads;
    int run[4]; /* run[p]: problem p asked for */
} options_t;

static int parse(options_t *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->vae.data = "fixtures/mnist-full";
    o->vae.out = "runs/stats305c-hw6";
    o->vae.epochs = config_stats305c_hw6().epochs;
    o->threads = 1;
    o->run[1] = o->run[2] = o->run[3] = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long n;
        if (!v)
            return vg_error_set("%s needs a value", a);
        if (strcmp(a, "--data") == 0)
            o->vae.data = v;
        else if (strcmp(a, "--out") == 0)
            o->vae.out = v;
        else if (strcmp(a, "--epochs") == 0 && s305_parse_count(v, &n) == VG_OK && n)
            o->vae.epochs = (size_t)n;
        else if (strcmp(a, "--digits") == 0 && s305_parse_count(v, &n) == VG_OK &&
                 n >= 100)
            o->vae.digits = (size_t)n;
        else if (strcmp(a, "--seed") == 0 && s305_parse_count(v, &n) == VG_OK)
            o->vae.seed = n;
        else if (strcmp(a, "--threads") == 0 && s305_parse_count(v, &n) == VG_OK &&
                 n >= 1 && n <= 64)
            o->threads = (int)n;
        else if (strcmp(a, "--problems") == 0 && *v &&
                 strspn(v, "123") == strlen(v)) {
            o->run[1] = strchr(v, '1') != NULL;
            o->run[2] = strchr(v, '2') != NULL;
            o->run[3] = strchr(v, '3') != NULL;
        } else
            return vg_error_set("bad option or value: %s %s", a, v);
        i++;
    }
    return VG_OK;
}

/* Says how problem p ended; 0 when it ran. */
static int report(int p, int rc)
{
    if (rc == S305_NOT_IMPLEMENTED) {
        printf("problem %d: skipped: %s is not implemented (the submission "
               "lacks it, or it still calls not_implemented)\n", p,
               not_implemented_which());
        not_implemented_reset();
    } else if (rc != S305_DONE)
        fprintf(stderr, "stats305c-train: problem %d: %s\n", p,
                vg_error_last());
    fflush(stdout);
    return rc != S305_DONE;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse(&o, argc, argv) != VG_OK) {
        fprintf(stderr, "stats305c-train: %s\n%s", vg_error_last(), usage);
        return 2;
    }
    if (dirs_make_all(o.vae.out, 0777) != VG_OK) {
        fprintf(stderr, "stats305c-train: %s\n", vg_error_last());
        return 1;
    }
    nn_set_threads(o.threads);
    int bad = 0;
    if (o.run[1])
        bad |= report(1, s305_problem1(o.vae.out));
    if (o.run[2])
        bad |= report(2, s305_problem2(o.vae.out, o.vae.seed));
    if (o.run[3])
        bad |= report(3, s305_problem3(&o.vae));
    printf("pictures in %s\n", o.vae.out);
    return bad;
}
