/* annulus.c: STATS 305C HW6 problem 2's data set and network (annulus.h).
 * Not the loss or the training: those are the student's.
 * Shapes: N points, P parameters. */
#include "annulus.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "prob.h"
#include "vg_error.h"

void annulus_data(double *x, double *y, size_t n, rng_t *rng)
{
    const stats305c_config_t s = config_stats305c_hw6();
    for (size_t i = 0; i < n; i++) {
        int pos = i % 2 == 0;
        double u = rng_uniform(rng);
        double r = pos ? u * s.pos_r_max
                       : s.neg_r_min + u * (s.neg_r_max - s.neg_r_min);
        double th = 2.0 * M_PI * rng_uniform(rng);
        x[2 * i] = r * cos(th);
        x[2 * i + 1] = r * sin(th);
        y[i] = pos ? 1.0 : 0.0;
    }
}

static mlp_spec_t annulus_spec(void)
{
    mlp_spec_t s;
    memset(&s, 0, sizeof s);
    s.n_layers = 3;
    s.sizes[0] = 2;
    s.sizes[1] = 3;
    s.sizes[2] = 5;
    s.sizes[3] = 1;
    s.acts[0] = NN_RELU;
    s.acts[1] = NN_RELU;
    s.acts[2] = NN_IDENTITY;
    return s;
}

int annulus_net_create(annulus_net_t *net, size_t max_batch, uint64_t seed)
{
    memset(net, 0, sizeof *net);
    mlp_spec_t spec = annulus_spec();
    size_t p = mlp_param_count(&spec);
    /* One block: params | grads. */
    double *block = calloc(2 * p, sizeof *block);
    if (!block)
        return vg_error_set("annulus_net_create: out of memory");
    if (mlp_init(&net->mlp, &spec, NN_FLOAT64, max_batch, block, block + p)
        != VG_OK) {
        free(block);
        return VG_ERR;
    }
    net->n_params = p;
    net->params = block;
    net->grads = block + p;
    rng_t rng;
    rng_seed(&rng, seed);
    mlp_init_params(&net->mlp, &rng);
    return VG_OK;
}

void annulus_net_free(annulus_net_t *net)
{
    mlp_free(&net->mlp);
    free(net->params); /* the block's start */
    memset(net, 0, sizeof *net);
}

void annulus_net_zero_grad(annulus_net_t *net)
{
    memset(net->grads, 0, net->n_params * sizeof *net->grads);
}

void annulus_net_copy_params(annulus_net_t *dst, const annulus_net_t *src)
{
    memmove(dst->params, src->params, src->n_params * sizeof *src->params);
}

int annulus_net_predict(annulus_net_t *net, double *prob, const double *x,
                        size_t n)
{
    if (mlp_forward(&net->mlp, prob, x, n) != VG_OK)
        return VG_ERR;
    for (size_t i = 0; i < n; i++)
        prob[i] = sigmoid(prob[i]);
    return VG_OK;
}

double annulus_net_accuracy(annulus_net_t *net, const double *x,
                            const double *y, size_t n)
{
    double *prob = malloc((n ? n : 1) * sizeof *prob);
    if (!prob || annulus_net_predict(net, prob, x, n) != VG_OK) {
        free(prob);
        return NAN;
    }
    size_t right = 0;
    for (size_t i = 0; i < n; i++)
        right += y[i] > 0.5 ? prob[i] > 0.5 : prob[i] < 0.5;
    free(prob);
    return (double)right / (double)n;
}
