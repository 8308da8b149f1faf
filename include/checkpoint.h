/* checkpoint.h: a model's parameters on disk, zlib-compressed behind a
 * header (magic, version, architecture, dtype, parameter count, seed,
 * CRC-32 of the parameters); any mismatch or corruption is refused with a
 * message saying which and how to regenerate the file. */
#ifndef VG_CHECKPOINT_H
#define VG_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include "model.h"

#define CHECKPOINT_MAGIC "VGCKPT\0\1"
#define CHECKPOINT_VERSION 1u

typedef struct checkpoint_header {
    uint32_t version;
    uint32_t kind;         /* model_kind_t */
    uint32_t x_dim, y_dim, z_dim, hidden, k;
    uint32_t act;          /* nn_act_t of the hidden layers */
    uint32_t dtype;        /* element size on disk: 4 or 8 */
    uint64_t n_params;
    uint64_t seed;         /* seed of the run that made it */
    uint64_t iters;        /* training steps behind it */
    uint32_t crc32;        /* of the uncompressed parameters */
} checkpoint_header_t;

/* On disk: an 80-byte little-endian header (the layout is in checkpoint.c),
 * then the zlib stream of the parameters in their dtype. No timestamps: the
 * same parameters give the same bytes. */

/* Saves m's parameters in m's own dtype, atomically (temporary file, then
 * rename). */
int checkpoint_save(const model_t *m, const char *path, uint64_t seed,
                    uint64_t iters);
/* Loads into m (converting dtype); refuses a file of another architecture
 * (kind, dimensions, activation), another parameter count or a damaged file,
 * leaving m's parameters untouched then. hdr may be NULL. */
int checkpoint_load(model_t *m, const char *path, checkpoint_header_t *hdr);

#endif
