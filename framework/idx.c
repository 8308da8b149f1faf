/* idx.c: MNIST idx files in (plain or gzip, told apart by the gzip magic)
 * and idx.gz files out. Every malformed input is a VG_ERR naming
 * the file and the fault, never a crash; it does not interpret pixels beyond
 * dataset_load's scaling to [0,1]. */
#include "idx.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "vg_error.h"

#define IDX_TYPE_UBYTE 0x08
#define IDX_MAX_DIMS 3
/* Caps that no real data set reaches (full MNIST train is 47 MB) but that a
 * corrupt header easily does: the loader refuses them instead of trying to
 * allocate them. */
#define IDX_MAX_EXTENT (1u << 16)       /* rows or cols */
#define IDX_MAX_BYTES ((size_t)1 << 32) /* data bytes of one file */
/* deflate cannot shrink data by more than about 1032:1, so a gzip file of
 * s bytes holds at most this many bytes of idx. */
#define GZIP_MAX_RATIO 1032u
/* zlib and gzwrite count in unsigned ints: move data in slices. */
#define IO_SLICE ((size_t)1 << 30)

static const char *idx_type_name(unsigned type)
{
    switch (type) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "not an idx type";
    }
}

/* An idx file being read. Plain and gzip files go through one input
 * buffer; gzip is inflated here rather than through gzread, which would
 * silently ignore garbage after the stream. Concatenated gzip members (as
 * `cat a.gz b.gz` makes) are one stream, as gzip(1) reads them. */
typedef struct idx_reader {
    const char *path;
    FILE *f;
    long long file_size; /* bytes on disk, -1 when not a regular file */
    int gzip;            /* else plain idx bytes */
    int zs_live;         /* inflateInit2 succeeded: inflateEnd owed */
    int member_done;     /* the current gzip member has ended */
    int eof;             /* f has no more bytes */
    z_stream zs;         /* next_in/avail_in are the buffer's window */
    uint8_t in[1 << 16];
} idx_reader_t;

/* Moves the unread bytes to the front of the buffer and appends what f
 * gives; sets eof when it gives nothing. */
static int reader_fill(idx_reader_t *r)
{
    if (r->eof)
        return VG_OK;
    size_t have = r->zs.avail_in;
    if (have > 0)
        memmove(r->in, r->zs.next_in, have);
    size_t k = fread(r->in + have, 1, sizeof r->in - have, r->f);
    if (k == 0) {
        if (ferror(r->f))
            return vg_error_set("%s: read error: %s", r->path,
                                strerror(errno));
        r->eof = 1;
    }
    r->zs.next_in = r->in;
    r->zs.avail_in = (uInt)(have + k);
    return VG_OK;
}

/* Reads up to n decoded bytes into buf, setting *got; fewer only at a clean
 * end of file, which the caller judges. A broken gzip stream is VG_ERR. */
static int reader_read(idx_reader_t *r, void *buf, size_t n, size_t *got)
{
    uint8_t *p = buf;
    z_stream *zs = &r->zs;
    *got = 0;
    while (*got < n) {
        if ((zs->avail_in == 0 || (r->gzip && r->member_done &&
                                   zs->avail_in < 2)) && !r->eof) {
            if (reader_fill(r) != VG_OK)
                return VG_ERR;
            continue;
        }
        if (!r->gzip) {
            if (zs->avail_in == 0)
                break;
            size_t k = n - *got < zs->avail_in ? n - *got : zs->avail_in;
            memcpy(p + *got, zs->next_in, k);
            zs->next_in += k;
            zs->avail_in -= (uInt)k;
            *got += k;
            continue;
        }
        if (r->member_done) {
            if (zs->avail_in == 0)
                break;
            if (zs->avail_in >= 2 && zs->next_in[0] == 0x1f &&
                zs->next_in[1] == 0x8b) {
                inflateReset(zs);
                r->member_done = 0;
                continue;
            }
            return vg_error_set("%s: trailing garbage after the gzip stream",
                                r->path);
        }
        size_t want = n - *got < IO_SLICE ? n - *got : IO_SLICE;
        zs->next_out = p + *got;
        zs->avail_out = (uInt)want;
        int ret = inflate(zs, Z_NO_FLUSH);
        *got += want - zs->avail_out;
        if (ret == Z_STREAM_END)
            r->member_done = 1;
        else if (ret == Z_BUF_ERROR && zs->avail_in == 0 && r->eof)
            return vg_error_set("%s: truncated gzip stream (the file ends "
                                "before the stream does)", r->path);
        else if (ret != Z_OK && ret != Z_BUF_ERROR)
            return vg_error_set("%s: corrupt gzip stream (zlib: %s)", r->path,
                                zs->msg ? zs->msg : "data error");
    }
    return VG_OK;
}

