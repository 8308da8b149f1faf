/* test_train_program.c: `make train ASSIGNMENT=sta414-a3`'s program,
 * sta414-train (the release build linked with the reference, which
 * test-build makes), run for one short epoch on the committed 10,000-digit
 * fixtures (train on rows 0..999, test on 1,000..1,999): it exits 0, prints
 * a finite test ELBO and writes the five pictures as PNG files; linked with
 * the stubs it stops at once, naming elbo as not implemented. Not the
 * pictures' content (test_plot.c and test_png.c test the writers).
 * The suite runs from the tree's root, as `make test` does. No .timeout:
 * Criterion 2.4.1 leaks its timer (tests/grader/test_batch.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM "build/rel/train-sta414-a3/reference/sta414-train"
#define STUB_PROGRAM "build/rel/train-sta414-a3/student_stub/sta414-train"

static const char *const pictures[] = {
    "prior_samples.png", "latent_scatter.png", "interpolations.png",
    "top_half_posterior.png", "top_half_completion.png",
};

static int is_png(const char *path, long *size)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
                                         0x1a, '\n'};
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int ok = fread(head, 1, 8, f) == 8 && memcmp(head, sig, 8) == 0;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fclose(f);
    return ok;
}

Test(train_program, short_run_writes_the_five_pictures)
{
    char dir[] = "/tmp/sta414-train-XXXXXX", cmd[1024], path[512], line[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS= " PROGRAM
             " --data fixtures/mnist --digits 1000 --epochs 1 --seed 3"
             " --out %s/out > %s/log 2>&1", dir, dir);
    int st = system(cmd);
    snprintf(path, sizeof path, "%s/log", dir);
    FILE *log = fopen(path, "r");
    cr_assert_not_null(log);
    double elbo = NAN;
    while (fgets(line, sizeof line, log))
        sscanf(line, "test ELBO (1000 digits, one sample each): %lf", &elbo);
    fclose(log);
    cr_assert_eq(st, 0, "%s failed (status %d); its output is in %s", PROGRAM,
                 st, path);
    cr_assert(isfinite(elbo) && elbo < 0, "no finite test ELBO printed: %g",
              elbo);
    for (size_t i = 0; i < sizeof pictures / sizeof *pictures; i++) {
        long size = 0;
        snprintf(path, sizeof path, "%s/out/%s", dir, pictures[i]);
        cr_assert(is_png(path, &size), "%s missing or not a PNG", path);
        cr_assert(size > 500, "%s is %ld bytes: empty picture?", path, size);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(train_program, the_stubs_elbo_stops_it_by_name)
{
    char dir[] = "/tmp/sta414-stub-XXXXXX", cmd[1024], path[512], line[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS= "
             STUB_PROGRAM " --data fixtures/mnist --digits 1000 --epochs 1"
             " --out %s/out > %s/log 2>&1", dir, dir);
    int st = system(cmd);
    snprintf(path, sizeof path, "%s/log", dir);
    FILE *log = fopen(path, "r");
    cr_assert_not_null(log);
    int named = 0;
    while (fgets(line, sizeof line, log))
        named = named || strstr(line, "elbo is not implemented") != NULL;
    fclose(log);
    cr_assert_neq(st, 0, "the stubs' program exited 0");
    cr_assert(named, "its message does not say elbo is not implemented (%s)",
              path);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
