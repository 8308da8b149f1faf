/* model.c: the four assignment models' networks in one allocation
 * (parameters | gradients | double staging buffers | scratch), their
 * forward/backward calls with a double interface, the mixture prior's
 * views, and the scratch allocator. Not the bounds: those are the
 * assignment's (reference/, student code).
 * Shapes: B batch, D data (784), Y labels, Z latent, K components,
 * H hidden; R rows a network takes (max_batch, or Y * max_batch for the
 * ssvae's encoder and decoder, which see the label-expanded batch). */
#include "model.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prob.h"
#include "rng.h"
#include "vg_error.h"

#define MODEL_ALIGN 64

static size_t align_up(size_t bytes)
{
    return (bytes + MODEL_ALIGN - 1) / MODEL_ALIGN * MODEL_ALIGN;
}

/* in -> hidden (n_hidden layers of act) -> out, the last layer linear
 * (logits, or the encoder's pre-split output). widths (n_hidden), when
 * not NULL and its first entry is set, gives each hidden layer its own
 * width (model_config_t's enc_hidden, dec_hidden); else every layer is
 * `hidden` wide. */
static mlp_spec_t mlp_of(size_t in, size_t hidden, const size_t *widths,
                         size_t n_hidden, size_t out, nn_act_t act)
{
    mlp_spec_t s;
    memset(&s, 0, sizeof s);
    s.n_layers = n_hidden + 1;
    s.sizes[0] = in;
    for (size_t l = 0; l < n_hidden; l++) {
        s.sizes[l + 1] = widths && widths[0] ? widths[l] : hidden;
        s.acts[l] = act;
    }
    s.sizes[n_hidden + 1] = out;
    s.acts[n_hidden] = NN_IDENTITY;
    return s;
}

/* A per-layer width list is either unused (all zero) or gives every one
 * of the n_hidden layers a positive width and nothing beyond them. */
static int widths_check(const size_t *w, size_t n_hidden, const char *name)
{
    int any = 0;
    for (size_t l = 0; l < NN_MAX_LAYERS; l++)
        any |= w[l] != 0;
    if (!any)
        return VG_OK;
    for (size_t l = 0; l < NN_MAX_LAYERS; l++)
        if ((l < n_hidden) != (w[l] != 0))
            return vg_error_set("model_create: %s[%zu] is %zu; with n_hidden "
                                "%zu, entries 0..%zu must be positive and the "
                                "rest 0 (or all 0: every layer `hidden` wide)",
                                name, l, w[l], n_hidden, n_hidden - 1);
    return VG_OK;
}

/* The widest hidden layer of either network (for the size check). */
static size_t widest_hidden(const model_config_t *c)
{
    size_t w = c->hidden;
    for (size_t l = 0; l < NN_MAX_LAYERS; l++) {
        w = c->enc_hidden[l] > w ? c->enc_hidden[l] : w;
        w = c->dec_hidden[l] > w ? c->dec_hidden[l] : w;
    }
    return w;
}

static int config_check(const model_config_t *c, size_t max_batch)
{
    if ((unsigned)c->kind > MODEL_FSVAE)
        return vg_error_set("model_create: unknown model kind %d", (int)c->kind);
    if (!c->x_dim || !c->z_dim || !c->hidden)
        return vg_error_set("model_create: x_dim %zu, z_dim %zu and hidden %zu "
                            "must all be positive", c->x_dim, c->z_dim, c->hidden);
    if (c->n_hidden < 1 || c->n_hidden >= NN_MAX_LAYERS)
        return vg_error_set("model_create: n_hidden %zu outside 1..%d (start "
                            "from config_model_default, which sets it)",
                            c->n_hidden, NN_MAX_LAYERS - 1);
    if (widths_check(c->enc_hidden, c->n_hidden, "enc_hidden") != VG_OK ||
        widths_check(c->dec_hidden, c->n_hidden, "dec_hidden") != VG_OK)
        return VG_ERR;
    if ((unsigned)c->enc_var > ENC_VAR_LOG_VAR)
        return vg_error_set("model_create: unknown encoder variance "
                            "parameterisation %d", (int)c->enc_var);
    if ((c->kind == MODEL_SSVAE || c->kind == MODEL_FSVAE) && !c->y_dim)
        return vg_error_set("model_create: ssvae and fsvae need y_dim > 0 "
                            "(10 labels)");
    if (c->kind == MODEL_GMVAE && !c->k)
        return vg_error_set("model_create: gmvae needs k > 0 components");
    if (!max_batch)
        return vg_error_set("model_create: max_batch is 0");
    size_t rows = max_batch * (c->kind == MODEL_SSVAE ? c->y_dim : 1);
    size_t width = c->x_dim + c->y_dim + 2 * c->z_dim + widest_hidden(c);
    if (max_batch > (size_t)INT_MAX / width || rows > (size_t)INT_MAX / width)
        return vg_error_set("model_create: max_batch %zu too large for a "
                            "network of width %zu", max_batch, width);
    return VG_OK;
}

