/* api.c: the allow-lists of api.h. Everything not here, nor in the
 * framework's public API (api_framework_public, generated at build time
 * from include/'s headers and libframework.a), is refused by the symbol
 * gate with the symbol's name: adding a libc or libm call students may
 * make is a one-line change here (and a line in grader/README.md). */
#include "driver/api.h"

#include <string.h>

static const char *const utils_fns[] = {
    "sample_gaussian", "sample_gaussian_backward", "log_normal",
    "log_normal_backward", "log_normal_mixture", "log_normal_mixture_backward",
    "kl_normal", "kl_normal_backward", "log_mean_exp", "log_sum_exp", NULL,
};
static const char *const vae_fns[] = {
    "vae_negative_elbo_bound", "vae_negative_iwae_bound", NULL,
};
static const char *const gmvae_fns[] = {
    "gmvae_negative_elbo_bound", "gmvae_negative_iwae_bound", NULL,
};
static const char *const ssvae_fns[] = { "ssvae_negative_elbo_bound", NULL };
static const char *const fsvae_fns[] = { "fsvae_negative_elbo_bound", NULL };

static const api_file_t cs236_hw2_files[] = {
    { "utils.c", utils_fns }, { "vae.c", vae_fns }, { "gmvae.c", gmvae_fns },
    { "ssvae.c", ssvae_fns }, { "fsvae.c", fsvae_fns },
};
const api_t api_cs236_hw2 = {
    cs236_hw2_files, (int)(sizeof cs236_hw2_files / sizeof cs236_hw2_files[0]),
    "utils.c",
};
_Static_assert(sizeof cs236_hw2_files / sizeof cs236_hw2_files[0] <= API_MAX_FILES,
               "API_MAX_FILES is the per-file arrays' size");

/* sta414-a3's (include/sta414-a3/assignment.h). */
static const char *const s414_density_fns[] = {
    "log_prior", "log_prior_backward", "log_q", "log_q_backward",
    "log_likelihood", "log_likelihood_backward", "joint_log_density",
    "joint_log_density_backward", NULL,
};
static const char *const s414_elbo_fns[] = { "elbo", NULL };
static const char *const s414_svi_fns[] = {
    "log_p_top_given_z", "log_p_top_given_z_backward", "joint_log_density_top",
    "joint_log_density_top_backward", "svi_top_elbo", NULL,
};
static const api_file_t sta414_a3_files[] = {
    { "density.c", s414_density_fns }, { "elbo.c", s414_elbo_fns },
    { "svi.c", s414_svi_fns },
};
const api_t api_sta414_a3 = {
    sta414_a3_files, (int)(sizeof sta414_a3_files / sizeof sta414_a3_files[0]),
    "density.c",
};

/* cse599i-hw2's (include/cse599i-hw2/assignment.h). */
static const char *const cse_kl_fns[] = {
    "kl_standard_normal", "kl_standard_normal_backward", "log_normal_diag",
    "log_normal_diag_backward", "log_standard_normal",
    "log_standard_normal_backward", NULL,
};
static const char *const cse_elbo_fns[] = {
    "gaussian_elbo", "mc_gaussian_elbo", "discrete_output_elbo", NULL,
};
static const char *const cse_importance_fns[] = { "log_marginal_is", NULL };
static const char *const cse_flow_fns[] = {
    "iaf_step", "iaf_step_backward", "iaf_sample", "iaf_elbo", NULL,
};
static const api_file_t cse599i_hw2_files[] = {
    { "kl.c", cse_kl_fns }, { "elbo.c", cse_elbo_fns },
    { "importance.c", cse_importance_fns }, { "flow.c", cse_flow_fns },
};
const api_t api_cse599i_hw2 = {
    cse599i_hw2_files,
    (int)(sizeof cse599i_hw2_files / sizeof cse599i_hw2_files[0]), "kl.c",
};
_Static_assert(sizeof cse599i_hw2_files / sizeof cse599i_hw2_files[0] <= API_MAX_FILES,
               "API_MAX_FILES is the per-file arrays' size");

/* stats305c-hw6's (include/stats305c-hw6/assignment.h). Its base is
 * bce.c: every other file's runner links lib/ref-stats305c-hw6/bce.o,
 * the reference's bce.c and vae_terms.c as weak definitions
 * (grader/stats305c-hw6/deps/deps.c), since classifier.c may call bce.c
 * and vae_elbo.c vae_terms.c. */
