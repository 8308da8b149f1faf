/* nn.c: dense layers and MLPs on OpenBLAS GEMMs (float32 and float64 through
 * one body, nn_real.h), PyTorch's default initialisation, and the plain-loop
 * reference forward. Not a general tensor library: fully connected layers
 * with an elementwise activation, row-major, nothing else.
 * Shapes: B batch (rows), I input width, O output width. */
#include "nn.h"

#include <cblas.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vg_error.h"

/* expm1 for x <= 0 in float32, branch-free so that the ELU loop
 * vectorises (libm's expm1f is a scalar call and took 15% of a training
 * step). x = n ln2 + r with |r| <= ln2/2, expm1(x) = 2^n expm1(r) + 2^n - 1,
 * which is exact in its last term and keeps relative accuracy near 0 (n =
 * 0). The degree-7 Taylor polynomial of expm1(r) leaves r^8/8! <= 5.3e-9,
 * under float32's epsilon relative to |r|. Below -20, expm1 rounds to -1 in
 * float32 (exp(-20) = 2e-9 < epsilon/2), so x is clamped there, keeping 2^n
 * normal. NaN passes through r. */
static inline float expm1_neg_f32(float x)
{
    const float magic = 0x1.8p23f; /* adding it rounds to an integer */
    x = x < -20.0f ? -20.0f : x;
    x = x > 0.0f ? 0.0f : x; /* vector lanes of positive x are discarded */
    float t = x * 0x1.715476p+0f + magic; /* x log2(e) */
    float n = t - magic;
    float r = (x - n * 0x1.62e4p-1f) - n * 0x1.7f7d1cp-20f; /* ln2 hi, lo */
    float p = r + r * r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 +
              r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040))))));
    union { float f; uint32_t u; } tb = { t }, sb;
    sb.u = (tb.u - 0x4b400000u + 127u) << 23; /* 2^n from t's low bits */
    return sb.f * p + (sb.f - 1.0f);
}

/* The elementwise loops (bias + ELU, its derivative, the bias gradients in
 * backward) are built for AVX2 and for any x86-64, and the loader picks one
 * by CPU (GCC's target_clones): 8 floats wide instead of 4. With -std=c11 GCC contracts no a*b+c into an FMA and
 * no loop here reorders a sum, so both clones give the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define NN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define NN_CLONES
#endif

#define REAL float
#define REAL_IS_DOUBLE 0
#define RFN(name) name##_f32
#define GEMM cblas_sgemm
#define EXPM1 expm1_neg_f32
#define TANH tanhf
#include "nn_real.h"
#undef REAL
#undef REAL_IS_DOUBLE
#undef RFN
#undef GEMM
#undef EXPM1
#undef TANH

#define REAL double
#define REAL_IS_DOUBLE 1
#define RFN(name) name##_f64
#define GEMM cblas_dgemm
#define EXPM1 expm1
#define TANH tanh
#include "nn_real.h"
#undef REAL
#undef REAL_IS_DOUBLE
#undef RFN
#undef GEMM
#undef EXPM1
#undef TANH

/* Views start on 64-byte boundaries (16 floats, 8 doubles), so every
 * activation buffer suits the widest vector loads. */
#define NN_ALIGN 64

static size_t align_bytes(size_t n)
{
    return (n + NN_ALIGN - 1) / NN_ALIGN * NN_ALIGN;
}

size_t mlp_param_count(const mlp_spec_t *spec)
{
    size_t n = 0;
    for (size_t l = 0; l < spec->n_layers; l++)
        n += spec->sizes[l + 1] * spec->sizes[l] + spec->sizes[l + 1];
    return n;
}

/* OpenBLAS would start one thread per core; at these sizes that is slower,
 * so a network uses one unless nn_set_threads or OpenBLAS's own environment
 * variables say otherwise. Set once, before the first network. */
static int threads_told;

