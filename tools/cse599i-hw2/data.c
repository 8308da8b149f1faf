/* data.c: data.h's digits and batches for cse599i-train. */
#include "data.h"

#include <stdlib.h>
#include <string.h>

#include "vg_error.h"

int cse_data_load(cse_data_t *d, const char *dir)
{
    memset(d, 0, sizeof *d);
    if (train_data_load(&d->all, dir) != VG_OK)
        return VG_ERR;
    const dataset_t *te = &d->all.test, *sub = &d->all.subset;
    const size_t D = te->d, per_class = sub->n / 10;
    size_t got = 0, count[10] = {0};
    if (sub->d != D || per_class * 10 != sub->n || !te->y || !te->x)
        return vg_error_set("cse_data_load: %s: the subset (%zu digits of %zu "
                            "pixels) is not 10 classes of t10k's %zu-pixel "
                            "digits", dir, sub->n, sub->d, D);
    d->n_test = sub->n;
    d->test_gray = malloc(sub->n * D * sizeof *d->test_gray);
    if (!d->test_gray)
        return vg_error_set("cse_data_load: out of memory");
    for (size_t i = 0; i < te->n && got < sub->n; i++) {
        uint8_t c = te->y[i];
        if (c >= 10 || count[c] == per_class)
            continue;
        count[c]++;
        memcpy(d->test_gray + got * D, te->x + i * D, D * sizeof(double));
        got++;
    }
    if (got < sub->n)
        return vg_error_set("cse_data_load: %s: t10k has fewer than %zu "
                            "digits of some class", dir, per_class);
    /* The twin must be the subset's digits: a binarised 1 needs a byte > 0. */
    for (size_t i = 0; i < sub->n * D; i++)
        if (sub->x[i] > 0.5 && d->test_gray[i] == 0.0)
            return vg_error_set("cse_data_load: %s: subset digit %zu is not "
                                "t10k's digit of its rank in its class (a 1 "
                                "at pixel %zu where t10k has 0)", dir, i / D,
                                i % D);
    return VG_OK;
}

void cse_data_free(cse_data_t *d)
{
    train_data_free(&d->all);
    free(d->test_gray);
    memset(d, 0, sizeof *d);
}

void cse_batch_gray(double *xb, const cse_data_t *d, const size_t *rows,
                    size_t batch)
{
    const dataset_t *tr = &d->all.train;
    for (size_t b = 0; b < batch; b++) {
        const uint8_t *p = tr->pixels + rows[b] * tr->d;
        for (size_t i = 0; i < tr->d; i++)
            xb[b * tr->d + i] = p[i] / 255.0;
    }
}

void cse_batch_binary(double *xb, const cse_data_t *d, const size_t *rows,
                      size_t batch, rng_t *rng)
{
    const dataset_t *tr = &d->all.train;
    for (size_t b = 0; b < batch; b++)
        binarise_bytes(xb + b * tr->d, tr->pixels + rows[b] * tr->d, tr->d,
                       rng);
}
