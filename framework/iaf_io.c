/* iaf_io.c: a flow's parameter block on disk, as checkpoint.c keeps a
 * model's (versioned header, CRC-32, zlib, PyTorch's order, written
 * atomically), for flows of a few hundred kilobytes: one compress2 and one
 * uncompress call rather than checkpoint.c's sliced streams. */
#include "iaf.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "vg_error.h"

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "iaf_io.c writes parameters as little-endian bytes");

#define IAF_MAGIC "VGIAF\0\0\1"
#define IAF_VERSION 1u
/* The header, little-endian, 72 bytes:
 *   0 magic[8]   8 version  12 n_steps  16 z_dim  20 hidden  24 n_hidden
 *  28 dtype     32 crc32   36 (zero)               (uint32 each)
 *  40 n_params  48 seed    56 iters    64 payload_bytes    (uint64 each)
 * then the zlib stream of n_params * dtype bytes: each MADE's block in
 * PyTorch's order (mlp_params_to_torch), step 0 first. */
enum {
    OFF_VERSION = 8, OFF_STEPS = 12, OFF_Z = 16, OFF_HIDDEN = 20,
    OFF_LAYERS = 24, OFF_DTYPE = 28, OFF_CRC = 32, OFF_NPARAMS = 40,
    OFF_SEED = 48, OFF_ITERS = 56, OFF_PAYLOAD = 64, HEADER_BYTES = 72
};

