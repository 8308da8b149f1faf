/* config.c: CS236 HW2's, STA414 A3's and CSE 599i HW2's
 * hyper-parameters, the one place a course changes them, and the names of
 * the four models. Not a parser of config files. */
#include "config.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[] = { "vae", "gmvae", "ssvae", "fsvae" };

model_config_t config_model_default(model_kind_t kind)
{
    model_config_t c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.x_dim = 784;  /* 28 x 28 MNIST */
    c.hidden = 300; /* CS236's nns/v1.py: every MLP is 2 x 300 with ELU */
    c.n_hidden = 2;
    c.act = NN_ELU;
    c.enc_var = ENC_VAR_SOFTPLUS; /* gaussian_parameters */
    c.z_dim = 10;
    switch (kind) {
    case MODEL_VAE:
        break;
    case MODEL_GMVAE:
        c.k = 500;
        /* CS236: z_pre = randn(1, 2K, Z) / sqrt(K Z), so the initial means
         * and pre-softplus variances are small and random. */
        c.prior_init_scale = 1.0 / sqrt((double)(c.k * c.z_dim));
        break;
    case MODEL_SSVAE:
        c.z_dim = 64;
        c.y_dim = 10;
        c.gen_weight = 1.0;
        c.class_weight = 100.0;
        break;
    case MODEL_FSVAE:
        c.y_dim = 10;
        c.fixed_var = 0.1;
        break;
    }
    return c;
}

train_config_t config_train_default(void)
{
    train_config_t t;
    t.batch = 100;
    t.lr = 1e-3;
    t.beta1 = 0.9; /* torch.optim.Adam's defaults, which CS236 keeps */
    t.beta2 = 0.999;
    t.adam_eps = 1e-8;
    t.n_labelled_per_class = 10;
    return t;
}

model_config_t config_model_sta414_a3(void)
{
    model_config_t c = config_model_default(MODEL_VAE);
    c.z_dim = 2;
    c.hidden = 500;
    c.n_hidden = 1;
    c.act = NN_TANH;
    c.enc_var = ENC_VAR_LOG_STD; /* unpack_gaussian_params: (mu, log sigma) */
    return c;
}

sta414_config_t config_sta414_a3(void)
{
    sta414_config_t s;
    memset(&s, 0, sizeof s);
    s.train = config_train_default(); /* Flux's ADAM() = PyTorch's Adam's */
    s.train.n_labelled_per_class = 0;
    s.epochs = 100;
    s.train_first = 0;
    s.n_train = 10000;
    s.test_first = 10000;
    s.n_test = 10000;
    s.binarise_above = 0.5;
    s.svi_k = 10;
    s.svi_iters = 300;
    s.svi_lr = 5e-2;
    return s;
}

/* CSE 599i HW2's networks are convolutional (ConvnetBlock); the issue
 * asks for MLPs instead, so its sizes are CS236's MLPs' (2 x 300 ELU,
 * Z = 10), whose speed this project has measured: a grader's short run
 * of a few thousand steps takes seconds. The encoder gives a log variance
 * (the course's encoders output (mu, log sigma^2)). The decoder's output
 * is the identity, not a sigmoid: the Gaussian VAE's mean g(z) is then the
 * network's output as in the course's Problem 5 (a Gaussian likelihood,
 * not a squashed one), the same network serves the discrete VAE's logits,
 * and the pictures clip the mean to [0,1] as the issue says. */
model_config_t config_model_cse599i_hw2(void)
{
    model_config_t c = config_model_default(MODEL_VAE);
    c.enc_var = ENC_VAR_LOG_VAR;
    return c;
}

/* sigma = 0.1: a fixed standard deviation of a tenth of the pixel range,
 * small enough that the reconstruction term dominates the KL and the
 * Gaussian VAE's samples look like digits (sigma = 1 leaves the KL
 * winning and blurred means); the profile may change it. M = 1000 is
 * Problem 6b's. The IAF: Kingma et al. 2016 used 8 steps on MNIST (the
 * issue's); each MADE has two hidden layers as theirs, of 64 units (more
 * than Z - 1 = 9 degrees, so every degree has units; small beside the
 * 784-wide networks, so the flow adds little to a step's time); s's bias
 * starts at 1 (their forget-gate bias, section 4), so each step starts
 * near the identity. */
cse599i_config_t config_cse599i_hw2(void)
{
    cse599i_config_t c;
    memset(&c, 0, sizeof c);
    c.train = config_train_default();
    c.train.n_labelled_per_class = 0;
    c.sigma = 0.1;
    c.is_samples = 1000;
    c.iaf.n_steps = 8;
    c.iaf.z_dim = config_model_cse599i_hw2().z_dim;
    c.iaf.hidden = 64;
    c.iaf.n_hidden = 2;
    c.iaf.s_bias = 1.0;
    return c;
}

int config_kind_from_name(const char *name)
{
    for (int i = 0; i < (int)(sizeof kind_names / sizeof *kind_names); i++)
        if (name && strcmp(name, kind_names[i]) == 0)
            return i;
    return -1;
}

const char *config_kind_name(model_kind_t kind)
{
    if ((unsigned)kind < sizeof kind_names / sizeof *kind_names)
        return kind_names[kind];
    return "unknown";
}