/* Past the promised data there must be nothing: no more idx bytes, and for
 * gzip the end of the stream with its CRC and length checked. */
static int reader_check_end(idx_reader_t *r, size_t data_bytes)
{
    uint8_t extra;
    size_t got = 0;
    if (reader_read(r, &extra, 1, &got) != VG_OK)
        return VG_ERR;
    if (got != 0)
        return vg_error_set("%s: trailing data after the %zu data bytes its "
                            "header promises", r->path, data_bytes);
    return VG_OK;
}

static int reader_open(idx_reader_t *r, const char *path)
{
    memset(r, 0, offsetof(idx_reader_t, in));
    r->path = path;
    r->file_size = -1;
    r->f = fopen(path, "rb");
    if (!r->f)
        return vg_error_set("cannot open %s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(r->f), &st) != 0)
        return vg_error_set("cannot stat %s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return vg_error_set("%s is a directory, not an idx file", path);
    if (S_ISREG(st.st_mode))
        r->file_size = (long long)st.st_size;
    if (reader_fill(r) != VG_OK)
        return VG_ERR;
    if (r->zs.avail_in >= 2 && r->in[0] == 0x1f && r->in[1] == 0x8b) {
        r->gzip = 1;
        /* 15 + 16: a gzip wrapper (CRC-32 and length checked) around a
         * window of up to 32 KiB. */
        if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
            return vg_error_set("cannot read %s: zlib could not start (%s)",
                                path, r->zs.msg ? r->zs.msg : "no memory");
        r->zs_live = 1;
    }
    return VG_OK;
}

static void reader_close(idx_reader_t *r)
{
    if (r->zs_live)
        inflateEnd(&r->zs);
    if (r->f)
        fclose(r->f);
    r->zs_live = 0;
    r->f = NULL;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
           (uint32_t)b[3];
}

static void put_be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* Reads an idx file of unsigned bytes with ndims dimensions: dims (ndims)
 * and a malloc'd block of their product. what names the expected content
 * ("images", "labels") for messages. */
static int idx_read(const char *path, unsigned ndims, const char *what,
                    size_t *dims, uint8_t **data_out)
{
    idx_reader_t r;
    uint8_t *data = NULL;
    int status = VG_ERR;
    *data_out = NULL;

    if (reader_open(&r, path) != VG_OK)
        goto cleanup;

    uint8_t head[4 + 4 * IDX_MAX_DIMS];
    size_t got = 0;
    if (reader_read(&r, head, 4, &got) != VG_OK)
        goto cleanup;
    if (got == 0) {
        vg_error_set("%s is empty (expected an idx file of %s)", path, what);
        goto cleanup;
    }
    if (got < 4) {
        vg_error_set("%s: truncated: %zu bytes, shorter than an idx magic "
                     "number", path, got);
        goto cleanup;
    }
    if (head[0] != 0 || head[1] != 0) {
        vg_error_set("%s: not an idx file: wrong magic number %02x %02x %02x "
                     "%02x (expected 00 00 08 %02x, idx of %s)", path, head[0],
                     head[1], head[2], head[3], ndims, what);
        goto cleanup;
    }
    if (head[2] != IDX_TYPE_UBYTE) {
        vg_error_set("%s: wrong element type 0x%02x (%s), expected 0x08 "
                     "(unsigned byte)", path, head[2], idx_type_name(head[2]));
        goto cleanup;
    }
    if (head[3] != ndims) {
        vg_error_set("%s: wrong number of dimensions: %u, expected %u for %s%s",
                     path, head[3], ndims, what,
                     head[3] == 1 ? " (is it a labels file?)"
                     : head[3] == 3 ? " (is it an images file?)" : "");
        goto cleanup;
    }
    if (reader_read(&r, head + 4, 4 * ndims, &got) != VG_OK)
        goto cleanup;
    if (got < 4 * ndims) {
        vg_error_set("%s: truncated in its header (%zu of %u dimension bytes)",
                     path, got, 4 * ndims);
        goto cleanup;
    }

    size_t total = 1;
    for (unsigned i = 0; i < ndims; i++) {
        uint32_t d = be32(head + 4 + 4 * i);
        if (d == 0) {
            vg_error_set("%s: dimension %u is 0 (an empty data set)", path, i);
            goto cleanup;
        }
        if (i > 0 && d > IDX_MAX_EXTENT) {
            vg_error_set("%s: absurd size: dimension %u is %u (at most %u)",
                         path, i, d, IDX_MAX_EXTENT);
            goto cleanup;
        }
        dims[i] = d;
        total *= d; /* no overflow: at most 2^32 * 2^16 * 2^16 < 2^64 */
    }
    if (total > IDX_MAX_BYTES) {
        vg_error_set("%s: absurd size: header promises %zu data bytes (at "
                     "most %zu)", path, total, IDX_MAX_BYTES);
        goto cleanup;
    }
    /* The length check before the allocation, so a corrupt header cannot
     * ask for gigabytes. */
    if (r.file_size >= 0) {
        size_t header = 4 + 4 * (size_t)ndims;
        unsigned long long size = (unsigned long long)r.file_size;
        if (!r.gzip) {
            if (size < header + total) {
                vg_error_set("%s: truncated: header promises %zu data bytes, "
                             "the file holds %llu", path, total, size - header);
                goto cleanup;
            }
            if (size > header + total) {
                vg_error_set("%s: trailing data: %llu bytes after the %zu "
                             "data bytes its header promises", path,
                             size - header - total, total);
                goto cleanup;
            }
        } else if (total + header > size * GZIP_MAX_RATIO) {
            vg_error_set("%s: truncated or corrupt: header promises %zu data "
                         "bytes, more than a %llu-byte gzip file can hold",
                         path, total, size);
            goto cleanup;
        }
    }

    data = malloc(total);
    if (!data) {
        vg_error_set("%s: out of memory for %zu bytes of %s", path, total,
                     what);
        goto cleanup;
    }
    if (reader_read(&r, data, total, &got) != VG_OK)
        goto cleanup;
    if (got < total) {
        vg_error_set("%s: truncated: ends after %zu of the %zu data bytes its "
                     "header promises", path, got, total);
        goto cleanup;
    }
    if (reader_check_end(&r, total) != VG_OK)
        goto cleanup;

    *data_out = data;
    data = NULL;
    status = VG_OK;
cleanup:
    free(data);
    reader_close(&r);
    return status;
}

int idx_load_images(idx_images_t *out, const char *path)
{
    size_t dims[3];
    uint8_t *pixels;
    memset(out, 0, sizeof *out);
    if (idx_read(path, 3, "images", dims, &pixels) != VG_OK)
        return VG_ERR;
    out->n = dims[0];
    out->rows = dims[1];
    out->cols = dims[2];
    out->pixels = pixels;
    return VG_OK;
}

int idx_load_labels(idx_labels_t *out, const char *path)
{
    size_t dims[1];
    uint8_t *labels;
    memset(out, 0, sizeof *out);
    if (idx_read(path, 1, "labels", dims, &labels) != VG_OK)
        return VG_ERR;
    out->n = dims[0];
    out->labels = labels;
    return VG_OK;
}

void idx_images_free(idx_images_t *img)
{
    if (!img)
        return;
    free(img->pixels);
    memset(img, 0, sizeof *img);
}

void idx_labels_free(idx_labels_t *lab)
{
    if (!lab)
        return;
    free(lab->labels);
    memset(lab, 0, sizeof *lab);
}

/* Writes header and data through gzopen, whose gzip header carries mtime 0
 * and no file name, so the bytes depend only on the data and zlib's
 * version. Goes through a temporary file and rename, so a reader never sees
 * half a file. */
static int idx_write_gz(const char *path, const size_t *dims, unsigned ndims,
                        const uint8_t *data)
{
    uint8_t head[4 + 4 * IDX_MAX_DIMS] = {0, 0, IDX_TYPE_UBYTE, (uint8_t)ndims};
    size_t total = 1;
    for (unsigned i = 0; i < ndims; i++) {
        if (dims[i] == 0 || dims[i] > UINT32_MAX)
            return vg_error_set("cannot write %s: dimension %u is %zu (must be "
                                "1..%u)", path, i, dims[i], UINT32_MAX);
        put_be32(head + 4 + 4 * i, (uint32_t)dims[i]);
        total *= dims[i];
    }
    if (!data)
        return vg_error_set("cannot write %s: no data", path);

    char tmp[PATH_MAX];
    int len = snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    if (len < 0 || (size_t)len >= sizeof tmp)
        return vg_error_set("cannot write %s: path too long", path);

    /* "wb9": best compression; the default strategy. */
    errno = 0;
    gzFile gz = gzopen(tmp, "wb9");
    if (!gz)
        return vg_error_set("cannot create %s: %s", tmp,
                            errno ? strerror(errno) : "zlib failed");
    int ok = gzwrite(gz, head, 4 + 4 * ndims) == (int)(4 + 4 * ndims);
    for (size_t off = 0; ok && off < total; off += IO_SLICE) {
        size_t n = total - off < IO_SLICE ? total - off : IO_SLICE;
        ok = gzwrite(gz, data + off, (unsigned)n) == (int)n;
    }
    int close_status = gzclose_w(gz);
    if (!ok || close_status != Z_OK) {
        int e = errno;
        remove(tmp);
        return vg_error_set("cannot write %s: %s", tmp,
                            e ? strerror(e) : "zlib error");
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        return vg_error_set("cannot rename %s to %s: %s", tmp, path,
                            strerror(e));
    }
    return VG_OK;
}

int idx_save_images_gz(const char *path, const idx_images_t *img)
{
    size_t dims[3] = {img->n, img->rows, img->cols};
    return idx_write_gz(path, dims, 3, img->pixels);
}

int idx_save_labels_gz(const char *path, const idx_labels_t *lab)
{
    size_t dims[1] = {lab->n};
    return idx_write_gz(path, dims, 1, lab->labels);
}

int dataset_from_idx(dataset_t *out, const idx_images_t *img,
                     const idx_labels_t *lab, int with_x, const char *what)
{
    memset(out, 0, sizeof *out);
    if (lab && lab->n != img->n)
        return vg_error_set("%s: %zu labels for %zu images", what, lab->n,
                            img->n);
    size_t d = img->rows * img->cols;
    size_t n_y = lab ? img->n : 0;
    size_t per_px = with_x ? sizeof(double) + 1 : 1;
    if (d == 0 || img->n > (SIZE_MAX - n_y) / per_px / d)
        return vg_error_set("%s: %zu images of %zu pixels are too many to "
                            "load", what, img->n, d);
    /* One block: x (n, d) doubles when asked for, then pixels (n, d) and
     * y (n) bytes. */
    void *block = malloc(img->n * d * per_px + n_y);
    if (!block)
        return vg_error_set("%s: out of memory for %zu images%s", what,
                            img->n, with_x ? " as doubles" : "");
    out->n = img->n;
    out->d = d;
    if (with_x) {
        double *x = block;
        for (size_t i = 0; i < img->n * d; i++)
            x[i] = img->pixels[i] / 255.0;
        out->x = x;
        out->pixels = (uint8_t *)(x + img->n * d);
    } else {
        out->pixels = block;
    }
    memcpy(out->pixels, img->pixels, img->n * d);
    if (lab) {
        out->y = out->pixels + img->n * d;
        memcpy(out->y, lab->labels, img->n);
    }
    return VG_OK;
}

/* with_x: also the doubles x, in the same block before the bytes. */
static int dataset_read(dataset_t *out, const char *images_path,
                        const char *labels_path, int with_x)
{
    idx_images_t img = {0};
    idx_labels_t lab = {0};
    int status = VG_ERR;
    memset(out, 0, sizeof *out);

    if (idx_load_images(&img, images_path) != VG_OK)
        goto cleanup;
    if (labels_path) {
        if (idx_load_labels(&lab, labels_path) != VG_OK)
            goto cleanup;
        if (lab.n != img.n) {
            vg_error_set("%s holds %zu labels but %s holds %zu images",
                         labels_path, lab.n, images_path, img.n);
            goto cleanup;
        }
    }
    status = dataset_from_idx(out, &img, labels_path ? &lab : NULL, with_x,
                              images_path);
cleanup:
    idx_images_free(&img);
    idx_labels_free(&lab);
    return status;
}

int dataset_load(dataset_t *out, const char *images_path,
                 const char *labels_path)
{
    return dataset_read(out, images_path, labels_path, 1);
}

int dataset_load_bytes(dataset_t *out, const char *images_path,
                       const char *labels_path)
{
    return dataset_read(out, images_path, labels_path, 0);
}

void dataset_free(dataset_t *ds)
{
    if (!ds)
        return;
    /* pixels and y live in x's block, or pixels is the block (bytes only) */
    free(ds->x ? (void *)ds->x : (void *)ds->pixels);
    memset(ds, 0, sizeof *ds);
}
