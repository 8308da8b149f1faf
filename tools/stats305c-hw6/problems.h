/* problems.h: stats305c-train's three runs, one per problem of STATS 305C
 * HW6, each with the submission's functions: it prints what the course's
 * notebook prints and writes that problem's pictures into a folder. Not
 * the program's options (train.c). */
#ifndef S305_PROBLEMS_H
#define S305_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

/* What a run returns: done, failed (vg_error_last() says why), or skipped
 * because a function it needs is still a stub (not_implemented_which()
 * names it; the other problems still run). */
enum { S305_DONE = 0, S305_FAILED = -1, S305_NOT_IMPLEMENTED = 1 };

/* Problem 1: gradient descent on the course's two 2-D quadratics and the
 * student's optimiser on the 10-D one; p1_*.png. */
int s305_problem1(const char *out);

/* Problem 2: the classifier trained on the annulus data drawn from seed;
 * p2_*.png. */
int s305_problem2(const char *out, uint64_t seed);

/* Problem 3: the VAE trained for epochs over the course's data in DIR
 * (train-* and t10k-* idx files), or with digits > 0 on the first digits
 * of each split only (short runs, tests); p3_*.png. */
typedef struct s305_vae_opts {
    const char *data, *out;
    size_t epochs;
    size_t digits;
    uint64_t seed;
} s305_vae_opts_t;
int s305_problem3(const s305_vae_opts_t *o);

#endif
