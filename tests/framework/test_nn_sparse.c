/* test_nn_sparse.c: the index lists of a binary input, and the sparse
 * first layer's vectorised forward and weight gradient against its plain
 * loops (same sums, same order: the same bits) and against the dense
 * definition. The network-level tests are in test_nn.c. Not a speed test.
 * Shapes: B batch, I input width, O output width. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "nn_sparse.h"
#include "rng.h"

typedef struct sparse_case {
    size_t B, I;
    double *in;          /* (B,I) */
    void *mem;
    nn_sparse_in_t s;
} sparse_case_t;

static void case_make(sparse_case_t *c, size_t B, size_t I, double density,
                      uint64_t seed)
{
    c->B = B;
    c->I = I;
    c->in = calloc(B * I, sizeof *c->in);
    c->mem = malloc(nn_sparse_bytes(B, I));
    cr_assert(c->in && c->mem);
    nn_sparse_init(&c->s, c->mem, B, I);
    rng_t r;
    rng_seed(&r, seed);
    for (size_t k = 0; k < B * I; k++)
        c->in[k] = rng_uniform(&r) < density;
}

static void case_free(sparse_case_t *c)
{
    free(c->in);
    free(c->mem);
}

static float *random_floats(size_t n, uint64_t seed)
{
    float *a = malloc(n * sizeof *a);
    cr_assert(a);
    rng_t r;
    rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++)
        a[i] = (float)(2 * rng_uniform(&r) - 1);
    return a;
}

/* Both lists hold exactly the ones of the input, rows and columns
 * ascending, and agree with each other. Widths not a multiple of 4 cover
 * the vector scan's tail. */
Test(nn_sparse, lists_are_the_ones_of_the_input)
{
    const size_t widths[3] = { 784, 13, 4 };
    for (int w = 0; w < 3; w++) {
        sparse_case_t c;
        case_make(&c, 9, widths[w], 0.2, 1 + (uint64_t)w);
        c.in[0] = 1; /* at least one one */
        cr_assert_eq(nn_sparse_build(&c.s, c.in, c.B, c.I), 1, "I = %zu", c.I);
        size_t ones = 0;
        for (size_t k = 0; k < c.B * c.I; k++)
            ones += c.in[k] == 1;
        cr_assert_eq(c.s.nnz, ones);
        cr_assert_eq(c.s.row_off[c.B], ones);
        cr_assert_eq(c.s.col_off[c.I], ones);
        for (size_t r = 0; r < c.B; r++) {
            size_t k = c.s.row_off[r];
            for (size_t i = 0; i < c.I; i++)
                if (c.in[r * c.I + i] == 1) {
                    cr_assert_lt(k, c.s.row_off[r + 1], "row %zu", r);
                    cr_assert_eq(c.s.row_idx[k++], i, "row %zu", r);
                }
            cr_assert_eq(k, c.s.row_off[r + 1], "row %zu has extra ones", r);
        }
        for (size_t i = 0; i < c.I; i++) {
            size_t k = c.s.col_off[i];
            for (size_t r = 0; r < c.B; r++)
                if (c.in[r * c.I + i] == 1)
                    cr_assert_eq(c.s.col_idx[k++], r, "column %zu", i);
            cr_assert_eq(k, c.s.col_off[i + 1], "column %zu", i);
        }
        case_free(&c);
    }
}

/* A value neither 0 nor 1 anywhere (the tail included), -0.0 (which is 0),
 * NaN, and the density cap. */
Test(nn_sparse, refuses_what_is_not_binary_and_sparse)
{
    sparse_case_t c;
    case_make(&c, 4, 13, 0.1, 3);
    cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 1);
    const size_t spots[3] = { 0, 4 * 13 - 1, 2 * 13 + 12 };
    for (int k = 0; k < 3; k++) {
        double keep = c.in[spots[k]];
        c.in[spots[k]] = 0.5;
        cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 0, "0.5 at %zu",
                     spots[k]);
        c.in[spots[k]] = __builtin_nan("");
        cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 0, "NaN at %zu",
                     spots[k]);
        c.in[spots[k]] = -0.0;
        cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 1, "-0 at %zu",
                     spots[k]);
        c.in[spots[k]] = keep;
    }
    memset(c.in, 0, 4 * 13 * sizeof *c.in);
    for (size_t k = 0; k < 13; k++) /* 13 of 52: a quarter */
        c.in[k * 4] = 1;
    cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 1);
    c.in[1] = 1;
    cr_assert_eq(nn_sparse_build(&c.s, c.in, 4, 13), 0, "14 of 52");
    /* fewer rows than built for: the cap is of this batch */
    cr_assert_eq(nn_sparse_build(&c.s, c.in, 1, 13), 0, "4+ of 13 in row 0");
    case_free(&c);
}