static const char *const s305_optim_fns[] = {
    "run_optimization", "run_my_optimizer", NULL,
};
static const char *const s305_bce_fns[] = {
    "bce_with_logits_mean", "bce_with_logits_mean_backward", NULL,
};
static const char *const s305_classifier_fns[] = {
    "classifier_loss", "train_classifier", NULL,
};
static const char *const s305_vae_terms_fns[] = {
    "kl_gaussian_logvar", "kl_gaussian_logvar_backward",
    "bernoulli_log_likelihood", "bernoulli_log_likelihood_backward", NULL,
};
static const char *const s305_vae_fns[] = { "elbo", NULL };
static const api_file_t stats305c_hw6_files[] = {
    { "optim.c", s305_optim_fns }, { "bce.c", s305_bce_fns },
    { "classifier.c", s305_classifier_fns }, { "vae_terms.c", s305_vae_terms_fns },
    { "vae_elbo.c", s305_vae_fns },
};
const api_t api_stats305c_hw6 = {
    stats305c_hw6_files,
    (int)(sizeof stats305c_hw6_files / sizeof stats305c_hw6_files[0]), "bce.c",
};
_Static_assert(sizeof stats305c_hw6_files / sizeof stats305c_hw6_files[0] <= API_MAX_FILES,
               "API_MAX_FILES is the per-file arrays' size");

/* The selected API (api_use; main sets it before any reader, the driver's
 * threads only read). */
static const api_t *selected = &api_cs236_hw2;

/* libm, each also with its f and l variants. */
static const char *const libm[] = {
    "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
    "pow", "hypot", "fabs", "fmax", "fmin", "fma", "floor", "ceil", "round",
    "lround", "trunc", "fmod", "remainder", "copysign", "nextafter", "erf",
    "erfc", "lgamma", "tgamma", "sin", "cos", "tan", "asin", "acos", "atan",
    "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "ldexp",
    "frexp", "modf", "scalbn", "nearbyint", "rint", "lrint", "fdim",
    NULL,
};

/* libc: memory, the print family for debugging (to the captured stdout and
 * stderr), and the ways a C program stops. The __*_chk forms are what
 * _FORTIFY_SOURCE turns the same calls into. */
static const char *const libc[] = {
    "memcpy", "memmove", "memset", "malloc", "calloc", "realloc", "free",
    "printf", "puts", "putchar", "fprintf", "fputs", "fputc", "putc",
    "fwrite", "fflush", "stdout", "stderr", "snprintf", "sprintf",
    "vprintf", "vfprintf", "vsnprintf",
    "__printf_chk", "__fprintf_chk", "__sprintf_chk", "__snprintf_chk",
    "__vfprintf_chk", "__vprintf_chk", "__vsnprintf_chk", "__memcpy_chk",
    "__memmove_chk", "__memset_chk",
    "abort", "exit", "__assert_fail", "__stack_chk_fail",
    "_GLOBAL_OFFSET_TABLE_",
    NULL,
};

void api_use(const api_t *api)
{
    selected = api;
}

const char *api_base_file(void)
{
    return selected->base ? selected->base : "utils.c";
}

int api_n_files(void)
{
    return selected->n_files;
}

const api_file_t *api_files(void)
{
    return selected->files;
}

int api_file_index(const char *name)
{
    for (int i = 0; i < selected->n_files; i++)
        if (strcmp(selected->files[i].name, name) == 0)
            return i;
    return -1;
}

const api_file_t *api_file_find(const char *name)
{
    int i = api_file_index(name);
    return i < 0 ? NULL : &selected->files[i];
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

int api_defines(const api_file_t *file, const char *function)
{
    return in_list(file->functions, function);
}

static int is_libm(const char *s)
{
    if (in_list(libm, s))
        return 1;
    /* expf, expl: the float and long double variants. */
    size_t n = strlen(s);
    if (n < 2 || (s[n - 1] != 'f' && s[n - 1] != 'l'))
        return 0;
    char base[32];
    if (n - 1 >= sizeof base)
        return 0;
    memcpy(base, s, n - 1);
    base[n - 1] = '\0';
    return in_list(libm, base);
}

int api_owner(const char *symbol)
{
    for (int i = 0; i < selected->n_files; i++)
        if (in_list(selected->files[i].functions, symbol))
            return i;
    return -1;
}

int api_is_framework(const char *symbol)
{
    return in_list(api_framework_public, symbol);
}

int api_may_call(const char *symbol)
{
    return is_libm(symbol) || in_list(libc, symbol) || api_is_framework(symbol) ||
           api_owner(symbol) >= 0;
}
