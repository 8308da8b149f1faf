/* test_train_program.c: `make train ASSIGNMENT=stats305c-hw6`'s program,
 * stats305c-train (the release build linked with the reference, which
 * test-build makes), run with one short epoch of problem 3 on the
 * committed fixtures (the first 500 digits of fixtures/mnist's train and
 * t10k splits): it exits 0, prints each problem's figures (problem 1c's
 * target met, problem 2's accuracy, a finite test ELBO) and writes the
 * nine pictures as PNG files; linked with the stubs it skips every
 * problem, naming the stub that stopped it, writes no picture and exits 1.
 * Not the pictures' content (test_plot.c and test_png.c test the writers).
 * The suite runs from the tree's root, as `make test` does. No .timeout:
 * Criterion 2.4.1 leaks its timer (tests/grader/test_batch.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROGRAM "build/rel/train-stats305c-hw6/reference/stats305c-train"
#define STUB_PROGRAM "build/rel/train-stats305c-hw6/student_stub/stats305c-train"
#define ARGS " --data fixtures/mnist --digits 500 --epochs 1 --seed 3"

static const char *const pictures[] = {
    "p1_gd_losses.png", "p1_gd_contours_a.png", "p1_gd_contours_b.png",
    "p1_my_optimizer_losses.png", "p2_losses.png", "p2_probability.png",
    "p2_data.png", "p3_samples.png", "p3_latent_means.png",
};
#define N_PICTURES (sizeof pictures / sizeof *pictures)

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

/* Runs program with ARGS into dir/out, its output in dir/log; the
 * status as system() gives it. */
static int run(const char *program, const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS= %s" ARGS
             " --out %s/out > %s/log 2>&1", program, dir, dir);
    return system(cmd);
}

/* 1 when some line of dir/log contains needle. */
static int log_has(const char *dir, const char *needle)
{
    char path[512], line[512];
    snprintf(path, sizeof path, "%s/log", dir);
    FILE *log = fopen(path, "r");
    cr_assert_not_null(log, "no %s", path);
    int found = 0;
    while (!found && fgets(line, sizeof line, log))
        found = strstr(line, needle) != NULL;
    fclose(log);
    return found;
}

static void remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(train_program, short_run_prints_every_problem_and_writes_nine_pictures)
{
    char dir[] = "/tmp/s305-train-XXXXXX", path[512], line[512];
    cr_assert_not_null(mkdtemp(dir));
    int st = run(PROGRAM, dir);
    cr_assert_eq(st, 0, "%s failed (status %d); its output is in %s/log",
                 PROGRAM, st, dir);
    snprintf(path, sizeof path, "%s/log", dir);
    FILE *log = fopen(path, "r");
    cr_assert_not_null(log);
    double elbo = NAN, acc = NAN;
    while (fgets(line, sizeof line, log)) {
        sscanf(line, "problem 3: test ELBO (500 digits, one sample each): %lf",
               &elbo);
        const char *a = strstr(line, "training accuracy ");
        if (a)
            sscanf(a, "training accuracy %lf", &acc);
    }
    fclose(log);
    cr_assert(isfinite(elbo) && elbo < 0, "no finite test ELBO printed: %g",
              elbo);
    /* The reference's classifier separates the annulus (the classes are
     * 1 apart in radius); 90% leaves room for any seed's run. */
    cr_assert(acc >= 90.0, "problem 2's accuracy %g%% (or none printed)", acc);
    cr_assert(log_has(dir, "problem 1c: ") && log_has(dir, ": met)"),
              "problem 1c's line does not say the target was met (%s)", path);
    for (size_t i = 0; i < N_PICTURES; i++) {
        long size = 0;
        snprintf(path, sizeof path, "%s/out/%s", dir, pictures[i]);
        cr_assert(is_png(path, &size), "%s missing or not a PNG", path);
        cr_assert(size > 500, "%s is %ld bytes: empty picture?", path, size);
    }
    remove_dir(dir);
}

Test(train_program, the_stubs_skip_every_problem_by_name)
{
    static const char *const named[] = {
        "problem 1: skipped: run_optimization is not implemented",
        "problem 2: skipped: train_classifier is not implemented",
        "problem 3: skipped: elbo is not implemented",
    };
    char dir[] = "/tmp/s305-stub-XXXXXX", path[512];
    cr_assert_not_null(mkdtemp(dir));
    int st = run(STUB_PROGRAM, dir);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1,
              "the stubs' program's status is %d, not an exit with 1", st);
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        cr_assert(log_has(dir, named[i]), "its output lacks \"%s\" (%s/log)",
                  named[i], dir);
    for (size_t i = 0; i < N_PICTURES; i++) {
        snprintf(path, sizeof path, "%s/out/%s", dir, pictures[i]);
        cr_assert(access(path, F_OK) != 0, "%s written from stubs", path);
    }
    remove_dir(dir);
}
