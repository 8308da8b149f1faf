/* eval.c: eval.h's test ELBO and importance-sampled log-likelihood. */
#include "eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "prob.h"
#include "vg_error.h"

static int stopped(const char *what)
{
    if (not_implemented_which())
        return vg_error_set("%s is not implemented (the submission lacks it, "
                            "or it still calls not_implemented)",
                            not_implemented_which());
    return vg_error_set("%s failed: %s", what, vg_error_last());
}

int cse_eval_elbo(double *out, cse_run_t *r, const double *x, size_t n,
                  size_t repeats, uint64_t seed)
{
    const size_t B = r->model.max_batch, D = r->model.cfg.x_dim;
    rng_t rng;
    rng_seed(&rng, seed);
    double sum = 0.0;
    for (size_t k = 0; k < repeats; k++)
        for (size_t at = 0; at < n; at += B) {
            size_t b = n - at < B ? n - at : B;
            double v = cse_run_elbo(r, x + at * D, b, &rng, 0);
            if (not_implemented_which() || !isfinite(v))
                return isfinite(v) ? stopped("the ELBO")
                                   : vg_error_set("the test ELBO is %g", v);
            sum += v * (double)b;
        }
    *out = sum / ((double)n * (double)repeats);
    return VG_OK;
}

/* log (1/M) sum exp(lw[i]), stable: the largest term factored out. */
static double log_mean_exp_of(const double *lw, size_t m)
{
    double top = -INFINITY, s = 0.0;
    for (size_t i = 0; i < m; i++)
        top = lw[i] > top ? lw[i] : top;
    for (size_t i = 0; i < m; i++)
        s += exp(lw[i] - top);
    return top + log(s) - log((double)m);
}

/* The flow's IS for one digit x (D): M draws of iaf_sample on x repeated
 * in chunks of max_batch rows; lw (M) its log-weights. */
static int is_flow_digit(double *out, cse_run_t *r, const double *x,
                         size_t m, rng_t *rng, double *buf)
{
    model_t *mo = &r->model;
    const size_t B = mo->max_batch, D = mo->cfg.x_dim, Z = mo->cfg.z_dim;
    double *xr = buf;              /* (B,D) x repeated */
    double *logits = xr + B * D;   /* (B,D) */
    double *z = logits + B * D;    /* (B,Z) */
    double *log_q = z + B * Z;     /* (B) */
    double *log_px = log_q + B;    /* (B) */
    double *log_pz = log_px + B;   /* (B) */
    double *lw = log_pz + B;       /* (M) */
    for (size_t b = 0; b < B; b++)
        memcpy(xr + b * D, x, D * sizeof *xr);
    for (size_t at = 0; at < m; at += B) {
        size_t b = m - at < B ? m - at : B;
        scratch_reset(mo);
        if (iaf_sample(mo, &r->flow, xr, b, rng, z, log_q) != VG_OK ||
            not_implemented_which())
            return stopped("iaf_sample");
        if (decoder_forward(mo, logits, z, NULL, b) != VG_OK)
            return VG_ERR;
        log_bernoulli_with_logits(log_px, xr, logits, b, D);
        log_standard_normal(z, b, Z, log_pz);
        if (not_implemented_which())
            return stopped("log_standard_normal");
        for (size_t i = 0; i < b; i++)
            lw[at + i] = log_px[i] + log_pz[i] - log_q[i];
    }
    *out = log_mean_exp_of(lw, m);
    return VG_OK;
}

int cse_eval_is(double *out, double *se, cse_run_t *r, const double *x,
                size_t n, size_t m, uint64_t seed)
{
    const size_t B = r->model.max_batch, D = r->model.cfg.x_dim,
                 Z = r->model.cfg.z_dim;
    rng_t rng;
    rng_seed(&rng, seed);
    double *buf = malloc((2 * B * D + B * Z + 3 * B + m) * sizeof *buf);
    if (!buf)
        return vg_error_set("cse_eval_is: out of memory");
    double sum = 0.0, sum2 = 0.0;
    int status = VG_ERR;
    for (size_t i = 0; i < n; i++) {
        double v;
        if (r->kind == CSE_IAF) {
            if (is_flow_digit(&v, r, x + i * D, m, &rng, buf) != VG_OK)
                goto cleanup;
        } else {
            scratch_reset(&r->model);
            if (log_marginal_is(&r->model, x + i * D, 1, m, &rng, &v) != VG_OK ||
                not_implemented_which()) {
                stopped("log_marginal_is");
                goto cleanup;
            }
        }
        if (!isfinite(v)) {
            vg_error_set("the IS estimate of test digit %zu is %g", i, v);
            goto cleanup;
        }
        sum += v;
        sum2 += v * v;
    }
    *out = sum / (double)n;
    double var = n > 1 ? (sum2 - sum * *out) / (double)(n - 1) : 0.0;
    *se = sqrt(var > 0 ? var / (double)n : 0.0);
    status = VG_OK;
cleanup:
    free(buf);
    return status;
}
