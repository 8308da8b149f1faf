/* vae_short_run.c: a VAE's short training run and its test ELBO
 * (vae_short_run.h). */
#include "runner/vae_short_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "not_implemented.h"
#include "vg_error.h"

int vae_short_init(vae_short_t *s, const model_t *m, train_config_t c,
                   size_t n_train)
{
    memset(s, 0, sizeof *s);
    if (adam_init(&s->opt, m->n_params, m->dtype, c.lr, c.beta1, c.beta2,
                  c.adam_eps) != VG_OK)
        return VG_ERR;
    s->perm = malloc(n_train * sizeof *s->perm);
    s->xb = malloc(m->max_batch * m->cfg.x_dim * sizeof *s->xb);
    if (!s->perm || !s->xb) {
        vae_short_free(s);
        return vg_error_set("no memory for a short run of %zu digits", n_train);
    }
    return VG_OK;
}

void vae_short_free(vae_short_t *s)
{
    adam_free(&s->opt);
    free(s->perm);
    free(s->xb);
    memset(s, 0, sizeof *s);
}

int vae_short_train(model_t *m, vae_elbo_fn f, vae_short_t *s,
                    const double *train_x, size_t n_train, size_t iters,
                    uint64_t seed)
{
    const size_t B = m->max_batch, D = m->cfg.x_dim;
    if (m->dtype != NN_FLOAT32 || n_train < B)
        return vg_error_set("a short run takes a float32 model and >= %zu digits", B);
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t i = 0; i < n_train; i++)
        s->perm[i] = i;
    size_t at = n_train;   /* a fresh permutation at the first step */
    model_zero_grad(m);
    for (size_t step = 0; step < iters; step++, at += B) {
        if (at + B > n_train) {
            rng_shuffle(&rng, s->perm, n_train);
            at = 0;
        }
        for (size_t r = 0; r < B; r++)
            memcpy(s->xb + r * D, train_x + s->perm[at + r] * D, D * sizeof *s->xb);
        scratch_reset(m);
        double v = f(m, s->xb, B, &rng, 1);
        if (not_implemented_which())
            return VG_OK;
        if (!isfinite(v))
            return vg_error_set("elbo returned %g at step %zu", v, step);
        /* elbo accumulated d ELBO; Adam descends -ELBO, then zeroes */
        float *g = m->grads;
        for (size_t i = 0; i < m->n_params; i++)
            g[i] = -g[i];
        adam_step_consume(&s->opt, m->params, m->grads);
    }
    return VG_OK;
}

double vae_test_elbo(model_t *m, vae_elbo_fn f, const double *x, size_t n,
                     uint64_t seed)
{
    rng_t rng;
    rng_seed(&rng, seed);
    double sum = 0;
    for (size_t at = 0; at < n; at += m->max_batch) {
        size_t b = n - at < m->max_batch ? n - at : m->max_batch;
        scratch_reset(m);
        double v = f(m, x + at * m->cfg.x_dim, b, &rng, 0);
        if (!isfinite(v))
            return NAN;
        sum += v * (double)b;
    }
    return sum / (double)n;
}
