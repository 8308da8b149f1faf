/* importance.c: the reference importance-sampling estimate of log p(x) for
 * CSE 599i HW2's discrete-output VAE (cse599i-hw2/assignment.h, Problem 2),
 * the posterior q(z | x) as the proposal. No backward: an evaluation.
 * Shapes: B batch, D data dimension, Z latent, M samples, C a chunk of at
 * most max_batch samples. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "bernoulli_fast.h"

/* A running log-sum-exp: max and sum of exp(v - max), so M need not fit in
 * memory and no weight is exponentiated unshifted. */
typedef struct lse {
    double max, sum;
} lse_t;

static void lse_add(lse_t *a, double v)
{
    if (v == -INFINITY)
        return;
    if (v > a->max) {
        a->sum = a->sum * exp(a->max - v) + 1.0;
        a->max = v;
    } else {
        a->sum += exp(v - a->max);
    }
}

int log_marginal_is(model_t *model, const double *x, size_t batch, size_t m,
                    rng_t *rng, double *out)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    const size_t C = model->max_batch;
    if (B == 0 || B > C || m == 0)
        return -1;
    double *mu = scratch_alloc(model, B * Z);   /* (B,Z) */
    double *var = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *z = scratch_alloc(model, C * Z);    /* (C,Z) */
    double *eps = scratch_alloc(model, C * Z);  /* (C,Z) */
    double *mu_c = scratch_alloc(model, C * Z); /* (C,Z) row b's, repeated */
    double *var_c = scratch_alloc(model, C * Z);
    double *xc = scratch_alloc(model, C * D);   /* (C,D) row b, repeated */
    double *logits = scratch_alloc(model, C * D);
    double *lpx = scratch_alloc(model, C);      /* (C) */
    double *lr = scratch_alloc(model, C);
    double *lq = scratch_alloc(model, C);
    if (!mu || !var || !z || !eps || !mu_c || !var_c || !xc || !logits ||
        !lpx || !lr || !lq)
        return -1;
    if (encoder_forward(model, mu, var, x, NULL, B) != 0)
        return -1;
    for (size_t b = 0; b < B; b++) {
        for (size_t c = 0; c < C; c++) {
            memcpy(xc + c * D, x + b * D, D * sizeof *xc);
            memcpy(mu_c + c * Z, mu + b * Z, Z * sizeof *mu_c);
            memcpy(var_c + c * Z, var + b * Z, Z * sizeof *var_c);
        }
        lse_t acc = { -INFINITY, 0.0 };
        for (size_t done = 0; done < m; done += C) {
            size_t n = m - done < C ? m - done : C;
            rng_normal_fill(rng, eps, n * Z); /* row b's, (M,Z) order */
            for (size_t i = 0; i < n * Z; i++)
                z[i] = mu_c[i] + sqrt(var_c[i]) * eps[i];
            if (decoder_forward(model, logits, z, NULL, n) != 0)
                return -1;
            bernoulli_fast_log_lik(lpx, xc, logits, n, D);
            log_standard_normal(z, n, Z, lr);
            log_normal_diag(z, mu_c, var_c, n, Z, lq);
            for (size_t i = 0; i < n; i++)
                lse_add(&acc, lpx[i] + lr[i] - lq[i]);
        }
        out[b] = acc.max + log(acc.sum) - log((double)m);
    }
    return 0;
}