/* Output widths around the vector strips: below one vector, a vector and
 * a bit, one whole strip plus a partial one, the VAE's 300. */
static const size_t OUT_WIDTHS[] = { 3, 8, 13, 64, 70, 300 };

Test(nn_sparse, forward_vectorised_equals_plain_and_dense)
{
    for (size_t w = 0; w < sizeof OUT_WIDTHS / sizeof *OUT_WIDTHS; w++) {
        size_t O = OUT_WIDTHS[w];
        sparse_case_t c;
        case_make(&c, 7, 50, 0.15, 10 + w);
        memset(c.in + 2 * 50, 0, 50 * sizeof *c.in); /* an empty row */
        cr_assert_eq(nn_sparse_build(&c.s, c.in, c.B, c.I), 1);
        float *W = random_floats(c.I * O, 20 + w), *b = random_floats(O, 60 + w);
        float *y = malloc(c.B * O * sizeof *y), *yp = malloc(c.B * O * sizeof *y);
        cr_assert(y && yp);
        nn_sparse_forward(y, W, b, &c.s, O);
        nn_sparse_forward_plain(yp, W, b, &c.s, O);
        cr_assert(memcmp(y, yp, c.B * O * sizeof *y) == 0, "O = %zu", O);
        for (size_t j = 0; j < O; j++) /* the empty row is the bias */
            cr_assert_eq(y[2 * O + j], b[j]);
        for (size_t r = 0; r < c.B; r++)
            for (size_t j = 0; j < O; j++) {
                double d = b[j]; /* the definition, in double */
                for (size_t i = 0; i < c.I; i++)
                    d += c.in[r * c.I + i] * W[i * O + j];
                cr_assert_float_eq(y[r * O + j], d, 1e-5, "O %zu y[%zu,%zu]",
                                   O, r, j);
            }
        free(W);
        free(b);
        free(y);
        free(yp);
        case_free(&c);
    }
}

/* The weight gradient accumulates: it adds to what dW holds, and leaves
 * rows of columns with no ones alone. */
Test(nn_sparse, weight_grad_vectorised_equals_plain_and_accumulates)
{
    for (size_t w = 0; w < sizeof OUT_WIDTHS / sizeof *OUT_WIDTHS; w++) {
        size_t O = OUT_WIDTHS[w];
        sparse_case_t c;
        case_make(&c, 9, 40, 0.15, 30 + w);
        for (size_t r = 0; r < c.B; r++) /* column 5 never one */
            c.in[r * c.I + 5] = 0;
        cr_assert_eq(nn_sparse_build(&c.s, c.in, c.B, c.I), 1);
        float *delta = random_floats(c.B * O, 40 + w);
        float *dW = random_floats(c.I * O, 50 + w);
        float *dWp = malloc(c.I * O * sizeof *dWp), *dW0 = malloc(c.I * O * sizeof *dW0);
        cr_assert(dWp && dW0);
        memcpy(dWp, dW, c.I * O * sizeof *dW);
        memcpy(dW0, dW, c.I * O * sizeof *dW);
        nn_sparse_weight_grad(dW, delta, &c.s, O);
        nn_sparse_weight_grad_plain(dWp, delta, &c.s, O);
        cr_assert(memcmp(dW, dWp, c.I * O * sizeof *dW) == 0, "O = %zu", O);
        for (size_t i = 0; i < c.I; i++)
            for (size_t j = 0; j < O; j++) {
                double d = dW0[i * O + j];
                for (size_t r = 0; r < c.B; r++)
                    d += c.in[r * c.I + i] * delta[r * O + j];
                cr_assert_float_eq(dW[i * O + j], d, 1e-5, "O %zu dW[%zu,%zu]",
                                   O, i, j);
            }
        cr_assert(memcmp(dW + 5 * O, dW0 + 5 * O, O * sizeof *dW) == 0);
        free(delta);
        free(dW);
        free(dWp);
        free(dW0);
        case_free(&c);
    }
}
