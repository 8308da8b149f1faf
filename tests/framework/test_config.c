/* test_config.c: the defaults are CS236 HW2's and the model names map both
 * ways. Not a test of the models built from them (test_model.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "config.h"
#include "vg_error.h"

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

Test(config, cse599i_hw2_is_cs236s_mlp_with_a_log_variance_and_its_flow)
{
    model_config_t c = config_model_cse599i_hw2();
    cr_assert(c.kind == MODEL_VAE && c.x_dim == 784 && c.y_dim == 0 &&
              c.z_dim == 10 && c.hidden == 300 && c.n_hidden == 2 &&
              c.act == NN_ELU && c.enc_var == ENC_VAR_LOG_VAR);
    cse599i_config_t s = config_cse599i_hw2();
    cr_assert(s.train.batch == 100 && s.train.lr == 1e-3);
    cr_assert(s.sigma == 0.1 && s.is_samples == 1000);
    cr_assert(s.iaf.n_steps == 8 && s.iaf.z_dim == c.z_dim &&
              s.iaf.hidden == 64 && s.iaf.n_hidden == 2 && s.iaf.s_bias == 1.0);
    iaf_t f;
    cr_assert_eq(iaf_create(&f, &s.iaf, NN_FLOAT32, 4, 1), VG_OK, "%s",
                 vg_error_last());
    iaf_free(&f);
}
