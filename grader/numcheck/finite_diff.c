/* finite_diff.c: central differences over an fd_problem_t, compared with an
 * analytic gradient by compare_arrays_indexed. It owns the choice of
 * coordinates and the exact restore; the verdict is the comparator's. */
#include "numcheck/finite_diff.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

#define VG_FD_ERR (-1)

fd_options_t fd_options_default(void)
{
    fd_options_t o = {
        .step = 1e-5,
        .bound = { .abs = 1e-8, .rel = 1e-6 },
        .max_coords = 0,
        .skip = NULL,
        .n_skip = 0,
        .seed = 0,
        .what = NULL,
    };
    return o;
}

/* A failure that is not the comparator's to word: bad arguments, f not
 * finite at the point, a coordinate that would not restore. */
static int fail(cmp_report_t *r, size_t n, size_t worst, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(cmp_report_t *r, size_t n, size_t worst, const char *fmt, ...)
{
    memset(r, 0, sizeof *r);
    r->n = n;
    r->worst = worst;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->message, sizeof r->message, fmt, ap);
    va_end(ap);
    return 0;
}

static int is_skipped(const fd_options_t *opt, size_t i)
{
    for (size_t s = 0; s < opt->n_skip; s++)
        if (opt->skip[s] == i)
            return 1;
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

int fd_central(cmp_report_t *r, fd_nonfinite_t *nf, const fd_problem_t *p,
               double h, const size_t *coord, size_t m, double *numeric,
               const char *what)
{
    memset(nf, 0, sizeof *nf);
    if (!what)
        what = "gradient";
    if (!p || !p->get || !p->set || !p->f || !numeric || (m && !coord))
        return fail(r, 0, 0, "%s: fd_central called with a NULL problem, "
                    "callback or buffer", what), VG_FD_ERR;
    if (!(h > 0) || !isfinite(h))
        return fail(r, m, 0, "%s: the finite-difference step must be "
                    "positive and finite, not %g", what, h), VG_FD_ERR;
    double f0 = p->f(p->ctx);
    if (!isfinite(f0)) {
        fail(r, m, 0, "%s: f is %s at the unperturbed point, so no derivative "
             "can be checked", what, isnan(f0) ? "NaN" : (f0 > 0 ? "+Inf" : "-Inf"));
        r->nonfinite = 1;
        return VG_FD_ERR;
    }
    for (size_t j = 0; j < m; j++) {
        size_t i = coord[j];
        double x0 = p->get(p->ctx, i);
        /* The stored value after set may be rounded (a float32 parameter),
         * so the denominator is the distance actually travelled. */
        p->set(p->ctx, i, x0 + h);
        double xp = p->get(p->ctx, i);
        double fp = p->f(p->ctx);
        p->set(p->ctx, i, x0 - h);
        double xm = p->get(p->ctx, i);
        double fm = p->f(p->ctx);
        p->set(p->ctx, i, x0);
        double back = p->get(p->ctx, i);
        if (memcmp(&back, &x0, sizeof x0) != 0)
            return fail(r, m, i, "%s: coordinate %zu was not restored exactly "
                        "(set/get do not round-trip: %.17g became %.17g)", what,
                        i, x0, back), VG_FD_ERR;
        if (!(xp > xm))
            return fail(r, m, i, "%s: step %g too small at coordinate %zu "
                        "(value %.17g): x+h and x-h are stored as the same "
                        "number", what, h, i, x0), VG_FD_ERR;
        if (!nf->seen && (!isfinite(fp) || !isfinite(fm))) {
            nf->seen = 1;
            nf->coord = i;
            nf->side = isfinite(fp) ? '-' : '+';
            nf->value = isfinite(fp) ? fm : fp;
        }
        numeric[j] = (fp - fm) / (xp - xm);
    }
    return 0;
}

int fd_check(cmp_report_t *r, const fd_problem_t *p, const double *analytic,
             const fd_options_t *opt)
{
    const char *what = opt && opt->what ? opt->what : "gradient";
    if (!p || !p->get || !p->set || !p->f || !analytic || !opt)
        return fail(r, 0, 0, "%s: fd_check called with a NULL problem, "
                    "callback, gradient or options", what);
    size_t n = p->n, n_cand = 0;
    for (size_t i = 0; i < n; i++)
        n_cand += !is_skipped(opt, i);
    size_t m = opt->max_coords && opt->max_coords < n_cand ? opt->max_coords
                                                           : n_cand;

    /* One block: candidates (n_cand) whose first m become the checked
     * coordinates, then numeric (m) and the matching analytic values (m). */
    size_t n_alloc = n_cand ? n_cand : 1;
    void *block = malloc(n_alloc * sizeof(size_t) + 2 * n_alloc * sizeof(double));
    if (!block)
        return fail(r, n, 0, "%s: out of memory for %zu coordinates", what, n);
    size_t *coord = block;                              /* (n_cand) */
    double *numeric = (double *)(coord + n_alloc);      /* (m) */
    double *an = numeric + n_alloc;                     /* (m) */

    for (size_t i = 0, c = 0; i < n; i++)
        if (!is_skipped(opt, i))
            coord[c++] = i;
    if (m < n_cand) {
        /* A partial Fisher-Yates: the first m are a uniform seeded sample,
         * then sorted so messages list coordinates in order. */
        rng_t rng;
        rng_seed(&rng, opt->seed);
        for (size_t j = 0; j < m; j++) {
            size_t t = j + (size_t)rng_below(&rng, (uint64_t)(n_cand - j));
            size_t tmp = coord[j];
            coord[j] = coord[t];
            coord[t] = tmp;
        }
        qsort(coord, m, sizeof *coord, cmp_size);
    }

    int ok = 0;
    for (size_t j = 0; j < m; j++)
        an[j] = analytic[coord[j]];
    fd_nonfinite_t nf;
    if (fd_central(r, &nf, p, opt->step, coord, m, numeric, what) != 0)
        goto cleanup;
    double h = opt->step;

    char label[256];
    snprintf(label, sizeof label, "%s (expected: central differences, h=%g; "
             "got: analytic; %zu of %zu coordinates)", what, h, m, n);
    ok = compare_arrays_indexed(r, numeric, an, coord, m, opt->bound, label);
    if (nf.seen) {
        /* Said first: a NaN of f explains every mismatch that follows. */
        char rest[sizeof r->message];
        memcpy(rest, r->message, sizeof rest);
        int w = snprintf(r->message, sizeof r->message, "%s: f is %s at "
                         "x[%zu]%ch (h=%g), so its derivative there cannot be "
                         "estimated; ", what, isnan(nf.value) ? "NaN"
                         : (nf.value > 0 ? "+Inf" : "-Inf"), nf.coord, nf.side,
                         h);
        /* The comparator's words follow, cut at the end of the buffer. */
        size_t len = w < 0 ? 0 : (size_t)w;
        if (len < sizeof r->message - 1) {
            size_t room = sizeof r->message - 1 - len;
            size_t k = strlen(rest);
            memcpy(r->message + len, rest, k < room ? k : room);
            r->message[len + (k < room ? k : room)] = '\0';
        }
        ok = 0;
        r->ok = 0;
    }

cleanup:
    free(block);
    return ok;
}

/* fd_check_array's adapter from a plain array to get/set/f. */
typedef struct fd_array_ctx {
    double (*f)(void *ctx, const double *x);
    void *ctx;
    double *x;
} fd_array_ctx_t;

static double array_get(void *c, size_t i)
{
    return ((fd_array_ctx_t *)c)->x[i];
}

static void array_set(void *c, size_t i, double v)
{
    ((fd_array_ctx_t *)c)->x[i] = v;
}

static double array_f(void *c)
{
    fd_array_ctx_t *a = c;
    return a->f(a->ctx, a->x);
}

int fd_check_array(cmp_report_t *r, double (*f)(void *ctx, const double *x),
                   void *ctx, double *x, size_t n, const double *analytic,
                   const fd_options_t *opt)
{
    fd_array_ctx_t a = { f, ctx, x };
    fd_problem_t p = { n, array_get, array_set, f ? array_f : NULL, &a };
    return fd_check(r, &p, analytic, opt);
}
