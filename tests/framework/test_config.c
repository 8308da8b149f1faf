/* test_config.c: the defaults are CS236 HW2's and the model names map both
 * ways. Not a test of the models built from them (test_model.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "config.h"

Test(config, model_defaults_are_cs236)
{
    model_config_t v = config_model_default(MODEL_VAE);
    cr_assert(v.kind == MODEL_VAE && v.x_dim == 784 && v.y_dim == 0 &&
              v.z_dim == 10 && v.hidden == 300 && v.k == 0 && v.act == NN_ELU);
    cr_assert(v.n_hidden == 2 && v.enc_var == ENC_VAR_SOFTPLUS);

    model_config_t g = config_model_default(MODEL_GMVAE);
    cr_assert(g.z_dim == 10 && g.k == 500 && g.y_dim == 0);
    /* randn / sqrt(K Z): the scale is exactly that quotient's double */
    cr_assert_eq(g.prior_init_scale, 1.0 / sqrt(5000.0));

    model_config_t s = config_model_default(MODEL_SSVAE);
    cr_assert(s.z_dim == 64 && s.y_dim == 10 && s.hidden == 300);
    cr_assert(s.gen_weight == 1.0 && s.class_weight == 100.0);

    model_config_t f = config_model_default(MODEL_FSVAE);
    cr_assert(f.z_dim == 10 && f.y_dim == 10 && f.fixed_var == 0.1);
}

Test(config, sta414_a3_is_its_starter_codes_model)
{
    model_config_t c = config_model_sta414_a3();
    cr_assert(c.kind == MODEL_VAE && c.x_dim == 784 && c.y_dim == 0 &&
              c.z_dim == 2 && c.hidden == 500 && c.n_hidden == 1 &&
              c.act == NN_TANH && c.enc_var == ENC_VAR_LOG_STD);
    sta414_config_t s = config_sta414_a3();
    cr_assert(s.train.batch == 100 && s.train.lr == 1e-3 && s.epochs == 100);
    cr_assert(s.n_train == 10000 && s.test_first == 10000 && s.n_test == 10000);
    cr_assert(s.binarise_above == 0.5);
}

Test(config, train_defaults_are_cs236)
{
    train_config_t t = config_train_default();
    cr_assert(t.batch == 100 && t.lr == 1e-3 && t.beta1 == 0.9 &&
              t.beta2 == 0.999 && t.adam_eps == 1e-8 &&
              t.n_labelled_per_class == 10);
}

Test(config, kind_names_round_trip)
{
    for (int k = MODEL_VAE; k <= MODEL_FSVAE; k++)
        cr_assert_eq(config_kind_from_name(config_kind_name((model_kind_t)k)), k);
    cr_assert_str_eq(config_kind_name(MODEL_GMVAE), "gmvae");
    cr_assert_eq(config_kind_from_name("VAE"), -1, "names are lower case");
    cr_assert_eq(config_kind_from_name("hmm"), -1);
    cr_assert_eq(config_kind_from_name(NULL), -1);
    cr_assert_str_eq(config_kind_name((model_kind_t)9), "unknown");
}

Test(config, stats305c_hw6_is_the_courses)
{
    model_config_t c = config_model_stats305c_hw6();
    cr_assert(c.kind == MODEL_VAE && c.x_dim == 784 && c.y_dim == 0 &&
              c.z_dim == 2 && c.n_hidden == 2 && c.act == NN_RELU &&
              c.enc_var == ENC_VAR_LOG_VAR);
    cr_assert(c.enc_hidden[0] == 512 && c.enc_hidden[1] == 256 &&
              c.enc_hidden[2] == 0 && c.dec_hidden[0] == 256 &&
              c.dec_hidden[1] == 512 && c.dec_hidden[2] == 0);
    stats305c_config_t s = config_stats305c_hw6();
    cr_assert(s.gd_a1[0] == 0.2 && s.gd_a1[1] == 0.2 && s.gd_a2[0] == 0.05 &&
              s.gd_a2[1] == 1.2 && s.gd_lr == 0.8 && s.gd_iters == 50 &&
              s.gd_x0 == 10);
    cr_assert(s.hd_n == 10 && s.hd_iters == 1000 && s.hd_x0 == 10 &&
              s.hd_target == 0.01);
    cr_assert(s.annulus_n == 500 && s.pos_r_max == 2.5 && s.neg_r_min == 3.5 &&
              s.neg_r_max == 5 && s.cls_lr == 1 && s.cls_iters == 1000);
    cr_assert(s.train.batch == 64 && s.train.lr == 3e-4 && s.epochs == 20 &&
              s.n_train == 60000 && s.binarise_above == 0.5);
    double a[10];
    stats305c_hd_coefficients(a, 10);
    for (size_t i = 0; i < 10; i++) /* 10^(-2 + 4 i / 9), by pow */
        cr_assert(fabs(a[i] - pow(10.0, -2.0 + 4.0 * (double)i / 9.0)) <=
                  1e-15 * a[i], "a[%zu] = %g", i, a[i]);
    cr_assert(fabs(a[9] / a[0] - 1e4) < 1e-9, "condition number 10^4");
}
