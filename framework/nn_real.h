/* nn_real.h: the body of nn.c's forward and backward passes, written once
 * for an element type REAL and included twice by nn.c (float, double), so
 * float32 training and float64 checking run the same code. Not a header to
 * include anywhere else: it expects REAL, REAL_IS_DOUBLE, RFN(name), GEMM,
 * EXPM1, TANH and NN_CLONES to be defined by the includer. */

/* dst (n) = src (n): the double edge of a network (78,400 values each way
 * for the VAE's decoder, so built for AVX2 too). */
NN_CLONES
static void RFN(load)(REAL *dst, const double *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (REAL)src[i];
}

NN_CLONES
static void RFN(store)(double *dst, const REAL *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (double)src[i];
}

/* y (B,O) = b in every row: the GEMM then adds into it with beta = 1.
 * OpenBLAS's own beta = 0 pass, which zeroes the output first, was slower
 * than this fill (0.018 against 0.011 ms for the decoder's 10 -> 300). */
static void RFN(bias_fill)(REAL *y, const REAL *b, size_t batch, size_t o)
{
    for (size_t r = 0; r < batch; r++)
        memcpy(y + r * o, b, o * sizeof *y);
}

/* y (n) = act(y), in place, on outputs that hold the bias already. The
 * switch sits outside the loops so each loop is a plain vectorisable one. */
NN_CLONES
static void RFN(act)(REAL *y, size_t n, nn_act_t act)
{
    switch (act) {
    case NN_IDENTITY:
        break;
    case NN_ELU:
        for (size_t i = 0; i < n; i++) {
            /* both sides computed, then selected: GCC does not speculate
             * floating point (-ftrapping-math), so a conditional call would
             * keep the loop scalar; expm1, as PyTorch, keeps small
             * negatives accurate */
            REAL v = y[i];
            REAL e = EXPM1(v);
            y[i] = v > 0 ? v : e;
        }
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++)
            y[i] = TANH(y[i]);
        break;
    case NN_RELU:
        for (size_t i = 0; i < n; i++)
            y[i] = y[i] > 0 ? y[i] : 0;
        break;
    }
}

/* delta (n) = src (n) * act'(.), where the derivative is written in terms of
 * the activation's OUTPUT y (n), so forward keeps only post-activations:
 * ELU' = 1 or y + 1 (= exp(x)), tanh' = 1 - y^2, ReLU' = [y > 0].
 * src == delta multiplies in place. */
NN_CLONES
static void RFN(act_grad)(REAL *delta, const REAL *src, const REAL *y,
                          size_t n, nn_act_t act)
{
    switch (act) {
    case NN_IDENTITY:
        if (delta != src)
            memcpy(delta, src, n * sizeof *delta);
        break;
    case NN_ELU:
        for (size_t i = 0; i < n; i++) {
            REAL e = y[i] + 1; /* unconditional, so the select vectorises */
            delta[i] = src[i] * (y[i] > 0 ? (REAL)1 : e);
        }
        break;
    case NN_TANH:
        for (size_t i = 0; i < n; i++)
            delta[i] = src[i] * (1 - y[i] * y[i]);
        break;
    case NN_RELU:
        for (size_t i = 0; i < n; i++)
            delta[i] = y[i] > 0 ? src[i] : 0;
        break;
    }
}

/* a[l+1] (B,O) = act(a[l] (B,I) W (I,O) + b), layer by layer; a[0] holds
 * the input already, or the sparse lists do. */
static void RFN(forward)(mlp_t *net, size_t batch)
{
    const mlp_spec_t *s = &net->spec;
    for (size_t l = 0; l < s->n_layers; l++) {
        int ni = (int)s->sizes[l], no = (int)s->sizes[l + 1];
        const REAL *x = net->a[l];
        REAL *y = net->a[l + 1];
#if !REAL_IS_DOUBLE
        if (l == 0 && net->sparse_used) { /* nn_sparse.h */
            nn_sparse_forward(y, net->W[0], net->b[0], &net->sparse,
                              (size_t)no);
        } else
#endif
        {
            RFN(bias_fill)(y, (const REAL *)net->b[l], batch, (size_t)no);
            GEMM(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)batch, no,
                 ni, 1, x, ni, (const REAL *)net->W[l], no, 1, y, no);
        }
        RFN(act)(y, batch * (size_t)no, s->acts[l]);
    }
}

/* dx (B,I) = delta (B,O) W^T (O,I), the gradient at layer l's input;
 * zeroed here rather than by OpenBLAS's slower beta = 0 pass (bias_fill). */
static void RFN(input_grad)(REAL *dx, const REAL *delta, const mlp_t *net,
                            size_t l, size_t batch)
{
    int ni = (int)net->spec.sizes[l], no = (int)net->spec.sizes[l + 1];
    memset(dx, 0, batch * (size_t)ni * sizeof *dx);
    GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, (int)batch, ni, no, 1,
         delta, no, (const REAL *)net->W[l], no, 1, dx, ni);
}

/* Walks the layers backwards with two (B, max width) buffers in turn:
 * delta holds d loss / d pre-activation of layer l. dout (B,O) is double
 * and is converted while the last activation's derivative is applied. */
NN_CLONES
static void RFN(backward)(mlp_t *net, double *din, const double *dout)
{
    const mlp_spec_t *s = &net->spec;
    size_t batch = net->batch, L = s->n_layers;
    REAL *delta = net->delta[0], *next = net->delta[1];
    size_t n_out = batch * s->sizes[L];

    RFN(load)(delta, dout, n_out);
    RFN(act_grad)(delta, delta, (const REAL *)net->a[L], n_out, s->acts[L - 1]);

    for (size_t l = L; l-- > 0;) {
        int ni = (int)s->sizes[l], no = (int)s->sizes[l + 1], nb = (int)batch;
        /* dW (I,O) += a[l]^T (I,B) delta (B,O) */
#if !REAL_IS_DOUBLE
        if (l == 0 && net->sparse_used) /* nn_sparse.h */
            nn_sparse_weight_grad(net->dW[0], delta, &net->sparse, (size_t)no);
        else
#endif
            GEMM(CblasRowMajor, CblasTrans, CblasNoTrans, ni, no, nb, 1,
                 (const REAL *)net->a[l], ni, delta, no, 1, (REAL *)net->dW[l],
                 no);
        /* db (O) += column sums of delta (B,O) */
        REAL *db = net->db[l];
        for (size_t r = 0; r < batch; r++) {
            const REAL *row = delta + r * (size_t)no;
            for (size_t j = 0; j < (size_t)no; j++)
                db[j] += row[j];
        }
        if (l > 0) {
            /* next (B,I): the input gradient, then through layer l-1's
             * activation */
            RFN(input_grad)(next, delta, net, l, batch);
            RFN(act_grad)(next, next, (const REAL *)net->a[l],
                          batch * (size_t)ni, s->acts[l - 1]);
            REAL *t = delta;
            delta = next;
            next = t;
        } else if (din) {
#if REAL_IS_DOUBLE
            /* din (B,I) += delta W^T directly: beta = 1 accumulates */
            GEMM(CblasRowMajor, CblasNoTrans, CblasTrans, nb, ni, no, 1,
                 delta, no, (const REAL *)net->W[0], no, 1, din, ni);
#else
            RFN(input_grad)(next, delta, net, 0, batch);
            size_t n_in = batch * (size_t)ni;
            for (size_t i = 0; i < n_in; i++)
                din[i] += (double)next[i];
#endif
        }
    }
}
