/* deps.c: what a runner of one stats305c-hw6 file links for the files it
 * may call (assignment.h: classifier.c calls bce.c's functions, vae_elbo.c
 * vae_terms.c's): the reference's bce.c and vae_terms.c under other
 * names, and WEAK definitions of their API functions that forward to
 * them. The driver links one reference object under every file but the
 * base (api.c: bce.c), lib/ref-stats305c-hw6/bce.o, which is this one:
 * a submission's own (strong) definitions win over these, and these over
 * weak_api.c's not-implemented stubs (linked after). So a file is graded
 * with the reference's versions of the others, and one mistake costs only
 * its own part. A file under test that lacks one of its own functions
 * must not reach the reference's: the tasks of bce.c's and vae_terms.c's
 * checks name their file (s305_testing_file, fixture.h), and the wrapper
 * then says "not implemented" as the stub would. Not in the task
 * library (mk/stats305c-hw6-grade.mk builds it apart). */
#define bce_with_logits_mean s305_ref_bce_with_logits_mean
#define bce_with_logits_mean_backward s305_ref_bce_with_logits_mean_backward
#define kl_gaussian_logvar s305_ref_kl_gaussian_logvar
#define kl_gaussian_logvar_backward s305_ref_kl_gaussian_logvar_backward
#define bernoulli_log_likelihood s305_ref_bernoulli_log_likelihood
#define bernoulli_log_likelihood_backward s305_ref_bernoulli_log_likelihood_backward
#include "../../../reference/stats305c-hw6/bce.c"
#include "../../../reference/stats305c-hw6/vae_terms.c"
#undef bce_with_logits_mean
#undef bce_with_logits_mean_backward
#undef kl_gaussian_logvar
#undef kl_gaussian_logvar_backward
#undef bernoulli_log_likelihood
#undef bernoulli_log_likelihood_backward

#include <string.h>

#include "stats305c-hw6/fixture.h"

#define WEAK __attribute__((weak))

/* assignment.h's prototypes under their own names (the include above saw
 * them renamed). */
double bce_with_logits_mean(const double *logits, const double *y, size_t n);
void bce_with_logits_mean_backward(double *dlogits, double dout,
                                   const double *logits, const double *y,
                                   size_t n);
void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                        size_t zdim, double *out);
void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                 const double *dout, const double *mu,
                                 const double *logvar, size_t batch,
                                 size_t zdim);
void bernoulli_log_likelihood(const double *x, const double *logits,
                              size_t batch, size_t d, double *out);
void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                       const double *x, const double *logits,
                                       size_t batch, size_t d);

/* 1 when the running task tests file's own functions. */
static int under_test(const char *file, const char *fn)
{
    if (s305_testing_file && strcmp(s305_testing_file, file) == 0) {
        not_implemented(fn);
        return 1;
    }
    return 0;
}

WEAK double bce_with_logits_mean(const double *logits, const double *y, size_t n)
{
    if (under_test("bce.c", __func__))
        return NAN;
    return s305_ref_bce_with_logits_mean(logits, y, n);
}

WEAK void bce_with_logits_mean_backward(double *dlogits, double dout,
                                        const double *logits, const double *y,
                                        size_t n)
{
    if (!under_test("bce.c", __func__))
        s305_ref_bce_with_logits_mean_backward(dlogits, dout, logits, y, n);
}

WEAK void kl_gaussian_logvar(const double *mu, const double *logvar, size_t batch,
                             size_t zdim, double *out)
{
    if (!under_test("vae_terms.c", __func__))
        s305_ref_kl_gaussian_logvar(mu, logvar, batch, zdim, out);
}

WEAK void kl_gaussian_logvar_backward(double *dmu, double *dlogvar,
                                      const double *dout, const double *mu,
                                      const double *logvar, size_t batch,
                                      size_t zdim)
{
    if (!under_test("vae_terms.c", __func__))
        s305_ref_kl_gaussian_logvar_backward(dmu, dlogvar, dout, mu, logvar,
                                             batch, zdim);
}

WEAK void bernoulli_log_likelihood(const double *x, const double *logits,
                                   size_t batch, size_t d, double *out)
{
    if (!under_test("vae_terms.c", __func__))
        s305_ref_bernoulli_log_likelihood(x, logits, batch, d, out);
}

WEAK void bernoulli_log_likelihood_backward(double *dlogits, const double *dout,
                                            const double *x, const double *logits,
                                            size_t batch, size_t d)
{
    if (!under_test("vae_terms.c", __func__))
        s305_ref_bernoulli_log_likelihood_backward(dlogits, dout, x, logits,
                                                   batch, d);
}
