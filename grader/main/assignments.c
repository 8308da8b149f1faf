/* assignments.c: the known assignments (assignments.h), each a descriptor
 * (driver/assignment.h). cs236-hw2 is the default and the only one with a
 * catalogue, API and runner pieces of its own today; sysu-hw4 is a profile
 * over cs236-hw2's problem 1, so it borrows all of them and asks for
 * utils.c and vae.c only. Adding one: grader/README.md, "Adding an
 * assignment". */
#include "main/assignments.h"

#include <stdio.h>
#include <string.h>

#include "cs236-hw2/catalogue.h"
#include "sta414-a3/catalogue.h"
#include "cse599i-hw2/catalogue.h"
#include "stats305c-hw6/catalogue.h"
#include "driver/api.h"

static const check_table_t cs236_hw2_catalogue[] = {
    { checks_utils, &n_checks_utils },
    { checks_models, &n_checks_models },
};

static const char *const cs236_hw2_files[] = {
    "utils.c", "vae.c", "gmvae.c", "ssvae.c", "fsvae.c", NULL,
};
static const char *const sysu_hw4_files[] = { "utils.c", "vae.c", NULL };

static const check_table_t sta414_a3_catalogue[] = {
    { s414_checks_density, &n_s414_checks_density },
    { s414_checks_elbo, &n_s414_checks_elbo },
    { s414_checks_svi, &n_s414_checks_svi },
};
static const char *const sta414_a3_files[] = {
    "density.c", "elbo.c", "svi.c", NULL,
};

static const check_table_t cse599i_hw2_catalogue[] = {
    { cse_checks_kl, &n_cse_checks_kl },
    { cse_checks_elbo, &n_cse_checks_elbo },
    { cse_checks_is, &n_cse_checks_is },
    { cse_checks_flow, &n_cse_checks_flow },
    { cse_checks_short_run, &n_cse_checks_short_run },
};
static const char *const cse599i_hw2_files[] = {
    "kl.c", "elbo.c", "importance.c", "flow.c", NULL,
};
static const check_table_t stats305c_hw6_catalogue[] = {
    { s305_checks_optim, &n_s305_checks_optim },
    { s305_checks_classifier, &n_s305_checks_classifier },
    { s305_checks_vae, &n_s305_checks_vae },
};
static const char *const stats305c_hw6_files[] = {
    "optim.c", "bce.c", "classifier.c", "vae_terms.c", "vae_elbo.c", NULL,
};

static const assignment_t assignments[] = {
    {
        .name = "cs236-hw2",
        .title = "Stanford CS236 Homework 2: VAE, GMVAE, IWAE, SSVAE, FSVAE",
        .api_dir = "",
        .api = &api_cs236_hw2,
        .files = cs236_hw2_files,
        .profile = "grader/profiles/default.json",
        .hidden_profile = "fixtures/hidden/profile.json",
        .catalogue = cs236_hw2_catalogue,
        .n_tables = sizeof cs236_hw2_catalogue / sizeof cs236_hw2_catalogue[0],
        .list_unprofiled = 1,
        .runner_ref = "bin/runner-ref",
        .tasks_lib = "lib/librunner-cs236-hw2.a",
        .weak_api = "lib/weak_api.o",
        .ref_dir = "lib/ref",
    },
    {
        .name = "sysu-hw4",
        .title = "SYSU Machine Learning and Data Mining Homework 4: the VAE "
                 "(CS236 HW2's problem 1)",
        .api_dir = "",
        .api = &api_cs236_hw2,
        .files = sysu_hw4_files,
        .profile = "grader/profiles/sysu-hw4.json",
        .hidden_profile = "fixtures/hidden/sysu-hw4/profile.json",
        .catalogue = cs236_hw2_catalogue,
        .n_tables = sizeof cs236_hw2_catalogue / sizeof cs236_hw2_catalogue[0],
        .list_unprofiled = 0,
        .runner_ref = "bin/runner-ref",
        .tasks_lib = "lib/librunner-cs236-hw2.a",
        .weak_api = "lib/weak_api.o",
        .ref_dir = "lib/ref",
    },
    {
        .name = "sta414-a3",
        .title = "Toronto STA414/CSC412 Assignment 3: a VAE on binarised MNIST "
                 "(2-D latent) and SVI on half digits",
        .api_dir = "sta414-a3",
        .api = &api_sta414_a3,
        .files = sta414_a3_files,
        .profile = "grader/profiles/sta414-a3.json",
        .hidden_profile = "fixtures/hidden/sta414-a3/profile.json",
        .catalogue = sta414_a3_catalogue,
        .n_tables = sizeof sta414_a3_catalogue / sizeof sta414_a3_catalogue[0],
        .list_unprofiled = 1,
        .runner_ref = "bin/runner-ref-sta414-a3",
        .tasks_lib = "lib/librunner-sta414-a3.a",
        .weak_api = "lib/weak_api-sta414-a3.o",
        .ref_dir = "lib/ref-sta414-a3",
    },
    {
        .name = "cse599i-hw2",
        .title = "UW CSE 599i Homework 2: Gaussian and discrete-output VAEs, "
                 "importance-sampled log p(x), an inverse autoregressive flow",
        .api_dir = "cse599i-hw2",
        .api = &api_cse599i_hw2,
        .files = cse599i_hw2_files,
        .profile = "grader/profiles/cse599i-hw2.json",
        .hidden_profile = "fixtures/hidden/cse599i-hw2/profile.json",
        .catalogue = cse599i_hw2_catalogue,
        .n_tables = sizeof cse599i_hw2_catalogue / sizeof cse599i_hw2_catalogue[0],
        .list_unprofiled = 1,
        .runner_ref = "bin/runner-ref-cse599i-hw2",
        .tasks_lib = "lib/librunner-cse599i-hw2.a",
        .weak_api = "lib/weak_api-cse599i-hw2.o",
        .ref_dir = "lib/ref-cse599i-hw2",
    },
    {
        .name = "stats305c-hw6",
        .title = "Stanford STATS 305C Assignment 6: gradient descent on a "
                 "quadratic, a small classifier, a VAE with a 2-D latent",
        .api_dir = "stats305c-hw6",
        .api = &api_stats305c_hw6,
        .files = stats305c_hw6_files,
        .profile = "grader/profiles/stats305c-hw6.json",
        .hidden_profile = "fixtures/hidden/stats305c-hw6/profile.json",
        .catalogue = stats305c_hw6_catalogue,
        .n_tables = sizeof stats305c_hw6_catalogue / sizeof stats305c_hw6_catalogue[0],
        .list_unprofiled = 1,
        .runner_ref = "bin/runner-ref-stats305c-hw6",
        .tasks_lib = "lib/librunner-stats305c-hw6.a",
        .weak_api = "lib/weak_api-stats305c-hw6.o",
        .ref_dir = "lib/ref-stats305c-hw6",
    },
};
#define N_ASSIGNMENTS (sizeof assignments / sizeof assignments[0])

const assignment_t *assignment_find(const char *name)
{
    for (size_t i = 0; i < N_ASSIGNMENTS; i++)
        if (strcmp(assignments[i].name, name) == 0)
            return &assignments[i];
    return NULL;
}

const assignment_t *assignment_default(void)
{
    return assignment_find(ASSIGNMENT_DEFAULT);
}

const char *assignment_names(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_ASSIGNMENTS && len < cap; i++)
        len += (size_t)snprintf(buf + len, cap - len, "%s%s", i ? ", " : "",
                                assignments[i].name);
    return buf;
}

