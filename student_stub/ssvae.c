/* ssvae.c (student): the semi-supervised VAE's negative ELBO on unlabelled
 * data, with the exact expectation over labels, and its backward. Replace
 * the TODO body; keep the signature. Until then it reports itself as not
 * implemented and leaves its outputs untouched.
 * Shapes: B batch, D data dimension, Y labels (10), Z latent. */
#include "assignment.h"

#include <math.h>

double ssvae_negative_elbo_bound(model_t *model, const double *x,
                                 size_t batch, rng_t *rng,
                                 bound_terms_t *terms, int backward)
{
    /* TODO: B = batch, Y = model->cfg.y_dim, Z = model->cfg.z_dim,
     * D = model->cfg.x_dim. Buffers from scratch_alloc(model, n) (zeroed).
     * 1. q(y|x): classifier_forward(model, ylogits, x, B), ylogits (B,Y);
     *    log_softmax(log_qy, qy, ylogits, B, Y); kl_y_b (B) =
     *    kl_cat(kl_y_b, qy, log_qy, log_p, B, Y) with log_p (Y) = log(1/Y).
     * 2. Every label for every row, LABEL-MAJOR: row y*B + b of xr (Y*B,D)
     *    is x[b] and of yr (Y*B,Y) is onehot(y).
     *    encoder_forward(model, qm, qv, xr, yr, Y*B); sample_gaussian(rng,
     *    qm, qv, Y*B*Z, z, eps) (that order, nothing else from rng);
     *    decoder_forward(model, logits, z, yr, Y*B).
     * 3. Per row r = y*B + b: klz_r = kl_normal against N(0, I),
     *    logpx_r = log_bernoulli_with_logits(xr, logits).
     * 4. Batch means of label expectations: kl_y = mean_b kl_y_b,
     *    kl_z = mean_b sum_y qy[b][y] klz[y*B+b],
     *    rec = -mean_b sum_y qy[b][y] logpx[y*B+b], nelbo = kl_y + kl_z + rec.
     *    Fill terms (nelbo, kl_y, kl_z, rec) when not NULL; return nelbo.
     * backward != 0: ACCUMULATE into encoder, decoder and classifier.
     * Rows r weigh qy[b][y]/B (dklz = qy/B, dlogpx = -qy/B) through
     * log_bernoulli_with_logits_backward, decoder_backward,
     * sample_gaussian_backward, kl_normal_backward, encoder_backward.
     * qy gets (klz - logpx)/B per (b,y) plus kl_cat_backward's part
     * (upstream 1/B); turn dqy into d log_qy (qy = exp(log_qy): dlog_qy +=
     * dqy * qy), then log_softmax_backward and classifier_backward.
     * A framework call returning non-zero: return NAN. */
    (void)model; (void)x; (void)batch; (void)rng; (void)terms; (void)backward;
    not_implemented(__func__);
    return 0.0;
}