void nn_set_threads(int n)
{
    threads_told = 1;
    openblas_set_num_threads(n < 1 ? 1 : n);
}

static void threads_default(void)
{
    if (threads_told)
        return;
    threads_told = 1;
    if (!getenv("OPENBLAS_NUM_THREADS") && !getenv("OMP_NUM_THREADS"))
        openblas_set_num_threads(1);
}

static int spec_check(const mlp_spec_t *spec, size_t max_batch)
{
    if (spec->n_layers < 1 || spec->n_layers > NN_MAX_LAYERS)
        return vg_error_set("mlp_init: %zu layers; a network has 1 to %d",
                            spec->n_layers, NN_MAX_LAYERS);
    if (max_batch < 1)
        return vg_error_set("mlp_init: max_batch is 0; give the largest "
                            "number of rows a forward will see");
    for (size_t l = 0; l <= spec->n_layers; l++) {
        size_t w = spec->sizes[l];
        /* BLAS takes int sizes: (B, width) and (O, I) must fit */
        if (w < 1 || w > (size_t)INT_MAX / max_batch ||
            w > (size_t)INT_MAX / (l ? spec->sizes[l - 1] : 1))
            return vg_error_set("mlp_init: width %zu of layer %zu is 0 or too "
                                "large for max_batch %zu", w, l, max_batch);
    }
    for (size_t l = 0; l < spec->n_layers; l++)
        if ((unsigned)spec->acts[l] > NN_RELU)
            return vg_error_set("mlp_init: layer %zu has unknown activation "
                                "%d", l, (int)spec->acts[l]);
    return VG_OK;
}

int mlp_init(mlp_t *net, const mlp_spec_t *spec, nn_dtype_t dtype,
             size_t max_batch, void *params, void *grads)
{
    memset(net, 0, sizeof *net);
    if (dtype != NN_FLOAT32 && dtype != NN_FLOAT64)
        return vg_error_set("mlp_init: dtype %d is neither NN_FLOAT32 nor "
                            "NN_FLOAT64", (int)dtype);
    if (!params || !grads)
        return vg_error_set("mlp_init: params and grads must point into the "
                            "owner's blocks");
    if (spec_check(spec, max_batch) != VG_OK)
        return VG_ERR;
    threads_default();

    size_t es = (size_t)dtype, L = spec->n_layers, max_w = 0;
    net->spec = *spec;
    net->dtype = dtype;
    net->max_batch = max_batch;
    net->n_params = mlp_param_count(spec);
    net->params = params;
    net->grads = grads;

    /* Parameters: per layer W (I,O) then b (O), nn.Linear's order of
     * tensors with W transposed. */
    char *p = params, *g = grads;
    for (size_t l = 0; l < L; l++) {
        size_t ni = spec->sizes[l], no = spec->sizes[l + 1];
        net->W[l] = p;
        net->dW[l] = g;
        p += no * ni * es;
        g += no * ni * es;
        net->b[l] = p;
        net->db[l] = g;
        p += no * es;
        g += no * es;
    }

    /* Activations a[0..L] (B, sizes[l]) and two (B, max width) backward
     * buffers, in one block. */
    size_t bytes = 0;
    for (size_t l = 0; l <= L; l++) {
        bytes += align_bytes(max_batch * spec->sizes[l] * es);
        if (spec->sizes[l] > max_w)
            max_w = spec->sizes[l];
    }
    size_t delta_bytes = align_bytes(max_batch * max_w * es);
    bytes += 2 * delta_bytes;
    size_t sparse_bytes = dtype == NN_FLOAT32
                              ? align_bytes(nn_sparse_bytes(max_batch, spec->sizes[0]))
                              : 0;
    bytes += sparse_bytes;
    char *block = aligned_alloc(NN_ALIGN, bytes);
    if (!block)
        return vg_error_set("mlp_init: out of memory for %zu bytes of "
                            "activations (max_batch %zu)", bytes, max_batch);
    memset(block, 0, bytes);
    net->acts_block = block;
    for (size_t l = 0; l <= L; l++) {
        net->a[l] = block;
        block += align_bytes(max_batch * spec->sizes[l] * es);
    }
    net->delta[0] = block;
    net->delta[1] = block + delta_bytes;
    if (sparse_bytes)
        nn_sparse_init(&net->sparse, block + 2 * delta_bytes, max_batch,
                       spec->sizes[0]);
    return VG_OK;
}

