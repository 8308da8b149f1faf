/* bernoulli_fast_plain.c: framework/bernoulli_fast.c compiled a second time
 * with BERNOULLI_FAST_PLAIN_ONLY, its public names prefixed plain_ (see
 * bernoulli_fast_plain.h). Not a copy: the same source, so the fallback
 * tested is the one shipped. */
#include "bernoulli_fast_plain.h"

#define BERNOULLI_FAST_PLAIN_ONLY 1
#define bernoulli_fast_log_lik plain_bernoulli_fast_log_lik
#define bernoulli_fast_log_lik_backward plain_bernoulli_fast_log_lik_backward
#define bernoulli_fast_log_lik_with_grad \
    plain_bernoulli_fast_log_lik_with_grad
#include "../../framework/bernoulli_fast.c"
