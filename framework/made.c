/* made.c: MADE, an MLP (nn.h) whose weights are masked so that each output
 * sees only the inputs before it in an order. The masks are applied to the
 * weights themselves (masked weights held at 0) rather than multiplied in
 * at every product, so the forward and backward are nn.c's GEMMs unchanged;
 * made_forward_naive multiplies them in, as the independent reference. */
#include "made.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "vg_error.h"

/* Degree of hidden unit u (MADE's deterministic assignment): 1..Z-1 in
 * turn, so with H >= Z - 1 every degree has a unit. */
static size_t hidden_deg(const made_t *m, size_t u)
{
    return 1 + u % (m->z_dim - 1);
}

/* Degree of unit i of layer l's input: the inputs' own degrees for layer
 * 0, a hidden unit's otherwise. */
static size_t in_deg(const made_t *m, size_t l, size_t i)
{
    return l == 0 ? m->deg[i] : hidden_deg(m, i);
}

/* 1 when layer l's weight from input i to output o is kept. */
static int kept(const made_t *m, size_t l, size_t o, size_t i)
{
    if (l + 1 < m->net.spec.n_layers) /* to a hidden unit: >= */
        return hidden_deg(m, o) >= in_deg(m, l, i);
    return m->deg[o % m->z_dim] > in_deg(m, l, i); /* to m_j or s_j: > */
}

size_t made_param_count(size_t z_dim, size_t hidden, size_t n_hidden)
{
    size_t n = 0, in = z_dim;
    for (size_t l = 0; l < n_hidden; l++) {
        n += in * hidden + hidden;
        in = hidden;
    }
    return n + in * 2 * z_dim + 2 * z_dim;
}

int made_init(made_t *m, size_t z_dim, size_t hidden, size_t n_hidden,
              const size_t *order, nn_dtype_t dtype, size_t max_batch,
              void *params, void *grads)
{
    memset(m, 0, sizeof *m);
    if (z_dim < 2)
        return vg_error_set("made_init: Z = %zu; a MADE needs 2 inputs or "
                            "more", z_dim);
    if (hidden < z_dim - 1)
        return vg_error_set("made_init: %zu hidden units cannot hold the %zu "
                            "degrees 1..Z-1; give H >= Z - 1", hidden,
                            z_dim - 1);
    if (n_hidden < 1 || n_hidden > NN_MAX_LAYERS - 1)
        return vg_error_set("made_init: %zu hidden layers; give 1 to %d",
                            n_hidden, NN_MAX_LAYERS - 1);
    m->z_dim = z_dim;
    m->hidden = hidden;
    m->n_hidden = n_hidden;

    mlp_spec_t s;
    memset(&s, 0, sizeof s);
    s.n_layers = n_hidden + 1;
    s.sizes[0] = z_dim;
    for (size_t l = 0; l < n_hidden; l++) {
        s.sizes[l + 1] = hidden;
        s.acts[l] = NN_ELU;
    }
    s.sizes[n_hidden + 1] = 2 * z_dim;
    s.acts[n_hidden] = NN_IDENTITY;

    /* One block: deg (Z), out and dout (max_batch, 2Z) each, the masks. */
    size_t n_mask = 0;
    for (size_t l = 0; l < s.n_layers; l++)
        n_mask += s.sizes[l] * s.sizes[l + 1];
    size_t n_out = max_batch * 2 * z_dim;
    size_t bytes = z_dim * sizeof(size_t) + 2 * n_out * sizeof(double) + n_mask;
    char *block = max_batch ? calloc(1, bytes) : NULL;
    if (!block)
        return vg_error_set("made_init: cannot allocate %zu bytes for "
                            "max_batch %zu", bytes, max_batch);
    m->deg = (size_t *)block;
    m->out = (double *)(block + z_dim * sizeof(size_t));
    unsigned char *mk = (unsigned char *)(m->out + 2 * n_out);
    for (size_t l = 0; l < s.n_layers; l++) {
        m->mask[l] = mk;
        mk += s.sizes[l] * s.sizes[l + 1];
    }

    /* deg[order[i]] = i + 1, and order must be a permutation */
    for (size_t i = 0; i < z_dim; i++) {
        size_t k = order ? order[i] : i;
        if (k >= z_dim || m->deg[k]) {
            free(block);
            memset(m, 0, sizeof *m);
            return vg_error_set("made_init: order is not a permutation of "
                                "0..%zu (entry %zu is %zu)", z_dim - 1, i, k);
        }
        m->deg[k] = i + 1;
    }

    if (mlp_init(&m->net, &s, dtype, max_batch, params, grads) != VG_OK) {
        free(block);
        memset(m, 0, sizeof *m);
        return VG_ERR;
    }
    for (size_t l = 0; l < s.n_layers; l++)
        for (size_t o = 0; o < s.sizes[l + 1]; o++)
            for (size_t i = 0; i < s.sizes[l]; i++)
                m->mask[l][mlp_weight_index(&s, l, o, i)] =
                    (unsigned char)kept(m, l, o, i);
    return VG_OK;
}

