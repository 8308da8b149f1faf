/* test_release.c: the local grade of a student release agrees with the
 * official one (issue 9, part 4). A release root is assembled from the
 * built tree WITHOUT runner-ref and lib/ref/ (links to include/, the public
 * fixtures, the profiles, the framework's archives, the runner core
 * librunner.a and CS236's task library librunner-cs236-hw2.a), with
 * reference data written by the real machinery (the reference graded with
 * --write-reference-data) and runner-eval; then the reference's files and
 * one-mistake submissions are graded both ways and compared check by
 * check. The one difference by design (model files linked with the
 * student's own utils.c) is asserted as exactly that. Also: what runner-eval
 * refuses and holds, and a case the data does not cover. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grader_run.h"

#define RELEASE_PROFILE "tests/grader/profile_release.json"
#define RUNNER_EVAL "build/eval/runner-eval"
/* Every check of the profile but the short run, which only the submissions
 * that train differently need (it is the slowest by far). */
#define NO_SHORT_RUN                                                            \
    "1.1-sample-gaussian-moments,1.2-sample-gaussian-scaling,"                  \
    "1.3-sample-gaussian-determinism,1.4-kl-normal-values,"                     \
    "1.6-kl-normal-monte-carlo,1.8-kl-normal-backward,2.1-log-normal-values,"   \
    "2.3-mixture-values,2.7-mixture-backward,3.1-log-mean-exp-values,"          \
    "3.3-log-sum-exp-values,1.9-vae-elbo-value,1.11-vae-elbo-batch-mean,"       \
    "1.12-vae-elbo-gradient,1.13-vae-backward-contract,2.8-gmvae-elbo-value,"   \
    "2.11-gmvae-elbo-gradient,3.4-vae-iwae,4.1-ssvae-elbo-value,"               \
    "5.1-fsvae-elbo-value"
#define WITH_SHORT_RUN NO_SHORT_RUN ",1.14-vae-short-run"

static void run_sh(const char *cmd)
{
    cr_assert_eq(system(cmd), 0, "%s", cmd);
}

/* The release root: what a student's unpacked release holds of the built
 * tree, by links, and refdata/ written by grading the reference. */
static void make_release_root(char *root, size_t cap)
{
    char cwd[256], cmd[2048];
    cr_assert_not_null(getcwd(cwd, sizeof cwd));
    snprintf(root, cap, "/tmp/vg-release-root.XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    snprintf(cmd, sizeof cmd,
             "set -e; cd %s; chmod 755 .; mkdir -p grader fixtures build/rel/lib;"
             "ln -s %s/include include; ln -s %s/grader/profiles grader/profiles;"
             "for f in mnist mnist-full pretrained thresholds.json; do ln -s %s/fixtures/$f fixtures/; done;"
             "for f in libframework.a libnumcheck.a; do ln -s %s/build/rel/$f build/rel/; done;"
             "for f in librunner.a librunner-cs236-hw2.a weak_api.o runner.link; do "
             "ln -s %s/build/rel/lib/$f build/rel/lib/; done",
             root, cwd, cwd, cwd, cwd, cwd);
    run_sh(cmd);
    graded_t g;
    snprintf(cmd, sizeof cmd, "grade reference --profile %s --only %s "
             "--write-reference-data %s/refdata", RELEASE_PROFILE, WITH_SHORT_RUN, root);
    grader_run(&g, cmd);
    cr_assert_eq(g.status, 0, "%s", g.out);
    graded_free(&g);
    snprintf(cmd, sizeof cmd, "cp %s %s/refdata/runner-eval", RUNNER_EVAL, root);
    run_sh(cmd);
}

/* A whole submission: the reference's five files, one replaced by the
 * mutant's (build/submissions/<name>/), or none for "reference". */
static void make_submission(char *dir, size_t cap, const char *name)
{
    char cmd[1024];
    snprintf(dir, cap, "/tmp/vg-release-sub.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp reference/*.c %s/ && { [ %s = reference ] || "
             "cp %s/%s/*.c %s/; }", dir, name, SUBMISSIONS, name, dir);
    run_sh(cmd);
}

static const char *outcome_of(const cJSON *t)
{
    return json_str(cJSON_GetObjectItem(t, "extra_data"), "outcome");
}

static const char *id_of(const cJSON *t)
{
    return json_str(cJSON_GetObjectItem(t, "extra_data"), "id");
}

/* Grades dir both ways and compares score and outcome per check. A check
 * of a model file may differ only when utils_mistake: then the official
 * grade (reference utils.c) passes it and the local one (the submission's
 * utils.c) does not, and says why. Returns how many differed. */
