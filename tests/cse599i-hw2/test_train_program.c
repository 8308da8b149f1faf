/* test_train_program.c: `make train ASSIGNMENT=cse599i-hw2`'s program,
 * cse599i-train (the release build linked with the reference, which
 * test-build makes), run for a few steps of each of its three models on
 * the committed 10,000-digit fixtures: it exits 0, prints a finite test
 * ELBO for each and a finite IS log-likelihood for the discrete and IAF
 * models, and writes the six pictures as PNG files; linked with the stubs
 * it names each model's ELBO as not implemented (a failing model does not
 * stop the next) and exits 1. Not the
 * figures' values (a few steps train nothing) nor the pictures' content
 * (test_png.c and test_plot.c test the writers).
 * The suite runs from the tree's root, as `make test` does. No .timeout:
 * Criterion 2.4.1 leaks its timer (tests/grader/test_batch.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM "build/rel/train-cse599i-hw2/reference/cse599i-train"
#define STUB_PROGRAM "build/rel/train-cse599i-hw2/student_stub/cse599i-train"

static const char *const models[] = {"gauss", "discrete", "iaf"};

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

/* The FIG line of model in log: test_elbo and is20 (NAN when absent). */
static void fig_of(const char *log_path, const char *model, double *elbo,
                   double *is)
{
    char line[1024], want[64];
    *elbo = *is = NAN;
    snprintf(want, sizeof want, "FIG impl=c model=%s ", model);
    FILE *log = fopen(log_path, "r");
    cr_assert_not_null(log);
    while (fgets(line, sizeof line, log)) {
        if (strncmp(line, want, strlen(want)) != 0)
            continue;
        const char *e = strstr(line, " test_elbo="), *i = strstr(line, " is20=");
        if (e)
            *elbo = strtod(e + strlen(" test_elbo="), NULL);
        if (i)
            *is = strtod(i + strlen(" is20="), NULL);
    }
    fclose(log);
}

Test(train_program, short_runs_of_the_three_models_write_six_pictures)
{
    char dir[] = "/tmp/cse599i-train-XXXXXX", cmd[1024], path[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS= " PROGRAM
             " --data fixtures/mnist --steps 30 --repeats 2 --is-samples 20"
             " --seed 3 --out %s/out > %s/log 2>&1", dir, dir);
    int st = system(cmd);
    snprintf(path, sizeof path, "%s/log", dir);
    cr_assert_eq(st, 0, "%s failed (status %d); its output is in %s", PROGRAM,
                 st, path);
    for (size_t k = 0; k < sizeof models / sizeof *models; k++) {
        double elbo, is;
        fig_of(path, models[k], &elbo, &is);
        cr_assert(isfinite(elbo), "%s: no finite test ELBO printed (%s)",
                  models[k], path);
        if (k > 0) /* the discrete and IAF models: IS is a log-probability */
            cr_assert(isfinite(is) && is < 0, "%s: IS log-likelihood %g (%s)",
                      models[k], is, path);
        for (int pic = 0; pic < 2; pic++) {
            char png[512];
            long size = 0;
            snprintf(png, sizeof png, "%s/out/%s_%s.png", dir,
                     pic ? "loss" : "samples", models[k]);
            cr_assert(is_png(png, &size), "%s missing or not a PNG", png);
            cr_assert(size > 500, "%s is %ld bytes: empty picture?", png, size);
        }
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(train_program, the_stubs_are_named_model_by_model)
{
    char dir[] = "/tmp/cse599i-stub-XXXXXX", cmd[1024], path[512], line[512];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "OPENBLAS_NUM_THREADS=1 ASAN_OPTIONS= "
             STUB_PROGRAM " --data fixtures/mnist --steps 30"
             " --out %s/out > %s/log 2>&1", dir, dir);
    int st = system(cmd);
    snprintf(path, sizeof path, "%s/log", dir);
    FILE *log = fopen(path, "r");
    cr_assert_not_null(log);
    int gauss = 0, iaf = 0;
    while (fgets(line, sizeof line, log)) {
        gauss = gauss || strstr(line, "gaussian_elbo is not implemented");
        iaf = iaf || strstr(line, "iaf_elbo is not implemented");
    }
    fclose(log);
    cr_assert_neq(st, 0, "the stubs' program exited 0");
    cr_assert(gauss && iaf, "its messages do not name gaussian_elbo and, "
              "for the last model, iaf_elbo as not implemented (%s)", path);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
