/* grade.c: the grading loop (grade.h). A check's cases each run in fresh
 * processes: runner-sub-<file> first, then, if its outputs are worth
 * judging and the check needs expected values, runner-ref on the same task,
 * seed and parameters. Everything a check concludes comes from its own
 * processes, so one check's outcome never changes another's score. */
#include "driver/grade.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <seccomp.h>

#include "driver/api.h"
#include "driver/evaluate.h"
#include "driver/pathfmt.h"
#include "runner/protocol.h"
#include "runner/arena.h"
#include "sandbox/sandbox.h"
#include "vg_error.h"

#define OUTPUT_LIMIT (8u << 10)
/* What a submission's runner may write beyond the reference's runner's
 * own bytes on the same case: room for a longer status (messages, a
 * not_implemented name) and events; the arrays' shapes are fixed by the
 * case's arguments, so they are the same on both sides. */
#define RESULT_SLACK (4u << 20)
/* runner-ref's own runs (trusted; their sizes follow the arguments, not
 * the submission): the calibration run, and a role-ref run's cap over the
 * case's: its extra arrays (hints, the IWAE's ELBO, more repeats). */
#define CALIB_RESULT_LIMIT (256u << 20)
#define REF_RESULT_FACTOR 8
/* The reference's role-ref runs do more than the submission's side
 * (finite differences, more repeats): at least this much CPU. */
#define REF_MIN_CPU_S 60.0
/* A calibration run: the trusted reference, measured once. */
#define CALIB_CPU_S 600.0
/* The wall-clock guards over a CPU budget (GRADE_WALL_PER_CPU and
 * GRADE_WALL_EXTRA_S, grade.h), for a process that does not use its CPU:
 * one that stands still (blocked on a futex, stopped) is stopped once its
 * group's CPU time has not moved for STALL_S. */
#define STALL_S 15.0
#define WALL_PER_CPU GRADE_WALL_PER_CPU
#define WALL_EXTRA_S GRADE_WALL_EXTRA_S
/* Release mode: the calibrations were measured on the machine that made
 * the release, and a student's may be slower per core. With this factor a
 * correct submission 10x slower than the reference (the profile's factor
 * 12 is set for it) still passes on a machine up to 2.4x slower per core
 * (12 x 2 / 10); the price is a local grade more lenient than the official
 * one for code between 12 and 24 times slower than the reference (said in
 * the student README). */
#define RELEASE_MACHINE_FACTOR 2.0

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A growing string; on no memory it keeps what it has. */
typedef struct text {
    char *s;
    size_t len, cap;
} text_t;