int model_create(model_t *m, const model_config_t *cfg, nn_dtype_t dtype,
                 size_t max_batch, unsigned long long seed)
{
    memset(m, 0, sizeof *m);
    if (dtype != NN_FLOAT32 && dtype != NN_FLOAT64)
        return vg_error_set("model_create: dtype %d is neither NN_FLOAT32 "
                            "nor NN_FLOAT64", (int)dtype);
    if (config_check(cfg, max_batch) != VG_OK)
        return VG_ERR;

    const size_t D = cfg->x_dim, Y = cfg->y_dim, Z = cfg->z_dim;
    const size_t H = cfg->hidden, es = (size_t)dtype;
    const int has_cls = cfg->kind == MODEL_SSVAE;
    const int has_prior = cfg->kind == MODEL_GMVAE;
    const size_t rows = max_batch * (has_cls ? Y : 1); /* R */

    const size_t L = cfg->n_hidden;
    mlp_spec_t enc_s = mlp_of(D + Y, H, cfg->enc_hidden, L, 2 * Z, cfg->act);
    mlp_spec_t dec_s = mlp_of(Z + Y, H, cfg->dec_hidden, L, D, cfg->act);
    mlp_spec_t cls_s = mlp_of(D, H, NULL, L, has_cls ? Y : 1, cfg->act);
    size_t n_enc = mlp_param_count(&enc_s), n_dec = mlp_param_count(&dec_s);
    size_t n_cls = has_cls ? mlp_param_count(&cls_s) : 0;
    size_t n_prior = has_prior ? 2 * cfg->k * Z : 0;
    size_t n_params = n_enc + n_dec + n_cls + n_prior;

    /* Generous for the reference bounds: a few (R, D+Y+2Z) double arrays
     * at once, plus a megabyte-scale reserve for per-component work. */
    size_t scratch_cap = 8 * rows * (D + Y + 2 * Z) + 1048576;

    /* One block: params | grads | enc.in (R,D+Y) | enc.h, enc.dh (R,2Z) |
     * dec.in, dec.din (R,Z+Y) | scratch. */
    size_t off_grads = align_up(n_params * es);
    size_t off_enc_in = off_grads + align_up(n_params * es);
    size_t off_enc_h = off_enc_in + align_up(rows * (D + Y) * sizeof(double));
    size_t off_enc_dh = off_enc_h + align_up(rows * 2 * Z * sizeof(double));
    size_t off_dec_in = off_enc_dh + align_up(rows * 2 * Z * sizeof(double));
    size_t off_dec_din = off_dec_in + align_up(rows * (Z + Y) * sizeof(double));
    size_t off_scratch = off_dec_din + align_up(rows * (Z + Y) * sizeof(double));
    size_t total = off_scratch + align_up(scratch_cap * sizeof(double));

    char *block = aligned_alloc(MODEL_ALIGN, total);
    if (!block)
        return vg_error_set("model_create: out of memory for %zu bytes "
                            "(max_batch %zu, %zu network rows)", total,
                            max_batch, rows);
    /* Only the parts read before written are zeroed; the scratch is zeroed
     * as it is handed out, so untouched pages stay untouched. */
    memset(block, 0, off_scratch);

    m->cfg = *cfg;
    m->dtype = dtype;
    m->max_batch = max_batch;
    m->n_params = n_params;
    m->params = block;
    m->grads = block + off_grads;
    m->enc.x_dim = D;
    m->enc.y_dim = Y;
    m->enc.z_dim = Z;
    m->enc.in = (double *)(void *)(block + off_enc_in);
    m->enc.h = (double *)(void *)(block + off_enc_h);
    m->enc.dh = (double *)(void *)(block + off_enc_dh);
    m->dec.z_dim = Z;
    m->dec.y_dim = Y;
    m->dec.x_dim = D;
    m->dec.in = (double *)(void *)(block + off_dec_in);
    m->dec.din = (double *)(void *)(block + off_dec_din);
    m->scratch.base = (double *)(void *)(block + off_scratch);
    m->scratch.cap = scratch_cap;
    m->scratch.used = 0;

    /* Parameter views, in the order enc | dec | cls | prior. */
    char *p = m->params, *g = m->grads;
    if (mlp_init(&m->enc.net, &enc_s, dtype, rows, p, g) != VG_OK)
        goto fail;
    p += n_enc * es;
    g += n_enc * es;
    if (mlp_init(&m->dec.net, &dec_s, dtype, rows, p, g) != VG_OK)
        goto fail;
    p += n_dec * es;
    g += n_dec * es;
    if (has_cls) {
        if (mlp_init(&m->cls.net, &cls_s, dtype, max_batch, p, g) != VG_OK)
            goto fail;
        p += n_cls * es;
        g += n_cls * es;
    }
    if (has_prior) {
        m->prior.k = cfg->k;
        m->prior.z_dim = Z;
        m->prior.raw = p;
        m->prior.draw = g;
    }

    /* PyTorch builds enc, dec, then cls or the prior; drawing in that order
     * keeps a seed's meaning when a model gains a part. */
    rng_t rng;
    rng_seed(&rng, (uint64_t)seed);
    mlp_init_params(&m->enc.net, &rng);
    mlp_init_params(&m->dec.net, &rng);
    if (has_cls)
        mlp_init_params(&m->cls.net, &rng);
    for (size_t i = 0; i < n_prior; i++) {
        double v = rng_normal(&rng) * cfg->prior_init_scale;
        if (dtype == NN_FLOAT32)
            ((float *)m->prior.raw)[i] = (float)v;
        else
            ((double *)m->prior.raw)[i] = v;
    }
    return VG_OK;

fail:
    model_free(m);
    return VG_ERR;
}

