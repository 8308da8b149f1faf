/* adam.h: Adam (Kingma & Ba, with PyTorch's bias correction) over one flat
 * parameter block of a model's dtype. State is allocated once in adam_init. */
#ifndef VG_ADAM_H
#define VG_ADAM_H

#include <stddef.h>
#include "nn.h"

typedef struct adam {
    nn_dtype_t dtype;
    size_t n;
    double lr, beta1, beta2, eps;
    long t;
    void *m, *v; /* (n) first and second moments, dtype */
} adam_t;

int adam_init(adam_t *opt, size_t n, nn_dtype_t dtype, double lr,
              double beta1, double beta2, double eps);
/* params -= lr * mhat / (sqrt(vhat) + eps), params and grads (n) of dtype. */
void adam_step(adam_t *opt, void *params, const void *grads);
/* adam_step, the same parameters and moments bit for bit, and then
 * grads = 0: each gradient is zeroed as the update consumes it, so that the
 * next backward can accumulate into the block without zeroing it first. */
void adam_step_consume(adam_t *opt, void *params, void *grads);
void adam_free(adam_t *opt);

#endif
