/* cls_run.h: problem 2's run as the grader sets it up, shared by the
 * runner task train_classifier.run (tasks_classifier.c) and the
 * thresholds tool (tools/spread.c): the course's 500 annulus points drawn
 * from the seed, the network initialised from the same seed, full-batch
 * gradient descent at the course's lr 1 for 1,000 steps. Not the training
 * loop: that is the student's train_classifier. Shapes: N points. */
#ifndef VG_S305_CLS_RUN_H
#define VG_S305_CLS_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "annulus.h"
#include "rng.h"

/* Salts the data's stream apart from the network's initialisation. */
#define S305_CLS_DATA_SALT 0xa11a11a11a11a11aull

/* x (N,2), y (N): the annulus data of this seed. */
static inline void s305_cls_data(uint64_t seed, double *x, double *y, size_t n)
{
    rng_t r;
    rng_seed(&r, seed ^ S305_CLS_DATA_SALT);
    annulus_data(x, y, n, &r);
}

#endif
