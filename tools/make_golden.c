/* make_golden.c: writes the reference's golden values (every utils function
 * and bound at fixed seeds, tests/reference/golden_cases.c) to a JSON file,
 * by default fixtures/golden/reference.json. Run through `make golden`.
 * Not a check: test_golden.c compares the reference with the file. */
#include <stdio.h>

#include "../tests/reference/golden_cases.h"
#include "nn.h"
#include "vg_error.h"

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : GOLDEN_PATH;
    if (argc > 2) {
        fprintf(stderr, "usage: make-golden [OUT.json]   (default %s)\n",
                GOLDEN_PATH);
        return 2;
    }
    /* One BLAS thread: the file must not depend on how a machine splits
     * its GEMMs (test_golden.c checks 1 and 2 threads against it). */
    nn_set_threads(1);
    golden_set_t set = { 0 };
    int status = 1;
    if (golden_compute(&set) != VG_OK || golden_write(&set, path) != VG_OK) {
        fprintf(stderr, "make-golden: %s\n", vg_error_last());
        goto cleanup;
    }
    size_t n = 0;
    for (size_t i = 0; i < set.n; i++)
        n += set.items[i].n;
    printf("make-golden: %zu values in %zu cases written to %s\n", n, set.n,
           path);
    status = 0;

cleanup:
    golden_set_free(&set);
    return status;
}
