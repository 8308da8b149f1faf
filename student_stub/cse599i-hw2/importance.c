/* importance.c (student, CSE 599i HW2, Problem 2): the importance-sampled
 * estimate of log p(x) under the discrete-output VAE, with the posterior
 * as the proposal. Replace the TODO body; keep the signature. Until then
 * it reports itself as not implemented and leaves out untouched.
 * Shapes: B batch, D data dimension (784), Z latent, M samples. */
#include "assignment.h"

#include <math.h>

int log_marginal_is(model_t *model, const double *x, size_t batch, size_t m,
                    rng_t *rng, double *out)
{
    /* TODO: encoder_forward once for the B rows; then for each row b, M
     * samples z_i = mu_b + sqrt(var_b) eps_i (M*Z normals, (M,Z) order),
     * in chunks of at most model->max_batch rows through the decoder:
     * log w_i = log p(x_b | z_i) + log r(z_i) - log q(z_i | x_b);
     * out[b] = log (1/M) sum over i of exp(log w_i), by a log-sum-exp.
     * Return 0, or non-zero when a framework call failed. */
    (void)model; (void)x; (void)batch; (void)m; (void)rng; (void)out;
    not_implemented(__func__);
    return 0;
}
