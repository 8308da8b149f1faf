/* test_golden.c: the reference against its committed golden values
 * (fixtures/golden/reference.json, made by `make golden`): the same code on
 * the same seeds must give the same numbers, at 1 and at 2 BLAS threads.
 * Not a check of correctness (the other tests); a regression check.
 *
 * Bound: |got - golden| <= 1e-12 + 1e-10 |golden|. Same code, same seeds:
 * what may differ is summation order alone (OpenBLAS kernels and thread
 * splits, libm's last bits on another machine), a few eps relative per
 * operation on values of O(1..100), 1e-15 to 1e-13 after the ~10^3
 * operations behind a bound; 1e-10 leaves 1000x, and any real change of
 * the reference (another noise order, a term forgotten, a different
 * initialisation) moves values by far more. The file itself stores each
 * number to 15-17 digits (cJSON), 2e-16 relative. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "golden_cases.h"
#include "nn.h"
#include "numcheck/compare.h"
#include "vg_error.h"

static void check_golden(int threads)
{
    golden_set_t want = { 0 }, got = { 0 };
    cr_assert_eq(golden_read(&want, GOLDEN_PATH), VG_OK, "%s",
                 vg_error_last());
    nn_set_threads(threads);
    cr_assert_eq(golden_compute(&got), VG_OK, "%s", vg_error_last());
    nn_set_threads(1);

    /* The file must hold exactly the cases of this code, or it is stale. */
    for (size_t i = 0; i < got.n; i++) {
        const golden_value_t *w = golden_find(&want, got.items[i].name);
        cr_assert(w && w->n == got.items[i].n,
                  "%s: case %s is %s the file; it is stale: run `"
                  GOLDEN_REMAKE "` and commit it", GOLDEN_PATH,
                  got.items[i].name, w ? "of another length in" : "not in");
    }
    cr_assert_eq(want.n, got.n, "%s has %zu cases, the code %zu: stale, run "
                 "`" GOLDEN_REMAKE "`", GOLDEN_PATH, want.n, got.n);

    size_t bad = 0;
    for (size_t i = 0; i < got.n; i++) {
        const golden_value_t *g = &got.items[i];
        const golden_value_t *w = golden_find(&want, g->name);
        char what[128];
        snprintf(what, sizeof what, "%s (%d BLAS threads)", g->name, threads);
        cmp_report_t r;
        if (!compare_arrays(&r, w->v, g->v, g->n,
                            (cmp_bound_t){ 1e-12, 1e-10 }, what)) {
            cr_log_error("%s", r.message);
            bad++;
        }
    }
    cr_assert_eq(bad, 0, "%zu of %zu golden cases moved (messages above); "
                 "if the change is intended, run `" GOLDEN_REMAKE "` and "
                 "commit the file", bad, got.n);
    golden_set_free(&want);
    golden_set_free(&got);
}

Test(golden, reference_at_1_blas_thread, .timeout = 60)
{
    check_golden(1);
}

Test(golden, reference_at_2_blas_threads, .timeout = 60)
{
    check_golden(2);
}

/* A missing file says what to run. */
Test(golden, missing_file_names_make_golden)
{
    golden_set_t s = { 0 };
    cr_assert_eq(golden_read(&s, "fixtures/golden/no-such-file.json"),
                 VG_ERR);
    cr_assert(strstr(vg_error_last(), GOLDEN_REMAKE) != NULL, "message: %s",
              vg_error_last());
}

/* A file of another version is refused as stale, naming the command. */
Test(golden, stale_version_refused)
{
    const char *path = "build/golden-stale-test.json";
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fprintf(f, "{\"format\": \"vaegrade-golden\", \"version\": %d, "
               "\"values\": {}}\n", GOLDEN_VERSION + 1);
    fclose(f);
    golden_set_t s = { 0 };
    cr_assert_eq(golden_read(&s, path), VG_ERR);
    cr_assert(strstr(vg_error_last(), "stale") != NULL
                  && strstr(vg_error_last(), GOLDEN_REMAKE) != NULL,
              "message: %s", vg_error_last());
    remove(path);
}
