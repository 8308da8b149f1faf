/* flow.c: the reference inverse autoregressive flow of CSE 599i HW2
 * (cse599i-hw2/assignment.h, Problems 3 and 6d): one step beside its
 * backward, a sample of the flow's posterior with its density, and the IAF
 * VAE's one-sample ELBO with its backward into the model and the flow. The
 * MADE itself is the framework's (made.h, iaf.h).
 * Shapes: B batch, D data dimension, Z latent, T steps. */
#include <math.h>
#include <string.h>

#include "assignment.h"
#include "bernoulli_fast.h"

int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in,
             size_t batch, double *z_out, double *logdet)
{
    const size_t B = batch, Z = flow->cfg.z_dim;
    if (t >= flow->cfg.n_steps)
        return -1;
    double *m = scratch_alloc(model, B * Z); /* (B,Z) */
    double *s = scratch_alloc(model, B * Z); /* (B,Z) */
    if (!m || !s)
        return -1;
    if (made_forward(&flow->made[t], m, s, z_in, B) != 0)
        return -1;
    for (size_t b = 0; b < B; b++) {
        double acc = 0.0;
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            double sig = sigmoid(s[i]);
            /* 1 - sigmoid(s) = sigmoid(-s): no cancellation for s >> 0 */
            z_out[i] = sig * z_in[i] + sigmoid(-s[i]) * m[i];
            acc -= softplus(-s[i]); /* log sigmoid(s), finite at s = -1e3 */
        }
        logdet[b] = acc;
    }
    return 0;
}

int iaf_step_backward(model_t *model, iaf_t *flow, size_t t, double *dz_in,
                      const double *dz_out, const double *dlogdet,
                      const double *z_in, size_t batch)
{
    const size_t B = batch, Z = flow->cfg.z_dim;
    if (t >= flow->cfg.n_steps)
        return -1;
    double *m = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *s = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *dm = scratch_alloc(model, B * Z); /* (B,Z) */
    double *ds = scratch_alloc(model, B * Z); /* (B,Z) */
    if (!m || !s || !dm || !ds)
        return -1;
    if (made_forward(&flow->made[t], m, s, z_in, B) != 0) /* its cache */
        return -1;
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            double sig = sigmoid(s[i]), one_minus = sigmoid(-s[i]);
            double g = dz_out ? dz_out[i] : 0.0;
            /* z_out = sig z_in + (1 - sig) m; dsig/ds = sig (1 - sig);
             * d log sig / ds = 1 - sig */
            if (dz_in)
                dz_in[i] += sig * g;
            dm[i] = one_minus * g;
            ds[i] = g * (z_in[i] - m[i]) * sig * one_minus +
                    (dlogdet ? dlogdet[b] : 0.0) * one_minus;
        }
    return made_backward(&flow->made[t], dz_in, dm, ds);
}

/* The forward both iaf_sample and iaf_elbo run: q_0's parameters and
 * noise, every z_t (T+1 of them, (B,Z) each, z_0 first) and log q_T. */
typedef struct flow_pass {
    double *mu, *var, *eps; /* (B,Z) */
    double *zs;             /* (T+1, B, Z) */
    double *logq;           /* (B) */
} flow_pass_t;

static int pass_forward(model_t *model, iaf_t *flow, const double *x,
                        size_t B, rng_t *rng, flow_pass_t *p)
{
    const size_t Z = model->cfg.z_dim, T = flow->cfg.n_steps;
    if (B == 0 || B > model->max_batch || B > flow->max_batch ||
        flow->cfg.z_dim != Z)
        return -1;
    p->mu = scratch_alloc(model, B * Z);
    p->var = scratch_alloc(model, B * Z);
    p->eps = scratch_alloc(model, B * Z);
    p->zs = scratch_alloc(model, (T + 1) * B * Z);
    p->logq = scratch_alloc(model, B);
    double *logdet = scratch_alloc(model, B); /* (B) */
    if (!p->mu || !p->var || !p->eps || !p->zs || !p->logq || !logdet)
        return -1;
    if (encoder_forward(model, p->mu, p->var, x, NULL, B) != 0)
        return -1;
    rng_normal_fill(rng, p->eps, B * Z);
    for (size_t i = 0; i < B * Z; i++)
        p->zs[i] = p->mu[i] + sqrt(p->var[i]) * p->eps[i];
    log_normal_diag(p->zs, p->mu, p->var, B, Z, p->logq);
    for (size_t t = 0; t < T; t++) {
        if (iaf_step(model, flow, t, p->zs + t * B * Z, B,
                     p->zs + (t + 1) * B * Z, logdet) != 0)
            return -1;
        for (size_t b = 0; b < B; b++)
            p->logq[b] -= logdet[b];
    }
    return 0;
}