static void text_add(text_t *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_add(text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p)
            return;
        t->s = p;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static char *text_take(text_t *t)
{
    if (!t->s) {
        char *e = malloc(1);
        if (e)
            e[0] = '\0';
        return e;
    }
    char *s = t->s;
    t->s = NULL;
    t->len = t->cap = 0;
    return s;
}

/* ---- selection ---------------------------------------------------------- */

/* A selector of --only names a check by its full id or by its number
 * (`1.4` selects `1.4-kl-normal-values`, never `1.14-...` or `1.4x`). */
static int selects(const char *sel, size_t k, const char *id)
{
    return strncmp(sel, id, k) == 0 && (id[k] == '\0' || id[k] == '-');
}

int grade_only_lists(const char *only, const char *id)
{
    for (const char *p = only; *p;) {
        size_t k = strcspn(p, ",");
        if (k && selects(p, k, id))
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

int grade_validate_only(const profile_t *p, const char *only)
{
    for (const char *s = only; *s;) {
        size_t k = strcspn(s, ",");
        int found = 0;
        for (size_t i = 0; i < p->n_checks; i++)
            found |= selects(s, k, p->checks[i].id);
        if (!found && k)
            return vg_error_set("--only: no check \"%.*s\" in the profile "
                                "(vaegrade list shows them)", (int)k, s);
        s += k + (s[k] == ',');
    }
    return VG_OK;
}

/* ---- one runner process ------------------------------------------------- */

/* What one case may cost: the reference's measured cost and what follows
 * from it for the submission's runner. */
typedef struct case_budget {
    ref_calib_t ref;         /* runner-ref --role sub on this case */
    double cpu_s;            /* max(floor, factor x ref.cpu_s) */
    size_t result_cap;       /* bytes the runner may write on fd 3 */
    int provisional;         /* not measured yet: the floor and the arena */
} case_budget_t;

typedef struct runner_out {
    const case_budget_t *budget; /* NULL: a calibration run */
    size_t result_cap;       /* this run's cap (for the message) */
    sandbox_run_t run;
    proto_result_t res;
    cJSON *status;
    int from_cache;      /* runner-ref's result read from the cache */
    int cache_argv_ok;   /* a runner-ref run the cache may keep */
} runner_out_t;

static char *const runner_env[] = {
    "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "LC_ALL=C", NULL,
};

/* The argument vector of one runner (strings in bufs, which the caller
 * keeps while argv is used). */
typedef struct runner_args {
    char *argv[24 + 2 * CHECK_MAX_PARAMS];
    char seed[32], fixtures[4200], case_p[80];
    char params[CHECK_MAX_PARAMS][96];
} runner_args_t;

static void runner_args(runner_args_t *ra, const char *binary, const grade_env_t *env,
                        const check_conf_t *c, uint64_t seed, const char *case_name,
                        int ref, int hidden, int input)
{
    snprintf(ra->seed, sizeof ra->seed, "%" PRIu64, seed);
    snprintf(ra->fixtures, sizeof ra->fixtures, "%s/fixtures", env->root);
    char **argv = ra->argv;
    size_t a = 0;
    argv[a++] = (char *)binary;
    argv[a++] = "--task";
    argv[a++] = (char *)c->def->task;
    argv[a++] = "--seed";
    argv[a++] = ra->seed;
    argv[a++] = "--role";
    argv[a++] = ref ? "ref" : "sub";
    argv[a++] = "--result-fd";
    argv[a++] = "3";
    argv[a++] = "--fixtures";
    argv[a++] = ra->fixtures;
    if (input) {
        argv[a++] = "--input-fd";
        argv[a++] = "0";
    }
    /* Hidden checks read the hidden test subset (model tasks). */
    if (hidden) {
        argv[a++] = "--param";
        argv[a++] = "subset=hidden";
    }
    if (case_name) {
        snprintf(ra->case_p, sizeof ra->case_p, "case=%s", case_name);
        argv[a++] = "--param";
        argv[a++] = ra->case_p;
    }
    for (size_t i = 0; i < CHECK_MAX_PARAMS && c->def->params[i].key; i++) {
        if (!c->def->params[i].to_runner)
            continue;
        snprintf(ra->params[i], sizeof ra->params[i], "%s=%.17g",
                 c->def->params[i].key, c->params[i]);
        argv[a++] = "--param";
        argv[a++] = ra->params[i];
    }
    argv[a] = NULL;
}

static int parse_result(runner_out_t *out, const unsigned char *bytes, size_t len)
{
    /* The arrays point into bytes, which the run (or res.owned) keeps. */
    if (proto_parse(&out->res, bytes, len) != VG_OK)
        return VG_ERR;
    if (out->res.status_json)
        out->status = cJSON_Parse(out->res.status_json);
    return VG_OK;
}

static sandbox_limits_t runner_limits(const check_conf_t *c, double cpu_s,
                                      size_t result_cap)
{
    /* RLIMIT_NPROC is left to the runner: it forks once (its child runs
     * the submission) and then sets the limit to 0 in both processes. */
    sandbox_limits_t lim = {
        .wall_s = WALL_PER_CPU * cpu_s + WALL_EXTRA_S, .cpu_s = cpu_s,
        .mem_bytes = (size_t)(c->memory_mib * 1048576.0), .nproc = -1,
        .no_files = 1, .output_limit = OUTPUT_LIMIT, .result_limit = result_cap,
        .stall_s = STALL_S,
    };
    return lim;
}

/* Runs one runner (or reads runner-ref's result from the cache: in, the
 * frames for its input pipe, none for a run the cache may keep). */
static int start_runner(runner_out_t *out, const char *binary, const grade_env_t *env,
                        const check_conf_t *c, uint64_t seed, const char *case_name,
                        int ref, int hidden, const struct iovec *in, size_t n_in,
                        const ref_cache_t *cache, const case_budget_t *budget)
{
    memset(out, 0, sizeof *out);
    out->budget = budget;
    runner_args_t ra;
    runner_args(&ra, binary, env, c, seed, case_name, ref, hidden, n_in > 0);
    /* runner-ref on the grader's own inputs: the same for every
     * submission, so it may come from the cache. */
    if (ref && !n_in && cache) {
        size_t len;
        unsigned char *bytes = ref_cache_get(cache, ra.argv, &len);
        if (bytes) {
            out->run.started = out->run.exited = 1;
            out->from_cache = 1;
            int rc = parse_result(out, bytes, len);
            out->res.owned = bytes;
            return rc;
        }
    }
    double cpu = budget->cpu_s;
    out->result_cap = budget->result_cap;
    if (ref) {
        cpu = fmax(REF_MIN_CPU_S, 2 * cpu);
        out->result_cap = REF_RESULT_FACTOR * budget->result_cap + (16u << 20);
    }
    sandbox_limits_t lim = runner_limits(c, cpu, out->result_cap);
    if (sandbox_runv(&out->run, ra.argv, runner_env, &lim, 1, in, n_in) != VG_OK)
        return VG_ERR;
    if (parse_result(out, out->run.result, out->run.result_len) != VG_OK)
        return VG_ERR;
    if (ref && !n_in && cache)
        out->cache_argv_ok = 1;
    return VG_OK;
}

static int classify(verdict_t *v, const runner_out_t *o, const check_conf_t *c,
                    const char *who, int role_ref);

/* What a measured reference cost allows the submission's runner. */
static void budget_from_ref(case_budget_t *b, const check_conf_t *c,
                            const ref_cache_t *cache)
{
    b->provisional = 0;
    double machine = cache->release && cache->read_only ? RELEASE_MACHINE_FACTOR : 1;
    b->cpu_s = fmax(c->timeout_floor_s, c->timeout_factor * machine * b->ref.cpu_s);
    b->result_cap = b->ref.result_len + RESULT_SLACK;
}

/* Release mode, a case the release recorded nothing for (--seed S, an
 * edited profile): said, scored nothing, and never a grader error. */
static void release_missing(verdict_t *v, const check_conf_t *c, uint64_t seed,
                            const char *case_name)
{
    verdict_set(v, OUTCOME_SKIPPED, 0, "this release holds no reference output for "
                "%s seed %" PRIu64 "%s%s; the official grade runs it", c->def->id,
                seed, case_name ? " case " : "", case_name ? case_name : "");
}

/* The case's budget from the cache: 1, or 0 with a provisional budget (the
 * profile's floor of CPU, and what the runner's arena can hold) that
 * serves until the case needs the measurement (case_budget_measure). A
 * fresh machine so grades the stub, and any run shorter than the floor,
 * without first measuring the reference on every case; the outcome is the
 * same as with the measurement, since the budget is never under the
 * floor and the arena bounds what a runner can forward. */
static int case_budget_cached(case_budget_t *b, const grade_env_t *env,
                              const check_conf_t *c, uint64_t seed,
                              const char *case_name, int hidden,
                              const ref_cache_t *cache)
{
    memset(b, 0, sizeof *b);
    runner_args_t ra;
    runner_args(&ra, env->runner_ref, env, c, seed, case_name, 0, hidden, 0);
    if (ref_cache_get_calib(cache, ra.argv, &b->ref)) {
        budget_from_ref(b, c, cache);
        return 1;
    }
    /* A release holds calibrations for the profile's seeds only; a case's
     * cost follows its arguments' sizes, not its seed, so another seed's
     * (the largest) serves for --seed S. */
    if (cache->release && cache->read_only) {
        int found = 0;
        for (size_t i = 0; i < c->n_seeds; i++) {
            ref_calib_t cal;
            runner_args(&ra, env->runner_ref, env, c, c->seeds[i], case_name, 0, hidden, 0);
            if (ref_cache_get_calib(cache, ra.argv, &cal)) {
                b->ref.cpu_s = fmax(b->ref.cpu_s, cal.cpu_s);
                b->ref.result_len = b->ref.result_len > cal.result_len
                                        ? b->ref.result_len : cal.result_len;
                found = 1;
            }
        }
        if (found) {
            budget_from_ref(b, c, cache);
            return 1;
        }
    }
    b->provisional = 1;
    b->cpu_s = c->timeout_floor_s;
    b->result_cap = RUNNER_ARENA_BYTES + RESULT_SLACK;
    return 0;
}

/* Measures the reference's cost on the case (runner-ref --role sub, the
 * submission's side done by the reference), keeps it, and sets the
 * budget from it. A measurement that fails is the grader's fault. */
static void case_budget_measure(case_budget_t *b, verdict_t *v, const grade_env_t *env,
                                const check_conf_t *c, uint64_t seed,
                                const char *case_name, int hidden,
                                const ref_cache_t *cache)
{
    if (env->release) {
        release_missing(v, c, seed, case_name);
        return;
    }
    runner_args_t ra;
    runner_args(&ra, env->runner_ref, env, c, seed, case_name, 0, hidden, 0);
    runner_out_t cal;
    memset(&cal, 0, sizeof cal);
    cal.result_cap = CALIB_RESULT_LIMIT;
    sandbox_limits_t lim = runner_limits(c, CALIB_CPU_S, CALIB_RESULT_LIMIT);
    if (sandbox_run(&cal.run, ra.argv, runner_env, &lim, 1, NULL, 0) != VG_OK ||
        parse_result(&cal, cal.run.result, cal.run.result_len) != VG_OK) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", vg_error_last());
        sandbox_run_free(&cal.run);
        proto_result_free(&cal.res);
        return;
    }
    verdict_t cv;
    memset(&cv, 0, sizeof cv);
    /* The reference's own code: its task failing is the grader's. */
    int bad = classify(&cv, &cal, c, "the reference (measuring its own time)", 1);
    if (bad)
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: runner-ref --role sub "
                    "failed: %s", cv.message);
    b->ref.cpu_s = cal.run.cpu_s;
    b->ref.result_len = cal.run.result_len;
    if (!bad)
        ref_cache_put_calib(cache, ra.argv, &b->ref);
    sandbox_run_free(&cal.run);
    proto_result_free(&cal.res);
    cJSON_Delete(cal.status);
    budget_from_ref(b, c, cache);
}

/* Stores a finished runner-ref run for the next grading. */
static void cache_store(const runner_out_t *out, const grade_env_t *env,
                        const check_conf_t *c, uint64_t seed, const char *case_name,
                        int hidden, const ref_cache_t *cache)
{
    if (!out->cache_argv_ok || out->from_cache)
        return;
    runner_args_t ra;
    runner_args(&ra, env->runner_ref, env, c, seed, case_name, 1, hidden, 0);
    ref_cache_put(cache, ra.argv, out->run.result, out->run.result_len);
}

static void runner_out_free(runner_out_t *o)
{
    sandbox_run_free(&o->run);
    proto_result_free(&o->res);
    cJSON_Delete(o->status);
}

/* Past its CPU budget: SIGXCPU, or SIGKILL at the hard limit for code
 * that ignored SIGXCPU (b NULL: a calibration run, whose SIGKILL is the
 * wall clock's or its own). */
static int over_cpu(const sandbox_run_t *r, const case_budget_t *b)
{
    return r->signaled && (r->signal == SIGXCPU ||
                           (r->signal == SIGKILL && b && r->cpu_s >= b->cpu_s));
}

static const char *status_str(const cJSON *status, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(status, key);
    return cJSON_IsString(it) ? it->valuestring : "";
}

/* Decides the case when the process did not get to the end in good order:
 * returns 1 with v set, or 0 when the outputs are there to be judged.
 * role_ref: the run was runner-ref's, whose task failing is the grader's. */
static int classify(verdict_t *v, const runner_out_t *o, const check_conf_t *c,
                    const char *who, int role_ref)
{
    const sandbox_run_t *r = &o->run;
    char sig[96];
    if (!r->started) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", r->start_error);
        return 1;
    }
    if (r->result_overflow) {
        verdict_set(v, OUTCOME_CRASHED, 0, "%s wrote more than %zu bytes to the "
                    "result channel (fd 3), more than this check can produce (the "
                    "reference's runner writes %zu on this case), and was stopped",
                    who, o->result_cap, o->budget ? o->budget->ref.result_len : 0);
        return 1;
    }
    if (o->res.has_sigsys) {
        char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)o->res.sigsys_nr);
        verdict_set(v, OUTCOME_REFUSED, 0, "%s made a forbidden system call: %s "
                    "(number %ld), stopped by the sandbox. Submission code may "
                    "only compute, allocate and print.", who, name ? name : "?",
                    o->res.sigsys_nr);
        free(name);
        return 1;
    }
    if (o->res.has_over_memory) {
        verdict_set(v, OUTCOME_OVER_MEMORY, 0, "%s asked for %llu bytes that "
                    "could not be had under the memory cap of %.0f MiB "
                    "(malloc/calloc/realloc returned NULL)", who,
                    o->res.over_memory_bytes, c->memory_mib);
        return 1;
    }
    const case_budget_t *b = o->budget;
    int over = over_cpu(r, b);
    if (r->timed_out || over) {
        char how[200];
        if (over)
            snprintf(how, sizeof how, "used more than its CPU-time budget of "
                     "%.3g s and was stopped: an endless loop, or far too much "
                     "work", b ? b->cpu_s : 0);
        else if (r->stalled)
            snprintf(how, sizeof how, "used no CPU time for %.3g s and was "
                     "stopped: blocked, or stopped (%.3g s of CPU used in all)",
                     STALL_S, r->cpu_s);
        else
            snprintf(how, sizeof how, "did not finish within %.3g s of wall-clock "
                     "time and was stopped (%.3g s of CPU used)", r->wall_s, r->cpu_s);
        verdict_set(v, OUTCOME_TIMED_OUT, 0, "%s %s", who, how);
        if (b)
            verdict_append(v, ". The budget is max(%.3g s, %.3g x the reference's "
                           "own %.3g s of CPU on this case, measured on this "
                           "machine)", c->timeout_floor_s, c->timeout_factor,
                           b->ref.cpu_s);
        return 1;
    }
    if (r->signaled && r->signal == SIGSYS) {
        verdict_set(v, OUTCOME_REFUSED, 0, "%s made a forbidden system call and "
                    "was killed by the sandbox (SIGSYS)", who);
        return 1;
    }
    if (r->signaled) {
        verdict_set(v, OUTCOME_CRASHED, 0, "%s crashed: %s", who,
                    sandbox_signal_name(r->signal, sig, sizeof sig));
        if (r->signal == SIGSEGV || r->signal == SIGBUS)
            verdict_append(v, ". Look for an index out of bounds (shapes are "
                           "(B,D), (K,D), ...) or a NULL pointer.");
        else if (r->signal == SIGABRT)
            verdict_append(v, ". An assert() failed or abort() was called; "
                           "stderr below says where.");
        else if (r->signal == SIGFPE)
            verdict_append(v, ". An integer division by zero?");
        return 1;
    }
    if (!o->status) {
        verdict_set(v, OUTCOME_CRASHED, 0, "%s ended (exit status %d) before "
                    "reporting its result%s", who, r->exit_code,
                    o->res.garbled ? "; its result pipe held bytes the runner did "
                    "not write" : ": did the code call exit()?");
        return 1;
    }
    /* The status is the runner's parent's, which never runs submission
     * code; what it says the child claimed (its message) is the child's. */
    const char *result = status_str(o->status, "result");
    const char *msg = status_str(o->status, "message");
    if (strcmp(result, "setup_failed") == 0) {
        verdict_set(v, OUTCOME_ERROR, 0, "grader error: the runner could not set "
                    "up the task: %s", msg);
        return 1;
    }
    if (strcmp(result, "incomplete") == 0) {
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(o->status, "exit_code");
        verdict_set(v, OUTCOME_CRASHED, 0, "%s ended (exit status %d) before "
                    "reporting its result: did the code call exit()?", who,
                    cJSON_IsNumber(code) ? code->valueint : r->exit_code);
        return 1;
    }
    if (strcmp(result, "malformed") == 0) {
        verdict_set(v, OUTCOME_CRASHED, 0, "%s garbled the result before the "
                    "runner finished: %s. Only the runner writes results; "
                    "writing into its memory costs the check.", who, msg);
        return 1;
    }
    const cJSON *ni = cJSON_GetObjectItemCaseSensitive(o->status, "not_implemented");
    if (cJSON_IsString(ni)) {
        verdict_set(v, OUTCOME_NOT_IMPLEMENTED, 0, "%s is not implemented (it "
                    "calls not_implemented()); if you implemented it, remove "
                    "that call", ni->valuestring);
        return 1;
    }
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o->status, "ok");
    if (!cJSON_IsTrue(ok)) {
        /* A task failure after submission code ran is the submission's
         * doing (it shares the task's memory); runner-ref's is the
         * grader's, and run_case says so. */
        if (strcmp(result, "task_failed") == 0 && !role_ref)
            verdict_set(v, OUTCOME_CRASHED, 0, "%s ended or garbled the result "
                        "before the runner finished: the task stopped with \"%s\"",
                        who, msg);
        else
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: the task failed in "
                        "the runner of %s: %s", who, msg);
        return 1;
    }
    return 0;
}

