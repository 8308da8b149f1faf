/* config.h: the one place that holds the assignment's hyper-parameters
 * (CS236 HW2's), for the models, the training program and the grader. */
#ifndef VG_CONFIG_H
#define VG_CONFIG_H

#include "model.h"

typedef struct train_config {
    size_t batch;          /* 100 */
    double lr;             /* Adam 1e-3 */
    double beta1, beta2, adam_eps;
    size_t n_labelled_per_class; /* ssvae: 10 */
} train_config_t;

/* CS236's defaults for kind: z=10 (ssvae 64), H=300, ELU, K=500, gw=1,
 * cw=100, fixed variance 0.1. */
model_config_t config_model_default(model_kind_t kind);
train_config_t config_train_default(void);

/* "vae", "gmvae", "ssvae", "fsvae" <-> kind; -1 for an unknown name. */
int config_kind_from_name(const char *name);
const char *config_kind_name(model_kind_t kind);

#endif