int iaf_sample(model_t *model, iaf_t *flow, const double *x, size_t batch,
               rng_t *rng, double *z_T, double *log_q)
{
    flow_pass_t p;
    const size_t Z = model->cfg.z_dim, T = flow->cfg.n_steps;
    if (pass_forward(model, flow, x, batch, rng, &p) != 0)
        return -1;
    memcpy(z_T, p.zs + T * batch * Z, batch * Z * sizeof *z_T);
    memcpy(log_q, p.logq, batch * sizeof *log_q);
    return 0;
}

double iaf_elbo(model_t *model, iaf_t *flow, const double *x, size_t batch,
                rng_t *rng, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    const size_t T = flow->cfg.n_steps;
    flow_pass_t p;
    if (pass_forward(model, flow, x, B, rng, &p) != 0)
        return NAN;
    double *zT = p.zs + T * B * Z;
    double *logits = scratch_alloc(model, B * D); /* (B,D) */
    double *logpx = scratch_alloc(model, B);      /* (B) */
    double *lr = scratch_alloc(model, B);         /* (B) */
    double *w = scratch_alloc(model, B);          /* (B) 1/B */
    if (!logits || !logpx || !lr || !w)
        return NAN;
    if (decoder_forward(model, logits, zT, NULL, B) != 0)
        return NAN;
    for (size_t b = 0; b < B; b++)
        w[b] = 1.0 / (double)B;
    double *dlogits = NULL; /* (B,D) */
    if (backward) {
        dlogits = scratch_alloc(model, B * D);
        if (!dlogits)
            return NAN;
        bernoulli_fast_log_lik_with_grad(logpx, dlogits, w, x, logits, B, D);
    } else {
        bernoulli_fast_log_lik(logpx, x, logits, B, D);
    }
    log_standard_normal(zT, B, Z, lr);
    double sum = 0.0;
    for (size_t b = 0; b < B; b++)
        sum += logpx[b] + lr[b] - p.logq[b];
    double value = sum / (double)B;
    if (!backward)
        return value;

    double *dz = scratch_alloc(model, B * Z);    /* (B,Z) d/dz_t, t = T first */
    double *dprev = scratch_alloc(model, B * Z); /* (B,Z) d/dz_{t-1} */
    double *dmu = scratch_alloc(model, B * Z);   /* (B,Z) */
    double *dvar = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *wneg = scratch_alloc(model, B);      /* (B) -1/B */
    if (!dz || !dprev || !dmu || !dvar || !wneg)
        return NAN;
    for (size_t b = 0; b < B; b++)
        wneg[b] = -1.0 / (double)B;
    if (decoder_backward(model, dz, dlogits) != 0)
        return NAN;
    log_standard_normal_backward(dz, w, zT, B, Z);
    /* -log q_T = -log q_0 + sum of logdet_t: each logdet weighs +1/B */
    for (size_t t = T; t-- > 0;) {
        memset(dprev, 0, B * Z * sizeof *dprev);
        if (iaf_step_backward(model, flow, t, dprev, dz, w,
                              p.zs + t * B * Z, B) != 0)
            return NAN;
        double *tmp = dz;
        dz = dprev;
        dprev = tmp;
    }
    /* dz is now d/dz_0; log q_0 depends on z_0 and on (mu, var) */
    log_normal_diag_backward(dz, dmu, dvar, wneg, p.zs, p.mu, p.var, B, Z);
    for (size_t i = 0; i < B * Z; i++) {
        dmu[i] += dz[i];
        dvar[i] += dz[i] * p.eps[i] * 0.5 / sqrt(p.var[i]);
    }
    if (encoder_backward(model, dmu, dvar) != 0)
        return NAN;
    return value;
}
