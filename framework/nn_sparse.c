/* nn_sparse.c: a binary, mostly-zero network input as index lists, and the
 * first layer's forward and weight gradient computed from them (see
 * nn_sparse.h). Float32 only: it is the training path; float64 networks,
 * which check gradients, keep the GEMM.
 * Speed comes from keeping one 64-column strip of sums in eight AVX2
 * registers while the selected rows stream past, so W (I,O) is read once
 * per strip rather than written back per row; the plain loops below it
 * compute the same sums in the same order.
 * Shapes: B batch (rows), I input width, O output width. */
#include "nn_sparse.h"

#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1
#else
#define HAVE_AVX2_PATH 0
#endif

/* row_idx takes cols more than cap: nn_sparse_build writes a row's
 * candidates before it knows whether the row stays under the cap. */
size_t nn_sparse_bytes(size_t max_rows, size_t cols)
{
    size_t cap = max_rows * cols / NN_SPARSE_MAX_DENSITY_DIV;
    return ((max_rows + 1) + (cap + cols) + cap + (cols + 1)) *
           sizeof(uint32_t);
}

void nn_sparse_init(nn_sparse_in_t *s, void *mem, size_t max_rows,
                    size_t cols)
{
    memset(s, 0, sizeof *s);
    s->cap = max_rows * cols / NN_SPARSE_MAX_DENSITY_DIV;
    s->row_off = mem;
    s->row_idx = s->row_off + max_rows + 1;
    s->col_idx = s->row_idx + s->cap + cols;
    s->col_off = s->col_idx + s->cap;
}

/* Row r's ones into out (room for cols): their count, and whether any
 * value was neither 0 nor 1. Branch-free: every index is written and only
 * a one advances the count, since a binarised pixel is a coin toss that a
 * branch would mispredict. */
static size_t scan_row_plain(uint32_t *out, int *other, const double *row,
                             size_t from, size_t cols)
{
    size_t m = 0;
    int bad = 0;
    for (size_t i = from; i < cols; i++) {
        double v = row[i];
        out[m] = (uint32_t)i;
        m += v == 1.0;
        bad |= (v != 0.0) & (v != 1.0);
    }
    *other |= bad;
    return m;
}

#if HAVE_AVX2_PATH
/* Four pixels a step: two compares give the ones and the zeros as bit
 * masks, and a table of the ones' positions for each of the 16 masks is
 * stored at once (4 x 3 ucomisd took 0.13 ms a batch). */
