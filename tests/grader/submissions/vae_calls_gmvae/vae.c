/* vae_calls_gmvae: a vae.c that computes nothing itself. A VAE is a GMVAE
 * whose prior has one standard-normal component, so each bound copies the
 * model into a one-component GMVAE and calls gmvae.c's bound on it (the
 * attack of issue 8, class 2). Graded alone, vae.c's runner links gmvae.c's
 * not-implemented stub, so these calls earn nothing; the symbol gate warns. */
#include <math.h>

#include "assignment.h"
#include "vg_error.h"

/* The copy: the vae's encoder and decoder weights, then the prior's raw
 * (2, Z): means 0, raw variances with softplus(raw) + 1e-8 = 1. */
static int as_gmvae(model_t *g, const model_t *m)
{
    model_config_t cfg = m->cfg;
    cfg.kind = MODEL_GMVAE;
    cfg.k = 1;
    if (model_create(g, &cfg, m->dtype, m->max_batch, 0) != VG_OK)
        return -1;
    for (size_t i = 0; i < m->n_params; i++)
        model_param_set(g, i, model_param_get(m, i));
    const size_t Z = m->cfg.z_dim;
    for (size_t j = 0; j < Z; j++) {
        model_param_set(g, m->n_params + j, 0.0);
        model_param_set(g, m->n_params + Z + j, log(expm1(1.0 - 1e-8)));
    }
    return 0;
}

/* The copy's gradients (encoder and decoder only) added into the model's. */
static void add_grads(model_t *m, const model_t *g)
{
    for (size_t i = 0; i < m->n_params; i++) {
        if (m->dtype == NN_FLOAT32)
            ((float *)m->grads)[i] += (float)model_grad_get(g, i);
        else
            ((double *)m->grads)[i] += model_grad_get(g, i);
    }
}

double vae_negative_elbo_bound(model_t *model, const double *x, size_t batch,
                               rng_t *rng, bound_terms_t *terms, int backward)
{
    model_t g;
    if (as_gmvae(&g, model))
        return NAN;
    double v = gmvae_negative_elbo_bound(&g, x, batch, rng, terms, backward);
    if (backward)
        add_grads(model, &g);
    model_free(&g);
    return v;
}

double vae_negative_iwae_bound(model_t *model, const double *x, size_t batch,
                               size_t iw, rng_t *rng, bound_terms_t *terms)
{
    model_t g;
    if (as_gmvae(&g, model))
        return NAN;
    double v = gmvae_negative_iwae_bound(&g, x, batch, iw, rng, terms);
    model_free(&g);
    return v;
}
