/* train_cli.c: strict parsing of vae-train's options. A typo must stop the
 * program before minutes of training, never be read as a default. */
#include "train_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vg_error.h"

const char *train_options_usage(void)
{
    return "usage: vae-train MODEL [options]\n"
           "  MODEL              vae | gmvae | ssvae | fsvae\n"
           "  --iters N          training steps (default 20000)\n"
           "  --seed S           seed of the initialisation, batches and noise (default 0)\n"
           "  --batch B          batch size (default 100)\n"
           "  --threads T        BLAS threads, 1..64 (default 1)\n"
           "  --eval-every K     evaluate on the test subset every K steps (default 0: at the end)\n"
           "  --out DIR          where the checkpoint, samples.png and summary.json go (default runs/MODEL)\n"
           "  --data DIR         MNIST-format idx[.gz] files (default fixtures/mnist-full)\n"
           "  --gen-weight W     ssvae: weight of the ELBO in the loss (default 1; 0 gives the classifier-only baseline)\n"
           "  --help             this text\n";
}

/* An unsigned decimal with nothing before or after it and no overflow:
 * strtoull alone accepts "-1", " 7" and "7x". */
static int parse_u64(uint64_t *out, const char *s, const char *opt)
{
    if (!s || !*s || strspn(s, "0123456789") != strlen(s))
        return vg_error_set("%s needs a non-negative integer, got '%s'", opt,
                            s ? s : "");
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return vg_error_set("%s: '%s' is too large", opt, s);
    *out = (uint64_t)v;
    return VG_OK;
}

static int parse_size(size_t *out, const char *s, const char *opt,
                      uint64_t lo, uint64_t hi)
{
    uint64_t v;
    if (parse_u64(&v, s, opt) != VG_OK)
        return VG_ERR;
    if (v < lo || v > hi)
        return vg_error_set("%s must be in %llu..%llu, got %s", opt,
                            (unsigned long long)lo, (unsigned long long)hi, s);
    *out = (size_t)v;
    return VG_OK;
}

static int parse_weight(double *out, const char *s, const char *opt)
{
    char *end = NULL;
    if (!s || !*s)
        return vg_error_set("%s needs a number", opt);
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v) || v < 0)
        return vg_error_set("%s needs a finite number >= 0, got '%s'", opt, s);
    *out = v;
    return VG_OK;
}

enum { OPT_ITERS, OPT_SEED, OPT_BATCH, OPT_THREADS, OPT_EVAL, OPT_OUT,
       OPT_DATA, OPT_GW, OPT_COUNT };
static const char *const opt_names[OPT_COUNT] = {
    "--iters", "--seed", "--batch", "--threads", "--eval-every", "--out",
    "--data", "--gen-weight",
};

static int set_option(train_options_t *o, int which, const char *v)
{
    const char *name = opt_names[which];
    size_t threads = 1;
    switch (which) {
    case OPT_ITERS: return parse_size(&o->iters, v, name, 1, SIZE_MAX / 64);
    case OPT_SEED: return parse_u64(&o->seed, v, name);
    case OPT_BATCH: return parse_size(&o->batch, v, name, 1, 1u << 20);
    case OPT_THREADS:
        if (parse_size(&threads, v, name, 1, TRAIN_MAX_THREADS) != VG_OK)
            return VG_ERR;
        o->threads = (int)threads;
        return VG_OK;
    case OPT_EVAL: return parse_size(&o->eval_every, v, name, 0, SIZE_MAX);
    case OPT_OUT:
    case OPT_DATA:
        if (!*v)
            return vg_error_set("%s needs a directory, got ''", name);
        *(which == OPT_OUT ? &o->out_dir : &o->data_dir) = v;
        return VG_OK;
    case OPT_GW:
        o->has_gen_weight = 1;
        return parse_weight(&o->gen_weight, v, name);
    }
    return vg_error_set("internal: option %d", which);
}

int train_options_parse(train_options_t *o, int argc, char **argv)
{
    int seen[OPT_COUNT] = {0}, have_model = 0;
    memset(o, 0, sizeof *o);
    o->iters = TRAIN_DEFAULT_ITERS;
    o->threads = 1;
    o->data_dir = TRAIN_DEFAULT_DATA;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            o->help = 1;
            return VG_OK;
        }
        if (a[0] != '-') {
            int kind = config_kind_from_name(a);
            if (have_model)
                return vg_error_set("one MODEL only, got '%s' after '%s'", a,
                                    config_kind_name(o->kind));
            if (kind < 0)
                return vg_error_set("unknown MODEL '%s' (vae, gmvae, ssvae "
                                    "or fsvae)", a);
            o->kind = (model_kind_t)kind;
            have_model = 1;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a) : strlen(a);
        int which = -1;
        for (int k = 0; k < OPT_COUNT; k++)
            if (strlen(opt_names[k]) == len && !strncmp(a, opt_names[k], len))
                which = k;
        if (which < 0)
            return vg_error_set("unknown option '%s'", a);
        if (seen[which]++)
            return vg_error_set("%s given twice", opt_names[which]);
        const char *v = eq ? eq + 1 : NULL;
        if (!v) {
            if (i + 1 >= argc)
                return vg_error_set("%s needs a value", opt_names[which]);
            v = argv[++i];
        }
        if (set_option(o, which, v) != VG_OK)
            return VG_ERR;
    }
    if (!have_model)
        return vg_error_set("no MODEL given (vae, gmvae, ssvae or fsvae)");
    if (o->has_gen_weight && o->kind != MODEL_SSVAE)
        return vg_error_set("--gen-weight applies to ssvae only");
    return VG_OK;
}
