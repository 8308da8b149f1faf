/* elbo.c: the reference ELBOs of CSE 599i HW2 (cse599i-hw2/assignment.h):
 * the Gaussian VAE's with the closed-form KL (Problem 5b) and with the
 * one-sample Monte Carlo KL (5c), and the discrete-output VAE's (6b), each
 * the batch mean at one reparameterised sample per digit, with its
 * backward into every parameter. Not log p(x) (importance.c) nor the flow.
 * Shapes: B batch, D data dimension, Z latent. */
#include <math.h>

#include "assignment.h"
#include "bernoulli_fast.h"

#define LOG_2PI 1.8378770664093454835606594728112353

static void fill(double *a, size_t n, double value)
{
    for (size_t i = 0; i < n; i++)
        a[i] = value;
}

/* What the three ELBOs share: q's parameters, the noise and the sample. */
typedef struct sample {
    double *mu, *var, *eps, *z; /* (B,Z) each */
} sample_t;

/* encoder_forward, then z = mu + sqrt(var) eps with eps (B,Z) drawn
 * row-major. 0, or -1 when scratch or the encoder failed. */
static int draw(model_t *model, sample_t *s, const double *x, size_t B,
                rng_t *rng)
{
    const size_t Z = model->cfg.z_dim;
    s->mu = scratch_alloc(model, B * Z);
    s->var = scratch_alloc(model, B * Z);
    s->eps = scratch_alloc(model, B * Z);
    s->z = scratch_alloc(model, B * Z);
    if (!s->mu || !s->var || !s->eps || !s->z)
        return -1;
    if (encoder_forward(model, s->mu, s->var, x, NULL, B) != 0)
        return -1;
    rng_normal_fill(rng, s->eps, B * Z);
    for (size_t i = 0; i < B * Z; i++)
        s->z[i] = s->mu[i] + sqrt(s->var[i]) * s->eps[i];
    return 0;
}

/* The reparameterisation's backward, z = mu + sqrt(var) eps, then the
 * encoder's: dmu += dz, dvar += dz eps / (2 sqrt(var)). */
static int back_through_sample(model_t *model, const sample_t *s, double *dmu,
                               double *dvar, const double *dz, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dmu[i] += dz[i];
        dvar[i] += dz[i] * s->eps[i] * 0.5 / sqrt(s->var[i]);
    }
    return encoder_backward(model, dmu, dvar);
}

/* The Gaussian VAE's ELBO; mc selects the Monte Carlo KL. */
static double gaussian(model_t *model, const double *x, size_t batch,
                       double sigma, rng_t *rng, int backward, int mc)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    if (B == 0 || B > model->max_batch || !(sigma > 0))
        return NAN;
    sample_t s;
    if (draw(model, &s, x, B, rng) != 0)
        return NAN;
    double *g = scratch_alloc(model, B * D);   /* (B,D) the mean g(z) */
    double *kl = scratch_alloc(model, B);      /* (B) */
    double *lq = scratch_alloc(model, B);      /* (B) log q(z|x), mc */
    double *lr = scratch_alloc(model, B);      /* (B) log r(z), mc */
    if (!g || !kl || !lq || !lr)
        return NAN;
    if (decoder_forward(model, g, s.z, NULL, B) != 0)
        return NAN;
    const double inv2s2 = 0.5 / (sigma * sigma);
    const double log_norm = -0.5 * (double)D * (LOG_2PI + 2.0 * log(sigma));
    if (mc) {
        log_normal_diag(s.z, s.mu, s.var, B, Z, lq);
        log_standard_normal(s.z, B, Z, lr);
        for (size_t b = 0; b < B; b++)
            kl[b] = lq[b] - lr[b];
    } else {
        kl_standard_normal(s.mu, s.var, B, Z, kl);
    }
    double sum = 0.0;
    for (size_t b = 0; b < B; b++) {
        double sq = 0.0;
        for (size_t j = 0; j < D; j++) {
            double d = x[b * D + j] - g[b * D + j];
            sq += d * d;
        }
        sum += -sq * inv2s2 + log_norm - kl[b];
    }
    double value = sum / (double)B;
    if (!backward)
        return value;

    double *dg = g;                             /* (B,D), over g: done */
    double *dz = scratch_alloc(model, B * Z);   /* (B,Z) */
    double *dmu = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *dvar = scratch_alloc(model, B * Z); /* (B,Z) */
    double *w = scratch_alloc(model, B);        /* (B) 1/B */
    double *wneg = scratch_alloc(model, B);     /* (B) -1/B: the KL's sign */
    if (!dz || !dmu || !dvar || !w || !wneg)
        return NAN;
    fill(w, B, 1.0 / (double)B);
    fill(wneg, B, -1.0 / (double)B);
    /* d/dg of -||x - g||^2 / (2 sigma^2) / B = (x - g) / (sigma^2 B) */
    for (size_t i = 0; i < B * D; i++)
        dg[i] = (x[i] - dg[i]) * 2.0 * inv2s2 / (double)B;
    if (decoder_backward(model, dz, dg) != 0)
        return NAN;
    if (mc) { /* -KL = log r(z) - log q(z|x), q also through (mu, var) */
        log_standard_normal_backward(dz, w, s.z, B, Z);
        log_normal_diag_backward(dz, dmu, dvar, wneg, s.z, s.mu, s.var, B, Z);
    } else {
        kl_standard_normal_backward(dmu, dvar, wneg, s.mu, s.var, B, Z);
    }
    if (back_through_sample(model, &s, dmu, dvar, dz, B * Z) != 0)
        return NAN;
    return value;
}

