/* assignment.h (stats305c-hw6): the functions students of Stanford's
 * STATS 305C Assignment 6 implement: gradient descent and an optimiser of
 * their own on a quadratic (optim.c), a small classifier on the annulus
 * data (bce.c, classifier.c) and a VAE with a 2-D latent space
 * (vae_terms.c, vae_elbo.c). Compiled with -iquote include/stats305c-hw6
 * -Iinclude and linked against the course's framework (objective.h,
 * annulus.h, model.h, prob.h, rng.h); the constants are
 * config_stats305c_hw6() and the VAE config_model_stats305c_hw6()
 * (config.h): encoder 784 -> 512 ReLU -> 256 ReLU -> (mean, LOG VARIANCE),
 * decoder 2 -> 256 ReLU -> 512 ReLU -> 784 Bernoulli logits.
 *
 * Conventions, for every function here (CS236's, include/assignment.h):
 * - double arrays, row-major; sizes as size_t. Shapes: N dimension or
 *   points, T iterations, B batch, D data dimension (784 = 28 x 28), Z
 *   latent (2).
 * - randomness only through the rng passed in, so a seed fixes every
 *   sample.
 * - a _backward twin takes the gradients it writes first (NULL to skip
 *   one), then the upstream gradient, then the forward's inputs. It
 *   ACCUMULATES (+=) and never zeroes.
 * - functions that run a network return 0 (or a value) on success and
 *   non-zero (or NAN) when a framework call failed; the others cannot
 *   fail.
 * - scratch memory in vae_elbo.c: scratch_alloc(model, n) (model.h), never
 *   reset (the caller resets it before each call). malloc/free are
 *   allowed anywhere. Nothing else from libc beyond memcpy/memmove/memset
 *   and libm.
 *
 * What each file needs of the others when graded on its own (so that
 * one mistake costs only its own part): optim.c, bce.c and vae_terms.c
 * need nothing; classifier.c may call bce.c's functions and vae_elbo.c
 * vae_terms.c's (the reference's bce.c and vae_terms.c are linked under
 * them, as STA414's density.c is). Each may call the framework's helpers
 * (prob.h's log_bernoulli_with_logits, sigmoid, softplus included).
 *
 * File names: no two assignments' student files share a name (the
 * grader finds a submission's files by name anywhere under its folder,
 * and student_stub/ and reference/ hold every assignment's): hence
 * vae_elbo.c, not CS236's vae.c or STA414's elbo.c. */
#ifndef VG_STATS305C_HW6_ASSIGNMENT_H
#define VG_STATS305C_HW6_ASSIGNMENT_H

#include <stddef.h>
#include "annulus.h"
#include "model.h"
#include "objective.h"
#include "prob.h"
#include "rng.h"
#include "not_implemented.h"

/* ---- optim.c (problem 1) ---------------------------------------------- */

/* Plain gradient descent on f from x0 (N = f->n): x_{k+1} = x_k - lr
 * grad f(x_k), for k = 0..iters-1. Writes every iterate, xs (T+1, N) with
 * row 0 = x0 and row k+1 the iterate after step k, and its value, losses
 * (T+1) with losses[k] = f(xs row k), T = iters. f is known only through
 * its callbacks (objective.h). For the course's f = sum a_i x_i^2 the
 * iterates are x_{k+1} = (1 - 2 lr a) * x_k elementwise. */
void run_optimization(const objective_t *f, const double *x0, double lr,
                      size_t iters, double *xs, double *losses);

/* An optimiser of the student's choice (the reference is Adam), with its
 * hyper-parameters its own; the same outputs as run_optimization. It
 * must take the course's 10-D problem (a_i = 10^(-2 + 4 (i-1)/9),
 * x0 = (10, ..., 10); config_stats305c_hw6) below f = 0.01 within 1,000
 * iterations (losses[iters] < 0.01); the grader may also shift it
 * (sum a_i (x_i - c_i)^2, c hidden), so the minimiser is not known. */