static void add_output(text_t *out, const runner_out_t *o, uint64_t seed,
                       const char *case_name)
{
    /* Two cases' worth is plenty to see what the code prints; a check of
     * many cases would otherwise carry a copy per case. */
    if (out->len >= 4 * OUTPUT_LIMIT) {
        if (!strstr(out->s, "[output of further cases omitted]") &&
            (o->run.out_total || o->run.err_total))
            text_add(out, "[output of further cases omitted]\n");
        return;
    }
    const char *names[2] = { "stdout", "stderr" };
    const char *texts[2] = { o->run.out, o->run.err };
    size_t totals[2] = { o->run.out_total, o->run.err_total };
    for (int i = 0; i < 2; i++) {
        if (!texts[i] || !texts[i][0])
            continue;
        text_add(out, "--- %s of your code (seed %" PRIu64 "%s%s, %zu bytes) ---\n%s%s",
                 names[i], seed, case_name ? ", " : "", case_name ? case_name : "",
                 totals[i], texts[i], texts[i][strlen(texts[i]) - 1] == '\n' ? "" : "\n");
    }
}

/* One case: the reference's cost on it (cached), the submission's run,
 * judged, and runner-ref's when needed. */
static void run_case(verdict_t *v, text_t *output, const grade_env_t *env,
                     const char *sub_runner, const check_conf_t *c, uint64_t seed,
                     const char *case_name, int hidden, const ref_cache_t *cache)
{
    runner_out_t sub, ref;
    case_budget_t budget;
    memset(&sub, 0, sizeof sub);
    memset(&ref, 0, sizeof ref);
    memset(v, 0, sizeof *v);
    /* Release mode: expected values only from the recorded data. */
    if (env->release && c->def->needs_ref && !c->def->ref_inputs[0]) {
        runner_args_t ra;
        runner_args(&ra, env->runner_ref, env, c, seed, case_name, 1, hidden, 0);
        if (!ref_cache_has(cache, ra.argv)) {
            release_missing(v, c, seed, case_name);
            return;
        }
    }
    if (!case_budget_cached(&budget, env, c, seed, case_name, hidden, cache) &&
        cache->record_all) {
        /* make release-data: every case's cost, for the release's budgets. */
        case_budget_measure(&budget, v, env, c, seed, case_name, hidden, cache);
        if (v->outcome == OUTCOME_ERROR || v->outcome == OUTCOME_SKIPPED)
            return;
    }
    for (;;) {
        if (start_runner(&sub, sub_runner, env, c, seed, case_name, 0, hidden, NULL, 0,
                         NULL, &budget) != VG_OK) {
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", vg_error_last());
            runner_out_free(&sub);
            return;
        }
        /* Stopped for time on a provisional budget (not a stall): measure,
         * and run again under the measured budget. */
        const sandbox_run_t *r = &sub.run;
        if (!budget.provisional || r->stalled || !(r->timed_out || over_cpu(r, &budget)))
            break;
        case_budget_measure(&budget, v, env, c, seed, case_name, hidden, cache);
        runner_out_free(&sub);
        memset(&sub, 0, sizeof sub);
        if (v->outcome == OUTCOME_ERROR || v->outcome == OUTCOME_SKIPPED)
            return;
    }
    add_output(output, &sub, seed, case_name);
    if (classify(v, &sub, c, "your code", 0)) {
        runner_out_free(&sub);
        return;
    }
    /* A run to be judged against runner-ref, or one that wrote more than a
     * few MiB, needs the measurement too: runner-ref's budget follows it,
     * and a big result is held to the measured cap as if it had been the
     * limit all along. */
    if (budget.provisional && (c->def->needs_ref || sub.run.result_len > RESULT_SLACK)) {
        case_budget_measure(&budget, v, env, c, seed, case_name, hidden, cache);
        if (v->outcome == OUTCOME_ERROR || v->outcome == OUTCOME_SKIPPED) {
            runner_out_free(&sub);
            return;
        }
        if (sub.run.result_len > budget.result_cap) {
            sub.run.result_overflow = 1;
            sub.result_cap = budget.result_cap;
            classify(v, &sub, c, "your code", 0);
            runner_out_free(&sub);
            return;
        }
    }
    case_data_t cd = { c->def, c, seed, case_name, &sub.res, NULL, env->root, hidden };
    if (c->def->needs_ref) {
        /* What the submission produced that the reference must judge
         * (trained weights), passed on runner-ref's input pipe: the frames
         * as they lie in the submission's result, not a copy. */
        struct iovec in[4];
        size_t n_in = 0;
        for (size_t i = 0; i < 4 && c->def->ref_inputs[i]; i++) {
            const proto_array_t *a = eval_array(v, &sub.res, c->def->ref_inputs[i],
                                                "submission", 0);
            if (!a)
                goto cleanup;
            in[n_in++] = (struct iovec){ (void *)a->frame, a->frame_len };
        }
        /* In release mode the reference judges trained weights through
         * runner-eval, which runs nothing else. */
        const char *judge = env->release && n_in ? env->runner_eval : env->runner_ref;
        if (start_runner(&ref, judge, env, c, seed, case_name, 1, hidden,
                         in, n_in, cache, &budget) != VG_OK) {
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: %s", vg_error_last());
            goto cleanup;
        }
        verdict_t rv;
        memset(&rv, 0, sizeof rv);
        if (classify(&rv, &ref, c, "the reference", 1)) {
            verdict_set(v, OUTCOME_ERROR, 0, "grader error: runner-ref failed: %s",
                        rv.message);
            goto cleanup;
        }
        cd.ref = &ref.res;
        cache_store(&ref, env, c, seed, case_name, hidden, cache);
    }
    c->def->eval(v, &cd);
cleanup:
    runner_out_free(&sub);
    runner_out_free(&ref);
}