static void put_le(uint8_t *b, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *b, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* dst = src (the flow's block), each step turned to or from PyTorch's
 * order. */
static void turn(const iaf_t *f, void *dst, const void *src, int to_torch)
{
    size_t per = f->made[0].net.n_params * (size_t)f->dtype;
    for (size_t t = 0; t < f->cfg.n_steps; t++) {
        const mlp_t *net = &f->made[t].net;
        if (to_torch)
            mlp_params_to_torch(net, (char *)dst + t * per,
                                (const char *)src + t * per);
        else
            mlp_params_from_torch(net, (char *)dst + t * per,
                                  (const char *)src + t * per);
    }
}

int iaf_save(const iaf_t *f, const char *path, uint64_t seed, uint64_t iters)
{
    size_t raw_n = f->n_params * (size_t)f->dtype;
    uLongf cap = compressBound((uLong)raw_n);
    uint8_t *block = malloc(raw_n + HEADER_BYTES + cap);
    char tmp[PATH_MAX] = "";
    FILE *out = NULL;
    int status = VG_ERR;
    if (!block) {
        vg_error_set("cannot write flow %s: out of memory", path);
        goto cleanup;
    }
    uint8_t *raw = block, *head = block + raw_n, *payload = head + HEADER_BYTES;
    turn(f, raw, f->params, 1);
    if (compress2(payload, &cap, raw, (uLong)raw_n, Z_DEFAULT_COMPRESSION) !=
        Z_OK) {
        vg_error_set("cannot write flow %s: zlib compress2 failed", path);
        goto cleanup;
    }
    memset(head, 0, HEADER_BYTES);
    memcpy(head, IAF_MAGIC, 8);
    put_le(head + OFF_VERSION, IAF_VERSION, 4);
    put_le(head + OFF_STEPS, f->cfg.n_steps, 4);
    put_le(head + OFF_Z, f->cfg.z_dim, 4);
    put_le(head + OFF_HIDDEN, f->cfg.hidden, 4);
    put_le(head + OFF_LAYERS, f->cfg.n_hidden, 4);
    put_le(head + OFF_DTYPE, (uint64_t)f->dtype, 4);
    put_le(head + OFF_CRC, crc32(crc32(0L, Z_NULL, 0), raw, (uInt)raw_n), 4);
    put_le(head + OFF_NPARAMS, f->n_params, 8);
    put_le(head + OFF_SEED, seed, 8);
    put_le(head + OFF_ITERS, iters, 8);
    put_le(head + OFF_PAYLOAD, cap, 8);

    int len = snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    if (len < 0 || (size_t)len >= sizeof tmp) {
        tmp[0] = '\0';
        vg_error_set("cannot write flow %s: path too long", path);
        goto cleanup;
    }
    out = fopen(tmp, "wb");
    if (!out) {
        vg_error_set("cannot create %s: %s", tmp, strerror(errno));
        tmp[0] = '\0';
        goto cleanup;
    }
    size_t total = HEADER_BYTES + cap;
    int bad = fwrite(head, 1, total, out) != total;
    bad |= fclose(out) != 0;
    out = NULL;
    if (bad || rename(tmp, path) != 0) {
        vg_error_set("cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    tmp[0] = '\0';
    status = VG_OK;
cleanup:
    if (out)
        fclose(out);
    if (tmp[0])
        remove(tmp);
    free(block);
    return status;
}

int iaf_load(iaf_t *f, const char *path)
{
    uint8_t head[HEADER_BYTES];
    uint8_t *payload = NULL, *raw = NULL, *conv = NULL;
    int status = VG_ERR;
    FILE *in = fopen(path, "rb");
    if (!in)
        return vg_error_set("cannot open flow %s: %s", path, strerror(errno));
    if (fread(head, 1, HEADER_BYTES, in) != HEADER_BYTES ||
        memcmp(head, IAF_MAGIC, 8) != 0) {
        vg_error_set("%s is not a flow file (no VGIAF header); write it with "
                     "iaf_save", path);
        goto cleanup;
    }
    if (get_le(head + OFF_VERSION, 4) != IAF_VERSION) {
        vg_error_set("%s: flow format version %llu, this build reads %u; "
                     "regenerate it", path,
                     (unsigned long long)get_le(head + OFF_VERSION, 4),
                     IAF_VERSION);
        goto cleanup;
    }
    uint64_t steps = get_le(head + OFF_STEPS, 4), z = get_le(head + OFF_Z, 4);
    uint64_t h = get_le(head + OFF_HIDDEN, 4), nl = get_le(head + OFF_LAYERS, 4);
    uint64_t dt = get_le(head + OFF_DTYPE, 4), np = get_le(head + OFF_NPARAMS, 8);
    if (steps != f->cfg.n_steps || z != f->cfg.z_dim || h != f->cfg.hidden ||
        nl != f->cfg.n_hidden || np != f->n_params ||
        (dt != NN_FLOAT32 && dt != NN_FLOAT64)) {
        vg_error_set("%s: a flow of T %llu, Z %llu, H %llu x %llu, %llu "
                     "parameters; this one is T %zu, Z %zu, H %zu x %zu, %zu",
                     path, (unsigned long long)steps, (unsigned long long)z,
                     (unsigned long long)h, (unsigned long long)nl,
                     (unsigned long long)np, f->cfg.n_steps, f->cfg.z_dim,
                     f->cfg.hidden, f->cfg.n_hidden, f->n_params);
        goto cleanup;
    }
    uint64_t pay_n = get_le(head + OFF_PAYLOAD, 8);
    uLongf raw_n = (uLongf)(np * dt);
    if (pay_n > 2 * (uint64_t)compressBound(raw_n)) {
        vg_error_set("%s: a payload of %llu bytes is impossible", path,
                     (unsigned long long)pay_n);
        goto cleanup;
    }
    payload = malloc(pay_n + 1);
    raw = malloc(raw_n);
    /* the file's dtype into f's: through a flow of the file's dtype */
    conv = malloc(np * (size_t)f->dtype);
    if (!payload || !raw || !conv) {
        vg_error_set("cannot read flow %s: out of memory", path);
        goto cleanup;
    }
    if (fread(payload, 1, pay_n + 1, in) != pay_n) {
        vg_error_set("%s: truncated or trailing data after %llu compressed "
                     "bytes; regenerate it", path, (unsigned long long)pay_n);
        goto cleanup;
    }
    uLongf got = raw_n;
    if (uncompress(raw, &got, payload, (uLong)pay_n) != Z_OK || got != raw_n ||
        crc32(crc32(0L, Z_NULL, 0), raw, (uInt)raw_n) !=
            get_le(head + OFF_CRC, 4)) {
        vg_error_set("%s: corrupt (zlib or CRC-32 mismatch); regenerate it",
                     path);
        goto cleanup;
    }
    for (size_t i = 0; i < np; i++) {
        double v = dt == NN_FLOAT32 ? (double)((const float *)raw)[i]
                                    : ((const double *)raw)[i];
        if (f->dtype == NN_FLOAT32)
            ((float *)conv)[i] = (float)v;
        else
            ((double *)conv)[i] = v;
    }
    turn(f, f->params, conv, 0);
    status = VG_OK;
cleanup:
    fclose(in);
    free(payload);
    free(raw);
    free(conv);
    return status;
}
