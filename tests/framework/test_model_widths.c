/* test_model_widths.c: per-layer hidden widths in model_config_t
 * (enc_hidden, dec_hidden), which STATS 305C's VAE needs (512, 256 /
 * 256, 512): the networks get them, all zero keeps every earlier model's
 * shape and parameters bit for bit, bad lists are refused with a message,
 * and models of other widths are different architectures. The backward
 * passes are the same code as test_model.c's. Shapes: D data, Z latent. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>

#include "checkpoint.h"
#include "config.h"
#include "model.h"
#include "tmpfiles.h"
#include "vg_error.h"

static size_t count(const mlp_spec_t *s)
{
    return mlp_param_count(s);
}

/* CS236's and STA414's models, built as before this field existed: every
 * layer `hidden` wide, the parameter count by hand. */
Test(model_widths, zero_lists_keep_earlier_models)
{
    model_t m;
    model_config_t c = config_model_default(MODEL_VAE);
    cr_assert_eq(model_create(&m, &c, NN_FLOAT32, 4, 1), VG_OK);
    cr_assert_eq(m.n_params, (784 * 300 + 300 + 300 * 300 + 300 + 300 * 20 + 20) +
                             (10 * 300 + 300 + 300 * 300 + 300 + 300 * 784 + 784));
    model_free(&m);
    c = config_model_sta414_a3();
    cr_assert_eq(model_create(&m, &c, NN_FLOAT32, 4, 1), VG_OK);
    cr_assert_eq(m.n_params, (784 * 500 + 500 + 500 * 4 + 4) +
                             (2 * 500 + 500 + 500 * 784 + 784));
    model_free(&m);
}

/* The same seed gives the same parameters whether the widths are given as
 * a list equal to `hidden` or left zero: the list changes nothing else. */
Test(model_widths, a_list_equal_to_hidden_is_the_same_model)
{
    model_config_t a = config_model_default(MODEL_VAE), b = a;
    a.x_dim = b.x_dim = 12;
    a.hidden = b.hidden = 7;
    b.enc_hidden[0] = b.enc_hidden[1] = 7;
    b.dec_hidden[0] = b.dec_hidden[1] = 7;
    model_t ma, mb;
    cr_assert_eq(model_create(&ma, &a, NN_FLOAT64, 3, 5), VG_OK);
    cr_assert_eq(model_create(&mb, &b, NN_FLOAT64, 3, 5), VG_OK, "%s", vg_error_last());
    cr_assert_eq(ma.n_params, mb.n_params);
    cr_assert(memcmp(ma.params, mb.params, ma.n_params * sizeof(double)) == 0);
    model_free(&ma);
    model_free(&mb);
}

Test(model_widths, networks_get_their_own_widths)
{
    model_config_t c = config_model_default(MODEL_VAE);
    c.x_dim = 12;
    c.z_dim = 3;
    c.hidden = 9;
    c.enc_hidden[0] = 9;
    c.enc_hidden[1] = 4;
    c.dec_hidden[0] = 5;
    c.dec_hidden[1] = 8;
    model_t m;
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 3, 5), VG_OK, "%s", vg_error_last());
    const mlp_spec_t *e = &m.enc.net.spec, *d = &m.dec.net.spec;
    cr_assert(e->sizes[0] == 12 && e->sizes[1] == 9 && e->sizes[2] == 4 &&
              e->sizes[3] == 6);
    cr_assert(d->sizes[0] == 3 && d->sizes[1] == 5 && d->sizes[2] == 8 &&
              d->sizes[3] == 12);
    cr_assert_eq(m.n_params, count(e) + count(d));
    /* forward and backward run at these widths */
    double x[3 * 12] = {0}, mu[3 * 3], h2[3 * 3], l[3 * 12], dz[3 * 3] = {0};
    double dl[3 * 12];
    for (size_t i = 0; i < 3 * 12; i++)
        dl[i] = 0.1;
    cr_assert_eq(encoder_forward_raw(&m, mu, h2, x, NULL, 3), VG_OK);
    cr_assert_eq(encoder_backward_raw(&m, mu, h2), VG_OK);
    cr_assert_eq(decoder_forward(&m, l, mu, NULL, 3), VG_OK);
    cr_assert_eq(decoder_backward(&m, dz, dl), VG_OK);
    model_free(&m);
}