void model_free(model_t *m)
{
    mlp_free(&m->enc.net);
    mlp_free(&m->dec.net);
    mlp_free(&m->cls.net);
    free(m->params); /* the start of the model's one block */
    memset(m, 0, sizeof *m);
}

void model_zero_grad(model_t *m)
{
    memset(m->grads, 0, m->n_params * (size_t)m->dtype);
}

static int same_architecture(const model_t *a, const model_t *b)
{
    const model_config_t *x = &a->cfg, *y = &b->cfg;
    return x->kind == y->kind && x->x_dim == y->x_dim &&
           x->y_dim == y->y_dim && x->z_dim == y->z_dim &&
           x->hidden == y->hidden && x->n_hidden == y->n_hidden &&
           x->k == y->k && x->act == y->act && x->enc_var == y->enc_var &&
           memcmp(x->enc_hidden, y->enc_hidden, sizeof x->enc_hidden) == 0 &&
           memcmp(x->dec_hidden, y->dec_hidden, sizeof x->dec_hidden) == 0 &&
           a->n_params == b->n_params;
}

int model_copy_params(model_t *dst, const model_t *src)
{
    if (!same_architecture(dst, src))
        return vg_error_set("model_copy_params: architectures differ (%zu vs "
                            "%zu parameters); build both from one config",
                            dst->n_params, src->n_params);
    size_t n = src->n_params;
    if (dst->dtype == src->dtype) {
        memmove(dst->params, src->params, n * (size_t)src->dtype);
    } else if (dst->dtype == NN_FLOAT32) {
        float *d = dst->params;
        const double *s = src->params;
        for (size_t i = 0; i < n; i++)
            d[i] = (float)s[i];
    } else {
        double *d = dst->params;
        const float *s = src->params;
        for (size_t i = 0; i < n; i++)
            d[i] = (double)s[i];
    }
    return VG_OK;
}

