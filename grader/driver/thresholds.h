/* thresholds.h: the short-run thresholds of fixtures/thresholds.json (made
 * by `make fixtures` from the reference over many seeds, tools/shortruns.c)
 * as the driver reads them, and the pass and partial bounds derived from
 * them. Read as the file is; not its generator. */
#ifndef VG_THRESHOLDS_H
#define VG_THRESHOLDS_H

#include <stddef.h>

/* One model's runs: the statistics the file holds. */
typedef struct short_stats {
    char metric[32];      /* "nelbo" or "accuracy" */
    int lower_is_better;
    double iters;         /* steps of each run */
    double n;             /* seeds */
    double mean, std;     /* std: sample standard deviation (n - 1) */
    double worst, best;
    double eval_repeats;  /* the evaluation the values come from */
    double eval_seed;
} short_stats_t;

/* The bounds a new run is judged by. pass: the one-sided prediction bound
 * mean +- t_{n-1, 1-alpha} * std * sqrt(1 + 1/n), which a new independent
 * run of the reference exceeds with probability alpha exactly when the
 * runs' values are normal; partial: the same with the margin multiplied by
 * partial_factor. */
typedef struct short_bounds {
    double pass, partial;
    double t;             /* the t quantile used */
    double margin;        /* |pass - mean| */
} short_bounds_t;

/* Reads the statistics of metric ("nelbo", "accuracy") of runs.<model> of
 * path (fixtures/thresholds.json: runs.<model>.metrics.<metric>, or the
 * statistics at runs.<model> itself in the file's first format) into s;
 * VG_ERR with a message naming the file and the field. Thread-safe; each
 * file is read once per process. */
int thresholds_get(short_stats_t *s, const char *path, const char *model,
                   const char *metric);

/* The bounds of s at false-fail rate alpha (0 < alpha < 1). */
short_bounds_t thresholds_bounds(const short_stats_t *s, double alpha,
                                 double partial_factor);

#endif
