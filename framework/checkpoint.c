/* checkpoint.c: a model's parameter block on disk, zlib-compressed behind a
 * versioned header. It stores parameters only (no optimiser state, no
 * activations) and refuses, with the reason, any file that does not fit the
 * model it is loaded into. */
#include "checkpoint.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "vg_error.h"

/* Parameters go to disk as the host's bytes; every machine that grades is
 * little-endian, and the format says so. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "checkpoint.c writes parameters as little-endian bytes");

#define REGEN "regenerate it with `make fixtures`"

/* The header on disk, little-endian, 80 bytes:
 *   0 magic[8]   8 version   12 kind   16 x_dim   20 y_dim   24 z_dim
 *  28 hidden    32 k        36 act    40 dtype   44 crc32    (uint32 each)
 *  48 n_params  56 seed     64 iters  72 payload_bytes        (uint64 each)
 * then payload_bytes of zlib stream holding n_params * dtype bytes, in
 * PyTorch's order (each W as (O,I), model_block_to_torch) whatever the
 * layout in memory. */
enum {
    OFF_VERSION = 8, OFF_KIND = 12, OFF_X = 16, OFF_Y = 20, OFF_Z = 24,
    OFF_HIDDEN = 28, OFF_K = 32, OFF_ACT = 36, OFF_DTYPE = 40, OFF_CRC = 44,
    OFF_NPARAMS = 48, OFF_SEED = 56, OFF_ITERS = 64, OFF_PAYLOAD = 72,
    HEADER_BYTES = 80
};
#define MAGIC_BYTES 8

/* zlib counts in uInt: feed and crc large blocks in slices. */
#define ZSLICE ((size_t)1 << 30)

static void put_le32(uint8_t *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get_le32(const uint8_t *b)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static uint64_t get_le64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static uint32_t crc_of(const uint8_t *p, size_t n)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t off = 0; off < n; off += ZSLICE) {
        size_t k = n - off < ZSLICE ? n - off : ZSLICE;
        crc = crc32(crc, p + off, (uInt)k);
    }
    return (uint32_t)crc;
}

/* Compresses raw (n) into out (cap), setting *out_n. */
static int deflate_all(uint8_t *out, size_t cap, size_t *out_n,
                       const uint8_t *raw, size_t n, const char *path)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit(&zs, Z_DEFAULT_COMPRESSION) != Z_OK)
        return vg_error_set("cannot write %s: zlib deflateInit failed", path);
    size_t in_off = 0, out_off = 0;
    int ret;
    do {
        size_t in_k = n - in_off < ZSLICE ? n - in_off : ZSLICE;
        size_t out_k = cap - out_off < ZSLICE ? cap - out_off : ZSLICE;
        zs.next_in = (Bytef *)(uintptr_t)(raw + in_off);
        zs.avail_in = (uInt)in_k;
        zs.next_out = out + out_off;
        zs.avail_out = (uInt)out_k;
        int flush = in_off + in_k == n ? Z_FINISH : Z_NO_FLUSH;
        ret = deflate(&zs, flush);
        in_off += in_k - zs.avail_in;
        out_off += out_k - zs.avail_out;
        if (ret == Z_STREAM_ERROR || ret == Z_BUF_ERROR)
            break;
    } while (ret != Z_STREAM_END);
    deflateEnd(&zs);
    if (ret != Z_STREAM_END)
        return vg_error_set("cannot write %s: zlib deflate failed (%d)", path,
                            ret);
    *out_n = out_off;
    return VG_OK;
}