/* Each network's part of the block turned by nn.c; the prior's raw
 * parameters have one layout only and are copied. */
static void params_turn(const model_t *m, void *dst, const void *src,
                        int to_torch)
{
    memcpy(dst, src, m->n_params * (size_t)m->dtype);
    const mlp_t *nets[3] = {&m->enc.net, &m->dec.net, &m->cls.net};
    for (int k = 0; k < 3; k++) {
        const mlp_t *net = nets[k];
        if (!net->n_params)
            continue; /* no classifier */
        size_t off = (size_t)((const char *)net->params -
                              (const char *)m->params);
        if (to_torch)
            mlp_params_to_torch(net, (char *)dst + off, (const char *)src + off);
        else
            mlp_params_from_torch(net, (char *)dst + off, (const char *)src + off);
    }
}

void model_block_to_torch(const model_t *m, void *dst, const void *src)
{
    params_turn(m, dst, src, 1);
}

void model_block_from_torch(const model_t *m, void *dst, const void *src)
{
    params_turn(m, dst, src, 0);
}

static double block_get(const void *base, nn_dtype_t dtype, size_t i)
{
    if (dtype == NN_FLOAT32)
        return (double)((const float *)base)[i];
    return ((const double *)base)[i];
}

/* Out-of-range indices read NaN and write nothing, so a wrong index shows
 * in the checker's report instead of corrupting the block. */
double model_param_get(const model_t *m, size_t i)
{
    return i < m->n_params ? block_get(m->params, m->dtype, i) : NAN;
}

void model_param_set(model_t *m, size_t i, double value)
{
    if (i >= m->n_params)
        return;
    if (m->dtype == NN_FLOAT32)
        ((float *)m->params)[i] = (float)value;
    else
        ((double *)m->params)[i] = value;
}

double model_grad_get(const model_t *m, size_t i)
{
    return i < m->n_params ? block_get(m->grads, m->dtype, i) : NAN;
}

/* Hands out 64-byte-aligned runs, zeroed here rather than at creation. */
double *scratch_alloc(model_t *m, size_t n)
{
    scratch_t *s = &m->scratch;
    size_t left = s->cap - s->used;
    size_t take = (n + 7) / 8 * 8;
    if (take < n || take > left) {
        vg_error_set("scratch_alloc: %zu doubles asked, %zu of %zu left; "
                     "call scratch_reset before each bound, or free what a "
                     "loop takes", n, left, s->cap);
        return NULL;
    }
    double *p = s->base + s->used;
    s->used += take;
    memset(p, 0, n * sizeof *p);
    return p;
}

void scratch_reset(model_t *m)
{
    m->scratch.used = 0;
    m->grads_zero = 0; /* a bound may write gradients from here */
}

/* dst (B, a+b) = [x (B,a), y (B,b)] row by row. */
static void concat_rows(double *dst, const double *x, size_t a,
                        const double *y, size_t b, size_t batch)
{
    for (size_t r = 0; r < batch; r++) {
        memcpy(dst + r * (a + b), x + r * a, a * sizeof *dst);
        memcpy(dst + r * (a + b) + a, y + r * b, b * sizeof *dst);
    }
}

static int labels_check(size_t y_dim, const double *y, const char *who)
{
    if (y_dim && !y)
        return vg_error_set("%s: this model is conditioned on %zu labels; "
                            "pass y (B,Y)", who, y_dim);
    if (!y_dim && y)
        return vg_error_set("%s: y given but this model has no labels; pass "
                            "NULL", who);
    return VG_OK;
}

