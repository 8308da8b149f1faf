/* assignment.h (sta414-a3): the functions students of Toronto's STA414/CSC412
 * Assignment 3 implement, a VAE on binarised MNIST with a 2-D latent space,
 * in density.c, elbo.c and svi.c. Compiled with -Iinclude/sta414-a3
 * -Iinclude and linked against the course's framework (model.h, prob.h,
 * rng.h); the model is config_model_sta414_a3() (config.h): encoder
 * 784 -> 500 tanh -> (mean, log standard deviation), decoder 2 -> 500 tanh
 * -> 784 Bernoulli logits.
 *
 * Conventions, for every function here (CS236's, include/assignment.h):
 * - double arrays, row-major; sizes as size_t. Shapes: B batch, D data
 *   dimension (784 = 28 x 28, row-major pixels), Z latent (2), K samples.
 *   Row b of x goes with row b of z.
 * - log densities are per row: out (B), never summed over the batch.
 * - randomness only through the rng passed in, so a seed fixes every sample.
 * - a _backward twin takes the gradients it writes first (NULL to skip
 *   one), then the upstream gradient dout (B), then the forward's inputs.
 *   It ACCUMULATES (+=) and never zeroes. A backward through the decoder
 *   also accumulates into the decoder's parameter gradients (it runs the
 *   decoder forward again itself: the network caches only its last call).
 * - functions that run a network return 0 on success and non-zero when a
 *   framework call failed (pass that on); the others cannot fail.
 * - scratch memory: take it from scratch_alloc(model, n) (model.h), never
 *   reset it: the caller resets it before each call of this API.
 *   malloc/free are allowed too. Nothing else from libc beyond
 *   memcpy/memmove/memset and libm.
 *
 * What each file needs of the others when graded on its own (the grader
 * links the reference's versions of the rest): density.c needs nothing;
 * elbo.c and svi.c may call density.c's functions (the reference's
 * density.c is linked under them). */
#ifndef VG_STA414_A3_ASSIGNMENT_H
#define VG_STA414_A3_ASSIGNMENT_H

#include <stddef.h>
#include "model.h"
#include "prob.h"
#include "rng.h"
#include "not_implemented.h"

/* The top half of a digit: its first 14 rows of 28 pixels, pixels
 * 0..391 of a row-major 784-vector. */
#define STA414_SIDE 28
#define STA414_TOP_ROWS 14
#define STA414_TOP_PIXELS (STA414_TOP_ROWS * STA414_SIDE)

/* ---- density.c -------------------------------------------------------- */

/* out[b] = log N(z[b] | 0, I) = sum over j of -1/2 (log 2 pi + z^2).
 * z (B,Z), out (B). */
void log_prior(const double *z, size_t batch, size_t zdim, double *out);
/* dz (B,Z) += dout[b] * d out[b] / d z[b]. */
void log_prior_backward(double *dz, const double *dout, const double *z,
                        size_t batch, size_t zdim);

/* The factorised Gaussian of mean mu and log standard deviation logsig:
 * out[b] = sum over j of -1/2 log(2 pi) - logsig - (z - mu)^2 / (2 exp(2
 * logsig)). mu, logsig, z (B,Z), out (B). Finite whenever the result is:
 * logsig of +-300 included (form (z - mu) exp(-logsig); a variance
 * exp(2 logsig) under- or overflows there). */
void log_q(const double *mu, const double *logsig, const double *z,
           size_t batch, size_t zdim, double *out);
/* dmu, dlogsig, dz (B,Z) += dout[b] * d out[b] / d(mu, logsig, z). */
void log_q_backward(double *dmu, double *dlogsig, double *dz,
                    const double *dout, const double *mu, const double *logsig,
                    const double *z, size_t batch, size_t zdim);

/* out[b] = log p(x[b] | z[b]) = sum over the D pixels of the Bernoulli
 * log-mass of x given the decoder's logits l = decoder(z):
 * x log sigmoid(l) + (1 - x) log sigmoid(-l), finite and exact for any
 * finite logit (+-1e3 included: log1p/softplus forms, or prob.h's
 * log_bernoulli_with_logits). x (B,D) of 0s and 1s, z (B,Z), out (B). */
int log_likelihood(model_t *model, const double *x, const double *z,
                   size_t batch, double *out);
/* dz (B,Z) (may be NULL) and the decoder's parameter gradients +=
 * dout[b] * d out[b] / d(z, parameters). */
int log_likelihood_backward(model_t *model, double *dz, const double *dout,
                            const double *x, const double *z, size_t batch);

/* out[b] = log p(x[b], z[b]) = log_prior + log_likelihood. */
int joint_log_density(model_t *model, const double *x, const double *z,
                      size_t batch, double *out);
int joint_log_density_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch);

/* ---- elbo.c ----------------------------------------------------------- */

/* The ELBO's unbiased estimate, the MEAN over the batch of
 * log p(x_b, z_b) - log q(z_b | x_b) with ONE reparameterised sample
 * z_b = mu_b + exp(logsig_b) * eps_b per digit, (mu, logsig) the encoder's
 * output (encoder_forward_raw, model.h) and eps standard normal from rng
 * (any correct estimator is accepted; the reference draws the B*Z normals
 * in row-major order). x (B,D) of 0s and 1s.
 * When backward is non-zero, ACCUMULATES the gradient of the returned
 * value (not of the loss -ELBO) into every parameter of the model
 * (decoder_backward, encoder_backward_raw). Returns NAN when a framework
 * call failed. */
double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward);

/* ---- svi.c (part 4) --------------------------------------------------- */

/* out[b] = log p(top half of x[b] | z[b]): the bottom half integrated out,
 * which for the factorised Bernoulli leaves the sum over the top
 * STA414_TOP_PIXELS pixels only. x (B,D) whole digits (only their top
 * halves are read), z (B,Z), out (B). */
int log_p_top_given_z(model_t *model, const double *x, const double *z,
                      size_t batch, double *out);
int log_p_top_given_z_backward(model_t *model, double *dz, const double *dout,
                               const double *x, const double *z, size_t batch);

/* out[b] = log p(top half of x[b], z[b]) = log_prior + log_p_top_given_z. */
int joint_log_density_top(model_t *model, const double *x, const double *z,
                          size_t batch, double *out);
int joint_log_density_top_backward(model_t *model, double *dz,
                                   const double *dout, const double *x,
                                   const double *z, size_t batch);

/* Stochastic variational inference on one digit's top half: the K-sample
 * estimate of its ELBO under q = N(mu, diag exp(2 logsig)),
 * 1/K sum over k of log p(top of x, z_k) - log q(z_k), with
 * z_k = mu + exp(logsig) * eps_k and the K*Z normals drawn from rng in
 * row-major (K,Z) order. x (D) one whole digit, mu, logsig (Z);
 * K <= model->max_batch. ACCUMULATES the estimate's gradient with respect
 * to mu and logsig into dmu, dlogsig (Z) when they are not NULL (the
 * model's parameter gradients may be written too; the optimiser ignores
 * them). Returns NAN when a framework call failed. */
double svi_top_elbo(model_t *model, const double *x, const double *mu,
                    const double *logsig, size_t k, rng_t *rng, double *dmu,
                    double *dlogsig);

#endif
