/* runner_main.c: main of every runner (runner-ref, runner-sub-<file>).
 *   runner --task NAME --seed S [--role ref|sub] [--param key=value ...]
 *          [--fixtures DIR] [--result-fd 3] [--input-fd 0] [--run-uid N]
 * Two processes. The parent (trusted) parses, seeds, reads the inputs and
 * pins OpenBLAS to one thread, then forks. The child drops the result
 * pipe, prepares the task (trusted code still; a failure goes up the setup
 * pipe), changes to an unprivileged user when the runner is root
 * (identity.h), installs the seccomp filter and runs the task, which calls the
 * implementation under test and emits into the result arena (arena.h).
 * The parent waits and alone writes the result pipe (supervise.c), so
 * submission code has no descriptor the driver reads. */
#include <cblas.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "not_implemented.h"
#include "runner/protocol.h"
#include "runner/arena.h"
#include "runner/identity.h"
#include "runner/runner.h"
#include "runner/sandbox_filter.h"
#include "runner/supervise.h"
#include "vg_error.h"

/* The inputs' stream is the seed's, decorrelated from the stream handed to
 * the implementation (which is seeded with the seed itself), so drawing
 * inputs never shifts the implementation's random numbers. */
#define INPUT_STREAM_SALT 0x5eed1e55u

int runner_fail(runner_ctx_t *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->failed = 1;
    return VG_ERR;
}

const proto_array_t *runner_input(const runner_ctx_t *ctx, const char *name)
{
    return proto_find(&ctx->inputs, name);
}

/* Reads every frame of the input pipe to its end: trusted code, before the
 * filter, so the task starts with its inputs in memory. */
static int read_inputs(runner_ctx_t *ctx)
{
    size_t len = 0, cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    if (!buf)
        return runner_fail(ctx, "no memory for the input pipe");
    for (;;) {
        if (len == cap) {
            unsigned char *p = realloc(buf, cap *= 2);
            if (!p) {
                free(buf);
                return runner_fail(ctx, "no memory for %zu input bytes", cap);
            }
            buf = p;
        }
        ssize_t n = read(ctx->input_fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            return runner_fail(ctx, "reading the input pipe: %s", strerror(errno));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    /* The arrays point into buf: the inputs keep it. */
    int rc = proto_parse(&ctx->inputs, buf, len);
    ctx->inputs.owned = buf;
    if (rc != VG_OK || ctx->inputs.garbled)
        return runner_fail(ctx, "the input pipe does not hold array frames");
    return VG_OK;
}

static const char *param_lookup(const runner_ctx_t *ctx, const char *key)
{
    for (size_t i = 0; i < ctx->n_params; i++)
        if (strcmp(ctx->params[i].key, key) == 0)
            return ctx->params[i].value;
    return NULL;
}

double runner_param_double(runner_ctx_t *ctx, const char *key, double def,
                           double lo, double hi)
{
    const char *s = param_lookup(ctx, key);
    if (!s)
        return def;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        runner_fail(ctx, "parameter %s=%s: expected a number in [%g, %g]",
                    key, s, lo, hi);
        return def;
    }
    return v;
}

size_t runner_param_size(runner_ctx_t *ctx, const char *key, size_t def,
                         size_t lo, size_t hi)
{
    double v = runner_param_double(ctx, key, (double)def, (double)lo, (double)hi);
    if (v != floor(v)) {
        runner_fail(ctx, "parameter %s: expected a whole number", key);
        return def;
    }
    return (size_t)v;
}

const char *runner_param_str(runner_ctx_t *ctx, const char *key, const char *def)
{
    const char *s = param_lookup(ctx, key);
    return s ? s : def;
}

int runner_emit(runner_ctx_t *ctx, const char *name, const double *x, size_t n)
{
    if (ctx->n_emitted >= RUNNER_MAX_EMITTED || strlen(name) >= RUNNER_MAX_NAME)
        return runner_fail(ctx, "emit %s: too many arrays or too long a name", name);
    ctx->n_emitted++;
    if (n > RUNNER_ARENA_BYTES / sizeof *x ||
        arena_put(PROTO_ARRAY, name, x, n * sizeof *x))
        return runner_fail(ctx, "emit %s: %zu values do not fit in the result "
                           "arena", name, n);
    return VG_OK;
}

int runner_emit_scalar(runner_ctx_t *ctx, const char *name, double x)
{
    return runner_emit(ctx, name, &x, 1);
}

/* The child's last frame, in the arena: whether the task got to its end,
 * which function said it is not implemented, and the task's message. The
 * parent checks it and writes the status the driver reads. */
static void child_status(runner_ctx_t *ctx, int ok)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return;
    cJSON_AddBoolToObject(doc, "ok", ok);
    const char *ni = not_implemented_which();
    if (ni)
        cJSON_AddStringToObject(doc, "not_implemented", ni);
    else
        cJSON_AddNullToObject(doc, "not_implemented");
    cJSON_AddStringToObject(doc, "message", ctx->message);
    char *text = cJSON_PrintUnformatted(doc);
    if (text)
        arena_put(PROTO_STATUS, "status", text, strlen(text));
    free(text);
    cJSON_Delete(doc);
}

