/* short_run.c: the IAF VAE's short training run, its test ELBO and its
 * importance-sampled log p(x) (short_run.h). */
#include "cse599i-hw2/short_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "not_implemented.h"
#include "prob.h"
#include "vg_error.h"

int cse_short_init(cse_short_t *s, const model_t *m, const iaf_t *f,
                   size_t n_train)
{
    train_config_t c = config_cse599i_hw2().train;
    memset(s, 0, sizeof *s);
    if (adam_init(&s->opt_model, m->n_params, m->dtype, c.lr, c.beta1, c.beta2,
                  c.adam_eps) != VG_OK ||
        adam_init(&s->opt_flow, f->n_params, f->dtype, c.lr, c.beta1, c.beta2,
                  c.adam_eps) != VG_OK) {
        cse_short_free(s);
        return VG_ERR;
    }
    s->perm = malloc(n_train * sizeof *s->perm);
    s->xb = malloc(m->max_batch * m->cfg.x_dim * sizeof *s->xb);
    if (!s->perm || !s->xb) {
        cse_short_free(s);
        return vg_error_set("no memory for a short run of %zu digits", n_train);
    }
    return VG_OK;
}

void cse_short_free(cse_short_t *s)
{
    adam_free(&s->opt_model);
    adam_free(&s->opt_flow);
    free(s->perm);
    free(s->xb);
    memset(s, 0, sizeof *s);
}

/* g (n) of float = -g: the ELBO's gradient into the loss's. */
static void negate(void *g, size_t n)
{
    float *x = g;
    for (size_t i = 0; i < n; i++)
        x[i] = -x[i];
}

int cse_short_train(model_t *m, iaf_t *fl, cse_iaf_elbo_fn f, cse_short_t *s,
                    const double *train_x, size_t n_train, size_t iters,
                    uint64_t seed)
{
    const size_t B = m->max_batch, D = m->cfg.x_dim;
    if (m->dtype != NN_FLOAT32 || fl->dtype != NN_FLOAT32 || n_train < B)
        return vg_error_set("a short run takes float32 and >= %zu digits", B);
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n_train; i++)
        s->perm[i] = i;
    size_t at = n_train;   /* a fresh permutation at the first step */
    model_zero_grad(m);
    iaf_zero_grad(fl);
    for (size_t step = 0; step < iters; step++, at += B) {
        if (at + B > n_train) {
            rng_shuffle(&rng, s->perm, n_train);
            at = 0;
        }
        for (size_t r = 0; r < B; r++)
            memcpy(s->xb + r * D, train_x + s->perm[at + r] * D, D * sizeof *s->xb);
        scratch_reset(m);
        double v = f(m, fl, s->xb, B, &rng, 1);
        if (not_implemented_which())
            return VG_OK;
        if (!isfinite(v))
            return vg_error_set("iaf_elbo returned %g at step %zu", v, step);
        /* iaf_elbo accumulated d ELBO; Adam descends -ELBO, then zeroes */
        negate(m->grads, m->n_params);
        negate(fl->grads, fl->n_params);
        adam_step_consume(&s->opt_model, m->params, m->grads);
        adam_step_consume(&s->opt_flow, fl->params, fl->grads);
    }
    return VG_OK;
}

double cse_test_elbo(model_t *m, iaf_t *fl, cse_iaf_elbo_fn f, const double *x,
                     size_t n, uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    double sum = 0;
    for (size_t at = 0; at < n; at += m->max_batch) {
        size_t b = n - at < m->max_batch ? n - at : m->max_batch;
        scratch_reset(m);
        double v = f(m, fl, x + at * m->cfg.x_dim, b, &rng, 0);
        if (!isfinite(v))
            return NAN;
        sum += v * (double)b;
    }
    return sum / (double)n;
}

double cse_test_is(model_t *m, iaf_t *fl, cse_iaf_sample_fn sample,
                   const double *x, size_t n, uint64_t seed)
{
    const size_t K = m->max_batch, D = m->cfg.x_dim, Z = m->cfg.z_dim;
    double *xk = malloc((K * D + K * Z + 3 * K + K * D) * sizeof *xk);
    if (!xk)
        return NAN;
    double *z = xk + K * D, *lq = z + K * Z, *lpx = lq + K, *lw = lpx + K;
    double *logits = lw + K;
    rng_t rng;
    rng_seed(&rng, seed);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < K; k++)
            memcpy(xk + k * D, x + i * D, D * sizeof *xk);
        scratch_reset(m);
        if (sample(m, fl, xk, K, &rng, z, lq) != 0 ||
            decoder_forward(m, logits, z, NULL, K) != 0) {
            sum = NAN;
            break;
        }
        log_bernoulli_with_logits(lpx, xk, logits, K, D);
        double top = -INFINITY;
        for (size_t k = 0; k < K; k++) {
            double r = 0;
            for (size_t j = 0; j < Z; j++)
                r -= 0.5 * (z[k * Z + j] * z[k * Z + j] + 1.8378770664093454836);
            lw[k] = lpx[k] + r - lq[k];
            top = fmax(top, lw[k]);
        }
        double acc = 0;
        for (size_t k = 0; k < K; k++)
            acc += exp(lw[k] - top);
        sum += top + log(acc / (double)K);
    }
    free(xk);
    return sum / (double)n;
}
