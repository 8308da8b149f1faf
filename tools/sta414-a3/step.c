/* step.c: step.h's training step (sta414-train's and its bench's). */
#include "step.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

int sta414_step(model_t *m, adam_t *opt, const dataset_t *train,
                const size_t *rows, double *xb, rng_t *rng, size_t step,
                double *value)
{
    const size_t B = m->max_batch, D = train->d;
    for (size_t r = 0; r < B; r++)
        memcpy(xb + r * D, train->x + rows[r] * D, D * sizeof *xb);
    scratch_reset(m);
    double v = elbo(m, xb, B, rng, 1);
    *value = v;
    if (!isfinite(v))
        return vg_error_set("elbo returned %g at step %zu%s%s", v, step,
                            *vg_error_last() ? ": " : "", vg_error_last());
    /* elbo() accumulated d ELBO; Adam descends, so turn it into the loss's
     * gradient, then the step zeroes it for the next call. */
    float *g = m->grads;
    for (size_t i = 0; i < m->n_params; i++)
        g[i] = -g[i];
    adam_step_consume(opt, m->params, m->grads);
    return VG_OK;
}

int sta414_parse_count(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-')
        return VG_ERR;
    *out = v;
    return VG_OK;
}