/* ---- one check ------------------------------------------------------------ */

/* Release mode, a model check that did not pass: why its utils.c is not
 * the official grade's (the release has no reference utils.c). */
static void release_utils_note(text_t *msg, const grade_run_t *g, const check_result_t *res)
{
    if (!g->release || strcmp(res->conf->def->file, "utils.c") == 0 ||
        res->outcome == OUTCOME_PASSED || res->outcome == OUTCOME_SKIPPED)
        return;
    const file_build_t *u = &g->builds[api_file_index("utils.c")];
    if (u->state == BUILD_OK)
        text_add(msg, "\n\n(Local grade: %s is linked here with your own utils.c, "
                 "the official grade with the reference's, so a mistake in utils.c "
                 "can cost this check here but not there.)", res->conf->def->file);
    else
        text_add(msg, "\n\n(Local grade: %s is linked here with your own utils.c, "
                 "which was %s, so utils.c's functions are not-implemented stubs "
                 "here; the official grade links the reference's utils.c.)",
                 res->conf->def->file, u->state == BUILD_MISSING ? "not found"
                 : "refused");
}

static void run_check(check_result_t *res, const grade_run_t *g, const grade_env_t *env,
                      const grade_options_t *o)
{
    const check_conf_t *c = res->conf;
    double t0 = now_s();
    /* A bonus check's points come on top of the maximum. */
    res->max_score = c->bonus ? 0 : c->points;
    int fi = api_file_index(c->def->file);
    const file_build_t *fb = fi >= 0 ? &g->builds[fi] : NULL;
    text_t msg = { 0 }, out = { 0 };
    /* Nothing of a hidden check runs, and nothing of it is told (no seed,
     * no number), before the official grade. */
    int skipped = c->visibility == VIS_HIDDEN && !o->hidden;
    res->n_seeds = skipped ? 0 : o->have_seed ? 1 : c->n_seeds;
    for (size_t i = 0; i < res->n_seeds; i++)
        res->seeds[i] = o->have_seed ? o->seed : c->seeds[i];
    if (skipped) {
        res->outcome = OUTCOME_SKIPPED;
        text_add(&msg, "Hidden check: graded after submission, with hidden seeds "
                 "and hidden digits; nothing of it runs in a local grade.");
    } else if (!fb || fb->state == BUILD_MISSING) {
        res->outcome = OUTCOME_NOT_IMPLEMENTED;
        text_add(&msg, "%s was not found in the submission, so its functions "
                 "count as not implemented.", c->def->file);
    } else if (fb->state == BUILD_REFUSED) {
        res->outcome = OUTCOME_REFUSED;
        text_add(&msg, "%s", fb->reason);
        if (fb->log && fb->log[0])
            text_add(&out, "--- compiler output for %s ---\n%s", c->def->file, fb->log);
    } else {
        const uint64_t *seeds = res->seeds;
        size_t n_seeds = res->n_seeds;
        size_t n_cases = 0;
        while (n_cases < CHECK_MAX_CASES && c->def->cases[n_cases])
            n_cases++;
        size_t runs = n_seeds * (n_cases ? n_cases : 1), passed = 0;
        double total = 0;
        outcome_t first_bad = OUTCOME_PASSED;
        int any_error = 0;
        verdict_t v;
        char last[sizeof v.message] = "";
        size_t repeats = 0;
        int stop = 0;
        for (size_t s = 0; s < n_seeds && !stop; s++) {
            for (size_t k = 0; k < (n_cases ? n_cases : 1) && !stop; k++) {
                const char *cn = n_cases ? c->def->cases[k] : NULL;
                run_case(&v, &out, env, fb->runner, c, seeds[s], cn,
                         c->visibility == VIS_HIDDEN, &g->cache);
                total += v.score;
                passed += v.outcome == OUTCOME_PASSED;
                any_error |= v.outcome == OUTCOME_ERROR;
                if (v.outcome != OUTCOME_PASSED && first_bad == OUTCOME_PASSED)
                    first_bad = v.outcome;
                /* A loop rarely depends on the inputs, and each further
                 * case would cost a whole timeout: the rest of this check
                 * is not run (and scores nothing). */
                if (v.outcome == OUTCOME_TIMED_OUT && s * (n_cases ? n_cases : 1) + k + 1 < runs) {
                    stop = 1;
                    verdict_append(&v, "\nThe remaining %zu cases of this check were "
                                   "not run.", runs - (s * (n_cases ? n_cases : 1) + k + 1));
                }
                /* Every case that did not pass is told (once, when several
                 * say the same); a passing check tells its first case, to
                 * show the margin. */
                if (v.outcome == OUTCOME_PASSED && !(s == 0 && k == 0))
                    continue;
                if (strcmp(v.message, last) == 0) {
                    repeats++;
                    continue;
                }
                snprintf(last, sizeof last, "%s", v.message);
                if (runs > 1)
                    text_add(&msg, "%s[seed %" PRIu64 "%s%s] %s: %s", msg.len ? "\n\n" : "",
                             seeds[s], cn ? ", " : "", cn ? cn : "",
                             outcome_label(v.outcome), v.message);
                else
                    text_add(&msg, "%s", v.message);
            }
        }
        if (repeats)
            text_add(&msg, "\n(%zu more cases said the same.)", repeats);
        double frac = total / (double)runs;
        res->score = c->points * frac;
        if (any_error)
            res->outcome = OUTCOME_ERROR, res->score = 0;
        else if (passed == runs)
            res->outcome = OUTCOME_PASSED;
        else if (frac > 0)
            res->outcome = OUTCOME_PARTIAL;
        else
            res->outcome = first_bad;
        if (passed > 0 && passed < runs)
            text_add(&msg, "\n\n%zu of %zu cases passed.", passed, runs);
    }
    release_utils_note(&msg, g, res);
    res->message = text_take(&msg);
    res->output = text_take(&out);
    res->seconds = now_s() - t0;
}