static int compare_grades(const char *name, const char *root, const char *only,
                          int utils_mistake)
{
    char dir[64], args[2048];
    make_submission(dir, sizeof dir, name);
    graded_t off, loc;
    snprintf(args, sizeof args, "grade %s --profile %s --only %s", dir,
             RELEASE_PROFILE, only);
    grader_run(&off, args);
    snprintf(args, sizeof args, "grade %s --profile %s --only %s --root %s", dir,
             RELEASE_PROFILE, only, root);
    grader_run(&loc, args);
    cr_assert_eq(off.status, 0, "%s official: %s", name, off.out);
    cr_assert_eq(loc.status, 0, "%s local: %s", name, loc.out);
    cr_assert_not_null(off.doc);
    cr_assert_not_null(loc.doc);
    cr_expect(strstr(json_str(loc.doc, "output"), "local grade (release mode)") != NULL,
              "%s: the local results do not say release mode", name);
    cr_expect(strstr(loc.out, "local grade (release mode)") != NULL, "%s", loc.out);
    cr_expect(strstr(json_str(off.doc, "output"), "release mode") == NULL);
    const cJSON *tests = cJSON_GetObjectItem(off.doc, "tests"), *t;
    cr_expect_eq(cJSON_GetArraySize(tests),
                 cJSON_GetArraySize(cJSON_GetObjectItem(loc.doc, "tests")), "%s", name);
    int differ = 0;
    cJSON_ArrayForEach(t, tests) {
        const char *id = id_of(t);
        const cJSON *l = graded_test(&loc, id);
        cr_assert_not_null(l, "%s: %s missing from the local grade", name, id);
        double so = json_num(t, "score"), sl = json_num(l, "score");
        if (so == sl && strcmp(outcome_of(t), outcome_of(l)) == 0)
            continue;
        differ++;
        const cJSON *file = cJSON_GetArrayItem(cJSON_GetObjectItem(t, "tags"), 0);
        int model = cJSON_IsString(file) && strcmp(file->valuestring, "utils.c") != 0;
        cr_expect(utils_mistake && model, "%s %s: official %g %s, local %g %s\n%s",
                  name, id, so, outcome_of(t), sl, outcome_of(l), json_str(l, "output"));
        cr_expect(strcmp(outcome_of(t), "passed") == 0 && sl < so,
                  "%s %s: official %g %s, local %g %s: only a model check the "
                  "official grade passes may be lost locally", name, id, so,
                  outcome_of(t), sl, outcome_of(l));
        cr_expect(strstr(json_str(l, "output"), "linked here with your own utils.c"),
                  "%s %s: the local message does not say why:\n%s", name, id,
                  json_str(l, "output"));
    }
    cr_log_info("%s: %d checks differ; official %g, local %g", name, differ,
                json_num(off.doc, "score"), json_num(loc.doc, "score"));
    graded_free(&off);
    graded_free(&loc);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    run_sh(args);
    return differ;
}

/* The reference and six one-mistake submissions (every file but fsvae.c,
 * which has no mutant; the short run judged by runner-eval twice): every
 * visible check scores the same locally and officially, but the model
 * checks that a utils.c mistake reaches locally. */
