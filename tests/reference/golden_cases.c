/* golden_cases.c: the golden values of the reference at fixed seeds, and
 * their JSON file (see golden_cases.h). What is computed here is what the
 * committed fixtures/golden/reference.json pins; it is not a test itself.
 * Shapes: B batch, D dimension, K mixture components, Z latent, Y labels. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "config.h"
#include "golden_cases.h"
#include "vg_error.h"

/* The seeds, written into the file's header too. */
enum {
    SEED_UTILS = 101,  /* utils and prob inputs */
    SEED_NOISE = 102,  /* sample_gaussian's and every bound's noise */
    SEED_MODEL = 103,  /* model_create (kind k gets SEED_MODEL + k) */
    SEED_DATA = 104,   /* the bounds' digits */
    SEED_PICK = 105    /* which gradient coordinates are kept */
};
#define UB 4           /* B of the utils cases */
#define UD 5           /* D of the utils cases */
#define UK 3           /* K of the mixture case */
#define MB 5           /* B of the bound cases: odd */
#define N_PICK 64      /* gradient coordinates kept per bound */
static const size_t IWS[] = { 1, 10, 100 };

/* ---- the set -------------------------------------------------------------- */

static int add(golden_set_t *s, const char *name, const double *v, size_t n)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        golden_value_t *items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return vg_error_set("golden: out of memory");
        s->items = items;
        s->cap = cap;
    }
    golden_value_t *g = &s->items[s->n];
    if (strlen(name) >= sizeof g->name)
        return vg_error_set("golden: name too long: %s", name);
    strcpy(g->name, name);
    g->n = n;
    g->v = malloc((n ? n : 1) * sizeof *g->v);
    if (!g->v)
        return vg_error_set("golden: out of memory");
    memcpy(g->v, v, n * sizeof *v);
    s->n++;
    return VG_OK;
}

void golden_set_free(golden_set_t *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->items[i].v);
    free(set->items);
    *set = (golden_set_t){ 0 };
}

const golden_value_t *golden_find(const golden_set_t *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i].name, name) == 0)
            return &set->items[i];
    return NULL;
}

/* ---- utils and prob ------------------------------------------------------- */

static void uniform(rng_t *rng, double *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * rng_uniform(rng);
}

/* Every utils function and backward, and the framework's probability
 * helpers, on one set of seeded inputs. The gradients start at zero. */