/* What a check costs the reference on this machine: the sum of its cases'
 * measurements when all are cached; a check not yet measured counts as
 * long when it trains (ref_inputs: the short runs), else as short. */
static double check_cost(const check_conf_t *c, const grade_env_t *env,
                         const grade_options_t *o, const ref_cache_t *cache)
{
    if (c->visibility == VIS_HIDDEN && !o->hidden)
        return 0;   /* not run */
    size_t n_seeds = o->have_seed ? 1 : c->n_seeds, n_cases = 0;
    while (n_cases < CHECK_MAX_CASES && c->def->cases[n_cases])
        n_cases++;
    double total = 0;
    for (size_t s = 0; s < n_seeds; s++)
        for (size_t k = 0; k < (n_cases ? n_cases : 1); k++) {
            runner_args_t ra;
            ref_calib_t cal;
            runner_args(&ra, env->runner_ref, env, c, o->have_seed ? o->seed : c->seeds[s],
                        n_cases ? c->def->cases[k] : NULL, 0,
                        c->visibility == VIS_HIDDEN, 0);
            if (!ref_cache_get_calib(cache, ra.argv, &cal))
                return c->def->ref_inputs[0] ? 1e9 : 0;
            total += cal.cpu_s;
        }
    return total;
}

/* ---- worker slots ------------------------------------------------------- */

