/* train_cli.h: the command line of vae-train (and of the bench, which
 * shares it), parsed strictly: every malformed option is an error naming
 * the option and the value. Not the program itself (tools/vae_train.c). */
#ifndef VG_TRAIN_CLI_H
#define VG_TRAIN_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define TRAIN_DEFAULT_ITERS 20000 /* CS236's iter_max of run_vae/run_gmvae */
#define TRAIN_DEFAULT_DATA "fixtures/mnist-full"
#define TRAIN_MAX_THREADS 64

typedef struct train_options {
    model_kind_t kind;
    size_t iters;         /* --iters N (>= 1) */
    uint64_t seed;        /* --seed S */
    size_t batch;         /* --batch B (>= 1), 0 = the configuration's */
    int threads;          /* --threads T (1..TRAIN_MAX_THREADS) */
    size_t eval_every;    /* --eval-every K, 0 = only at the end */
    const char *out_dir;  /* --out DIR, NULL = runs/MODEL */
    const char *data_dir; /* --data DIR */
    int has_gen_weight;   /* --gen-weight W given (ssvae) */
    double gen_weight;
    int help;             /* --help: print usage, do nothing else */
} train_options_t;

/* Parses argv[1..argc) (argv[0] is the program); VG_ERR with a message on
 * any malformed, unknown, repeated or missing option. Options take their
 * value as the next argument or after '='. */
int train_options_parse(train_options_t *o, int argc, char **argv);
/* The usage text, for --help and after an error. */
const char *train_options_usage(void);

#endif