__attribute__((target("avx2,popcnt")))
static size_t scan_row_avx2(uint32_t *out, int *other, const double *row,
                            size_t cols)
{
    static const uint32_t pos[16][4] = {
        {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
        {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 1, 2, 0},
        {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0},
        {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};
    const __m256d one = _mm256_set1_pd(1.0), zero = _mm256_setzero_pd();
    size_t m = 0, i = 0;
    for (; i + 4 <= cols; i += 4) {
        __m256d v = _mm256_loadu_pd(row + i);
        int ones = _mm256_movemask_pd(_mm256_cmp_pd(v, one, _CMP_EQ_OQ));
        int zeros = _mm256_movemask_pd(_mm256_cmp_pd(v, zero, _CMP_EQ_OQ));
        __m128i at = _mm_add_epi32(_mm_set1_epi32((int)i),
                                   _mm_loadu_si128((const __m128i *)pos[ones]));
        _mm_storeu_si128((__m128i *)(out + m), at);
        m += (size_t)__builtin_popcount((unsigned)ones);
        *other |= (ones | zeros) != 0xF;
    }
    return m + scan_row_plain(out + m, other, row, i, cols);
}
#endif

int nn_sparse_build(nn_sparse_in_t *s, const double *in, size_t batch,
                    size_t cols)
{
    size_t limit = batch * cols / NN_SPARSE_MAX_DENSITY_DIV, n = 0;
    if (limit > s->cap)
        limit = s->cap;
#if HAVE_AVX2_PATH
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
#endif
    for (size_t r = 0; r < batch; r++) {
        const double *row = in + r * cols; /* (I) */
        uint32_t *out = s->row_idx + n;    /* room for cols: see bytes */
        int other = 0;
        size_t m;
#if HAVE_AVX2_PATH
        if (avx2)
            m = scan_row_avx2(out, &other, row, cols);
        else
#endif
            m = scan_row_plain(out, &other, row, 0, cols);
        s->row_off[r] = (uint32_t)n;
        n += m;
        if (other || n > limit)
            return 0;
    }
    s->row_off[batch] = (uint32_t)n;
    s->rows = batch;
    s->cols = cols;
    s->nnz = n;

    /* the column lists by counting: rows come out ascending in each */
    memset(s->col_off, 0, (cols + 1) * sizeof *s->col_off);
    for (size_t k = 0; k < n; k++)
        s->col_off[s->row_idx[k] + 1]++;
    for (size_t i = 0; i < cols; i++)
        s->col_off[i + 1] += s->col_off[i];
    for (size_t r = 0; r < batch; r++)
        for (uint32_t k = s->row_off[r]; k < s->row_off[r + 1]; k++)
            s->col_idx[s->col_off[s->row_idx[k]]++] = (uint32_t)r;
    /* each col_off[i] now ends its column; shift back to starts */
    memmove(s->col_off + 1, s->col_off, cols * sizeof *s->col_off);
    s->col_off[0] = 0;
    return 1;
}

void nn_sparse_forward_plain(float *y, const float *W, const float *b,
                             const nn_sparse_in_t *s, size_t o)
{
    for (size_t r = 0; r < s->rows; r++) {
        float *yr = y + r * o; /* (O) */
        for (size_t j = 0; j < o; j++) {
            float acc = b[j];
            for (uint32_t k = s->row_off[r]; k < s->row_off[r + 1]; k++)
                acc += W[(size_t)s->row_idx[k] * o + j];
            yr[j] = acc;
        }
    }
}

void nn_sparse_weight_grad_plain(float *dW, const float *delta,
                                 const nn_sparse_in_t *s, size_t o)
{
    for (size_t i = 0; i < s->cols; i++) {
        if (s->col_off[i] == s->col_off[i + 1])
            continue;
        float *dwi = dW + i * o; /* (O) */
        for (size_t j = 0; j < o; j++) {
            float acc = 0.0f;
            for (uint32_t k = s->col_off[i]; k < s->col_off[i + 1]; k++)
                acc += delta[(size_t)s->col_idx[k] * o + j];
            dwi[j] += acc;
        }
    }
}

#if HAVE_AVX2_PATH
/* Eight vectors of eight floats: the widest strip whose sums stay in
 * registers (16 ymm, the other half for the loads). */
#define STRIP_VECS 8

/* Columns c .. c + 8 nv of y, for nv a constant after inlining, so acc[]
 * lives in registers. */
__attribute__((target("avx2"), always_inline))
static inline void forward_strip(float *y, const float *W, const float *b,
                                 const nn_sparse_in_t *s, size_t o, size_t c,
                                 int nv)
{
    for (size_t r = 0; r < s->rows; r++) {
        __m256 acc[STRIP_VECS];
        for (int v = 0; v < nv; v++)
            acc[v] = _mm256_loadu_ps(b + c + 8 * v);
        for (uint32_t k = s->row_off[r]; k < s->row_off[r + 1]; k++) {
            const float *w = W + (size_t)s->row_idx[k] * o + c;
            for (int v = 0; v < nv; v++)
                acc[v] = _mm256_add_ps(acc[v], _mm256_loadu_ps(w + 8 * v));
        }
        for (int v = 0; v < nv; v++)
            _mm256_storeu_ps(y + r * o + c + 8 * v, acc[v]);
    }
}

__attribute__((target("avx2"), always_inline))
static inline void weight_grad_strip(float *dW, const float *delta,
                                     const nn_sparse_in_t *s, size_t o,
                                     size_t c, int nv)
{
    for (size_t i = 0; i < s->cols; i++) {
        if (s->col_off[i] == s->col_off[i + 1])
            continue;
        __m256 acc[STRIP_VECS];
        for (int v = 0; v < nv; v++)
            acc[v] = _mm256_setzero_ps();
        for (uint32_t k = s->col_off[i]; k < s->col_off[i + 1]; k++) {
            const float *d = delta + (size_t)s->col_idx[k] * o + c;
            for (int v = 0; v < nv; v++)
                acc[v] = _mm256_add_ps(acc[v], _mm256_loadu_ps(d + 8 * v));
        }
        float *dwi = dW + i * o + c;
        for (int v = 0; v < nv; v++)
            _mm256_storeu_ps(dwi + 8 * v,
                             _mm256_add_ps(_mm256_loadu_ps(dwi + 8 * v), acc[v]));
    }
}

/* Full strips, then one strip of the remaining whole vectors, then the
 * last o % 8 columns by the plain loop's order. ARGS are fn's leading
 * arguments, up to the output width. */
#define STRIPS(fn, o, ...)                                                    \
    do {                                                                      \
        size_t c_ = 0;                                                        \
        for (; c_ + 8 * STRIP_VECS <= (o); c_ += 8 * STRIP_VECS)              \
            fn(__VA_ARGS__, o, c_, STRIP_VECS);                               \
        switch (((o) - c_) / 8) {                                             \
        case 7: fn(__VA_ARGS__, o, c_, 7); break;                             \
        case 6: fn(__VA_ARGS__, o, c_, 6); break;                             \
        case 5: fn(__VA_ARGS__, o, c_, 5); break;                             \
        case 4: fn(__VA_ARGS__, o, c_, 4); break;                             \
        case 3: fn(__VA_ARGS__, o, c_, 3); break;                             \
        case 2: fn(__VA_ARGS__, o, c_, 2); break;                             \
        case 1: fn(__VA_ARGS__, o, c_, 1); break;                             \
        default: break;                                                       \
        }                                                                     \
    } while (0)

__attribute__((target("avx2")))
static void forward_avx2(float *y, const float *W, const float *b,
                         const nn_sparse_in_t *s, size_t o)
{
    STRIPS(forward_strip, o, y, W, b, s);
    for (size_t r = 0; r < s->rows; r++)
        for (size_t j = o / 8 * 8; j < o; j++) {
            float acc = b[j];
            for (uint32_t k = s->row_off[r]; k < s->row_off[r + 1]; k++)
                acc += W[(size_t)s->row_idx[k] * o + j];
            y[r * o + j] = acc;
        }
}

__attribute__((target("avx2")))
static void weight_grad_avx2(float *dW, const float *delta,
                             const nn_sparse_in_t *s, size_t o)
{
    STRIPS(weight_grad_strip, o, dW, delta, s);
    for (size_t i = 0; i < s->cols; i++)
        for (size_t j = o / 8 * 8; j < o; j++) {
            float acc = 0.0f;
            for (uint32_t k = s->col_off[i]; k < s->col_off[i + 1]; k++)
                acc += delta[(size_t)s->col_idx[k] * o + j];
            if (s->col_off[i] != s->col_off[i + 1])
                dW[i * o + j] += acc;
        }
}

static int have_avx2(void)
{
    return __builtin_cpu_supports("avx2");
}
#endif

void nn_sparse_forward(float *y, const float *W, const float *b,
                       const nn_sparse_in_t *s, size_t o)
{
#if HAVE_AVX2_PATH
    if (have_avx2()) {
        forward_avx2(y, W, b, s, o);
        return;
    }
#endif
    nn_sparse_forward_plain(y, W, b, s, o);
}

void nn_sparse_weight_grad(float *dW, const float *delta,
                           const nn_sparse_in_t *s, size_t o)
{
#if HAVE_AVX2_PATH
    if (have_avx2()) {
        weight_grad_avx2(dW, delta, s, o);
        return;
    }
#endif
    nn_sparse_weight_grad_plain(dW, delta, s, o);
}