typedef struct pool {
    pthread_mutex_t lock;
    size_t next, n;
    const size_t *order;     /* the order items are taken in, or NULL */
    void (*work)(struct pool *pl, size_t i);
    grade_run_t *g;
    const grade_env_t *env;
    const profile_t *p;
    const grade_options_t *o;
    int failed;
    char error[512];
} pool_t;

static void *worker(void *arg)
{
    pool_t *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next++;
        pthread_mutex_unlock(&pl->lock);
        if (i >= pl->n)
            return NULL;
        pl->work(pl, pl->order ? pl->order[i] : i);
    }
}

static void run_pool(pool_t *pl, int jobs)
{
    pthread_t th[64];
    int n = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
    int started = 0;
    pthread_mutex_init(&pl->lock, NULL);
    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, worker, pl) == 0)
            started++;
    if (!started)
        worker(pl);   /* no threads: do it all here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&pl->lock);
}

/* What a model file links for utils.c: the reference's utils.o; in release
 * mode, which has none, the student's own utils.c (built first), or the
 * stubs when it was not built. */
static const char *utils_object(const grade_run_t *g, const grade_env_t *env,
                                char *buf, size_t cap)
{
    const char *base = assignment_base_file(env->assignment);
    if (!env->release)
        return pathfmt(buf, cap, "%s/%s/%.*s.o", env->rel, env->assignment->ref_dir,
                       (int)(strlen(base) - 2), base) ? NULL : buf;
    const file_build_t *u = &g->builds[api_file_index(base)];
    return u->state == BUILD_OK ? u->object : NULL;
}

