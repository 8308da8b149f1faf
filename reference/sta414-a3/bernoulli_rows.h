/* bernoulli_rows.h: the Bernoulli log-mass of the first n pixels of each
 * row, given logits, and its backward: what density.c's full likelihood
 * (n = D) and svi.c's top half (n = 392) share. Private to the reference.
 * Shapes: B batch, D row stride (pixels a digit has), n <= D pixels read. */
#ifndef VG_STA414_BERNOULLI_ROWS_H
#define VG_STA414_BERNOULLI_ROWS_H

#include <stddef.h>

#include "prob.h"

/* out[b] = sum over j < n of x l - softplus(l): log sigmoid(l) when x = 1,
 * log sigmoid(-l) = -softplus(l) when x = 0, one softplus and no log of a
 * rounded probability, so a logit of +-1e3 gives the exact value. */
static inline void bernoulli_rows(double *out, const double *x,
                                  const double *logits, size_t batch,
                                  size_t stride, size_t n)
{
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * stride, *lb = logits + b * stride;
        double acc = 0.0;
        for (size_t j = 0; j < n; j++)
            acc += xb[j] * lb[j] - softplus(lb[j]);
        out[b] = acc;
    }
}

/* dlogits[b, j < n] += dout[b] (x - sigmoid(l)); pixels past n get
 * nothing (they are not in the sum). */
static inline void bernoulli_rows_backward(double *dlogits, const double *dout,
                                           const double *x,
                                           const double *logits, size_t batch,
                                           size_t stride, size_t n)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < n; j++) {
            size_t i = b * stride + j;
            dlogits[i] += dout[b] * (x[i] - sigmoid(logits[i]));
        }
}

#endif