void made_free(made_t *m)
{
    mlp_free(&m->net);
    free(m->deg);
    memset(m, 0, sizeof *m);
}

/* Sets every masked entry of a (I,O) array of the net's dtype to 0. */
static void zero_masked(const made_t *m, size_t l, void *w)
{
    size_t n = m->net.spec.sizes[l] * m->net.spec.sizes[l + 1];
    const unsigned char *mk = m->mask[l];
    if (m->net.dtype == NN_FLOAT32) {
        float *f = w;
        for (size_t i = 0; i < n; i++)
            if (!mk[i])
                f[i] = 0.0f;
    } else {
        double *d = w;
        for (size_t i = 0; i < n; i++)
            if (!mk[i])
                d[i] = 0.0;
    }
}

void made_init_params(made_t *m, struct rng *rng, double s_bias)
{
    mlp_init_params(&m->net, rng);
    size_t L = m->net.spec.n_layers, Z = m->z_dim;
    for (size_t l = 0; l < L; l++)
        zero_masked(m, l, m->net.W[l]);
    for (size_t j = 0; j < Z; j++) {
        if (m->net.dtype == NN_FLOAT32)
            ((float *)m->net.b[L - 1])[Z + j] = (float)s_bias;
        else
            ((double *)m->net.b[L - 1])[Z + j] = s_bias;
    }
}

int made_forward(made_t *m, double *mean, double *s, const double *z,
                 size_t batch)
{
    size_t Z = m->z_dim;
    for (size_t l = 0; l < m->net.spec.n_layers; l++)
        zero_masked(m, l, m->net.W[l]);
    if (mlp_forward(&m->net, m->out, z, batch) != VG_OK)
        return VG_ERR;
    for (size_t b = 0; b < batch; b++) {
        if (mean)
            memcpy(mean + b * Z, m->out + b * 2 * Z, Z * sizeof *mean);
        if (s)
            memcpy(s + b * Z, m->out + b * 2 * Z + Z, Z * sizeof *s);
    }
    return VG_OK;
}

/* made_backward: dout (B,2Z) = (dmean | ds) into the second half of the
 * out block, nn.c's backward, then the masked weights' gradients back to 0
 * (nn.c's dW holds x^T delta for every weight, kept or not). */
int made_backward(made_t *m, double *dz, const double *dmean,
                  const double *ds)
{
    size_t Z = m->z_dim, B = m->net.batch;
    double *dout = m->out + m->net.max_batch * 2 * Z;
    for (size_t b = 0; b < B; b++)
        for (size_t j = 0; j < Z; j++) {
            dout[b * 2 * Z + j] = dmean ? dmean[b * Z + j] : 0.0;
            dout[b * 2 * Z + Z + j] = ds ? ds[b * Z + j] : 0.0;
        }
    if (mlp_backward(&m->net, dz, dout) != VG_OK)
        return VG_ERR;
    for (size_t l = 0; l < m->net.spec.n_layers; l++)
        zero_masked(m, l, m->net.dW[l]);
    return VG_OK;
}

static double param(const made_t *m, const void *base, size_t i)
{
    if (m->net.dtype == NN_FLOAT32)
        return (double)((const float *)base)[i];
    return ((const double *)base)[i];
}

/* Row by row, each dot product in index order, weight times mask: slow and
 * obviously right; it does not rely on the masked weights being 0. */
void made_forward_naive(const made_t *m, double *mean, double *s,
                        const double *z, size_t batch)
{
    const mlp_spec_t *sp = &m->net.spec;
    size_t Z = m->z_dim, w = m->hidden > 2 * Z ? m->hidden : 2 * Z;
    double *buf = malloc(2 * w * sizeof *buf);
    for (size_t r = 0; r < batch; r++) {
        if (!buf) { /* a test reference: NaN rather than a crash */
            for (size_t j = 0; j < Z; j++) {
                if (mean) mean[r * Z + j] = NAN;
                if (s) s[r * Z + j] = NAN;
            }
            continue;
        }
        double *x = buf, *y = buf + w;
        memcpy(x, z + r * Z, Z * sizeof *x);
        for (size_t l = 0; l < sp->n_layers; l++) {
            for (size_t o = 0; o < sp->sizes[l + 1]; o++) {
                double acc = param(m, m->net.b[l], o);
                for (size_t i = 0; i < sp->sizes[l]; i++) {
                    size_t k = mlp_weight_index(sp, l, o, i);
                    acc += m->mask[l][k] * param(m, m->net.W[l], k) * x[i];
                }
                y[o] = sp->acts[l] == NN_ELU && acc <= 0 ? expm1(acc) : acc;
            }
            double *t = x;
            x = y;
            y = t;
        }
        for (size_t j = 0; j < Z; j++) {
            if (mean) mean[r * Z + j] = x[j];
            if (s) s[r * Z + j] = x[Z + j];
        }
    }
    if (!buf)
        vg_error_set("made_forward_naive: out of memory");
    free(buf);
}