static int rows_check(const mlp_t *net, size_t batch, const char *who)
{
    if (batch < 1 || batch > net->max_batch)
        return vg_error_set("%s: batch %zu outside 1..%zu, the rows this "
                            "network was built for (model_create's "
                            "max_batch)", who, batch, net->max_batch);
    return VG_OK;
}

/* Runs the encoder's MLP into e->h (B, 2Z), the cache of both backwards. */
static int encoder_run(model_t *m, const double *x, const double *y,
                       size_t batch, const char *who)
{
    encoder_t *e = &m->enc;
    if (labels_check(e->y_dim, y, who) != VG_OK ||
        rows_check(&e->net, batch, who) != VG_OK)
        return VG_ERR;
    const double *in = x; /* (B, D+Y) */
    if (e->y_dim) {
        concat_rows(e->in, x, e->x_dim, y, e->y_dim, batch);
        in = e->in;
    }
    return mlp_forward(&e->net, e->h, in, batch);
}

int encoder_forward(model_t *m, double *qm, double *qv, const double *x,
                    const double *y, size_t batch)
{
    encoder_t *e = &m->enc;
    if (encoder_run(m, x, y, batch, "encoder_forward") != VG_OK)
        return VG_ERR;
    const size_t Z = e->z_dim;
    switch (m->cfg.enc_var) {
    case ENC_VAR_SOFTPLUS:
        gaussian_parameters(qm, qv, e->h, batch, Z);
        break;
    case ENC_VAR_LOG_STD: /* v = exp(2 log std) */
    case ENC_VAR_LOG_VAR: { /* v = exp(log var) */
        const double scale = m->cfg.enc_var == ENC_VAR_LOG_STD ? 2.0 : 1.0;
        for (size_t r = 0; r < batch; r++)
            for (size_t j = 0; j < Z; j++) {
                qm[r * Z + j] = e->h[r * 2 * Z + j];
                qv[r * Z + j] = exp(scale * e->h[r * 2 * Z + Z + j]);
            }
        break;
    }
    }
    return VG_OK;
}

/* The start of both backwards: the rows of the last encoder_run, with
 * e->dh (B, 2Z) zeroed for them; 0, with a message naming who, when no
 * forward ran. */
static size_t encoder_backward_begin(encoder_t *e, const char *who)
{
    size_t batch = e->net.batch;
    if (!batch) {
        vg_error_set("%s: no encoder forward to go back through", who);
        return 0;
    }
    memset(e->dh, 0, batch * 2 * e->z_dim * sizeof *e->dh);
    return batch;
}

int encoder_backward(model_t *m, const double *dqm, const double *dqv)
{
    encoder_t *e = &m->enc;
    const size_t batch = encoder_backward_begin(e, "encoder_backward");
    if (!batch)
        return VG_ERR;
    const size_t Z = e->z_dim;
    if (m->cfg.enc_var == ENC_VAR_SOFTPLUS) {
        gaussian_parameters_backward(e->dh, dqm, dqv, e->h, batch, Z);
    } else {
        /* dv/dh2 = scale * v, v recomputed from the cached h2. */
        const double scale = m->cfg.enc_var == ENC_VAR_LOG_STD ? 2.0 : 1.0;
        for (size_t r = 0; r < batch; r++)
            for (size_t j = 0; j < Z; j++) {
                double *dh = e->dh + r * 2 * Z;
                const double h2 = e->h[r * 2 * Z + Z + j];
                if (dqm)
                    dh[j] = dqm[r * Z + j];
                if (dqv)
                    dh[Z + j] = dqv[r * Z + j] * scale * exp(scale * h2);
            }
    }
    return mlp_backward(&e->net, NULL, e->dh);
}

