/* test_submissions.c: golden runs of the grader (style rule 10). Each
 * purpose-built submission (whole in tests/grader/submissions/, or one
 * mistake as tests/grader/mutants/NAME.patch; both laid out in
 * build/submissions/ by tools/make_submissions.sh) is graded by the
 * release vaegrade with the test profile, and every check's outcome and
 * score must be exactly those of tests/grader/expected/<name>.json, whose
 * "what" says why; each listed message fragment must be in the check's
 * output, and each "absent" one must not. An expected file may name its profile ("profile": the model
 * checks use tests/grader/profile_models.json) and its checks ("only"),
 * grade another submission than its own name ("submission") and ask for
 * the official grade ("hidden": true, the hidden twins). Scores are exact: a check's points times its fraction of cases
 * passed, no tolerance involved.
 * No .timeout on these tests: Criterion 2.4.1 leaks its timer (48 bytes,
 * seen by LeakSanitizer) when two timed tests overlap under --jobs 2; each
 * vaegrade run is bounded by its own limits (2 s per case in the test
 * profile, 60 s per compile). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expected_match.h"
#include "grader_run.h"

static void grade_against_expected(const char *name)
{
    cJSON *exp = expected_load(name);

    char args[2048];
    const cJSON *only = cJSON_GetObjectItemCaseSensitive(exp, "only");
    const cJSON *prof = cJSON_GetObjectItemCaseSensitive(exp, "profile");
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(exp, "submission");
    snprintf(args, sizeof args, "grade %s/%s --profile %s%s%s%s", SUBMISSIONS,
             cJSON_IsString(sub) ? sub->valuestring : name,
             cJSON_IsString(prof) ? prof->valuestring : TEST_PROFILE,
             cJSON_IsString(only) ? " --only " : "",
             cJSON_IsString(only) ? only->valuestring : "",
             cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(exp, "hidden")) ? " --hidden" : "");
    graded_t g;
    grader_run(&g, args);
    cr_assert_eq(g.status, 0, "%s: vaegrade exited %d (grading completed must be 0):\n%s",
                 name, g.status, g.out ? g.out : "");
    cr_assert_not_null(g.doc, "%s: results.json missing or not valid JSON", name);

    expected_match(&g, exp, name);
    cJSON_Delete(exp);
    graded_free(&g);
}

/* Each submission, with what it must show (expected/<name>.json). */
Test(grader_submissions, correct) { grade_against_expected("correct"); }
Test(grader_submissions, kl_factor2) { grade_against_expected("kl_factor2"); }
Test(grader_submissions, not_implemented) { grade_against_expected("not_implemented"); }
Test(grader_submissions, infinite_loop) { grade_against_expected("infinite_loop"); }
Test(grader_submissions, segfault) { grade_against_expected("segfault"); }
Test(grader_submissions, malloc_bomb) { grade_against_expected("malloc_bomb"); }
Test(grader_submissions, printing) { grade_against_expected("printing"); }
Test(grader_submissions, nan_mixture) { grade_against_expected("nan_mixture"); }
Test(grader_submissions, partial) { grade_against_expected("partial"); }
Test(grader_submissions, does_not_compile) { grade_against_expected("does_not_compile"); }
Test(grader_submissions, forbidden_symbol) { grade_against_expected("forbidden_symbol"); }
Test(grader_submissions, constructor) { grade_against_expected("constructor"); }
Test(grader_submissions, raw_syscall) { grade_against_expected("raw_syscall"); }
Test(grader_submissions, raw_fork) { grade_against_expected("raw_fork"); }
/* Forged results (class 4) and bytes that are not UTF-8 (class 6). */
Test(grader_submissions, forge_frames) { grade_against_expected("forge_frames"); }
Test(grader_submissions, forge_status_exit) { grade_against_expected("forge_status_exit"); }
Test(grader_submissions, forge_garbage) { grade_against_expected("forge_garbage"); }
Test(grader_submissions, arena_scribble) { grade_against_expected("arena_scribble"); }
Test(grader_submissions, prints_binary) { grade_against_expected("prints_binary"); }
Test(grader_submissions, reads_answers) { grade_against_expected("reads_answers"); }
Test(grader_submissions, backward_overwrites) { grade_against_expected("backward_overwrites"); }
Test(grader_submissions, std_as_var) { grade_against_expected("std_as_var"); }
/* Trivial outputs earn nothing from the property checks (issue 8); the
 * stream of sample_gaussian comes from the rng passed in. */
/* The whole submission that computes nothing, on the default profile:
 * 0 on every check (it scored 31.75 + 2.5 bonus before issue 8). */
