/* prob.c: the probability helpers of prob.h (softplus, gaussian_parameters,
 * Bernoulli log-likelihood with logits, log-softmax, categorical KL), each
 * beside its backward, all in double and stable at extreme inputs. Not
 * graded code: students call these, the grader tests them.
 * Shapes: B batch, D data dimension, Z latent, K classes. */
#include "prob.h"

#include <math.h>

/* log(1 + e^x) = max(x, 0) + log1p(e^-|x|): the exponent is never
 * positive, so nothing overflows, and log1p keeps the tail exact where
 * e^-|x| is tiny (softplus(-40) = 4.2e-18, not 0). */
double softplus(double x)
{
    return (x > 0 ? x : 0.0) + log1p(exp(-fabs(x)));
}

/* Both branches take exp of a non-positive number, so neither overflows. */
double sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

/* The 1e-8 keeps v away from 0 when softplus underflows, as CS236. */
void gaussian_parameters(double *m, double *v, const double *h, size_t batch,
                         size_t z)
{
    for (size_t b = 0; b < batch; b++) {
        const double *hb = h + b * 2 * z; /* (2Z) */
        for (size_t j = 0; j < z; j++) {
            m[b * z + j] = hb[j];
            v[b * z + j] = softplus(hb[z + j]) + 1e-8;
        }
    }
}

/* dh (B,2Z) += [dm, dv * sigmoid(h[:, Z:])]; dm or dv NULL counts as zero
 * upstream gradient. */
void gaussian_parameters_backward(double *dh, const double *dm,
                                  const double *dv, const double *h,
                                  size_t batch, size_t z)
{
    for (size_t b = 0; b < batch; b++) {
        double *dhb = dh + b * 2 * z;      /* (2Z) */
        const double *hb = h + b * 2 * z;  /* (2Z) */
        for (size_t j = 0; j < z; j++) {
            if (dm)
                dhb[j] += dm[b * z + j];
            if (dv)
                dhb[z + j] += dv[b * z + j] * sigmoid(hb[z + j]);
        }
    }
}

/* x log s(l) + (1-x) log(1 - s(l)) = x l - softplus(l): one softplus and no
 * log of a rounded probability, so logits of +-1000 give exact values (the
 * PyTorch BCE-with-logits form). */
void log_bernoulli_with_logits(double *out, const double *x,
                               const double *logits, size_t batch, size_t d)
{
    for (size_t b = 0; b < batch; b++) {
        const double *xb = x + b * d, *lb = logits + b * d; /* (D) */
        double acc = 0.0;
        for (size_t j = 0; j < d; j++)
            acc += xb[j] * lb[j] - softplus(lb[j]);
        out[b] = acc;
    }
}

void log_bernoulli_with_logits_backward(double *dlogits, const double *dout,
                                        const double *x, const double *logits,
                                        size_t batch, size_t d)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < d; j++) {
            size_t i = b * d + j;
            dlogits[i] += dout[b] * (x[i] - sigmoid(logits[i]));
        }
}

/* Shifts each row by its maximum, so exp never overflows and the largest
 * term is exactly 1. */
void log_softmax(double *log_p, double *p, const double *logits, size_t batch,
                 size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        const double *lb = logits + b * k; /* (K) */
        double mx = lb[0];
        for (size_t j = 1; j < k; j++)
            if (lb[j] > mx)
                mx = lb[j];
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += exp(lb[j] - mx);
        double lse = mx + log(s);
        for (size_t j = 0; j < k; j++) {
            log_p[b * k + j] = lb[j] - lse;
            if (p)
                p[b * k + j] = exp(lb[j] - lse);
        }
    }
}

void log_softmax_backward(double *dlogits, const double *dlog_p,
                          const double *log_p, size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        const double *g = dlog_p + b * k, *lp = log_p + b * k; /* (K) */
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += g[j];
        for (size_t j = 0; j < k; j++)
            dlogits[b * k + j] += g[j] - exp(lp[j]) * s;
    }
}

/* Takes q and log_q both, as CS236's kl_cat, so that a q that underflowed
 * to 0 still meets a finite log_q and contributes 0, not NaN. */
void kl_cat(double *out, const double *q, const double *log_q,
            const double *log_p, size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < k; j++)
            acc += q[b * k + j] * (log_q[b * k + j] - log_p[j]);
        out[b] = acc;
    }
}

void kl_cat_backward(double *dq, double *dlog_q, const double *dout,
                     const double *q, const double *log_q, const double *log_p,
                     size_t batch, size_t k)
{
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < k; j++) {
            size_t i = b * k + j;
            if (dq)
                dq[i] += dout[b] * (log_q[i] - log_p[j]);
            if (dlog_q)
                dlog_q[i] += dout[b] * q[i];
        }
}
