/* assignment.h (cse599i-hw2): the functions students of UW CSE 599i
 * (Generative Models) Homework 2 implement, with MLPs in place of the
 * course's convolutional blocks: the closed-form KL (Problem 1), the
 * Gaussian VAE's ELBO with the closed-form and the Monte Carlo KL
 * (Problem 5b, 5c), the discrete-output VAE's ELBO (6b), the
 * importance-sampled log p(x) (Problem 2, 6b) and an inverse
 * autoregressive flow (Problem 3, 6d), in kl.c, elbo.c, importance.c and
 * flow.c. Compiled with -Iinclude/cse599i-hw2 -Iinclude and linked against
 * the course's framework (model.h, iaf.h, made.h, prob.h, rng.h).
 *
 * The model is config_model_cse599i_hw2() (config.h): encoder 784 -> 300
 * ELU -> 300 ELU -> (mu, log variance) of a factorised Gaussian over
 * Z = 10, decoder 10 -> 300 ELU -> 300 ELU -> 784 with an identity output,
 * which is the mean g(z) for the Gaussian VAE and the Bernoulli logits for
 * the discrete one (two models of the same shape). encoder_forward gives
 * (mu, var) with var = exp(log variance) and encoder_backward takes
 * (dmu, dvar): nobody here needs the parameterisation.
 *
 * Conventions, for every function here (CS236's, include/assignment.h):
 * - double arrays, row-major; sizes as size_t. Shapes: B batch, D data
 *   dimension (784 = 28 x 28, row-major pixels), Z latent, M importance
 *   samples, T flow steps. Row b of x goes with row b of z.
 * - log densities and KLs are per row: out (B), summed over the Z (or D)
 *   coordinates, never over the batch. The ELBOs return the MEAN over
 *   the batch of the ELBO itself (not of the loss -ELBO).
 * - randomness only through the rng passed in, so a seed fixes every
 *   sample. A reparameterised sample is z = mu + sqrt(var) * eps with the
 *   B*Z normals eps drawn by rng_normal_fill in row-major (B,Z) order
 *   (any correct estimator is accepted; the grader's comparisons with
 *   the same noise use this order, and its statistical checks any).
 * - a _backward twin takes the gradients it writes first (NULL to skip
 *   one), then the upstream gradient dout, then the forward's inputs. It
 *   ACCUMULATES (+=) and never zeroes.
 * - functions that run a network return 0 on success and non-zero when a
 *   framework call failed (pass that on), the ELBOs NAN; the others cannot
 *   fail.
 * - scratch memory: take it from scratch_alloc(model, n) (model.h), never
 *   reset it: the caller resets it before each call of this API.
 *   malloc/free are allowed too. Nothing else from libc beyond
 *   memcpy/memmove/memset and libm.
 *
 * What each file needs of the others when graded on its own (the grader
 * links the reference's versions of the rest): kl.c needs nothing;
 * elbo.c, importance.c and flow.c may call kl.c's functions (the
 * reference's kl.c is linked under them), and nothing of each other. */
#ifndef VG_CSE599I_HW2_ASSIGNMENT_H
#define VG_CSE599I_HW2_ASSIGNMENT_H

#include <stddef.h>
#include "model.h"
#include "iaf.h"
#include "made.h"
#include "prob.h"
#include "rng.h"
#include "not_implemented.h"

/* ---- kl.c (Problem 1; the densities the Monte Carlo KL needs) ---------- */

/* KL(N(mu, diag var) || N(0, I)) per row, the closed form
 * out[b] = 1/2 sum over j of (var + mu^2 - 1 - log var).
 * mu, var (B,Z) with var > 0, out (B). Exact (no cancellation beyond the
 * formula's own) for var from 1e-300 to 1e300. */
void kl_standard_normal(const double *mu, const double *var, size_t batch,
                        size_t zdim, double *out);
/* dmu, dvar (B,Z) += dout[b] * d out[b] / d(mu, var). */
void kl_standard_normal_backward(double *dmu, double *dvar, const double *dout,
                                 const double *mu, const double *var,
                                 size_t batch, size_t zdim);

/* log N(z | mu, diag var) per row:
 * out[b] = sum over j of -1/2 (log 2 pi + log var + (z - mu)^2 / var).
 * z, mu, var (B,Z), out (B). */
void log_normal_diag(const double *z, const double *mu, const double *var,
                     size_t batch, size_t zdim, double *out);
/* dz, dmu, dvar (B,Z) += dout[b] * d out[b] / d(z, mu, var). */
void log_normal_diag_backward(double *dz, double *dmu, double *dvar,
                              const double *dout, const double *z,
                              const double *mu, const double *var,
                              size_t batch, size_t zdim);

/* log r(z) = log N(z | 0, I) per row, the prior:
 * out[b] = sum over j of -1/2 (log 2 pi + z^2). z (B,Z), out (B). */
void log_standard_normal(const double *z, size_t batch, size_t zdim,
                         double *out);
/* dz (B,Z) += dout[b] * d out[b] / d z. */
void log_standard_normal_backward(double *dz, const double *dout,
                                  const double *z, size_t batch, size_t zdim);

/* ---- elbo.c (Problems 5b, 5c, 6b) -------------------------------------- */