Test(grader_submissions, zeros) { grade_against_expected("zeros"); }
Test(grader_submissions, zeros_hidden) { grade_against_expected("zeros_hidden"); }
Test(grader_submissions, zeros_utils) { grade_against_expected("zeros_utils"); }
Test(grader_submissions, sample_own_rng) { grade_against_expected("sample_own_rng"); }
Test(grader_submissions, sample_reuses_eps) { grade_against_expected("sample_reuses_eps"); }
Test(grader_submissions, kl_constant) { grade_against_expected("kl_constant"); }
Test(grader_submissions, mixture_constant) { grade_against_expected("mixture_constant"); }
Test(grader_submissions, sample_eps_unwritten) { grade_against_expected("sample_eps_unwritten"); }
Test(grader_submissions, backward_nan) { grade_against_expected("backward_nan"); }
Test(grader_submissions, result_flood) { grade_against_expected("result_flood"); }
Test(grader_submissions, blocked) { grade_against_expected("blocked"); }
Test(grader_submissions, slow10x) { grade_against_expected("slow10x"); }
Test(grader_submissions, loud) { grade_against_expected("loud"); }
Test(grader_submissions, loop_all) { grade_against_expected("loop_all"); }
/* The model files: a correct one written otherwise, and one mistake each. */
Test(grader_submissions, correct_alt) { grade_against_expected("correct_alt"); }
Test(grader_submissions, vae_no_kl) { grade_against_expected("vae_no_kl"); }
Test(grader_submissions, vae_batch_sum) { grade_against_expected("vae_batch_sum"); }
Test(grader_submissions, vae_iwae_log_sum) { grade_against_expected("vae_iwae_log_sum"); }
Test(grader_submissions, vae_loop) { grade_against_expected("vae_loop"); }
Test(grader_submissions, gmvae_no_prior_grad) { grade_against_expected("gmvae_no_prior_grad"); }
Test(grader_submissions, gmvae_segfault) { grade_against_expected("gmvae_segfault"); }
Test(grader_submissions, ssvae_unweighted_klz) { grade_against_expected("ssvae_unweighted_klz"); }
/* Reaching past its own file: another file's code, a framework call. */
Test(grader_submissions, vae_calls_gmvae) { grade_against_expected("vae_calls_gmvae"); }
/* The student sees why: the symbol gate's warning is in the output. */
Test(grader_submissions, vae_calls_gmvae_is_warned)
{
    graded_t g;
    grader_run(&g, "grade " SUBMISSIONS "/vae_calls_gmvae --profile "
               "tests/grader/profile_models.json --only 1.10-vae-elbo-terms-sum");
    cr_assert_not_null(g.doc, "no results:\n%s", g.out ? g.out : "");
    cr_expect(strstr(json_str(g.doc, "output"), "vae.c: warning: calls "
                     "gmvae_negative_elbo_bound, which is gmvae.c's") != NULL,
              "%s", json_str(g.doc, "output"));
    graded_free(&g);
}
Test(grader_submissions, vae_zero_grad) { grade_against_expected("vae_zero_grad"); }
Test(grader_submissions, vae_reads_file) { grade_against_expected("vae_reads_file"); }
/* Issue 8: points are earned by correct values. A submission that computes
 * nothing scores 0 on every model check; one mistake loses its part and
 * only it; cheaters of the short runs and of the IWAE check earn nothing
 * from them; hints say only what the numbers show. */
Test(grader_submissions, zeros_models) { grade_against_expected("zeros_models"); }
Test(grader_submissions, vae_no_backward) { grade_against_expected("vae_no_backward"); }
Test(grader_submissions, ssvae_no_backward) { grade_against_expected("ssvae_no_backward"); }
Test(grader_submissions, vae_zero_value_right_grad) { grade_against_expected("vae_zero_value_right_grad"); }
Test(grader_submissions, vae_const_edits_params) { grade_against_expected("vae_const_edits_params"); }
Test(grader_submissions, vae_iwae_is_elbo) { grade_against_expected("vae_iwae_is_elbo"); }
Test(grader_submissions, vae_iwae_absurd) { grade_against_expected("vae_iwae_absurd"); }
Test(grader_submissions, vae_iwae_terms_flipped) { grade_against_expected("vae_iwae_terms_flipped"); }
Test(grader_submissions, vae_noise_shared_rows) { grade_against_expected("vae_noise_shared_rows"); }
Test(grader_submissions, vae_nan_unless_100) { grade_against_expected("vae_nan_unless_100"); }
Test(grader_submissions, vae_read_past_batch) { grade_against_expected("vae_read_past_batch"); }
Test(grader_submissions, vae_rec_sign_flipped) { grade_against_expected("vae_rec_sign_flipped"); }
Test(grader_submissions, vae_kl_doubled) { grade_against_expected("vae_kl_doubled"); }
Test(grader_submissions, vae_sampled_kl) { grade_against_expected("vae_sampled_kl"); }