static int utils_cases(golden_set_t *s)
{
    enum { N = UB * UD };
    double x[N], m[N], v[N], pm[N], pv[N], dout[UB];   /* (B,D), (B) */
    double km[UK * UD], kv[UK * UD];                   /* (K,D) */
    double out[UB], z[N], eps[N], dz[N];
    double g1[N], g2[N], g3[N], g4[N], gk1[UK * UD], gk2[UK * UD];
    int st = VG_OK;
    rng_t rng;
    rng_seed(&rng, SEED_UTILS);
    uniform(&rng, x, N, -2, 2);
    uniform(&rng, m, N, -1, 1);
    uniform(&rng, v, N, 0.3, 3);
    uniform(&rng, pm, N, -1, 1);
    uniform(&rng, pv, N, 0.3, 3);
    uniform(&rng, dout, UB, -1, 1);
    uniform(&rng, km, UK * UD, -2, 2);
    uniform(&rng, kv, UK * UD, 0.3, 3);
    uniform(&rng, dz, N, -1, 1);

#define ADD(name, arr, n) \
    do { if (st == VG_OK) st = add(s, name, arr, n); } while (0)
#define ZERO(a) memset(a, 0, sizeof a)

    rng_t noise;
    rng_seed(&noise, SEED_NOISE);
    sample_gaussian(&noise, m, v, N, z, eps);
    ADD("utils/sample_gaussian/z", z, N);
    ADD("utils/sample_gaussian/eps", eps, N);
    ZERO(g1); ZERO(g2);
    sample_gaussian_backward(g1, g2, dz, v, eps, N);
    ADD("utils/sample_gaussian_backward/dm", g1, N);
    ADD("utils/sample_gaussian_backward/dv", g2, N);

    log_normal(x, m, v, UB, UD, out);
    ADD("utils/log_normal/out", out, UB);
    ZERO(g1); ZERO(g2); ZERO(g3);
    log_normal_backward(g1, g2, g3, dout, x, m, v, UB, UD);
    ADD("utils/log_normal_backward/dx", g1, N);
    ADD("utils/log_normal_backward/dm", g2, N);
    ADD("utils/log_normal_backward/dv", g3, N);

    log_normal_mixture(x, km, kv, UB, UK, UD, out);
    ADD("utils/log_normal_mixture/out", out, UB);
    ZERO(g1); ZERO(gk1); ZERO(gk2);
    log_normal_mixture_backward(g1, gk1, gk2, dout, x, km, kv, UB, UK, UD);
    ADD("utils/log_normal_mixture_backward/dz", g1, N);
    ADD("utils/log_normal_mixture_backward/dm", gk1, UK * UD);
    ADD("utils/log_normal_mixture_backward/dv", gk2, UK * UD);
    /* Far from every component: the shift by the largest log-density. */
    double far[N];
    for (size_t i = 0; i < N; i++)
        far[i] = x[i] + 40.0;
    log_normal_mixture(far, km, kv, UB, UK, UD, out);
    ADD("utils/log_normal_mixture/far", out, UB);

    kl_normal(m, v, pm, pv, UB, UD, out);
    ADD("utils/kl_normal/out", out, UB);
    ZERO(g1); ZERO(g2); ZERO(g3); ZERO(g4);
    kl_normal_backward(g1, g2, g3, g4, dout, m, v, pm, pv, UB, UD);
    ADD("utils/kl_normal_backward/dqm", g1, N);
    ADD("utils/kl_normal_backward/dqv", g2, N);
    ADD("utils/kl_normal_backward/dpm", g3, N);
    ADD("utils/kl_normal_backward/dpv", g4, N);

    double big[N];
    for (size_t i = 0; i < N; i++)
        big[i] = 1000.0 * x[i];
    double lme[4] = { log_mean_exp(x, N), log_sum_exp(x, N),
                      log_mean_exp(big, N), log_sum_exp(big, N) };
    ADD("utils/log_mean_exp_sum_exp", lme, 4);

    /* prob.h: x in [0,1] as pixels, the inputs above as logits. */
    double px[N];
    uniform(&rng, px, N, 0, 1);
    log_bernoulli_with_logits(out, px, x, UB, UD);
    ADD("prob/log_bernoulli_with_logits/out", out, UB);
    ZERO(g1);
    log_bernoulli_with_logits_backward(g1, dout, px, x, UB, UD);
    ADD("prob/log_bernoulli_with_logits_backward/dlogits", g1, N);

    /* gaussian_parameters on x read as h (2, 2Z) with Z = D: N = 4D. */
    double gm[2 * UD], gv[2 * UD];   /* (2,Z) */
    gaussian_parameters(gm, gv, x, 2, UD);
    ADD("prob/gaussian_parameters/m", gm, 2 * UD);
    ADD("prob/gaussian_parameters/v", gv, 2 * UD);
    ZERO(g1);
    gaussian_parameters_backward(g1, dz, dz + 2 * UD, x, 2, UD);
    ADD("prob/gaussian_parameters_backward/dh", g1, N);

    double lp[N], p[N], logp[UD];
    log_softmax(lp, p, x, UB, UD);
    ADD("prob/log_softmax/log_p", lp, N);
    ZERO(g1);
    log_softmax_backward(g1, dz, lp, UB, UD);
    ADD("prob/log_softmax_backward/dlogits", g1, N);
    for (size_t k = 0; k < UD; k++)
        logp[k] = log(1.0 / UD);
    kl_cat(out, p, lp, logp, UB, UD);
    ADD("prob/kl_cat/out", out, UB);
    ZERO(g1); ZERO(g2);
    kl_cat_backward(g1, g2, dout, p, lp, logp, UB, UD);
    ADD("prob/kl_cat_backward/dq", g1, N);
    ADD("prob/kl_cat_backward/dlog_q", g2, N);
#undef ZERO
#undef ADD
    return st;
}