static void build_work(pool_t *pl, size_t i)
{
    grade_run_t *g = pl->g;
    char ref_utils[PATH_MAX];
    const char *utils = utils_object(g, pl->env, ref_utils, sizeof ref_utils);
    if (build_file(&g->builds[i], pl->env, g->jail, pl->p, &g->sub.files[i], (int)i,
                   utils) != VG_OK) {
        pthread_mutex_lock(&pl->lock);
        pl->failed = 1;
        snprintf(pl->error, sizeof pl->error, "building %s: %s",
                 api_files()[i].name, vg_error_last());
        pthread_mutex_unlock(&pl->lock);
        g->builds[i].state = BUILD_REFUSED;
        snprintf(g->builds[i].reason, sizeof g->builds[i].reason,
                 "grader error while building %s: %s", api_files()[i].name,
                 vg_error_last());
    }
}

/* The compile jail, once per grading. Without one, --require-isolation
 * makes every present file a grader error (results still written). */
static int prepare_jail(grade_run_t *g, const grade_env_t *env, const grade_options_t *o)
{
    const char *why = NULL;
    g->jail = calloc(1, sizeof *g->jail);
    if (!g->jail)
        why = "no memory for the compile jail";
    else if (jail_setup(g->jail, env, o->isolation, o->compile_uid) != VG_OK)
        why = vg_error_last();
    else if (o->require_isolation && g->jail->tier == JAIL_NONE)
        why = "--require-isolation: no compile isolation is available on this "
              "machine (see \"compile isolation\" above)";
    if (!why)
        return VG_OK;
    g->grader_failed = 1;
    snprintf(g->grader_error, sizeof g->grader_error, "%s", why);
    for (int i = 0; i < api_n_files(); i++)
        if (g->sub.files[i].present) {
            g->builds[i].state = BUILD_REFUSED;
            snprintf(g->builds[i].reason, sizeof g->builds[i].reason,
                     "grader error: not compiled: %s", why);
        }
    return VG_ERR;
}

