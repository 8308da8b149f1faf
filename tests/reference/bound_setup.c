/* bound_setup.c: small seeded models and inputs for the tests of the
 * reference bounds, and the finite-difference problem over a model's
 * parameters. Not a test itself (see bound_setup.h). */
#include <math.h>
#include <stdlib.h>

#include "bound_setup.h"
#include "config.h"
#include "vg_error.h"

model_config_t small_config(model_kind_t kind)
{
    model_config_t cfg = config_model_default(kind);
    cfg.x_dim = 7;
    cfg.z_dim = 3;
    cfg.hidden = 5;
    if (kind == MODEL_GMVAE)
        cfg.k = 4;
    return cfg;
}

int bound_case_init(bound_case_t *c, const model_config_t *cfg,
                    nn_dtype_t dtype, size_t batch, size_t max_batch,
                    uint64_t seed)
{
    *c = (bound_case_t){ .batch = batch, .noise_seed = seed + 2 };
    if (model_create(&c->model, cfg, dtype, max_batch, seed) != VG_OK)
        return VG_ERR;
    const size_t D = cfg->x_dim, Y = cfg->y_dim;
    c->x = malloc(batch * D * sizeof *c->x);
    if (cfg->kind == MODEL_FSVAE)
        c->y = calloc(batch * Y, sizeof *c->y);
    if (!c->x || (cfg->kind == MODEL_FSVAE && !c->y)) {
        bound_case_free(c);
        return vg_error_set("bound_case_init: out of memory");
    }
    rng_t rng;
    rng_seed(&rng, seed + 1);
    /* Kept off 0 and 1 so every pixel's likelihood has both terms. */
    for (size_t i = 0; i < batch * D; i++)
        c->x[i] = 0.05 + 0.9 * rng_uniform(&rng);
    if (c->y)
        for (size_t b = 0; b < batch; b++)
            c->y[b * Y + rng_below(&rng, Y)] = 1.0;
    return VG_OK;
}

void bound_case_free(bound_case_t *c)
{
    model_free(&c->model);
    free(c->x);
    free(c->y);
    c->x = c->y = NULL;
}

double bound_elbo(model_t *m, const double *x, const double *y, size_t batch,
                  rng_t *rng, bound_terms_t *terms, int backward)
{
    scratch_reset(m);
    switch (m->cfg.kind) {
    case MODEL_VAE:
        return vae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_GMVAE:
        return gmvae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_SSVAE:
        return ssvae_negative_elbo_bound(m, x, batch, rng, terms, backward);
    case MODEL_FSVAE:
        return fsvae_negative_elbo_bound(m, x, y, batch, rng, terms,
                                         backward);
    }
    vg_error_set("bound_elbo: unknown model kind %d", (int)m->cfg.kind);
    return NAN;
}

double bound_case_elbo(bound_case_t *c, int backward)
{
    rng_t rng;
    rng_seed(&rng, c->noise_seed);
    return bound_elbo(&c->model, c->x, c->y, c->batch, &rng, &c->terms,
                      backward);
}

double bound_iwae(model_t *m, const double *x, size_t batch, size_t iw,
                  rng_t *rng, bound_terms_t *terms)
{
    scratch_reset(m);
    if (m->cfg.kind == MODEL_VAE)
        return vae_negative_iwae_bound(m, x, batch, iw, rng, terms);
    return gmvae_negative_iwae_bound(m, x, batch, iw, rng, terms);
}

void rng_seek_normals(rng_t *rng, uint64_t seed, size_t n)
{
    rng_seed(rng, seed);
    for (size_t i = 0; i < n; i++)
        (void)rng_normal(rng);
}

static double param_get(void *ctx, size_t i)
{
    return model_param_get(&((bound_case_t *)ctx)->model, i);
}

static void param_set(void *ctx, size_t i, double v)
{
    model_param_set(&((bound_case_t *)ctx)->model, i, v);
}

static double bound_value(void *ctx)
{
    return bound_case_elbo(ctx, 0);
}

fd_problem_t bound_case_fd_problem(bound_case_t *c)
{
    return (fd_problem_t){ .n = c->model.n_params, .get = param_get,
                           .set = param_set, .f = bound_value, .ctx = c };
}