void mlp_free(mlp_t *net)
{
    free(net->acts_block);
    memset(net, 0, sizeof *net);
}

static void put(void *base, nn_dtype_t dtype, size_t i, double v)
{
    if (dtype == NN_FLOAT32)
        ((float *)base)[i] = (float)v;
    else
        ((double *)base)[i] = v;
}

static double get(const void *base, nn_dtype_t dtype, size_t i)
{
    if (dtype == NN_FLOAT32)
        return (double)((const float *)base)[i];
    return ((const double *)base)[i];
}

/* kaiming_uniform_(a = sqrt(5)) gives bound sqrt(6 / ((1 + 5) fan_in)) =
 * 1/sqrt(fan_in) for W, and PyTorch draws b in the same bound. Values are
 * drawn in double, in PyTorch's order (W row by row of its (O,I)), so a
 * float32 and a float64 network from one seed differ only by rounding. */
void mlp_init_params(mlp_t *net, struct rng *rng)
{
    for (size_t l = 0; l < net->spec.n_layers; l++) {
        size_t ni = net->spec.sizes[l], no = net->spec.sizes[l + 1];
        double bound = 1.0 / sqrt((double)ni);
        for (size_t o = 0; o < no; o++)
            for (size_t i = 0; i < ni; i++)
                put(net->W[l], net->dtype, mlp_weight_index(&net->spec, l, o, i),
                    (2.0 * rng_uniform(rng) - 1.0) * bound);
        for (size_t i = 0; i < no; i++)
            put(net->b[l], net->dtype, i, (2.0 * rng_uniform(rng) - 1.0) * bound);
    }
}

/* Element by element through get/put: a checkpoint's worth, once, not a
 * training path. to_torch says which side is (O,I). */
static void params_turn(const mlp_t *net, void *dst, const void *src,
                        int to_torch)
{
    const mlp_spec_t *s = &net->spec;
    memcpy(dst, src, net->n_params * (size_t)net->dtype);
    size_t off = 0; /* W[l]'s offset in the net's params, in elements */
    for (size_t l = 0; l < s->n_layers; l++) {
        size_t ni = s->sizes[l], no = s->sizes[l + 1];
        for (size_t o = 0; o < no; o++)
            for (size_t i = 0; i < ni; i++) {
                size_t here = off + mlp_weight_index(s, l, o, i);
                size_t torch = off + o * ni + i;
                put(dst, net->dtype, to_torch ? torch : here,
                    get(src, net->dtype, to_torch ? here : torch));
            }
        off += no * ni + no;
    }
}

void mlp_params_to_torch(const mlp_t *net, void *dst, const void *src)
{
    params_turn(net, dst, src, 1);
}

void mlp_params_from_torch(const mlp_t *net, void *dst, const void *src)
{
    params_turn(net, dst, src, 0);
}

static int batch_check(const mlp_t *net, size_t batch, const char *who)
{
    if (!net->acts_block)
        return vg_error_set("%s: network not initialised (mlp_init)", who);
    if (batch < 1 || batch > net->max_batch)
        return vg_error_set("%s: batch %zu outside 1..%zu (max_batch given to "
                            "mlp_init)", who, batch, net->max_batch);
    return VG_OK;
}

