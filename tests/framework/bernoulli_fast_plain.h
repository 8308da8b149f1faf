/* bernoulli_fast_plain.h: bernoulli_fast.c built without its AVX2 kernels
 * (bernoulli_fast_plain.c), under other names so that it links beside the
 * real one: the path a CPU without AVX2 takes, for test_bernoulli_fast.c.
 * Shapes: B batch, D data dimension. */
#ifndef VG_TESTS_BERNOULLI_FAST_PLAIN_H
#define VG_TESTS_BERNOULLI_FAST_PLAIN_H

#include <stddef.h>

void plain_bernoulli_fast_log_lik(double *out, const double *x,
                                  const double *logits, size_t batch,
                                  size_t d);
void plain_bernoulli_fast_log_lik_backward(double *dlogits,
                                           const double *dout,
                                           const double *x,
                                           const double *logits,
                                           size_t batch, size_t d);
void plain_bernoulli_fast_log_lik_with_grad(double *out, double *dlogits,
                                            const double *dout,
                                            const double *x,
                                            const double *logits,
                                            size_t batch, size_t d);

#endif
