/* Grader test submission "correct_alt", ssvae.c: a CORRECT semi-supervised
 * bound written unlike the reference: rows laid out digit-major (row
 * b*Y + y, not y*B + b), so the noise lands in another order, its own
 * log-softmax, the categorical KL as sum q log(qY), the Gaussian KL by its
 * naive formula, malloc, the backward by hand (softmax Jacobian written
 * out). Every ssvae check must give it full marks.
 * Shapes: B batch, D data, Y labels, Z latent; R = B*Y label rows. */
#include "assignment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double ssvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    size_t B = batch, Z = model->cfg.z_dim, D = model->cfg.x_dim, Y = model->cfg.y_dim;
    size_t R = B * Y;
    size_t n = 3 * B * Y + R * D + R * Y + 5 * R * Z + 2 * R * D + 3 * R;
    double *buf = calloc(n, sizeof(double));
    if (!buf)
        return NAN;
    double *cl = buf, *lq = cl + B * Y, *q = lq + B * Y;      /* (B,Y) */
    double *xr = q + B * Y, *yr = xr + R * D;                   /* (R,D) (R,Y) */
    double *m = yr + R * Y, *v = m + R * Z, *e = v + R * Z;     /* (R,Z) */
    double *z = e + R * Z, *dz = z + R * Z;
    double *lg = dz + R * Z, *dl = lg + R * D;                  /* (R,D) */
    double *lpx = dl + R * D, *klz = lpx + R, *dq = klz + R;    /* (R) */
    double result = NAN;
    for (size_t b = 0; b < B; b++)
        for (size_t y = 0; y < Y; y++) {
            memcpy(xr + (b * Y + y) * D, x + b * D, sizeof(double) * D);
            yr[(b * Y + y) * Y + y] = 1;
        }
    if (classifier_forward(model, cl, x, B))
        goto out;
    double kl_y = 0, kl_z = 0, rec = 0;
    for (size_t b = 0; b < B; b++) {
        double top = cl[b * Y], s = 0;
        for (size_t y = 1; y < Y; y++)
            top = cl[b * Y + y] > top ? cl[b * Y + y] : top;
        for (size_t y = 0; y < Y; y++)
            s += exp(cl[b * Y + y] - top);
        for (size_t y = 0; y < Y; y++) {
            lq[b * Y + y] = cl[b * Y + y] - top - log(s);
            q[b * Y + y] = exp(lq[b * Y + y]);
            kl_y += q[b * Y + y] * (lq[b * Y + y] + log((double)Y));
        }
    }
    if (encoder_forward(model, m, v, xr, yr, R))
        goto out;
    for (size_t i = 0; i < R * Z; i++) {
        e[i] = rng_normal(rng);
        z[i] = m[i] + sqrt(v[i]) * e[i];
    }
    if (decoder_forward(model, lg, z, yr, R))
        goto out;
    log_bernoulli_with_logits(lpx, xr, lg, R, D);
    for (size_t r = 0; r < R; r++) {
        klz[r] = 0;
        for (size_t j = 0; j < Z; j++) {
            double mm = m[r * Z + j], vv = v[r * Z + j];
            klz[r] += 0.5 * (vv + mm * mm - 1 - log(vv));
        }
        kl_z += q[r] * klz[r];   /* row r = b*Y + y is q[b*Y + y] */
        rec -= q[r] * lpx[r];
    }
    kl_y /= (double)B;
    kl_z /= (double)B;
    rec /= (double)B;
    result = kl_y + kl_z + rec;
    if (terms) {
        terms->nelbo = result;
        terms->kl_y = kl_y;
        terms->kl_z = kl_z;
        terms->rec = rec;
    }
    if (!backward)
        goto out;
    double w = 1.0 / (double)B;
    for (size_t r = 0; r < R; r++)
        for (size_t d = 0; d < D; d++)
            dl[r * D + d] = -w * q[r] * (xr[r * D + d] - sigmoid(lg[r * D + d]));
    if (decoder_backward(model, dz, dl)) {
        result = NAN;
        goto out;
    }
    for (size_t r = 0; r < R; r++)
        for (size_t j = 0; j < Z; j++) {
            size_t i = r * Z + j;
            double gm = dz[i] + w * q[r] * m[i];
            double gv = dz[i] * e[i] / (2 * sqrt(v[i])) + w * q[r] * 0.5 * (1 - 1 / v[i]);
            m[i] = gm;
            v[i] = gv;
        }
    if (encoder_backward(model, m, v)) {
        result = NAN;
        goto out;
    }
    /* d/dq of each label's weight, then through the softmax into the
     * classifier's logits (cl is spent: it holds them). */
    for (size_t b = 0; b < B; b++) {
        double dot = 0;
        for (size_t y = 0; y < Y; y++) {
            size_t r = b * Y + y;
            dq[r] = w * (klz[r] - lpx[r] + lq[r] + log((double)Y) + 1.0);
            dot += q[r] * dq[r];
        }
        for (size_t y = 0; y < Y; y++)
            cl[b * Y + y] = q[b * Y + y] * (dq[b * Y + y] - dot);
    }
    if (classifier_backward(model, cl))
        result = NAN;
out:
    free(buf);
    return result;
}
