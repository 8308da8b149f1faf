/* adam.c: PyTorch's Adam (torch.optim.Adam, no weight decay, no amsgrad)
 * over one flat block of float32 or float64 parameters, with both moments
 * in one block allocated by adam_init. Not a general optimiser library. */
#include "adam.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

int adam_init(adam_t *opt, size_t n, nn_dtype_t dtype, double lr,
              double beta1, double beta2, double eps)
{
    memset(opt, 0, sizeof *opt);
    if (dtype != NN_FLOAT32 && dtype != NN_FLOAT64)
        return vg_error_set("adam_init: dtype %d is neither NN_FLOAT32 nor "
                            "NN_FLOAT64", (int)dtype);
    if (n == 0)
        return vg_error_set("adam_init: no parameters (n = 0)");
    if (!(lr > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) ||
        !(eps >= 0))
        return vg_error_set("adam_init: need lr > 0, betas in [0, 1), eps >= 0; "
                            "got lr %g, betas %g %g, eps %g",
                            lr, beta1, beta2, eps);
    size_t es = (size_t)dtype;
    if (n > ((size_t)-1) / (2 * es))
        return vg_error_set("adam_init: %zu parameters overflow the moments' "
                            "size", n);
    char *block = calloc(2 * n, es); /* moments start at 0, as PyTorch's */
    if (!block)
        return vg_error_set("adam_init: out of memory for the moments of %zu "
                            "parameters", n);
    opt->dtype = dtype;
    opt->n = n;
    opt->lr = lr;
    opt->beta1 = beta1;
    opt->beta2 = beta2;
    opt->eps = eps;
    opt->t = 0;
    opt->m = block;
    opt->v = block + n * es;
    return VG_OK;
}

/* The float32 update is built twice, for AVX2 and for any x86-64, and the
 * loader picks one by CPU (GCC's target_clones, an ifunc): the loop is bound
 * by its square root and division, which AVX2 does 8 at a time instead of
 * 4 (0.49 -> 0.25 ms per step for the VAE's 661k parameters). With -std=c11
 * GCC contracts no a*b+c into an FMA, so both clones give the same bits. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define ADAM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ADAM_CLONES
#endif

/* c: beta1, beta2, 1 - beta1, 1 - beta2, eps, 1 / sqrt(1 - beta2^t),
 * lr / (1 - beta1^t), as float. */
enum { ADAM_F32_CONSTS = 7 };
/* consume: g[i] = 0 once read (the compiler unswitches the loop on it). */
ADAM_CLONES
static void adam_f32(float *restrict p, float *restrict m, float *restrict v,
                     float *restrict g, size_t n,
                     const float c[ADAM_F32_CONSTS], int consume)
{
    const float b1 = c[0], b2 = c[1], a1 = c[2], a2 = c[3], eps = c[4];
    const float inv_bc2 = c[5], st = c[6];
    for (size_t i = 0; i < n; i++) {
        m[i] = b1 * m[i] + a1 * g[i];
        v[i] = b2 * v[i] + a2 * g[i] * g[i];
        p[i] -= st * m[i] / (sqrtf(v[i]) * inv_bc2 + eps);
        if (consume)
            g[i] = 0.0f;
    }
}

/* PyTorch's order of operations: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps). The scalars
 * are computed in double; float32 parameters are updated in float32, as a
 * float32 torch tensor would be. grads is written only when consume. */
static void adam_update(adam_t *opt, void *params, void *grads, int consume)
{
    opt->t++;
    double bc1 = 1.0 - pow(opt->beta1, (double)opt->t);
    double bc2_sqrt = sqrt(1.0 - pow(opt->beta2, (double)opt->t));
    double step = opt->lr / bc1;
    size_t n = opt->n;

    if (opt->dtype == NN_FLOAT32) {
        const float c[ADAM_F32_CONSTS] = {
            (float)opt->beta1, (float)opt->beta2, (float)(1.0 - opt->beta1),
            (float)(1.0 - opt->beta2), (float)opt->eps,
            (float)(1.0 / bc2_sqrt), (float)step };
        adam_f32(params, opt->m, opt->v, grads, n, c, consume);
    } else {
        double *p = params, *m = opt->m, *v = opt->v, *g = grads;
        const double b1 = opt->beta1, b2 = opt->beta2, eps = opt->eps;
        const double a1 = 1.0 - b1, a2 = 1.0 - b2;
        for (size_t i = 0; i < n; i++) {
            m[i] = b1 * m[i] + a1 * g[i];
            v[i] = b2 * v[i] + a2 * g[i] * g[i];
            p[i] -= step * m[i] / (sqrt(v[i]) / bc2_sqrt + eps);
            if (consume)
                g[i] = 0.0;
        }
    }
}

void adam_step(adam_t *opt, void *params, const void *grads)
{
    adam_update(opt, params, (void *)grads, 0); /* not written: consume 0 */
}

/* The update already reads every gradient, from cache lines it then holds:
 * storing the 0 there costs little, where a memset before the next backward
 * was a pass of its own over the block (0.1 ms of a 5.8 ms VAE step). */
void adam_step_consume(adam_t *opt, void *params, void *grads)
{
    adam_update(opt, params, grads, 1);
}

void adam_free(adam_t *opt)
{
    free(opt->m); /* m and v share one block */
    memset(opt, 0, sizeof *opt);
}
