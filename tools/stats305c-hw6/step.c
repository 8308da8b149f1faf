/* step.c: step.h's training step (stats305c-train's and its bench's). */
#include "step.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

void s305_binariser_init(s305_binariser_t *t, double above)
{
    for (int b = 0; b < 256; b++) /* as binarised_load: byte / 255 > above */
        t->of[b] = (double)b / 255.0 > above ? 1.0 : 0.0;
}

void s305_gather(double *xb, const dataset_t *ds, const size_t *rows,
                 size_t batch, const s305_binariser_t *t)
{
    const size_t D = ds->d;
    for (size_t r = 0; r < batch; r++) {
        const uint8_t *p = ds->pixels + rows[r] * D;
        double *x = xb + r * D;
        for (size_t j = 0; j < D; j++)
            x[j] = t->of[p[j]];
    }
}

int s305_adam_init(adam_t *opt, const model_t *m, const train_config_t *tc)
{
    if (adam_init(opt, m->n_params, m->dtype, tc->lr, tc->beta1, tc->beta2,
                  tc->adam_eps) != VG_OK)
        return VG_ERR;
    opt->lr = -opt->lr; /* adam_init checks lr > 0; the step only scales */
    return VG_OK;
}

int s305_step(model_t *m, adam_t *opt, const double *xb, size_t batch,
              rng_t *rng, size_t step, double *value)
{
    scratch_reset(m);
    double v = elbo(m, xb, batch, rng, 1);
    *value = v;
    if (!isfinite(v))
        return vg_error_set("elbo returned %g at step %zu%s%s", v, step,
                            *vg_error_last() ? ": " : "", vg_error_last());
    /* elbo() accumulated d ELBO; opt's negative lr ascends along it, and
     * the step zeroes it for the next call. */
    adam_step_consume(opt, m->params, m->grads);
    return VG_OK;
}

int s305_parse_count(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-')
        return VG_ERR;
    *out = v;
    return VG_OK;
}