static void check_work(pool_t *pl, size_t i)
{
    run_check(&pl->g->results[i], pl->g, pl->env, pl->o);
}

int grade_submission(grade_run_t *g, const grade_env_t *env, const profile_t *p,
                     const char *dir, const grade_options_t *o)
{
    memset(g, 0, sizeof *g);
    double t0 = now_s();
    snprintf(g->dir, sizeof g->dir, "%s", dir);
    /* The reference data: a release's (read), or make release-data's
     * (written); else runner-ref's own cache, set up below. */
    g->release = env->release;
    if (env->release && o->write_refdata)
        return vg_error_set("--write-reference-data needs runner-ref, and this is "
                            "a release (no runner-ref)");
    if ((env->release || o->write_refdata) &&
        ref_cache_init_release(&g->cache, env, env->release ? env->refdata
                               : o->write_refdata, !env->release) != VG_OK)
        return VG_ERR;
    g->results = calloc(p->n_checks + 1, sizeof *g->results);
    if (!g->results)
        return vg_error_set("no memory for %zu results", p->n_checks);
    for (size_t i = 0; i < p->n_checks; i++)
        if (!o->only || grade_only_lists(o->only, p->checks[i].id))
            g->results[g->n_results++].conf = &p->checks[i];

    if (submission_scan(&g->sub, dir, p->max_file_bytes) == VG_OK) {
        g->scanned = 1;
        g->assignment = env->assignment;
        /* A file the assignment does not ask for (sysu-hw4's gmvae.c) is
         * one more ignored file: never built, never "not found". */
        for (int i = 0; i < api_n_files(); i++)
            if (!assignment_asks(env->assignment, api_files()[i].name) &&
                g->sub.files[i].present) {
                memset(&g->sub.files[i], 0, sizeof g->sub.files[i]);
                g->sub.n_ignored++;
            }
    } else {
        snprintf(g->grader_error, sizeof g->grader_error, "%s", vg_error_last());
    }
    if (g->scanned && prepare_jail(g, env, o) == VG_OK) {
        /* In release mode the model files link utils.c's object: it is
         * built first, alone. */
        size_t order[API_MAX_FILES], n_first = 0, k = 0;
        int u = api_file_index("utils.c");
        if (env->release)
            order[k++] = (size_t)u, n_first = 1;
        for (int i = 0; i < api_n_files(); i++)
            if (!env->release || i != u)
                order[k++] = (size_t)i;
        pool_t first = { .n = n_first, .order = order, .work = build_work, .g = g,
                         .env = env, .p = p, .o = o };
        pool_t rest = { .n = (size_t)api_n_files() - n_first, .order = order + n_first,
                        .work = build_work, .g = g, .env = env, .p = p, .o = o };
        run_pool(&first, 1);
        run_pool(&rest, o->jobs);
        const pool_t *bad = first.failed ? &first : rest.failed ? &rest : NULL;
        if (bad) {
            g->grader_failed = 1;
            snprintf(g->grader_error, sizeof g->grader_error, "%s", bad->error);
        }
    }
    for (int i = 0; i < api_n_files(); i++) {
        g->n_present += g->sub.files[i].present;
        g->n_built += g->builds[i].state == BUILD_OK;
    }
    if (!g->scanned) {
        /* Nothing to build: said once (the report and the results carry
         * the reason), not once per check. */
        g->n_results = 0;
        g->grader_failed = 1;
    } else {
        /* The longest checks first (by the reference's measured time),
         * so that a short-run training does not start last and stretch the
         * grade; results stay in catalogue order. */
        if (!g->cache.release)
            ref_cache_init(&g->cache, env, !o->no_cache);
        double *cost = malloc((g->n_results + 1) * sizeof *cost);
        size_t *order = malloc((g->n_results + 1) * sizeof *order);
        if (!cost) {
            /* Catalogue order, then. */
            free(order);
            order = NULL;
        }
        for (size_t i = 0; order && cost && i < g->n_results; i++) {
            order[i] = i;
            cost[i] = check_cost(g->results[i].conf, env, o, &g->cache);
        }
        for (size_t i = 1; order && cost && i < g->n_results; i++)
            for (size_t j = i; j > 0 && cost[order[j - 1]] < cost[order[j]]; j--) {
                size_t t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
        free(cost);
        pool_t cp = { .n = g->n_results, .order = order, .work = check_work, .g = g,
                      .env = env, .p = p, .o = o };
        run_pool(&cp, o->jobs);
        free(order);
    }
    for (size_t i = 0; i < g->n_results; i++)
        if (g->results[i].outcome == OUTCOME_ERROR && !g->grader_failed) {
            g->grader_failed = 1;
            snprintf(g->grader_error, sizeof g->grader_error, "check %s: %.900s",
                     g->results[i].conf->id, g->results[i].message);
        }
    g->seconds = now_s() - t0;
    return VG_OK;
}

void grade_free(grade_run_t *g)
{
    for (size_t i = 0; i < g->n_results; i++) {
        free(g->results[i].message);
        free(g->results[i].output);
    }
    free(g->results);
    for (int i = 0; i < api_n_files(); i++)
        build_free(&g->builds[i]);
    free(g->jail);
    memset(g, 0, sizeof *g);
}
