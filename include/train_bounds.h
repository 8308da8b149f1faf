/* train_bounds.h: the bounds of whichever implementation of assignment.h
 * the including program links (the reference, or a submission), as the
 * trainer takes them. Inline, so that it costs an undefined symbol only to
 * the programs that use it; the framework library never references the
 * assignment. */
#ifndef VG_TRAIN_BOUNDS_H
#define VG_TRAIN_BOUNDS_H

#include "assignment.h"
#include "train.h"

/* elbo and iwae for vae and gmvae, elbo for ssvae, fs_elbo for fsvae. */
static inline train_bounds_t train_bounds_linked(model_kind_t kind)
{
    train_bounds_t b = {0};
    switch (kind) {
    case MODEL_VAE:
        b.elbo = vae_negative_elbo_bound;
        b.iwae = vae_negative_iwae_bound;
        break;
    case MODEL_GMVAE:
        b.elbo = gmvae_negative_elbo_bound;
        b.iwae = gmvae_negative_iwae_bound;
        break;
    case MODEL_SSVAE:
        b.elbo = ssvae_negative_elbo_bound;
        break;
    case MODEL_FSVAE:
        b.fs_elbo = fsvae_negative_elbo_bound;
        break;
    }
    return b;
}

#endif
