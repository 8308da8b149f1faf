/* runner_main.c: main of every runner (runner-ref, runner-sub-<file>).
 *   runner --task NAME --seed S [--role ref|sub] [--param key=value ...]
 *          [--fixtures DIR] [--result-fd 3] [--input-fd 0]
 * Trusted until the filter goes on: it parses, seeds, prepares the task's
 * inputs and pins OpenBLAS to one thread; then it installs the seccomp
 * filter and calls the task, which calls the implementation under test.
 * It writes outputs on the result pipe and never decides anything. */
#include <cblas.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "not_implemented.h"
#include "protocol.h"
#include "runner/alloc_guard.h"
#include "runner/runner.h"
#include "runner/sandbox_filter.h"
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
    if (ctx->n_emitted >= RUNNER_MAX_EMITTED || strlen(name) >= sizeof ctx->emitted[0].name)
        return runner_fail(ctx, "emit %s: too many arrays or too long a name", name);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += !isfinite(x[i]);
    snprintf(ctx->emitted[ctx->n_emitted].name, sizeof ctx->emitted[0].name, "%s", name);
    ctx->emitted[ctx->n_emitted++].nonfinite = bad;
    if (proto_write_frame(ctx->result_fd, PROTO_ARRAY, name, x, n * sizeof *x))
        return runner_fail(ctx, "emit %s: the result pipe is closed", name);
    return VG_OK;
}

int runner_emit_scalar(runner_ctx_t *ctx, const char *name, double x)
{
    return runner_emit(ctx, name, &x, 1);
}

/* The last frame: what ran, whether it finished, which function said it is
 * not implemented, and how many non-finite values each array holds. */
static void write_status(runner_ctx_t *ctx, int ok)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return;
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, ctx->seed);
    cJSON_AddStringToObject(doc, "task", ctx->task ? ctx->task : "");
    cJSON_AddStringToObject(doc, "seed", seed);
    cJSON_AddStringToObject(doc, "role", ctx->role_ref ? "ref" : "sub");
    cJSON_AddBoolToObject(doc, "ok", ok);
    const char *ni = not_implemented_which();
    if (ni)
        cJSON_AddStringToObject(doc, "not_implemented", ni);
    else
        cJSON_AddNullToObject(doc, "not_implemented");
    cJSON_AddStringToObject(doc, "message", ctx->message);
    cJSON *nf = cJSON_AddObjectToObject(doc, "nonfinite");
    for (size_t i = 0; nf && i < ctx->n_emitted; i++)
        cJSON_AddNumberToObject(nf, ctx->emitted[i].name,
                                (double)ctx->emitted[i].nonfinite);
    char *text = cJSON_PrintUnformatted(doc);
    if (text)
        proto_write_frame(ctx->result_fd, PROTO_STATUS, "status", text, strlen(text));
    free(text);
    cJSON_Delete(doc);
}

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
        } else {
            return runner_fail(ctx, "unknown option %s", a);
        }
    }
    if (!ctx->task || !have_seed || ctx->result_fd < 0)
        return runner_fail(ctx, "usage: --task NAME --seed S --result-fd FD "
                           "[--role ref|sub] [--param k=v ...] [--fixtures DIR] "
                           "[--input-fd FD]");
    return VG_OK;
}

int main(int argc, char **argv)
{
    static runner_ctx_t ctx;
    if (parse_args(&ctx, argc, argv) != VG_OK) {
        fprintf(stderr, "runner: %s\n", ctx.message);
        if (ctx.result_fd >= 0)
            write_status(&ctx, 0);
        return RUNNER_EXIT_USAGE;
    }
    alloc_guard_set_fd(ctx.result_fd);
    if (ctx.input_fd >= 0 && read_inputs(&ctx) != VG_OK) {
        write_status(&ctx, 0);
        return RUNNER_EXIT_USAGE;
    }
    const runner_task_t *task = runner_task_find(ctx.task);
    if (!task) {
        runner_fail(&ctx, "unknown task %s", ctx.task);
        write_status(&ctx, 0);
        return RUNNER_EXIT_USAGE;
    }
    rng_seed(&ctx.rng, ctx.seed);
    rng_seed(&ctx.in_rng, ctx.seed ^ INPUT_STREAM_SALT);
    /* One BLAS thread: results must not depend on the machine, and the
     * filter below forbids starting threads anyway. */
    openblas_set_num_threads(1);

    if (task->prepare && (task->prepare(&ctx) != VG_OK || ctx.failed)) {
        write_status(&ctx, 0);
        return RUNNER_EXIT_TASK;
    }
    fflush(NULL);
    if (sandbox_filter_install(ctx.result_fd) != VG_OK) {
        runner_fail(&ctx, "%s", vg_error_last());
        write_status(&ctx, 0);
        return RUNNER_EXIT_TASK;
    }
    not_implemented_reset();
    int rc = task->run(&ctx);
    /* The submission's buffered prints go out before the status, so a
     * status on the pipe means the process got to the end. */
    fflush(stdout);
    fflush(stderr);
    write_status(&ctx, rc == VG_OK && !ctx.failed);
    return rc == VG_OK && !ctx.failed ? RUNNER_EXIT_OK : RUNNER_EXIT_TASK;
}
