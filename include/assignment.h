/* assignment.h: the functions students implement, in utils.c, vae.c,
 * gmvae.c, ssvae.c and fsvae.c (bonus). The grader links these against the
 * course's framework (model.h, prob.h, rng.h) and checks values, statistics
 * and gradients against the reference solution.
 *
 * Conventions, for every function here:
 * - double arrays, row-major; sizes as size_t. Shapes: B batch, D data
 *   dimension, Z latent dimension, K mixture components, Y labels,
 *   IW importance samples.
 * - randomness only through the rng passed in, so a seed fixes every sample.
 * - a _backward twin takes the gradients it writes first (NULL to skip one),
 *   then the upstream gradient dout, then the forward inputs (and what the
 *   forward returned for it, such as eps). It ACCUMULATES (+=) and never
 *   zeroes; zeroing is the caller's business.
 * - scratch memory: take it from scratch_alloc(model, n) (model.h) in the
 *   bounds; the caller resets the scratch before each call. malloc/free are
 *   allowed too. Nothing else from libc beyond memcpy/memmove/memset and
 *   libm: the grader refuses other calls. */
#ifndef VG_ASSIGNMENT_H
#define VG_ASSIGNMENT_H

#include <stddef.h>
#include "model.h"
#include "prob.h"
#include "rng.h"
#include "not_implemented.h"

/* ---- utils.c ---------------------------------------------------------- */

/* Reparameterised sample z = m + sqrt(v) * eps with eps ~ N(0,1) drawn from
 * rng in index order (eps[i] = rng_normal(rng) for i = 0..n-1). m, v, z, eps
 * (n). eps is returned for the backward pass. */
void sample_gaussian(rng_t *rng, const double *m, const double *v, size_t n,
                     double *z, double *eps);
/* dm += dz; dv += dz * eps / (2 sqrt(v)). */
void sample_gaussian_backward(double *dm, double *dv, const double *dz,
                              const double *v, const double *eps, size_t n);

/* out[b] = log N(x[b] | m[b], diag v[b]) = sum over d of
 * -1/2 (log(2 pi v) + (x - m)^2 / v). x, m, v (B,D); out (B). */
void log_normal(const double *x, const double *m, const double *v,
                size_t batch, size_t dim, double *out);
/* dx, dm, dv (B,D) += dout[b] * d out[b] / d(x, m, v). */
void log_normal_backward(double *dx, double *dm, double *dv,
                         const double *dout, const double *x, const double *m,
                         const double *v, size_t batch, size_t dim);

/* out[b] = log (1/K) sum over k of N(z[b] | m[k], diag v[k]): a uniform
 * mixture whose K components are shared by the whole batch. z (B,D),
 * m, v (K,D), out (B). Must be finite and right when every component is
 * far away (shift by the largest component's log-density). */
void log_normal_mixture(const double *z, const double *m, const double *v,
                        size_t batch, size_t k, size_t dim, double *out);
/* dz (B,D), dm, dv (K,D) += the gradient of sum_b dout[b] * out[b]. */
void log_normal_mixture_backward(double *dz, double *dm, double *dv,
                                 const double *dout, const double *z,
                                 const double *m, const double *v,
                                 size_t batch, size_t k, size_t dim);

/* out[b] = KL(N(qm[b], diag qv[b]) || N(pm[b], diag pv[b])), summed over D:
 * 1/2 sum (log(pv/qv) + (qv + (qm - pm)^2) / pv - 1). All (B,D); out (B). */
void kl_normal(const double *qm, const double *qv, const double *pm,
               const double *pv, size_t batch, size_t dim, double *out);
void kl_normal_backward(double *dqm, double *dqv, double *dpm, double *dpv,
                        const double *dout, const double *qm, const double *qv,
                        const double *pm, const double *pv, size_t batch,
                        size_t dim);

/* log (1/n) sum exp(x[i]) and log sum exp(x[i]), finite for any finite
 * input (shift by the maximum); n >= 1. */
double log_mean_exp(const double *x, size_t n);
double log_sum_exp(const double *x, size_t n);

/* ---- the bounds ------------------------------------------------------- */

/* What a bound returns, term by term. Every term is a mean over the batch.
 * nelbo = kl + rec (vae, gmvae), kl_y + kl_z + rec (ssvae), kl_z + rec
 * (fsvae); niwae is filled by the IWAE bounds (which also fill kl and rec of
 * the ELBO computed from their first importance sample). */
typedef struct bound_terms {
    double nelbo;
    double niwae;
    double kl;    /* vae, gmvae: KL(q(z|x) || p(z)), closed form or MC */
    double kl_z;  /* ssvae, fsvae */
    double kl_y;  /* ssvae */
    double rec;   /* -E_q log p(x | z) */
} bound_terms_t;

/* vae.c: returns the negative ELBO, the mean over the batch of
 * KL(q(z|x) || N(0,I)) (closed form, kl_normal) + the reconstruction term
 * -log p(x|z) (log_bernoulli_with_logits on the decoder's logits) with ONE
 * reparameterised sample z per row (sample_gaussian over the B*Z values of
 * q's mean and variance, in row-major order). x (B,D) in [0,1].
 * When backward is non-zero, ACCUMULATES the gradient of the returned value
 * into every parameter of the model (encoder_backward, decoder_backward). */
double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward);

/* vae.c: the negative IWAE bound with iw importance samples per row,
 * -mean_b log (1/iw) sum_i p(x_b, z_i) / q(z_i | x_b), z_i ~ q(z | x_b);
 * log_mean_exp over the iw log-weights. No backward. */
double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms);

/* gmvae.c: as vae, with the uniform mixture-of-Gaussians prior of the model
 * (prior_get + gaussian_parameters give its means and variances, K x Z).
 * The KL is the one-sample Monte Carlo estimate log q(z|x) - log p(z) at
 * the same z as the reconstruction. backward also reaches the prior
 * (gaussian_parameters_backward, prior_backward). */
double gmvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward);
double gmvae_negative_iwae_bound(model_t *model, const double *x,
                                 size_t batch, size_t iw, rng_t *rng,
                                 bound_terms_t *terms);

/* ssvae.c: the semi-supervised negative ELBO on unlabelled x (B,D), with the
 * exact expectation over the Y = 10 labels under q(y|x) (the classifier's
 * softmax): kl_y = KL(q(y|x) || uniform) (kl_cat), and for each label y the
 * encoder and decoder are run on (x, onehot(y)) with one sample of z,
 * weighted by q(y|x): kl_z = sum_y q(y|x) KL(q(z|x,y) || N(0,I)),
 * rec = sum_y q(y|x) -log p(x|z,y). Rows are laid out label-major: row
 * y*B + b holds x[b] with label y, and the B*Y*Z noise values are drawn in
 * that row-major order. Terms are batch means; nelbo = kl_y + kl_z + rec.
 * backward reaches the encoder, decoder and classifier. */
double ssvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward);

/* fsvae.c (bonus): fully supervised, x (B,D) grayscale in [0,1] with labels
 * y (B,Y) one-hot; Gaussian decoder of fixed variance cfg.fixed_var (0.1):
 * rec = -log N(x | decoder(z, y), 0.1 I), kl_z against N(0,I) in closed
 * form, one sample of z. nelbo = kl_z + rec. */
double fsvae_negative_elbo_bound(model_t *model, const double *x,
                                 const double *y, size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward);

#endif