int mlp_forward(mlp_t *net, double *out, const double *in, size_t batch)
{
    if (batch_check(net, batch, "mlp_forward") != VG_OK)
        return VG_ERR;
    size_t n_in = batch * net->spec.sizes[0];
    size_t n_out = batch * net->spec.sizes[net->spec.n_layers];
    void *a_out = net->a[net->spec.n_layers];
    if (net->dtype == NN_FLOAT32) {
        /* a binary input needs no float copy: its ones are the input */
        net->sparse_used = nn_sparse_build(&net->sparse, in, batch,
                                           net->spec.sizes[0]);
        if (!net->sparse_used)
            load_f32(net->a[0], in, n_in);
        forward_f32(net, batch);
        store_f32(out, a_out, n_out);
    } else {
        load_f64(net->a[0], in, n_in);
        forward_f64(net, batch);
        store_f64(out, a_out, n_out);
    }
    net->batch = batch;
    return VG_OK;
}

int mlp_forward_raw(mlp_t *net, void *out, const void *in, size_t batch)
{
    if (batch_check(net, batch, "mlp_forward_raw") != VG_OK)
        return VG_ERR;
    size_t es = (size_t)net->dtype;
    memcpy(net->a[0], in, batch * net->spec.sizes[0] * es);
    net->sparse_used = 0;
    if (net->dtype == NN_FLOAT32)
        forward_f32(net, batch);
    else
        forward_f64(net, batch);
    memcpy(out, net->a[net->spec.n_layers],
           batch * net->spec.sizes[net->spec.n_layers] * es);
    net->batch = batch;
    return VG_OK;
}

int mlp_backward(mlp_t *net, double *din, const double *dout)
{
    if (!net->acts_block || net->batch == 0)
        return vg_error_set("mlp_backward: no forward to go back through; "
                            "call mlp_forward first");
    if (net->dtype == NN_FLOAT32)
        backward_f32(net, din, dout);
    else
        backward_f64(net, din, dout);
    return VG_OK;
}

static double act_naive(nn_act_t act, double x)
{
    switch (act) {
    case NN_ELU:
        return x > 0 ? x : expm1(x);
    case NN_TANH:
        return tanh(x);
    case NN_RELU:
        return x > 0 ? x : 0;
    case NN_IDENTITY:
        break;
    }
    return x;
}

/* One row at a time through two width-sized buffers, summing each dot
 * product in index order in double: slow and obviously right. Its buffers
 * are allocated here because it is a test reference, not a training path;
 * if that fails the output is NaN and the error is set. */
void mlp_forward_naive(const mlp_t *net, double *out, const double *in,
                       size_t batch)
{
    const mlp_spec_t *s = &net->spec;
    size_t L = s->n_layers, max_w = 0;
    for (size_t l = 0; l <= L; l++)
        if (s->sizes[l] > max_w)
            max_w = s->sizes[l];
    double *buf = malloc(2 * max_w * sizeof *buf);
    if (!buf) {
        for (size_t i = 0; i < batch * s->sizes[L]; i++)
            out[i] = NAN;
        vg_error_set("mlp_forward_naive: out of memory for %zu doubles",
                     2 * max_w);
        return;
    }
    for (size_t r = 0; r < batch; r++) {
        double *x = buf, *y = buf + max_w;
        memcpy(x, in + r * s->sizes[0], s->sizes[0] * sizeof *x);
        for (size_t l = 0; l < L; l++) {
            size_t ni = s->sizes[l], no = s->sizes[l + 1];
            for (size_t o = 0; o < no; o++) {
                double acc = 0;
                for (size_t i = 0; i < ni; i++)
                    acc += get(net->W[l], net->dtype,
                               mlp_weight_index(s, l, o, i)) * x[i];
                y[o] = act_naive(s->acts[l], acc + get(net->b[l], net->dtype, o));
            }
            double *t = x;
            x = y;
            y = t;
        }
        memcpy(out + r * s->sizes[L], x, s->sizes[L] * sizeof *x);
    }
    free(buf);
}
