/* svi_eval.c: part 4's fit and its trusted estimate (svi_eval.h). */
#include "sta414-a3/svi_eval.h"

#include <math.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "prob.h"
#include "rng.h"
#include "vg_error.h"


s414_svi_opts_t s414_svi_opts_default(void)
{
    sta414_config_t c = config_sta414_a3();
    s414_svi_opts_t o = { c.svi_k, c.svi_iters, c.svi_lr, 2000 };
    return o;
}

double s414_top_elbo_eval(model_t *m, const double *x, const double *mu,
                          const double *logsig, size_t samples,
                          uint64_t eval_seed)
{
    const size_t Z = m->cfg.z_dim, D = m->cfg.x_dim, R = m->max_batch;
    rng_t rng;
    rng_seed(&rng, eval_seed);
    double sum = 0;
    for (size_t done = 0; done < samples; done += R) {
        size_t n = samples - done < R ? samples - done : R;
        scratch_reset(m);
        double *z = scratch_alloc(m, n * Z);       /* (n,Z) */
        double *logits = scratch_alloc(m, n * D);  /* (n,D) */
        if (!z || !logits)
            return NAN;
        double rest = 0;   /* log p(z) - log q(z), summed over the rows */
        for (size_t r = 0; r < n; r++)
            for (size_t j = 0; j < Z; j++) {
                double eps = rng_normal(&rng);
                double v = mu[j] + exp(logsig[j]) * eps;
                z[r * Z + j] = v;
                rest += -0.5 * v * v + logsig[j] + 0.5 * eps * eps;
            }
        if (decoder_forward(m, logits, z, NULL, n) != VG_OK)
            return NAN;
        for (size_t r = 0; r < n; r++)
            for (size_t p = 0; p < STA414_TOP_PIXELS; p++) {
                double l = logits[r * D + p];
                sum += x[p] * l - softplus(l);
            }
        sum += rest;
    }
    /* the log 2 pi terms of log p(z) and log q(z) cancel */
    return sum / (double)samples;
}

int s414_svi_run(model_t *m, svi_step_fn step, const double *x,
                 const s414_svi_opts_t *o, uint64_t fit_seed,
                 uint64_t eval_seed, double *mu, double *logsig, double *elbo)
{
    const size_t Z = m->cfg.z_dim;
    rng_t rng;
    rng_seed(&rng, fit_seed);
    memset(mu, 0, Z * sizeof *mu);
    memset(logsig, 0, Z * sizeof *logsig);
    *elbo = NAN;
    if (svi_fit(m, step, x, mu, logsig, o->k, o->iters, o->lr, &rng, NULL) != VG_OK)
        return VG_ERR;
    *elbo = s414_top_elbo_eval(m, x, mu, logsig, o->samples, eval_seed);
    return VG_OK;
}
