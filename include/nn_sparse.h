/* nn_sparse.h: the first layer of a float32 network whose input is binary
 * and mostly zeros (dynamically binarised digits: 13% ones), computed from
 * the positions of the ones instead of a dense GEMM. nn.c uses it; it is not
 * a sparse-matrix library.
 * A binary input row selects rows of W (I,O), so the layer's output is a sum
 * of ~100 of W's 784 rows and its weight gradient adds each delta row into
 * the ~100 rows of dW its input selected: 13% of the GEMMs' work, and both
 * GEMMs were a quarter of a VAE training step.
 * Shapes: B batch (rows), I input width, O output width; row-major. */
#ifndef VG_NN_SPARSE_H
#define VG_NN_SPARSE_H

#include <stddef.h>
#include <stdint.h>

/* Above this share of ones the dense GEMM is faster (the sums run at about
 * a third of the GEMM's speed per multiply-add). */
#define NN_SPARSE_MAX_DENSITY_DIV 4

/* The ones of an input (B,I) in both orders, in buffers sized once by
 * nn_sparse_bytes for at most max_rows rows. */
typedef struct nn_sparse_in {
    size_t rows, cols, nnz; /* B, I and the number of ones last built */
    size_t cap;             /* the most ones the buffers hold */
    uint32_t *row_off;      /* (B+1) row r's ones are row_idx[row_off[r]..] */
    uint32_t *row_idx;      /* (cap) their columns, ascending per row */
    uint32_t *col_off;      /* (I+1) column i's ones are col_idx[col_off[i]..] */
    uint32_t *col_idx;      /* (cap) their rows, ascending per column */
} nn_sparse_in_t;

/* Bytes nn_sparse_init needs for inputs of up to max_rows rows of cols. */
size_t nn_sparse_bytes(size_t max_rows, size_t cols);
/* Carves the buffers out of mem (nn_sparse_bytes(max_rows, cols) bytes,
 * 4-byte aligned). */
void nn_sparse_init(nn_sparse_in_t *s, void *mem, size_t max_rows,
                    size_t cols);

/* Builds both index lists of in (B,I) and returns 1 when every value is
 * exactly 0 or 1 and at most B I / NN_SPARSE_MAX_DENSITY_DIV are ones;
 * returns 0 otherwise (the caller takes the dense path). B <= max_rows. */
int nn_sparse_build(nn_sparse_in_t *s, const double *in, size_t batch,
                    size_t cols);

/* y (B,O) = b (O) + in (B,I) W (I,O) for the input s was built from: row r
 * of y is b plus the rows of W that row r of the input selects, added in
 * ascending order. The activation is the caller's. */
void nn_sparse_forward(float *y, const float *W, const float *b,
                       const nn_sparse_in_t *s, size_t o);
/* dW (I,O) += in^T (I,B) delta (B,O): row i of dW gets the sum (ascending
 * rows, from 0) of the delta rows whose input had a one in column i. */
void nn_sparse_weight_grad(float *dW, const float *delta,
                           const nn_sparse_in_t *s, size_t o);

/* The plain loops the vectorised paths are tested against: the same sums
 * in the same order, so the same bits. */
void nn_sparse_forward_plain(float *y, const float *W, const float *b,
                             const nn_sparse_in_t *s, size_t o);
void nn_sparse_weight_grad_plain(float *dW, const float *delta,
                                 const nn_sparse_in_t *s, size_t o);

#endif