int checkpoint_save(const model_t *m, const char *path, uint64_t seed,
                    uint64_t iters)
{
    if (!m || !m->params || m->n_params == 0)
        return vg_error_set("cannot write checkpoint %s: the model has no "
                            "parameters", path);
    if (m->dtype != NN_FLOAT32 && m->dtype != NN_FLOAT64)
        return vg_error_set("cannot write checkpoint %s: model dtype %d is "
                            "neither float32 nor float64", path, (int)m->dtype);
    const model_config_t *c = &m->cfg;
    size_t dims[5] = {c->x_dim, c->y_dim, c->z_dim, c->hidden, c->k};
    for (int i = 0; i < 5; i++)
        if (dims[i] > UINT32_MAX)
            return vg_error_set("cannot write checkpoint %s: dimension %zu "
                                "does not fit the format", path, dims[i]);

    size_t raw_n = m->n_params * (size_t)m->dtype;
    size_t cap = compressBound(raw_n);
    /* the parameters in PyTorch's order (first, so aligned), then the
     * header and the payload */
    uint8_t *block = malloc(raw_n + HEADER_BYTES + cap);
    FILE *f = NULL;
    char tmp[PATH_MAX] = "";
    int status = VG_ERR;
    if (!block) {
        vg_error_set("cannot write checkpoint %s: out of memory", path);
        goto cleanup;
    }
    uint8_t *raw = block, *head = block + raw_n, *payload = head + HEADER_BYTES;
    model_block_to_torch(m, raw, m->params);
    size_t payload_n = 0;
    if (deflate_all(payload, cap, &payload_n, raw, raw_n, path) != VG_OK)
        goto cleanup;

    memset(head, 0, HEADER_BYTES);
    memcpy(head, CHECKPOINT_MAGIC, MAGIC_BYTES);
    put_le32(head + OFF_VERSION, CHECKPOINT_VERSION);
    put_le32(head + OFF_KIND, (uint32_t)c->kind);
    put_le32(head + OFF_X, (uint32_t)c->x_dim);
    put_le32(head + OFF_Y, (uint32_t)c->y_dim);
    put_le32(head + OFF_Z, (uint32_t)c->z_dim);
    put_le32(head + OFF_HIDDEN, (uint32_t)c->hidden);
    put_le32(head + OFF_K, (uint32_t)c->k);
    put_le32(head + OFF_ACT, (uint32_t)c->act);
    put_le32(head + OFF_DTYPE, (uint32_t)m->dtype);
    put_le32(head + OFF_CRC, crc_of(raw, raw_n));
    put_le64(head + OFF_NPARAMS, m->n_params);
    put_le64(head + OFF_SEED, seed);
    put_le64(head + OFF_ITERS, iters);
    put_le64(head + OFF_PAYLOAD, payload_n);

    int len = snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    if (len < 0 || (size_t)len >= sizeof tmp) {
        tmp[0] = '\0';
        vg_error_set("cannot write checkpoint %s: path too long", path);
        goto cleanup;
    }
    f = fopen(tmp, "wb");
    if (!f) {
        vg_error_set("cannot create %s: %s", tmp, strerror(errno));
        tmp[0] = '\0';
        goto cleanup;
    }
    size_t total = HEADER_BYTES + payload_n;
    if (fwrite(head, 1, total, f) != total) {
        vg_error_set("cannot write %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    int close_status = fclose(f);
    f = NULL;
    if (close_status != 0) {
        vg_error_set("cannot write %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    if (rename(tmp, path) != 0) {
        vg_error_set("cannot rename %s to %s: %s", tmp, path, strerror(errno));
        goto cleanup;
    }
    tmp[0] = '\0';
    status = VG_OK;
cleanup:
    if (f)
        fclose(f);
    if (tmp[0])
        remove(tmp);
    free(block);
    return status;
}

static const char *kind_name(uint32_t kind)
{
    static const char *const names[] = {"vae", "gmvae", "ssvae", "fsvae"};
    return kind < 4 ? names[kind] : "unknown";
}

/* The architecture fields, compared one by one so the message names the
 * one that differs. */
static int check_architecture(const checkpoint_header_t *h,
                              const model_config_t *c, const char *path)
{
    if (h->kind != (uint32_t)c->kind)
        return vg_error_set("%s: other architecture: kind expected %s (%d), "
                            "found %s (%u); load it into a %s model or " REGEN,
                            path, kind_name((uint32_t)c->kind), (int)c->kind,
                            kind_name(h->kind), h->kind, kind_name(h->kind));
    struct { const char *name; size_t want; uint32_t got; } f[] = {
        {"x_dim", c->x_dim, h->x_dim}, {"y_dim", c->y_dim, h->y_dim},
        {"z_dim", c->z_dim, h->z_dim}, {"hidden", c->hidden, h->hidden},
        {"k", c->k, h->k}, {"act", (size_t)c->act, h->act},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].want != f[i].got)
            return vg_error_set("%s: other architecture: %s expected %zu "
                                "(this model), found %u (file); " REGEN,
                                path, f[i].name, f[i].want, f[i].got);
    return VG_OK;
}

static void parse_header(checkpoint_header_t *h, const uint8_t *b)
{
    h->version = get_le32(b + OFF_VERSION);
    h->kind = get_le32(b + OFF_KIND);
    h->x_dim = get_le32(b + OFF_X);
    h->y_dim = get_le32(b + OFF_Y);
    h->z_dim = get_le32(b + OFF_Z);
    h->hidden = get_le32(b + OFF_HIDDEN);
    h->k = get_le32(b + OFF_K);
    h->act = get_le32(b + OFF_ACT);
    h->dtype = get_le32(b + OFF_DTYPE);
    h->crc32 = get_le32(b + OFF_CRC);
    h->n_params = get_le64(b + OFF_NPARAMS);
    h->seed = get_le64(b + OFF_SEED);
    h->iters = get_le64(b + OFF_ITERS);
}

/* Inflates payload (n) into exactly raw_n bytes of raw. */
static int inflate_exact(uint8_t *raw, size_t raw_n, const uint8_t *payload,
                         size_t n, const char *path)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return vg_error_set("%s: zlib inflateInit failed", path);
    size_t in_off = 0, out_off = 0;
    int ret;
    for (;;) {
        size_t in_k = n - in_off < ZSLICE ? n - in_off : ZSLICE;
        size_t out_k = raw_n - out_off < ZSLICE ? raw_n - out_off : ZSLICE;
        zs.next_in = (Bytef *)(uintptr_t)(payload + in_off);
        zs.avail_in = (uInt)in_k;
        zs.next_out = raw + out_off;
        zs.avail_out = (uInt)out_k;
        ret = inflate(&zs, Z_NO_FLUSH);
        in_off += in_k - zs.avail_in;
        out_off += out_k - zs.avail_out;
        if (ret == Z_STREAM_END || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR ||
            ret == Z_NEED_DICT || ret == Z_STREAM_ERROR)
            break;
        /* No progress possible: input spent or output full. */
        if (ret == Z_BUF_ERROR || (in_off == n && out_off == raw_n))
            break;
    }
    const char *msg = zs.msg ? zs.msg : "";
    int status = VG_OK;
    if (ret == Z_STREAM_END) {
        if (out_off != raw_n)
            status = vg_error_set("%s: corrupt compressed stream: %zu bytes of "
                                  "parameters, the header promises %zu; " REGEN,
                                  path, out_off, raw_n);
        else if (in_off != n)
            status = vg_error_set("%s: corrupt compressed stream: it ends %zu "
                                  "bytes before the payload does; " REGEN,
                                  path, n - in_off);
    } else if (ret == Z_DATA_ERROR || ret == Z_NEED_DICT ||
               ret == Z_STREAM_ERROR) {
        status = vg_error_set("%s: corrupt compressed stream (zlib: %s); "
                              REGEN, path, msg[0] ? msg : "data error");
    } else if (ret == Z_MEM_ERROR) {
        status = vg_error_set("%s: out of memory in zlib", path);
    } else {
        status = vg_error_set("%s: corrupt compressed stream: it does not end "
                              "after the %zu bytes of parameters the header "
                              "promises (%zu decoded); " REGEN, path, raw_n,
                              out_off);
    }
    inflateEnd(&zs);
    return status;
}

/* Copies n parameters of dtype from into the model's dtype. */
static void convert_params(void *dst, nn_dtype_t dst_dtype, const void *src,
                           uint32_t src_dtype, size_t n)
{
    if ((uint32_t)dst_dtype == src_dtype) {
        memcpy(dst, src, n * src_dtype);
    } else if (dst_dtype == NN_FLOAT64) {
        const float *s = src;
        double *d = dst;
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else {
        const double *s = src;
        float *d = dst;
        for (size_t i = 0; i < n; i++)
            d[i] = (float)s[i];
    }
}

int checkpoint_load(model_t *m, const char *path, checkpoint_header_t *hdr)
{
    uint8_t head[HEADER_BYTES];
    uint8_t *block = NULL;
    int status = VG_ERR;
    if (!m || !m->params ||
        (m->dtype != NN_FLOAT32 && m->dtype != NN_FLOAT64))
        return vg_error_set("cannot load %s: the model has no parameter "
                            "block of float32 or float64", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return vg_error_set("cannot open checkpoint %s: %s; " REGEN, path,
                            strerror(errno));

    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        vg_error_set("%s: not a regular file", path);
        goto cleanup;
    }
    size_t got = fread(head, 1, HEADER_BYTES, f);
    if (got == 0) {
        vg_error_set("%s: empty file, not a checkpoint; " REGEN, path);
        goto cleanup;
    }
    if (got >= MAGIC_BYTES && memcmp(head, CHECKPOINT_MAGIC, MAGIC_BYTES) != 0) {
        vg_error_set("%s: not a vaegrade checkpoint (wrong magic number)",
                     path);
        goto cleanup;
    }
    if (got < HEADER_BYTES) {
        vg_error_set("%s: truncated: %zu bytes, shorter than the %d-byte "
                     "header; " REGEN, path, got, HEADER_BYTES);
        goto cleanup;
    }
    checkpoint_header_t h;
    parse_header(&h, head);
    if (h.version != CHECKPOINT_VERSION) {
        vg_error_set("%s: checkpoint format version %u, this build reads "
                     "version %u; " REGEN, path, h.version, CHECKPOINT_VERSION);
        goto cleanup;
    }
    if (check_architecture(&h, &m->cfg, path) != VG_OK)
        goto cleanup;
    if (h.dtype != NN_FLOAT32 && h.dtype != NN_FLOAT64) {
        vg_error_set("%s: corrupt header: element size %u is neither 4 "
                     "(float32) nor 8 (float64); " REGEN, path, h.dtype);
        goto cleanup;
    }
    if (h.n_params != m->n_params) {
        vg_error_set("%s: parameter count mismatch: expected %zu (this "
                     "model), found %llu (file); " REGEN, path, m->n_params,
                     (unsigned long long)h.n_params);
        goto cleanup;
    }
    uint64_t payload_n = get_le64(head + OFF_PAYLOAD);
    uint64_t on_disk = (uint64_t)st.st_size - HEADER_BYTES;
    if (payload_n > on_disk) {
        vg_error_set("%s: truncated: holds %llu of the %llu compressed bytes "
                     "its header promises; " REGEN, path,
                     (unsigned long long)on_disk,
                     (unsigned long long)payload_n);
        goto cleanup;
    }
    if (payload_n < on_disk) {
        vg_error_set("%s: trailing data: %llu bytes after the %llu compressed "
                     "bytes its header promises; " REGEN, path,
                     (unsigned long long)(on_disk - payload_n),
                     (unsigned long long)payload_n);
        goto cleanup;
    }

    size_t raw_n = m->n_params * (size_t)h.dtype;
    /* the parameters in the model's dtype, the file's ones, its payload;
     * each array on an 8-byte boundary */
    size_t mine_n = (m->n_params * (size_t)m->dtype + 7) / 8 * 8;
    block = malloc(mine_n + raw_n + (size_t)payload_n);
    if (!block) {
        vg_error_set("%s: out of memory for %zu parameters", path,
                     m->n_params);
        goto cleanup;
    }
    uint8_t *mine = block, *raw = block + mine_n, *payload = raw + raw_n;
    if (fread(payload, 1, (size_t)payload_n, f) != payload_n) {
        vg_error_set("%s: read error: %s", path,
                     ferror(f) ? strerror(errno) : "file shrank");
        goto cleanup;
    }
    if (inflate_exact(raw, raw_n, payload, (size_t)payload_n, path) != VG_OK)
        goto cleanup;
    uint32_t crc = crc_of(raw, raw_n);
    if (crc != h.crc32) {
        vg_error_set("%s: CRC mismatch: the parameters have CRC-32 %08x, the "
                     "header says %08x (the file is corrupt); " REGEN, path,
                     crc, h.crc32);
        goto cleanup;
    }

    convert_params(mine, m->dtype, raw, h.dtype, m->n_params);
    model_block_from_torch(m, m->params, mine);
    if (hdr)
        *hdr = h;
    status = VG_OK;
cleanup:
    free(block);
    fclose(f);
    return status;
}