void run_my_optimizer(const objective_t *f, const double *x0, size_t iters,
                      double *xs, double *losses);

/* ---- bce.c (problem 2) ------------------------------------------------ */

/* The mean binary cross-entropy with logits:
 * 1/N sum over i of -(y_i log sigmoid(l_i) + (1 - y_i) log sigmoid(-l_i))
 * = 1/N sum softplus(l_i) - y_i l_i, finite and exact for any finite
 * logit (+-1e3 included: no log(sigmoid) of a rounded 0 or 1).
 * logits, y (N), y of 0s and 1s. */
double bce_with_logits_mean(const double *logits, const double *y, size_t n);
/* dlogits (N) += dout * d(mean BCE) / d logits
 *              = dout (sigmoid(l_i) - y_i) / N. */
void bce_with_logits_mean_backward(double *dlogits, double dout,
                                   const double *logits, const double *y,
                                   size_t n);

/* ---- classifier.c (problem 2) ----------------------------------------- */

/* The classifier's loss on the N points x (N,2) with labels y (N): the
 * mean BCE of net's logits (mlp_forward(&net->mlp, ...), annulus.h).
 * When backward is non-zero, ACCUMULATES d loss / d parameters into
 * net->grads (mlp_backward). N <= net->mlp.max_batch. Returns NAN when a
 * framework call failed. */
double classifier_loss(annulus_net_t *net, const double *x, const double *y,
                       size_t n, int backward);

/* Full-batch gradient descent on classifier_loss for iters steps at lr
 * (the course's 1 and 1,000): step k zeroes the gradients, records
 * losses[k] = the loss at the parameters before the step (T = iters
 * entries), and moves params -= lr * grads. Returns 0, or non-zero when a
 * framework call failed. */
int train_classifier(annulus_net_t *net, const double *x, const double *y,
                     size_t n, double lr, size_t iters, double *losses);

/* ---- vae_terms.c (problem 3's pieces) --------------------------------- */

/* out[b] = KL(N(mu_b, diag exp(logvar_b)) || N(0, I))
 *        = 1/2 sum over j of exp(logvar) + mu^2 - 1 - logvar.
 * mu, logvar (B,Z), out (B). */
void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                        size_t zdim, double *out);
/* dmu, dlogvar (B,Z) += dout[b] * d out[b] / d(mu, logvar). */
void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                 const double *dout, const double *mu,
                                 const double *logvar, size_t batch,
                                 size_t zdim);

/* out[b] = log p(x_b | logits_b) = sum over the D pixels of
 * x log sigmoid(l) + (1 - x) log sigmoid(-l), finite and exact for any
 * finite logit (+-1e3 included). x (B,D) of 0s and 1s, logits (B,D),
 * out (B). */
void bernoulli_log_likelihood(const double *x, const double *logits,
                              size_t batch, size_t d, double *out);
/* dlogits (B,D) += dout[b] * (x - sigmoid(l)). */
void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                       const double *x, const double *logits,
                                       size_t batch, size_t d);

/* ---- vae_elbo.c (problem 3) ------------------------------------------- */

/* The ELBO's one-sample estimate, the MEAN over the batch of
 * log p(x_b | z_b) - KL(q(z | x_b) || N(0, I)), the KL in closed form,
 * with z_b = mu_b + exp(logvar_b / 2) * eps_b, (mu, logvar) the encoder's
 * output (encoder_forward_raw, model.h: the second half is the log
 * variance) and eps standard normal from rng, drawn B*Z in row-major
 * order (rng_normal). x (B,D) of 0s and 1s. When backward is non-zero,
 * ACCUMULATES the gradient of the returned value (not of the loss -ELBO)
 * into every parameter of the model (decoder_backward,
 * encoder_backward_raw). Returns NAN when a framework call failed. */
double elbo(model_t *model, const double *x, size_t batch, rng_t *rng,
            int backward);

#endif
