/* test_train_cli.c: vae-train's command line. Every malformed option must
 * stop the program with a message naming it, never fall back to a default
 * (a typo would otherwise cost minutes of training on the wrong setting). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "train_cli.h"
#include "vg_error.h"

#define MAX_ARGS 8

/* A command line, argv[0] implied, ended by NULL. */
static int parse(train_options_t *o, const char *const *args)
{
    char *argv[MAX_ARGS + 1] = {"vae-train"};
    int argc = 1;
    for (; argc <= MAX_ARGS && args[argc - 1]; argc++)
        argv[argc] = (char *)args[argc - 1];
    vg_error_clear();
    return train_options_parse(o, argc, argv);
}

typedef struct cli_case {
    const char *args[MAX_ARGS]; /* ended by NULL */
    const char *message;        /* a piece the error message must hold */
} cli_case_t;

static const cli_case_t cases[] = {
    {{NULL}, "no MODEL"},
    {{"vea"}, "unknown MODEL 'vea'"},
    {{"vae", "gmvae"}, "one MODEL only"},
    {{"vae", "--iters"}, "--iters needs a value"},
    {{"vae", "--iters", "0"}, "--iters must be in 1.."},
    {{"vae", "--iters", "-5"}, "--iters needs a non-negative integer"},
    {{"vae", "--iters", "12x"}, "got '12x'"},
    {{"vae", "--iters", " 12"}, "got ' 12'"},
    {{"vae", "--iters", "1e3"}, "got '1e3'"},
    {{"vae", "--iters=x"}, "got 'x'"},
    {{"vae", "--seed", "99999999999999999999999"}, "too large"},
    {{"vae", "--batch", "0"}, "--batch must be in"},
    {{"vae", "--threads", "0"}, "--threads must be in 1..64"},
    {{"vae", "--threads", "65"}, "--threads must be in 1..64"},
    {{"vae", "--eval-every", "often"}, "--eval-every needs"},
    {{"vae", "--out="}, "--out needs a directory"},
    {{"vae", "--iters", "5", "--iters", "6"}, "--iters given twice"},
    {{"vae", "--itres", "5"}, "unknown option '--itres'"},
    {{"vae", "-i", "5"}, "unknown option '-i'"},
    {{"vae", "--gen-weight", "0"}, "--gen-weight applies to ssvae only"},
    {{"ssvae", "--gen-weight", "-1"}, "finite number >= 0"},
    {{"ssvae", "--gen-weight", "nan"}, "finite number >= 0"},
    {{"ssvae", "--gen-weight", "1x"}, "finite number >= 0"},
};
#define N_CASES (sizeof cases / sizeof *cases)

/* The parameter is an index into cases[]: Criterion copies parameters into
 * a worker process, where pointers held in them would mean nothing, while
 * the table itself is part of the worker's own binary. */
ParameterizedTestParameters(train_cli, rejects)
{
    static size_t index[N_CASES];
    for (size_t i = 0; i < N_CASES; i++)
        index[i] = i;
    return cr_make_param_array(size_t, index, N_CASES);
}

ParameterizedTest(size_t *i, train_cli, rejects)
{
    train_options_t o;
    const cli_case_t *c = &cases[*i];
    cr_assert_eq(parse(&o, c->args), VG_ERR, "accepted a bad line; wanted "
                 "an error holding \"%s\"", c->message);
    cr_assert(strstr(vg_error_last(), c->message), "message \"%s\" lacks "
              "\"%s\"", vg_error_last(), c->message);
}

Test(train_cli, defaults)
{
    train_options_t o;
    const char *args[] = {"gmvae", NULL};
    cr_assert_eq(parse(&o, args), VG_OK, "%s", vg_error_last());
    cr_assert_eq(o.kind, MODEL_GMVAE);
    cr_assert_eq(o.iters, TRAIN_DEFAULT_ITERS);
    cr_assert_eq(o.seed, 0);
    cr_assert_eq(o.batch, 0, "0 means the configuration's batch");
    cr_assert_eq(o.threads, 1);
    cr_assert_eq(o.eval_every, 0);
    cr_assert_null(o.out_dir);
    cr_assert_str_eq(o.data_dir, TRAIN_DEFAULT_DATA);
    cr_assert_eq(o.has_gen_weight, 0);
}

Test(train_cli, every_option_both_forms)
{
    train_options_t o;
    const char *args[] = {"--iters=2000", "--seed", "18446744073709551615",
                          "ssvae", "--batch=50", "--threads", "2",
                          "--gen-weight=0.5", NULL};
    cr_assert_eq(parse(&o, args), VG_OK, "%s", vg_error_last());
    cr_assert_eq(o.kind, MODEL_SSVAE);
    cr_assert_eq(o.iters, 2000);
    cr_assert_eq(o.seed, UINT64_MAX);
    cr_assert_eq(o.batch, 50);
    cr_assert_eq(o.threads, 2);
    cr_assert(o.has_gen_weight && o.gen_weight == 0.5);

    const char *more[] = {"fsvae", "--eval-every", "0", "--out", "/tmp/x",
                          "--data=d", NULL};
    cr_assert_eq(parse(&o, more), VG_OK, "%s", vg_error_last());
    cr_assert_eq(o.kind, MODEL_FSVAE);
    cr_assert_str_eq(o.out_dir, "/tmp/x");
    cr_assert_str_eq(o.data_dir, "d");
}

Test(train_cli, empty_values)
{
    train_options_t o;
    const char *iters[] = {"vae", "--iters=", NULL};
    const char *out[] = {"vae", "--out", "", NULL};
    cr_assert_eq(parse(&o, iters), VG_ERR);
    cr_assert(strstr(vg_error_last(), "got ''"), "%s", vg_error_last());
    cr_assert_eq(parse(&o, out), VG_ERR);
    cr_assert(strstr(vg_error_last(), "--out needs a directory"), "%s",
              vg_error_last());
}

Test(train_cli, help_wins)
{
    train_options_t o;
    const char *args[] = {"--iters", "0", NULL};
    const char *help[] = {"--help", "--iters", "0", NULL};
    cr_assert_eq(parse(&o, args), VG_ERR);
    cr_assert_eq(parse(&o, help), VG_OK);
    cr_assert(o.help);
    cr_assert(strstr(train_options_usage(), "--eval-every K"));
}