/* --run-uid's value: -1 for the default (identity.h). */
static long run_uid = -1;

static int parse_args(runner_ctx_t *ctx, int argc, char **argv)
{
    ctx->result_fd = -1;
    ctx->input_fd = -1;
    int have_seed = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return runner_fail(ctx, "%s needs a value", a);
        i++;
        if (strcmp(a, "--task") == 0) {
            ctx->task = v;
        } else if (strcmp(a, "--seed") == 0) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || *end || end == v || v[0] == '-')
                return runner_fail(ctx, "--seed %s: expected a non-negative integer", v);
            ctx->seed = s;
            have_seed = 1;
        } else if (strcmp(a, "--role") == 0) {
            if (strcmp(v, "ref") && strcmp(v, "sub"))
                return runner_fail(ctx, "--role %s: expected ref or sub", v);
            ctx->role_ref = strcmp(v, "ref") == 0;
        } else if (strcmp(a, "--param") == 0) {
            char *eq = strchr(v, '=');
            if (!eq || eq == v)
                return runner_fail(ctx, "--param %s: expected key=value", v);
            if (ctx->n_params == RUNNER_MAX_PARAMS)
                return runner_fail(ctx, "more than %d --param", RUNNER_MAX_PARAMS);
            *eq = '\0';   /* argv is ours to split */
            ctx->params[ctx->n_params].key = v;
            ctx->params[ctx->n_params++].value = eq + 1;
        } else if (strcmp(a, "--fixtures") == 0) {
            ctx->fixtures = v;
        } else if (strcmp(a, "--input-fd") == 0) {
            char *end;
            long fd = strtol(v, &end, 10);
            if (*end || fd < 0 || fd > 1023)
                return runner_fail(ctx, "--input-fd %s: expected a descriptor", v);
            ctx->input_fd = (int)fd;
        } else if (strcmp(a, "--result-fd") == 0) {
            char *end;
            long fd = strtol(v, &end, 10);
            if (*end || fd < 0 || fd > 1023)
                return runner_fail(ctx, "--result-fd %s: expected a descriptor", v);
            ctx->result_fd = (int)fd;
        } else if (strcmp(a, "--run-uid") == 0) {
            char *end;
            errno = 0;
            long uid = strtol(v, &end, 10);
            if (errno || *end || end == v || uid < 0 || uid > 0x7fffffffL)
                return runner_fail(ctx, "--run-uid %s: expected a uid", v);
            run_uid = uid;
        } else {
            return runner_fail(ctx, "unknown option %s", a);
        }
    }
    if (!ctx->task || !have_seed || ctx->result_fd < 0)
        return runner_fail(ctx, "usage: --task NAME --seed S --result-fd FD "
                           "[--role ref|sub] [--param k=v ...] [--fixtures DIR] "
                           "[--input-fd FD] [--run-uid N]");
    return VG_OK;
}

/* Trusted code in the child failed before any submission code ran: said
 * on the setup pipe, which the parent reads as the grader's own fault. */
_Noreturn static void child_setup_failed(int setup_fd, const char *what)
{
    size_t n = strlen(what);
    ssize_t ignored = write(setup_fd, what, n ? n : 1);
    (void)ignored;
    _exit(RUNNER_EXIT_TASK);
}

