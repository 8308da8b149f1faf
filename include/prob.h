/* prob.h: probability helpers the course provides (not graded, tested):
 * softplus, gaussian_parameters, Bernoulli log-likelihood with logits,
 * log-softmax and the categorical KL, each with its backward.
 * Backward functions take the gradients they write first (d-prefixed, NULL
 * to skip), then the upstream gradient, then the forward inputs; they
 * accumulate (+=). Shapes: B batch, D data dimension, Z latent, K classes. */
#ifndef VG_PROB_H
#define VG_PROB_H

#include <stddef.h>

/* log(1 + exp(x)), exact for large |x|. */
double softplus(double x);
/* d softplus / dx = sigmoid(x). */
double sigmoid(double x);

/* Splits h (B, 2Z) along its last axis into m (B,Z) = h[:, :Z] and
 * v (B,Z) = softplus(h[:, Z:]) + 1e-8, as CS236's gaussian_parameters. */
void gaussian_parameters(double *m, double *v, const double *h, size_t batch,
                         size_t z);
/* dh (B,2Z) += the gradient through the split; dm or dv may be NULL (a
 * zero upstream gradient, e.g. when only the variances are used). */
void gaussian_parameters_backward(double *dh, const double *dm,
                                  const double *dv, const double *h,
                                  size_t batch, size_t z);

/* out (B) = sum over D of x log sigmoid(l) + (1-x) log(1 - sigmoid(l)),
 * x (B,D) in [0,1], logits l (B,D); exact for logits of +-1000. */
void log_bernoulli_with_logits(double *out, const double *x,
                               const double *logits, size_t batch, size_t d);
/* dlogits (B,D) += dout[b] * (x - sigmoid(l)). */
void log_bernoulli_with_logits_backward(double *dlogits, const double *dout,
                                        const double *x, const double *logits,
                                        size_t batch, size_t d);

/* log_p (B,K) = logits - logsumexp(logits) per row; p = exp(log_p) when p
 * is not NULL. */
void log_softmax(double *log_p, double *p, const double *logits, size_t batch,
                 size_t k);
/* dlogits += dlog_p - softmax * sum(dlog_p) per row. */
void log_softmax_backward(double *dlogits, const double *dlog_p,
                          const double *log_p, size_t batch, size_t k);

/* out (B) = sum over K of q (log_q - log_p): KL(q || p) of categoricals;
 * q, log_q (B,K), log_p (K) shared by every row. */
void kl_cat(double *out, const double *q, const double *log_q,
            const double *log_p, size_t batch, size_t k);
/* Accumulates into dq and dlog_q (each may be NULL), treating q and log_q as
 * independent inputs; callers chain both through log_softmax_backward. */
void kl_cat_backward(double *dq, double *dlog_q, const double *dout,
                     const double *q, const double *log_q, const double *log_p,
                     size_t batch, size_t k);

#endif
