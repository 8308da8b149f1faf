/* supervise.c: the runner's parent after fork (supervise.h). The child's
 * arena is read with the driver's own parser and held to the runner's
 * rules: frames only, each array name once, one status document of the
 * child's shape, nothing past the arena's end. Whatever the child claims
 * (its status included) can only cost it: the status frame the driver
 * reads is built here, from how the child ended. */
#include "runner/supervise.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "runner/arena.h"
#include "vg_error.h"

/* The longest API function name is 30 characters; a claim beyond this
 * bound, or not an identifier, is not the runner's. */
#define NAME_MAX_LEN 64

void supervise_write_status(const runner_ctx_t *ctx, const char *result, int ok,
                            int exit_code, const char *not_implemented,
                            const proto_result_t *res)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return;
    char seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, ctx->seed);
    cJSON_AddStringToObject(doc, "task", ctx->task ? ctx->task : "");
    cJSON_AddStringToObject(doc, "seed", seed);
    cJSON_AddStringToObject(doc, "role", ctx->role_ref ? "ref" : "sub");
    cJSON_AddStringToObject(doc, "result", result);
    cJSON_AddBoolToObject(doc, "ok", ok);
    cJSON_AddNumberToObject(doc, "exit_code", exit_code);
    if (not_implemented)
        cJSON_AddStringToObject(doc, "not_implemented", not_implemented);
    else
        cJSON_AddNullToObject(doc, "not_implemented");
    cJSON_AddStringToObject(doc, "message", ctx->message);
    cJSON *nf = cJSON_AddObjectToObject(doc, "nonfinite");
    for (size_t i = 0; nf && res && i < res->n_arrays; i++) {
        size_t bad = 0;
        for (size_t j = 0; j < res->arrays[i].n; j++)
            bad += !isfinite(res->arrays[i].data[j]);
        cJSON_AddNumberToObject(nf, res->arrays[i].name, (double)bad);
    }
    char *text = cJSON_PrintUnformatted(doc);
    if (text)
        proto_write_frame(ctx->result_fd, PROTO_STATUS, "status", text, strlen(text));
    free(text);
    cJSON_Delete(doc);
}

static int is_identifier(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > NAME_MAX_LEN || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* The child's status document: {"ok": bool, "not_implemented": name or
 * null, "message": text}. Returns 0 with the claims, or -1 with why not. */
static int child_claims(const char *json, int *ok, char *ni, size_t ni_cap,
                        char *msg, size_t msg_cap, char *why, size_t why_cap)
{
    cJSON *doc = cJSON_Parse(json);
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(doc, "ok");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(doc, "not_implemented");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(doc, "message");
    int rc = -1;
    if (!cJSON_IsBool(o) || !(cJSON_IsNull(n) || cJSON_IsString(n)) || !cJSON_IsString(m))
        snprintf(why, why_cap, "its status document is not the runner's");
    else if (cJSON_IsString(n) && !is_identifier(n->valuestring))
        snprintf(why, why_cap, "its status names a function that is not one");
    else {
        *ok = cJSON_IsTrue(o);
        snprintf(ni, ni_cap, "%s", cJSON_IsString(n) ? n->valuestring : "");
        snprintf(msg, msg_cap, "%s", m->valuestring);
        rc = 0;
    }
    cJSON_Delete(doc);
    return rc;
}

/* What the child's trusted code wrote on the setup pipe (len bytes). */
static size_t read_setup(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return len;
}

static void forward(const runner_ctx_t *ctx, const proto_result_t *res, int arrays)
{
    for (size_t i = 0; arrays && i < res->n_arrays; i++)
        proto_write_frame(ctx->result_fd, PROTO_ARRAY, res->arrays[i].name,
                          res->arrays[i].data, res->arrays[i].n * sizeof(double));
    if (res->has_sigsys)
        proto_write_event(ctx->result_fd, "sigsys", (unsigned long long)res->sigsys_nr);
    if (res->has_over_memory)
        proto_write_event(ctx->result_fd, "over_memory", res->over_memory_bytes);
}

/* Ends this process with sig, as the child ended. */
static void reraise(int sig)
{
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
}

int supervise_child(runner_ctx_t *ctx, pid_t pid, int setup_fd)
{
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0) {
        if (errno != EINTR) {
            snprintf(ctx->message, sizeof ctx->message, "waitpid: %s", strerror(errno));
            supervise_write_status(ctx, RESULT_SETUP_FAILED, 0, -1, NULL, NULL);
            return RUNNER_EXIT_TASK;
        }
    }
    int exited = WIFEXITED(wstatus);
    int code = exited ? WEXITSTATUS(wstatus) : -1;
    char setup[sizeof ctx->message];
    if (read_setup(setup_fd, setup, sizeof setup) > 0) {
        snprintf(ctx->message, sizeof ctx->message, "%s", setup);
        supervise_write_status(ctx, RESULT_SETUP_FAILED, 0, code, NULL, NULL);
        return RUNNER_EXIT_TASK;
    }

    size_t len;
    int overflow;
    const unsigned char *bytes = arena_contents(&len, &overflow);
    proto_result_t res;
    const char *result = RESULT_MALFORMED;
    int ok = 0;
    char ni[NAME_MAX_LEN + 1] = "", why[256] = "";
    if (proto_parse(&res, bytes, len) != VG_OK) {
        memset(&res, 0, sizeof res);
        snprintf(why, sizeof why, "%zu bytes of results, more than the runner "
                 "could read back", len);
    } else if (overflow) {
        snprintf(why, sizeof why, "more results than the runner ever writes "
                 "(the arena holds %u bytes)", RUNNER_ARENA_BYTES);
    } else if (res.garbled) {
        snprintf(why, sizeof why, "its results held bytes the runner did not "
                 "write (not a frame, an array given twice, or two statuses)");
    } else if (!res.status_json) {
        result = RESULT_INCOMPLETE;
    } else if (child_claims(res.status_json, &ok, ni, sizeof ni, ctx->message,
                            sizeof ctx->message, why, sizeof why) != 0) {
        ok = 0;
    } else if (!ok) {
        result = RESULT_TASK_FAILED;
    } else if (!exited || code != RUNNER_EXIT_OK) {
        ok = 0;
        snprintf(why, sizeof why, "the process ended with status %d after the "
                 "runner's status said it had finished", code);
    } else {
        result = RESULT_COMPLETE;
    }
    if (why[0])
        snprintf(ctx->message, sizeof ctx->message, "%s", why);

    forward(ctx, &res, ok);
    if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        proto_result_free(&res);
        reraise(sig);
        /* Still here: a signal whose default is not to end a process,
         * which cannot have ended the child; said, not mimicked. */
        snprintf(ctx->message, sizeof ctx->message, "the process ended by signal %d", sig);
        supervise_write_status(ctx, RESULT_INCOMPLETE, 0, -1, NULL, NULL);
        return RUNNER_EXIT_TASK;
    }
    supervise_write_status(ctx, result, ok, code, ni[0] ? ni : NULL, ok ? &res : NULL);
    proto_result_free(&res);
    if (ok)
        return RUNNER_EXIT_OK;
    return code > 0 ? code : RUNNER_EXIT_TASK;
}