/* ---- bounds --------------------------------------------------------------- */

/* N_PICK coordinates, one drawn in each of N_PICK equal strata of the
 * parameter block, so every network is sampled in proportion to its size;
 * and the squared norm of each part (enc, dec, cls, prior), so that a part
 * no pick falls in (the prior is 1.5% of the gmvae) is pinned too. */
static int add_gradient(golden_set_t *s, const char *kind, const model_t *m)
{
    char name[64];
    double pick[N_PICK], norm2[4] = { 0 };
    const size_t n = m->n_params;
    const size_t part[4] = { m->enc.net.n_params, m->dec.net.n_params,
                             m->cfg.kind == MODEL_SSVAE ? m->cls.net.n_params
                                                        : 0,
                             m->cfg.kind == MODEL_GMVAE
                                 ? 2 * m->prior.k * m->prior.z_dim : 0 };
    /* indices in PyTorch's order, so the values do not depend on the
     * layout of weights in memory */
    if (m->dtype != NN_FLOAT64)
        return vg_error_set("golden: gradients come from float64 models");
    double *g_torch = malloc(n * sizeof *g_torch);
    if (!g_torch)
        return vg_error_set("golden: out of memory for %zu gradients", n);
    model_block_to_torch(m, g_torch, m->grads);
    rng_t rng;
    rng_seed(&rng, SEED_PICK);
    for (size_t j = 0; j < N_PICK; j++) {
        size_t lo = j * n / N_PICK, hi = (j + 1) * n / N_PICK;
        pick[j] = g_torch[lo + (size_t)rng_below(&rng, hi - lo)];
    }
    free(g_torch);
    for (size_t p = 0, i = 0; p < 4; p++)
        for (size_t e = i + part[p]; i < e && i < n; i++) {
            double g = model_grad_get(m, i);
            norm2[p] += g * g;
        }
    snprintf(name, sizeof name, "%s/elbo_grad/picked", kind);
    if (add(s, name, pick, N_PICK) != VG_OK)
        return VG_ERR;
    snprintf(name, sizeof name, "%s/elbo_grad/norm2_enc_dec_cls_prior", kind);
    return add(s, name, norm2, 4);
}

