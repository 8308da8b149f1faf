/* iaf.c: the inverse autoregressive flow's parameters: T MADEs in one
 * parameter block and one gradient block, their orders and initialisation.
 * The flow's formula is not here (students write it: cse599i-hw2's
 * flow.c); iaf_io.c keeps the block on disk. */
#include "iaf.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vg_error.h"

void iaf_order(const iaf_t *f, size_t t, size_t *order)
{
    size_t Z = f->cfg.z_dim;
    for (size_t i = 0; i < Z; i++)
        order[i] = t % 2 == 0 ? i : Z - 1 - i;
}

static size_t step_params(const iaf_config_t *c)
{
    return made_param_count(c->z_dim, c->hidden, c->n_hidden);
}

int iaf_create(iaf_t *f, const iaf_config_t *cfg, nn_dtype_t dtype,
               size_t max_batch, uint64_t seed)
{
    memset(f, 0, sizeof *f);
    if (cfg->n_steps < 1 || cfg->n_steps > IAF_MAX_STEPS)
        return vg_error_set("iaf_create: %zu steps; a flow has 1 to %d",
                            cfg->n_steps, IAF_MAX_STEPS);
    if (dtype != NN_FLOAT32 && dtype != NN_FLOAT64)
        return vg_error_set("iaf_create: dtype %d is neither NN_FLOAT32 nor "
                            "NN_FLOAT64", (int)dtype);
    f->cfg = *cfg;
    f->dtype = dtype;
    f->max_batch = max_batch;
    size_t per = step_params(cfg), es = (size_t)dtype;
    f->n_params = per * cfg->n_steps;
    /* params | grads, zeroed: the gradients start at 0 */
    char *block = calloc(2 * f->n_params, es);
    if (!block)
        return vg_error_set("iaf_create: cannot allocate %zu parameters",
                            2 * f->n_params);
    f->params = block;
    f->grads = block + f->n_params * es;

    size_t order[4096];
    if (cfg->z_dim > sizeof order / sizeof *order) {
        free(block);
        memset(f, 0, sizeof *f);
        return vg_error_set("iaf_create: Z = %zu; at most %zu", cfg->z_dim,
                            sizeof order / sizeof *order);
    }
    rng_t rng;
    rng_seed(&rng, seed);
    for (size_t t = 0; t < cfg->n_steps; t++) {
        iaf_order(f, t, order);
        char *p = (char *)f->params + t * per * es;
        char *g = (char *)f->grads + t * per * es;
        if (made_init(&f->made[t], cfg->z_dim, cfg->hidden, cfg->n_hidden,
                      order, dtype, max_batch, p, g) != VG_OK) {
            iaf_free(f);
            return VG_ERR;
        }
        made_init_params(&f->made[t], &rng, cfg->s_bias);
    }
    return VG_OK;
}

void iaf_free(iaf_t *f)
{
    for (size_t t = 0; t < IAF_MAX_STEPS; t++)
        made_free(&f->made[t]);
    free(f->params);
    memset(f, 0, sizeof *f);
}

void iaf_zero_grad(iaf_t *f)
{
    memset(f->grads, 0, f->n_params * (size_t)f->dtype);
}

double iaf_param_get(const iaf_t *f, size_t i)
{
    if (f->dtype == NN_FLOAT32)
        return (double)((const float *)f->params)[i];
    return ((const double *)f->params)[i];
}

void iaf_param_set(iaf_t *f, size_t i, double value)
{
    if (f->dtype == NN_FLOAT32)
        ((float *)f->params)[i] = (float)value;
    else
        ((double *)f->params)[i] = value;
}

double iaf_grad_get(const iaf_t *f, size_t i)
{
    if (f->dtype == NN_FLOAT32)
        return (double)((const float *)f->grads)[i];
    return ((const double *)f->grads)[i];
}

int iaf_copy_params(iaf_t *dst, const iaf_t *src)
{
    const iaf_config_t *a = &dst->cfg, *b = &src->cfg;
    if (a->n_steps != b->n_steps || a->z_dim != b->z_dim ||
        a->hidden != b->hidden || a->n_hidden != b->n_hidden ||
        dst->n_params != src->n_params)
        return vg_error_set("iaf_copy_params: flows of different "
                            "configurations (T %zu/%zu, Z %zu/%zu, H %zu/%zu, "
                            "layers %zu/%zu)", a->n_steps, b->n_steps,
                            a->z_dim, b->z_dim, a->hidden, b->hidden,
                            a->n_hidden, b->n_hidden);
    for (size_t i = 0; i < dst->n_params; i++)
        iaf_param_set(dst, i, iaf_param_get(src, i));
    return VG_OK;
}