/* The Gaussian VAE's ELBO on grayscale x (B,D) in [0,1], one
 * reparameterised sample per digit: the MEAN over the batch of
 *   log N(x_b | g(z_b), sigma^2 I) - KL(q(z | x_b) || N(0, I)),
 * where (mu, var) = encoder_forward(x), z_b = mu_b + sqrt(var_b) eps_b,
 * g(z) = decoder_forward(z) (the decoder's output is the mean itself) and
 *   log N(x | g, sigma^2 I) = -||x - g||^2 / (2 sigma^2)
 *                             - D/2 log(2 pi sigma^2):
 * the constant IS included (so the value is a bound on log p(x), the
 * same quantity the Monte Carlo form and the importance-sampled estimate
 * estimate). The KL is the closed form (kl_standard_normal).
 * When backward is non-zero, ACCUMULATES the gradient of the returned
 * value into every parameter of the model (decoder_backward,
 * encoder_backward). Returns NAN when a framework call failed. */
double gaussian_elbo(model_t *model, const double *x, size_t batch,
                     double sigma, rng_t *rng, int backward);

/* gaussian_elbo with the one-sample Monte Carlo KL in place of the closed
 * form: KL_b ~ log q(z_b | x_b) - log r(z_b) at the same z_b
 * (log_normal_diag - log_standard_normal), differentiated through z_b as
 * well as through (mu, var). Same noise, same order, same contract. */
double mc_gaussian_elbo(model_t *model, const double *x, size_t batch,
                        double sigma, rng_t *rng, int backward);

/* The discrete-output VAE's ELBO on binarised x (B,D) of 0s and 1s: the
 * MEAN over the batch of log p(x_b | z_b) - KL(q(z | x_b) || N(0, I)),
 * log p(x | z) the Bernoulli log-mass given the decoder's logits
 * (prob.h's log_bernoulli_with_logits: exact for logits of +-1e3) summed
 * over the D pixels, the KL the closed form, one sample as above. Same
 * contract as gaussian_elbo. */
double discrete_output_elbo(model_t *model, const double *x, size_t batch,
                            rng_t *rng, int backward);

/* ---- importance.c (Problem 2, used in 6b) ------------------------------ */

/* For the discrete-output model, per row b, the importance-sampling
 * estimate of log p(x_b) with M samples of its own posterior:
 *   out[b] = log (1/M) sum over i of p(x_b | z_i) r(z_i) / q(z_i | x_b),
 *   z_i = mu_b + sqrt(var_b) eps_i ~ q(. | x_b),
 * computed from the log-weights with a log-sum-exp (finite for
 * log-weights of -1e4: never exp of a log-weight itself). The reference
 * takes row 0's M*Z normals first, in (M,Z) order, then row 1's, and so
 * on; M may exceed model->max_batch (evaluate the decoder in chunks of at
 * most max_batch rows). x (B,D) of 0s and 1s, out (B). M >= 1. No
 * backward. */
int log_marginal_is(model_t *model, const double *x, size_t batch, size_t m,
                    rng_t *rng, double *out);

/* ---- flow.c (Problem 3, 6d): an inverse autoregressive flow ----------- */

/* Step t (0..T-1) of the flow, for each row:
 *   (m, s) = made_forward(&flow->made[t], z_in)   (made.h)
 *   sigma = sigmoid(s)                             (prob.h's sigmoid)
 *   z_out = sigma * z_in + (1 - sigma) * m         (elementwise)
 *   logdet[b] = log |det d z_out[b] / d z_in[b]| = sum over j of log sigma
 * (the Jacobian is triangular in step t's order: m and s of variable j
 * depend only on the variables before j, so its diagonal is sigma).
 * log sigma must stay finite for s of -1e3 (log sigmoid(s) = -softplus(-s)).
 * z_in, z_out (B,Z) (not aliased), logdet (B). The flow's order and
 * initialisation are the framework's (iaf.h); no context from the
 * encoder (the MADE sees z_{t-1} alone). */
int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in,
             size_t batch, double *z_out, double *logdet);
/* dz_in (B,Z) (may be NULL) and step t's MADE's parameter gradients +=
 * the gradient through iaf_step from dz_out (B,Z) and dlogdet (B) (either
 * may be NULL: a zero gradient). Runs the step forward again itself from
 * z_in (the MADE caches only its last call), so it may be called in any
 * order after any forward. */
int iaf_step_backward(model_t *model, iaf_t *flow, size_t t, double *dz_in,
                      const double *dz_out, const double *dlogdet,
                      const double *z_in, size_t batch);

/* One sample of the flow's posterior and its density, per row:
 *   (mu, var) = encoder_forward(x), z_0 = mu + sqrt(var) eps (B*Z normals
 *   from rng, row-major), z_t = iaf_step(t - 1, z_{t-1}) for t = 1..T,
 *   log_q[b] = log q_T(z_T | x_b)
 *            = log N(z_0 | mu, var) - sum over t of logdet_t[b].
 * x (B,D), z_T (B,Z), log_q (B). Runs the encoder forward (so a later
 * encoder_backward goes through this call). */
int iaf_sample(model_t *model, iaf_t *flow, const double *x, size_t batch,
               rng_t *rng, double *z_T, double *log_q);

/* The IAF VAE's ELBO on binarised x (B,D), one sample per digit: the MEAN
 * over the batch of log p(x_b | z_T) + log r(z_T) - log q_T(z_T | x_b),
 * with z_T, log q_T from iaf_sample (the same noise, in the same order)
 * and p(x | z) the Bernoulli of the decoder's logits. When backward is
 * non-zero, ACCUMULATES the gradient of the returned value into every
 * parameter of the model AND of the flow. Returns NAN when a framework
 * call failed. */
double iaf_elbo(model_t *model, iaf_t *flow, const double *x, size_t batch,
                rng_t *rng, int backward);

#endif