/* The child: no result pipe, no input pipe, no further process; the
 * task's preparation (trusted code), the filter, then the task's run. It
 * ends here, with its status in the arena. */
_Noreturn static void child_main(runner_ctx_t *ctx, const runner_task_t *task,
                                 const runner_identity_t *id, int setup_fd)
{
    close(ctx->result_fd);
    if (ctx->input_fd >= 0)
        close(ctx->input_fd);
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_NPROC, &none) != 0)
        child_setup_failed(setup_fd, "setrlimit(RLIMIT_NPROC) failed");
    /* Prepared here, not before the fork: the parent then shares no model
     * or data with the child, whose writes would each copy a page. */
    if (task->prepare && (task->prepare(ctx) != VG_OK || ctx->failed))
        child_setup_failed(setup_fd, ctx->message);
    if (runner_identity_drop(id) != VG_OK)
        child_setup_failed(setup_fd, vg_error_last());
    if (sandbox_filter_install() != VG_OK)
        child_setup_failed(setup_fd, vg_error_last());
    not_implemented_reset();
    int rc = task->run(ctx);
    /* The submission's buffered prints go out before the status, so a
     * status in the arena means the process got to the end. */
    fflush(stdout);
    fflush(stderr);
    int ok = rc == VG_OK && !ctx->failed;
    child_status(ctx, ok);
    _exit(ok ? RUNNER_EXIT_OK : RUNNER_EXIT_TASK);
}

/* Before any child: the failure is the grader's (or its caller's). */
static int setup_failed(runner_ctx_t *ctx, int exit_code)
{
    supervise_write_status(ctx, RESULT_SETUP_FAILED, 0, -1, NULL, NULL);
    return exit_code;
}

int main(int argc, char **argv)
{
    static runner_ctx_t ctx;
    if (parse_args(&ctx, argc, argv) != VG_OK) {
        fprintf(stderr, "runner: %s\n", ctx.message);
        if (ctx.result_fd >= 0)
            setup_failed(&ctx, 0);
        return RUNNER_EXIT_USAGE;
    }
    if (ctx.input_fd >= 0 && read_inputs(&ctx) != VG_OK)
        return setup_failed(&ctx, RUNNER_EXIT_USAGE);
    const runner_task_t *task = runner_task_find(ctx.task);
    if (!task) {
        runner_fail(&ctx, "unknown task %s", ctx.task);
        return setup_failed(&ctx, RUNNER_EXIT_USAGE);
    }
    rng_seed(&ctx.rng, ctx.seed);
    rng_seed(&ctx.in_rng, ctx.seed ^ INPUT_STREAM_SALT);
    /* One BLAS thread: results must not depend on the machine, the filter
     * forbids starting threads, and only the forking thread lives on in
     * the child. */
    openblas_set_num_threads(1);
    runner_identity_t id;
    if (runner_identity_resolve(&id, run_uid) != VG_OK) {
        runner_fail(&ctx, "%s", vg_error_last());
        return setup_failed(&ctx, RUNNER_EXIT_USAGE);
    }

    if (arena_create() != VG_OK) {
        runner_fail(&ctx, "%s", vg_error_last());
        return setup_failed(&ctx, RUNNER_EXIT_TASK);
    }
    int setup_pipe[2];
    if (pipe2(setup_pipe, O_CLOEXEC) != 0) {
        runner_fail(&ctx, "pipe: %s", strerror(errno));
        return setup_failed(&ctx, RUNNER_EXIT_TASK);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        runner_fail(&ctx, "fork: %s", strerror(errno));
        return setup_failed(&ctx, RUNNER_EXIT_TASK);
    }
    if (pid == 0) {
        close(setup_pipe[0]);
        child_main(&ctx, task, &id, setup_pipe[1]);
    }
    close(setup_pipe[1]);
    /* The parent starts nothing more either (the driver leaves the limit
     * to the runner, which needs this one fork). */
    struct rlimit none = { 0, 0 };
    setrlimit(RLIMIT_NPROC, &none);
    int rc = supervise_child(&ctx, pid, setup_pipe[0]);
    close(setup_pipe[0]);
    return rc;
}