static int bound_cases(golden_set_t *s, model_kind_t kind)
{
    const char *name = config_kind_name(kind);
    model_config_t cfg = config_model_default(kind);
    const size_t D = cfg.x_dim, Y = cfg.y_dim;
    model_t m;
    double x[MB * 784], y[MB * 10] = { 0 };   /* (B,D), (B,Y) */
    char key[64];
    int st = VG_ERR;

    if (D > 784 || Y > 10)
        return vg_error_set("golden: the cases are sized for D <= 784 and "
                            "Y <= 10, the config has D %zu, Y %zu", D, Y);
    if (model_create(&m, &cfg, NN_FLOAT64, MB, SEED_MODEL + kind) != VG_OK)
        return VG_ERR;
    rng_t rng;
    rng_seed(&rng, SEED_DATA + kind);
    for (size_t i = 0; i < MB * D; i++)
        x[i] = kind == MODEL_FSVAE ? rng_uniform(&rng)
                                   : (double)(rng_uniform(&rng) < 0.3);
    for (size_t b = 0; b < MB && Y; b++)
        y[b * Y + rng_below(&rng, Y)] = 1.0;

    bound_terms_t t;
    double f = NAN;
    model_zero_grad(&m);
    scratch_reset(&m);
    rng_seed(&rng, SEED_NOISE);
    switch (kind) {
    case MODEL_VAE:
        f = vae_negative_elbo_bound(&m, x, MB, &rng, &t, 1);
        break;
    case MODEL_GMVAE:
        f = gmvae_negative_elbo_bound(&m, x, MB, &rng, &t, 1);
        break;
    case MODEL_SSVAE:
        f = ssvae_negative_elbo_bound(&m, x, MB, &rng, &t, 1);
        break;
    case MODEL_FSVAE:
        f = fsvae_negative_elbo_bound(&m, x, y, MB, &rng, &t, 1);
        break;
    }
    if (!isfinite(f))
        goto cleanup;
    double terms[4] = { t.nelbo, t.kl, t.rec, NAN };
    if (kind == MODEL_SSVAE) {
        terms[1] = t.kl_y;
        terms[2] = t.kl_z;
        terms[3] = t.rec;
    } else if (kind == MODEL_FSVAE) {
        terms[1] = t.kl_z;
    }
    snprintf(key, sizeof key, "%s/elbo/%s", name,
             kind == MODEL_SSVAE ? "nelbo_kly_klz_rec" : "nelbo_kl_rec");
    if (add(s, key, terms, kind == MODEL_SSVAE ? 4 : 3) != VG_OK
        || add_gradient(s, name, &m) != VG_OK)
        goto cleanup;

    if (kind == MODEL_VAE || kind == MODEL_GMVAE)
        for (size_t i = 0; i < sizeof IWS / sizeof IWS[0]; i++) {
            scratch_reset(&m);
            rng_seed(&rng, SEED_NOISE);
            f = kind == MODEL_VAE
                    ? vae_negative_iwae_bound(&m, x, MB, IWS[i], &rng, &t)
                    : gmvae_negative_iwae_bound(&m, x, MB, IWS[i], &rng, &t);
            if (!isfinite(f))
                goto cleanup;
            double iv[4] = { t.niwae, t.nelbo, t.kl, t.rec };
            snprintf(key, sizeof key, "%s/iwae%zu/niwae_nelbo_kl_rec", name,
                     IWS[i]);
            if (add(s, key, iv, 4) != VG_OK)
                goto cleanup;
        }
    st = VG_OK;

cleanup:
    model_free(&m);
    return st;
}

int golden_compute(golden_set_t *set)
{
    if (utils_cases(set) != VG_OK)
        return VG_ERR;
    const model_kind_t kinds[] = { MODEL_VAE, MODEL_GMVAE, MODEL_SSVAE,
                                   MODEL_FSVAE };
    for (size_t i = 0; i < 4; i++)
        if (bound_cases(set, kinds[i]) != VG_OK)
            return VG_ERR;
    return VG_OK;
}

/* ---- the file ------------------------------------------------------------- */

#define FORMAT "vaegrade-golden"

