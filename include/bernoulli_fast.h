/* bernoulli_fast.h: prob.h's Bernoulli log-likelihood with logits and its
 * backward, fast: one exp per pixel, four pixels at a time with AVX2 where
 * the CPU has it, agreeing with log_bernoulli_with_logits (the plain
 * in-tree reference they are tested against) to rounding. The reference
 * bounds use them. Not part of the assignment API: students call prob.h's.
 * Shapes: B batch, D data dimension. */
#ifndef VG_REFERENCE_BERNOULLI_FAST_H
#define VG_REFERENCE_BERNOULLI_FAST_H

#include <stddef.h>

/* out (B) = sum over D of x log sigmoid(l) + (1 - x) log(1 - sigmoid(l)),
 * x, logits (B,D), as log_bernoulli_with_logits. */
void bernoulli_fast_log_lik(double *out, const double *x,
                            const double *logits, size_t batch, size_t d);
/* dlogits (B,D) += dout[b] * (x - sigmoid(l)), as
 * log_bernoulli_with_logits_backward. */
void bernoulli_fast_log_lik_backward(double *dlogits, const double *dout,
                                     const double *x, const double *logits,
                                     size_t batch, size_t d);
/* Both in one pass, for a caller that knows dout before the forward (a
 * bound's weight on each row): out (B) as bernoulli_fast_log_lik and
 * dlogits (B,D) += dout[b] * (x - sigmoid(l)), the same values as the two
 * calls, at about the cost of one. */
void bernoulli_fast_log_lik_with_grad(double *out, double *dlogits,
                                      const double *dout, const double *x,
                                      const double *logits, size_t batch,
                                      size_t d);

#endif