int encoder_forward_raw(model_t *m, double *mu, double *h2, const double *x,
                        const double *y, size_t batch)
{
    encoder_t *e = &m->enc;
    if (encoder_run(m, x, y, batch, "encoder_forward_raw") != VG_OK)
        return VG_ERR;
    const size_t Z = e->z_dim;
    for (size_t r = 0; r < batch; r++) {
        memcpy(mu + r * Z, e->h + r * 2 * Z, Z * sizeof *mu);
        memcpy(h2 + r * Z, e->h + r * 2 * Z + Z, Z * sizeof *h2);
    }
    return VG_OK;
}

int encoder_backward_raw(model_t *m, const double *dmu, const double *dh2)
{
    encoder_t *e = &m->enc;
    const size_t batch = encoder_backward_begin(e, "encoder_backward_raw");
    if (!batch)
        return VG_ERR;
    const size_t Z = e->z_dim;
    for (size_t r = 0; r < batch; r++) {
        if (dmu)
            memcpy(e->dh + r * 2 * Z, dmu + r * Z, Z * sizeof *e->dh);
        if (dh2)
            memcpy(e->dh + r * 2 * Z + Z, dh2 + r * Z, Z * sizeof *e->dh);
    }
    return mlp_backward(&e->net, NULL, e->dh);
}

int decoder_forward(model_t *m, double *logits, const double *z,
                    const double *y, size_t batch)
{
    decoder_t *d = &m->dec;
    if (labels_check(d->y_dim, y, "decoder_forward") != VG_OK ||
        rows_check(&d->net, batch, "decoder_forward") != VG_OK)
        return VG_ERR;
    const double *in = z; /* (B, Z+Y) */
    if (d->y_dim) {
        concat_rows(d->in, z, d->z_dim, y, d->y_dim, batch);
        in = d->in;
    }
    return mlp_forward(&d->net, logits, in, batch);
}

int decoder_backward(model_t *m, double *dz, const double *dlogits)
{
    decoder_t *d = &m->dec;
    size_t batch = d->net.batch;
    if (!batch)
        return vg_error_set("decoder_backward: no decoder_forward to go back "
                            "through");
    if (!dz || !d->y_dim) /* mlp_backward accumulates into dz itself */
        return mlp_backward(&d->net, dz, dlogits);

    /* The labels are inputs too; only the z part of their gradient goes
     * back to the caller. */
    size_t w = d->z_dim + d->y_dim;
    memset(d->din, 0, batch * w * sizeof *d->din);
    if (mlp_backward(&d->net, d->din, dlogits) != VG_OK)
        return VG_ERR;
    for (size_t r = 0; r < batch; r++)
        for (size_t j = 0; j < d->z_dim; j++)
            dz[r * d->z_dim + j] += d->din[r * w + j];
    return VG_OK;
}

int classifier_forward(model_t *m, double *logits, const double *x,
                       size_t batch)
{
    if (!m->cls.net.acts_block)
        return vg_error_set("classifier_forward: only the ssvae has a "
                            "classifier");
    if (rows_check(&m->cls.net, batch, "classifier_forward") != VG_OK)
        return VG_ERR;
    return mlp_forward(&m->cls.net, logits, x, batch);
}

int classifier_backward(model_t *m, const double *dlogits)
{
    if (!m->cls.net.acts_block)
        return vg_error_set("classifier_backward: only the ssvae has a "
                            "classifier");
    return mlp_backward(&m->cls.net, NULL, dlogits);
}

void prior_get(const model_t *m, double *out)
{
    size_t n = 2 * m->prior.k * m->prior.z_dim; /* (2K, Z); 0 without one */
    for (size_t i = 0; i < n; i++)
        out[i] = block_get(m->prior.raw, m->dtype, i);
}

void prior_backward(model_t *m, const double *draw)
{
    size_t n = 2 * m->prior.k * m->prior.z_dim;
    if (m->dtype == NN_FLOAT32) {
        float *g = m->prior.draw;
        for (size_t i = 0; i < n; i++)
            g[i] += (float)draw[i];
    } else {
        double *g = m->prior.draw;
        for (size_t i = 0; i < n; i++)
            g[i] += draw[i];
    }
}