Test(model_widths, bad_lists_are_refused_and_widths_are_architecture)
{
    model_config_t c = config_model_stats305c_hw6();
    model_t m;
    c.enc_hidden[1] = 0; /* n_hidden 2 needs two widths */
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 2, 1), VG_ERR);
    cr_assert(strstr(vg_error_last(), "enc_hidden[1]"), "%s", vg_error_last());
    c = config_model_stats305c_hw6();
    c.dec_hidden[2] = 7; /* beyond n_hidden */
    cr_assert_eq(model_create(&m, &c, NN_FLOAT64, 2, 1), VG_ERR);
    cr_assert(strstr(vg_error_last(), "dec_hidden[2]"), "%s", vg_error_last());

    /* same n_params, other widths: not copyable */
    model_config_t a = config_model_default(MODEL_VAE), b;
    a.x_dim = 4;
    a.z_dim = 1;
    a.n_hidden = 2;
    a.hidden = 3;
    a.enc_hidden[0] = 3; a.enc_hidden[1] = 3;
    a.dec_hidden[0] = 3; a.dec_hidden[1] = 3;
    b = a;
    b.enc_hidden[0] = 3; b.enc_hidden[1] = 3;
    b.dec_hidden[0] = 4; b.dec_hidden[1] = 2;
    model_t ma, mb;
    cr_assert_eq(model_create(&ma, &a, NN_FLOAT64, 1, 1), VG_OK);
    cr_assert_eq(model_create(&mb, &b, NN_FLOAT64, 1, 1), VG_OK);
    cr_assert_eq(model_copy_params(&ma, &mb), VG_ERR);
    model_free(&ma);
    model_free(&mb);
}

/* A checkpoint of a model with per-layer widths loads back bit for bit;
 * one of other widths (same `hidden` in the header) is refused by its
 * parameter count, with the command that regenerates it. */
Test(model_widths, checkpoint_round_trip_and_refusal)
{
    char dir[PATH_MAX], path[PATH_MAX];
    tmp_dir_create(dir);
    tmp_path(path, dir, "w.ckpt");
    model_config_t c = config_model_default(MODEL_VAE), o;
    c.x_dim = 12;
    c.z_dim = 2;
    c.hidden = 9;
    c.enc_hidden[0] = 9;
    c.enc_hidden[1] = 4;
    c.dec_hidden[0] = 4;
    c.dec_hidden[1] = 9;
    o = c;
    o.dec_hidden[0] = 5;
    model_t a, b, other;
    cr_assert_eq(model_create(&a, &c, NN_FLOAT32, 2, 3), VG_OK);
    cr_assert_eq(model_create(&b, &c, NN_FLOAT32, 2, 4), VG_OK);
    cr_assert_eq(model_create(&other, &o, NN_FLOAT32, 2, 4), VG_OK);
    cr_assert_eq(checkpoint_save(&a, path, 3, 0), VG_OK, "%s", vg_error_last());
    cr_assert_eq(checkpoint_load(&b, path, NULL), VG_OK, "%s", vg_error_last());
    cr_assert(memcmp(a.params, b.params, a.n_params * sizeof(float)) == 0);
    cr_assert_eq(checkpoint_load(&other, path, NULL), VG_ERR);
    cr_assert(strstr(vg_error_last(), "make fixtures"), "%s", vg_error_last());
    model_free(&a);
    model_free(&b);
    model_free(&other);
    tmp_dir_remove(dir);
}