int golden_write(const golden_set_t *set, const char *path)
{
    int st = VG_ERR;
    char *text = NULL, tmp[4096];
    FILE *f = NULL;
    cJSON *root = cJSON_CreateObject(), *seeds = NULL, *values = NULL;
    if (!root)
        return vg_error_set("golden: out of memory");
    cJSON_AddStringToObject(root, "format", FORMAT);
    cJSON_AddNumberToObject(root, "version", GOLDEN_VERSION);
    cJSON_AddStringToObject(root, "made_by",
                            GOLDEN_REMAKE " (runs build/rel/bin/make-golden "
                            GOLDEN_PATH ")");
    cJSON_AddStringToObject(root, "what",
        "reference values at fixed seeds: utils and prob functions with "
        "their backward on seeded inputs (B 4, D 5, K 3); every bound on "
        "float64 models of config_model_default's sizes made by "
        "model_create(seed_model + kind) with batch 5; elbo_grad/picked are "
        "64 gradient coordinates, one per equal stratum of the parameter "
        "block, drawn with seed_pick");
    seeds = cJSON_AddObjectToObject(root, "seeds");
    values = cJSON_AddObjectToObject(root, "values");
    if (!seeds || !values)
        goto cleanup;
    cJSON_AddNumberToObject(seeds, "utils", SEED_UTILS);
    cJSON_AddNumberToObject(seeds, "noise", SEED_NOISE);
    cJSON_AddNumberToObject(seeds, "model", SEED_MODEL);
    cJSON_AddNumberToObject(seeds, "data", SEED_DATA);
    cJSON_AddNumberToObject(seeds, "pick", SEED_PICK);
    for (size_t i = 0; i < set->n; i++) {
        const golden_value_t *g = &set->items[i];
        cJSON *arr = cJSON_AddArrayToObject(values, g->name);
        if (!arr)
            goto cleanup;
        for (size_t j = 0; j < g->n; j++) {
            if (!isfinite(g->v[j])) {
                vg_error_set("golden: %s[%zu] is %g; golden values must be "
                             "finite", g->name, j, g->v[j]);
                goto cleanup;
            }
            cJSON_AddItemToArray(arr, cJSON_CreateNumber(g->v[j]));
        }
    }
    text = cJSON_Print(root);
    if (!text)
        goto cleanup;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f) {
        vg_error_set("golden: cannot write %s (does its folder exist?)", tmp);
        goto cleanup;
    }
    if (fputs(text, f) < 0 || fputc('\n', f) == EOF) {
        vg_error_set("golden: writing %s failed", tmp);
        goto cleanup;
    }
    if (fclose(f) != 0) {
        f = NULL;
        vg_error_set("golden: closing %s failed", tmp);
        goto cleanup;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
        vg_error_set("golden: cannot rename %s to %s", tmp, path);
        goto cleanup;
    }
    st = VG_OK;

cleanup:
    if (f)
        fclose(f);
    cJSON_free(text);
    cJSON_Delete(root);
    return st;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        len = ftell(f);
    if (len >= 0 && fseek(f, 0, SEEK_SET) == 0)
        buf = malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[len] = '\0';
    fclose(f);
    return buf;
}

int golden_read(golden_set_t *set, const char *path)
{
    int st = VG_ERR;
    char *text = slurp(path);
    cJSON *root = NULL;
    double *v = NULL;
    if (!text)
        return vg_error_set("golden: cannot read %s; run `" GOLDEN_REMAKE
                            "` to make it", path);
    root = cJSON_Parse(text);
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "format");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *values = cJSON_GetObjectItemCaseSensitive(root, "values");
    if (!root || !cJSON_IsString(format)
        || strcmp(format->valuestring, FORMAT) != 0
        || !cJSON_IsObject(values)) {
        vg_error_set("golden: %s is not a " FORMAT " file; run `"
                     GOLDEN_REMAKE "` to remake it", path);
        goto cleanup;
    }
    if (!cJSON_IsNumber(version) || version->valueint != GOLDEN_VERSION) {
        vg_error_set("golden: %s is stale (version %d, the tests expect %d); "
                     "run `" GOLDEN_REMAKE "` and commit it", path,
                     cJSON_IsNumber(version) ? version->valueint : -1,
                     GOLDEN_VERSION);
        goto cleanup;
    }
    const cJSON *arr;
    cJSON_ArrayForEach(arr, values) {
        int n = cJSON_GetArraySize(arr);
        v = malloc(((size_t)n + 1) * sizeof *v);
        if (!cJSON_IsArray(arr) || !v) {
            vg_error_set("golden: %s: %s is not an array of numbers; run `"
                         GOLDEN_REMAKE "`", path, arr->string);
            goto cleanup;
        }
        int i = 0;
        const cJSON *num;
        cJSON_ArrayForEach(num, arr) {
            if (!cJSON_IsNumber(num)) {
                vg_error_set("golden: %s: %s[%d] is not a number; run `"
                             GOLDEN_REMAKE "`", path, arr->string, i);
                goto cleanup;
            }
            v[i++] = num->valuedouble;
        }
        if (add(set, arr->string, v, (size_t)n) != VG_OK)
            goto cleanup;
        free(v);
        v = NULL;
    }
    st = VG_OK;

cleanup:
    free(v);
    cJSON_Delete(root);
    free(text);
    return st;
}
