/* config.c: CS236 HW2's, STA414 A3's and STATS 305C HW6's hyper-parameters, the one place a
 * course changes them, and the names of the four models. Not a parser of
 * config files. */
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

/* ---- stats305c-hw6 ------------------------------------------------------ */

model_config_t config_model_stats305c_hw6(void)
{
    model_config_t c = config_model_default(MODEL_VAE);
    c.z_dim = 2;
    c.n_hidden = 2;
    c.hidden = 512; /* the widest layer; the widths below are the model */
    c.enc_hidden[0] = 512;
    c.enc_hidden[1] = 256;
    c.dec_hidden[0] = 256;
    c.dec_hidden[1] = 512;
    c.act = NN_RELU;
    c.enc_var = ENC_VAR_LOG_VAR; /* the encoder gives (mu, log sigma^2) */
    return c;
}

stats305c_config_t config_stats305c_hw6(void)
{
    stats305c_config_t s;
    memset(&s, 0, sizeof s);
    s.gd_a1[0] = s.gd_a1[1] = 0.2;
    s.gd_a2[0] = 0.05;
    s.gd_a2[1] = 1.2;
    s.gd_lr = 0.8;
    s.gd_iters = 50;
    s.gd_x0 = 10.0;
    s.hd_n = 10;
    s.hd_iters = 1000;
    s.hd_x0 = 10.0;
    s.hd_target = 0.01;
    s.annulus_n = 500;
    s.pos_r_max = 2.5;
    s.neg_r_min = 3.5;
    s.neg_r_max = 5.0;
    s.cls_lr = 1.0;
    s.cls_iters = 1000;
    /* The course's notebook (slinderman/stats305c, assignments/hw6,
     * "Implement the Training Loop [given]"): optim.Adam(..., lr=3e-4),
     * betas and eps PyTorch's defaults; DataLoader batch_size=64,
     * shuffle=True; 20 epochs over the 60,000 training digits. */
    s.train = config_train_default();
    s.train.lr = 3e-4;
    s.train.batch = 64;
    s.train.n_labelled_per_class = 0;
    s.epochs = 20;
    s.n_train = 60000;
    /* binarize(): x >= 0.5 on ToTensor's byte / 255, i.e. byte >= 128:
     * the same digits as x > 0.5 (no byte is exactly 0.5). */
    s.binarise_above = 0.5;
    return s;
}

void stats305c_hd_coefficients(double *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a[i] = n > 1 ? pow(10.0, -2.0 + 4.0 * (double)i / (double)(n - 1))
                     : 0.01;
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