double gaussian_elbo(model_t *model, const double *x, size_t batch,
                     double sigma, rng_t *rng, int backward)
{
    return gaussian(model, x, batch, sigma, rng, backward, 0);
}

double mc_gaussian_elbo(model_t *model, const double *x, size_t batch,
                        double sigma, rng_t *rng, int backward)
{
    return gaussian(model, x, batch, sigma, rng, backward, 1);
}

double discrete_output_elbo(model_t *model, const double *x, size_t batch,
                            rng_t *rng, int backward)
{
    const size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim;
    if (B == 0 || B > model->max_batch)
        return NAN;
    sample_t s;
    if (draw(model, &s, x, B, rng) != 0)
        return NAN;
    double *logits = scratch_alloc(model, B * D); /* (B,D) */
    double *logpx = scratch_alloc(model, B);      /* (B) */
    double *kl = scratch_alloc(model, B);         /* (B) */
    double *w = scratch_alloc(model, B);          /* (B) 1/B */
    if (!logits || !logpx || !kl || !w)
        return NAN;
    if (decoder_forward(model, logits, s.z, NULL, B) != 0)
        return NAN;
    fill(w, B, 1.0 / (double)B);
    /* each row weighs 1/B, known before the forward: the likelihood and
     * its gradient in one pass (bernoulli_fast, framework) */
    double *dlogits = NULL;                       /* (B,D) */
    if (backward) {
        dlogits = scratch_alloc(model, B * D);
        if (!dlogits)
            return NAN;
        bernoulli_fast_log_lik_with_grad(logpx, dlogits, w, x, logits, B, D);
    } else {
        bernoulli_fast_log_lik(logpx, x, logits, B, D);
    }
    kl_standard_normal(s.mu, s.var, B, Z, kl);
    double sum = 0.0;
    for (size_t b = 0; b < B; b++)
        sum += logpx[b] - kl[b];
    double value = sum / (double)B;
    if (!backward)
        return value;

    double *dz = scratch_alloc(model, B * Z);   /* (B,Z) */
    double *dmu = scratch_alloc(model, B * Z);  /* (B,Z) */
    double *dvar = scratch_alloc(model, B * Z); /* (B,Z) */
    double *wneg = scratch_alloc(model, B);     /* (B) -1/B */
    if (!dz || !dmu || !dvar || !wneg)
        return NAN;
    fill(wneg, B, -1.0 / (double)B);
    if (decoder_backward(model, dz, dlogits) != 0)
        return NAN;
    kl_standard_normal_backward(dmu, dvar, wneg, s.mu, s.var, B, Z);
    if (back_through_sample(model, &s, dmu, dvar, dz, B * Z) != 0)
        return NAN;
    return value;
}