Test(grader_release, local_equals_official)
{
    char root[64];
    make_release_root(root, sizeof root);
    cr_expect_eq(compare_grades("reference", root, WITH_SHORT_RUN, 0), 0);
    cr_expect_eq(compare_grades("vae_zero_value_right_grad", root, WITH_SHORT_RUN, 0), 0);
    cr_expect_eq(compare_grades("vae_no_kl", root, NO_SHORT_RUN, 0), 0);
    cr_expect_eq(compare_grades("gmvae_no_prior_grad", root, NO_SHORT_RUN, 0), 0);
    cr_expect_eq(compare_grades("ssvae_unweighted_klz", root, NO_SHORT_RUN, 0), 0);
    cr_expect_eq(compare_grades("vae_batch_sum", root, NO_SHORT_RUN, 0), 0);
    /* KL doubled in utils.c: the official grade's model files use the
     * reference's kl_normal, the local ones the student's. */
    cr_expect_gt(compare_grades("kl_factor2", root, NO_SHORT_RUN, 1), 0,
                 "a utils.c mistake should reach the vae's checks locally");

    /* No utils.c in the submission: locally the model files get the
     * stubs, and each model check says why. */
    graded_t g;
    char args[512];
    snprintf(args, sizeof args, "grade %s/vae_no_kl --profile %s --only "
             "1.9-vae-elbo-value --root %s", SUBMISSIONS, RELEASE_PROFILE, root);
    grader_run(&g, args);
    cr_expect_eq(g.status, 0, "%s", g.out);
    const cJSON *t = graded_test(&g, "1.9-vae-elbo-value");
    cr_assert_not_null(t, "%s", g.out);
    cr_expect_str_eq(outcome_of(t), "not_implemented");
    cr_expect(strstr(json_str(t, "output"), "your own utils.c, which was not found"),
              "%s", json_str(t, "output"));
    graded_free(&g);

    /* A seed the data does not hold: said per check, not a grader error;
     * a check that needs no reference output still runs. */
    snprintf(args, sizeof args, "grade reference --profile %s --only "
             "1.4-kl-normal-values,1.6-kl-normal-monte-carlo --seed 99 --root %s",
             RELEASE_PROFILE, root);
    grader_run(&g, args);
    cr_expect_eq(g.status, 0, "%s", g.out);
    t = graded_test(&g, "1.4-kl-normal-values");
    cr_assert_not_null(t, "%s", g.out);
    cr_expect_str_eq(outcome_of(t), "skipped");
    cr_expect(strstr(json_str(t, "output"), "this release holds no reference output for "
                     "1.4-kl-normal-values seed 99 case random; the official grade runs it"),
              "%s", json_str(t, "output"));
    t = graded_test(&g, "1.6-kl-normal-monte-carlo");
    cr_assert_not_null(t, "%s", g.out);
    cr_expect_str_eq(outcome_of(t), "passed", "%s", json_str(t, "output"));
    graded_free(&g);

    /* No compile jail on a student's machine: the grade goes on, and the
     * results say so plainly (nothing in a release is secret), not the
     * full grader's "NONE, the compiler could read every file". */
    snprintf(args, sizeof args, "grade reference --profile %s --only 1.4-kl-normal-values "
             "--compile-isolation none --root %s", RELEASE_PROFILE, root);
    grader_run(&g, args);
    cr_expect_eq(g.status, 0, "%s", g.out);
    t = graded_test(&g, "1.4-kl-normal-values");
    cr_expect(t && strcmp(outcome_of(t), "passed") == 0, "%s", g.out);
    const char *said = json_str(g.doc, "output");
    cr_expect(strstr(said, "compile isolation: not available on this machine") &&
              strstr(said, "a local grade does not need it") && !strstr(said, "NONE"),
              "%s", said);
    graded_free(&g);

    /* Data made for other public fixtures is refused as a whole. */
    snprintf(args, sizeof args, "echo 'vgrel1 0000' > %s/refdata/KEY", root);
    run_sh(args);
    snprintf(args, sizeof args, "grade reference --profile %s --only 1.4-kl-normal-values "
             "--root %s", RELEASE_PROFILE, root);
    grader_run(&g, args);
    cr_expect_eq(g.status, 2, "%s", g.out);
    cr_expect(strstr(g.out, "was made for other public fixtures"), "%s", g.out);
    graded_free(&g);
    snprintf(args, sizeof args, "rm -rf %s", root);
    run_sh(args);
}

/* runner-eval runs the short runs' evaluation only: a short run asked to
 * train, or any other task, is refused before the reference runs. */
Test(grader_release, runner_eval_evaluates_only)
{
    char cmd[512];
    const char *asks[] = {
        "--task vae_negative_elbo_bound.short_run --seed 1 --role sub",
        "--task vae_negative_elbo_bound.short_run --seed 1 --role ref",
        "--task vae_negative_elbo_bound.value --seed 1 --role ref",
        "--task kl_normal.values --seed 1 --role ref",
        "--task runner.echo --seed 1 --role ref --input-fd 0",
    };
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++) {
        /* The refusal is the runner's status frame, on the result fd. */
        snprintf(cmd, sizeof cmd, "%s %s --fixtures fixtures --result-fd 3 "
                 "3>/tmp/vg-runner-eval.out </dev/null 2>/dev/null; rc=$?; "
                 "grep -aq 'unknown task\\|only evaluates trained weights' "
                 "/tmp/vg-runner-eval.out || exit 7; exit $rc", RUNNER_EVAL, asks[i]);
        int st = system(cmd);
        cr_expect(WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 7,
                  "runner-eval did not refuse %s (status %d)", asks[i], st);
    }
    unlink("/tmp/vg-runner-eval.out");
}

/* Stripped: no symbol of a reference function is defined in runner-eval
 * (nor anything but the C library's copy relocations), and the code of
 * the bounds it never evaluates is not linked in at all. */
Test(grader_release, runner_eval_holds_no_symbols)
{
    run_sh("test -x " RUNNER_EVAL);
    int st = system("readelf -Ws " RUNNER_EVAL " | awk '$7 != \"UND\" && $8 ~ "
                    "/vae|kl_normal|log_normal|mixture|log_mean_exp|log_sum_exp|"
                    "sample_gaussian/' | grep -q .");
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1, "runner-eval defines an API symbol");
    /* (weak_api.o's not-implemented stubs carry the API's names, weakly.) */
    st = system("nm " RUNNER_EVAL ".unstripped | grep -q "
                "' T \\(vae_negative_iwae_bound\\|fsvae_negative_elbo_bound\\|log_mean_exp\\)$'");
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 1,
              "runner-eval links code it never runs (an IWAE bound, fsvae's)");
}
