/* build.c: compile, gate, guard, link (build.h). Every tool runs through
 * the sandbox (timeout, memory cap, captured output); only the compiler's
 * output reaches the student, the rest is ours. */
#include "driver/build.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "driver/api.h"
#include "driver/copy_file.h"
#include "sandbox/jail.h"
#include "driver/pathfmt.h"
#include "sandbox/sandbox.h"
#include "sandbox/symbols.h"
#include "vg_error.h"

#define TOOL_OUTPUT_LIMIT (16u << 10)
#define TOOL_MEMORY (2048ul << 20)

static const char *const fixed_flags[] = {
    "-std=c11", "-O2", "-D_GNU_SOURCE", "-Wall", "-Wextra", NULL,
};

const char *build_flags_text(void)
{
    return "gcc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -I<a copy of include/> -c FILE";
}

static char *const tool_env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };

/* Runs a tool, in the jail when call is not NULL (then with envp); its
 * stderr and stdout (in that order) go to *log when log is not NULL.
 * Returns VG_ERR when it could not be run at all; *ok says whether it
 * exited 0 within the time. */
static int run_tool(char *const argv[], double timeout_s, const jail_call_t *call,
                    char *const envp[], int *ok, char **log, char *why, size_t why_len)
{
    sandbox_limits_t lim = {
        .wall_s = timeout_s, .cpu_s = timeout_s + 1, .mem_bytes = TOOL_MEMORY, .nproc = -1,
        .output_limit = TOOL_OUTPUT_LIMIT, .child_setup = call ? jail_enter : NULL,
        .child_arg = call,
    };
    sandbox_run_t r;
    if (sandbox_run(&r, argv, call ? envp : tool_env, &lim, 0, NULL, 0) != VG_OK)
        return VG_ERR;
    *ok = r.started && r.exited && r.exit_code == 0;
    if (!r.started)
        snprintf(why, why_len, "%s", r.start_error);
    else if (r.timed_out)
        snprintf(why, why_len, "%s took longer than %.0f s and was stopped",
                 argv[0], timeout_s);
    else if (r.signaled)
        snprintf(why, why_len, "%s was killed by signal %d", argv[0], r.signal);
    else if (!*ok)
        snprintf(why, why_len, "%s exited with status %d", argv[0], r.exit_code);
    if (log) {
        size_t n = strlen(r.err) + strlen(r.out) + 1;
        *log = malloc(n);
        if (*log)
            snprintf(*log, n, "%s%s", r.err, r.out);
    }
    int started = r.started;
    sandbox_run_free(&r);
    return started ? VG_OK : VG_ERR;
}

static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The next path of a make dependency list: whitespace separates, "\ " is
 * a space inside a name, backslash-newline continues the line, "$$" is a
 * dollar. Returns 0 at the end. */
static int next_dep(FILE *f, char *out, size_t cap)
{
    size_t n = 0;
    int c;
    for (;;) {
        c = fgetc(f);
        if (c == EOF)
            break;
        if (c == '\\') {
            int d = fgetc(f);
            if (d == ' ' || d == '#') {
                c = d;
            } else if (d == '\n') {
                if (n)
                    break;
                continue;
            } else {
                if (d != EOF)
                    ungetc(d, f);
            }
        } else if (c == '$') {
            int d = fgetc(f);
            if (d != '$' && d != EOF)
                ungetc(d, f);
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (n)
                break;
            continue;
        }
        if (n + 1 < cap)
            out[n++] = (char)c;
    }
    out[n] = '\0';
    return n > 0;
}

/* Every header the compiler read (its -MD dependency file) must be the
 * course's (include/) or the system's; anything else, such as a file of the
 * grader's, is refused with its name. */
static int check_includes(file_build_t *fb, const char *include,
                          const char *dep_path, const char *src, const char *shown)
{
    FILE *f = fopen(dep_path, "r");
    if (!f) {
        snprintf(fb->reason, sizeof fb->reason, "%s: the compiler left no "
                 "dependency list", shown);
        return 0;
    }
    static const char *const system_dirs[] = {
        "/usr/include", "/usr/lib/gcc", "/usr/local/include", NULL,
    };
    char word[PATH_MAX], real[PATH_MAX], src_real[PATH_MAX];
    if (!realpath(src, src_real))
        pathfmt(src_real, sizeof src_real, "%s", src);
    int in_target = 1, ok = 1;
    while (ok && next_dep(f, word, sizeof word)) {
        size_t n = strlen(word);
        if (in_target) {
            /* "utils.o:" (the -MP phony targets never come: no -MP). */
            in_target = word[n - 1] != ':';
            continue;
        }
        if (strcmp(word, ":") == 0)
            continue;
        if (!realpath(word, real)) {
            snprintf(fb->reason, sizeof fb->reason, "%s: includes %s, which "
                     "cannot be resolved", shown, word);
            ok = 0;
            break;
        }
        if (strcmp(real, src_real) == 0 || under(real, include))
            continue;
        int sys = 0;
        for (size_t i = 0; system_dirs[i]; i++)
            sys |= under(real, system_dirs[i]);
        if (!sys) {
            snprintf(fb->reason, sizeof fb->reason, "%s: includes %s, which is "
                     "neither a course header (include/) nor a system header; "
                     "each file is compiled on its own", shown, word);
            ok = 0;
        }
    }
    fclose(f);
    return ok;
}

/* Removes every "dir/" from the compiler's output in place, so messages
 * say utils.c:8:1, not the work directory's path. */
static void strip_prefix(char *log, const char *dir)
{
    if (!log)
        return;
    char prefix[PATH_MAX + 2];
    if (pathfmt(prefix, sizeof prefix, "%s/", dir))
        return;
    size_t n = strlen(prefix);
    char *w = log;
    for (const char *r = log; *r;) {
        if (strncmp(r, prefix, n) == 0) {
            r += n;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

static void refuse(file_build_t *fb, const char *fmt, const char *a, const char *b)
{
    fb->state = BUILD_REFUSED;
    snprintf(fb->reason, sizeof fb->reason, fmt, a, b);
}

/* The runner's objects besides this file's: the other files are the weak
 * not-implemented stubs (weak_api.o), so a file reaches no other file's
 * code; a model file also gets utils_obj (the reference's utils.o, so a bug
 * in utils.c costs only the utils checks). */
static size_t link_inputs(char *argv[], size_t a, char paths[][PATH_MAX + 32],
                          const grade_env_t *env, const api_file_t *file,
                          const char *utils_obj)
{
    size_t k = 0;
    const assignment_t *asg = env->assignment;
    if (strcmp(file->name, assignment_base_file(asg)) != 0 && utils_obj)
        snprintf(paths[k++], PATH_MAX + 32, "%s", utils_obj);
    snprintf(paths[k++], PATH_MAX + 32, "%s/%s", env->rel, asg->weak_api);
    /* The runner core finds the assignment's task table and the tasks call
     * the core: the two archives are one group. */
    snprintf(paths[k++], PATH_MAX + 32, "-Wl,--start-group");
    snprintf(paths[k++], PATH_MAX + 32, "%s/%s", env->rel, asg->tasks_lib);
    snprintf(paths[k++], PATH_MAX + 32, "%s/lib/librunner.a", env->rel);
    snprintf(paths[k++], PATH_MAX + 32, "-Wl,--end-group");
    snprintf(paths[k++], PATH_MAX + 32, "%s/libnumcheck.a", env->rel);
    snprintf(paths[k++], PATH_MAX + 32, "%s/libframework.a", env->rel);
    for (size_t i = 0; i < k; i++)
        argv[a++] = paths[i];
    return a;
}

int build_file(file_build_t *fb, const grade_env_t *env, const jail_t *jail,
               const profile_t *p, const sub_file_t *sf, int index,
               const char *utils_obj)
{
    memset(fb, 0, sizeof *fb);
    const api_file_t *file = &api_files()[index];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (!sf->present)
        return VG_OK;
    if (sf->refused) {
        fb->state = BUILD_REFUSED;
        pathfmt(fb->reason, sizeof fb->reason, "%s", sf->reason);
        return VG_OK;
    }

    char stem[32];
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(file->name) - 2), file->name);
    char dir[PATH_MAX], src[PATH_MAX + 64], obj[PATH_MAX + 64], dep[PATH_MAX + 64];
    char guarded[PATH_MAX + 64], inc[PATH_MAX + 8], tmpdir[PATH_MAX + 8];
    if (pathfmt(dir, sizeof dir, "%s/%s", env->work, stem) ||
        pathfmt(src, sizeof src, "%s/%s", dir, file->name) ||
        pathfmt(obj, sizeof obj, "%s/%s.o", dir, stem) ||
        pathfmt(dep, sizeof dep, "%s/%s.d", dir, stem) ||
        pathfmt(guarded, sizeof guarded, "%s/%s.guarded.o", dir, stem) ||
        pathfmt(inc, sizeof inc, "-I%s", jail->include) ||
        pathfmt(tmpdir, sizeof tmpdir, "TMPDIR=%s", dir) ||
        pathfmt(fb->runner, sizeof fb->runner, "%s/runner-sub-%s", dir, stem))
        return VG_ERR;
    if (mkdir(dir, 0700) != 0)
        return vg_error_set("cannot make %s: %s", dir, strerror(errno));
    /* A private copy: the compiler never sees the student's directory (no
     * sibling headers), and the path in messages is stable. The jail's
     * compiler owns its directory: it writes the object there. */
    if (copy_file(sf->path, src, 0644) || jail_own_dir(jail, dir) || jail_own_dir(jail, src))
        return VG_ERR;

    /* 1. Compile alone, with the fixed flags. */
    char *argv[64];
    size_t a = 0;
    argv[a++] = (char *)env->cc;
    for (size_t i = 0; fixed_flags[i]; i++)
        argv[a++] = (char *)fixed_flags[i];
    /* A further assignment's own API header first (include/<name>/), then
     * the shared headers. */
    char inc_api[PATH_MAX + 80];
    if (env->assignment->api_dir[0]) {
        if (pathfmt(inc_api, sizeof inc_api, "%s/%s", inc, env->assignment->api_dir))
            return VG_ERR;
        argv[a++] = inc_api;
    }
    argv[a++] = inc;
    argv[a++] = "-MD";
    argv[a++] = "-MF";
    argv[a++] = dep;
    argv[a++] = "-c";
    argv[a++] = src;
    argv[a++] = "-o";
    argv[a++] = obj;
    argv[a] = NULL;
    int ok;
    char why[512] = "";
    char *cc_env[] = { "PATH=/usr/bin:/bin", "LC_ALL=C", tmpdir, NULL };
    jail_call_t call = { jail, dir };
    if (run_tool(argv, p->compile_timeout_s, &call, cc_env, &ok, &fb->log, why, sizeof why))
        return vg_error_set("cannot run the compiler: %s", why);
    strip_prefix(fb->log, dir);
    /* The headers' copy, <work>/include/x.h, is shown as include/x.h. */
    char work_real[PATH_MAX];
    pathfmt(work_real, sizeof work_real, "%s", jail->include);
    char *slash = strrchr(work_real, '/');
    if (slash)
        *slash = '\0';
    strip_prefix(fb->log, work_real);
    if (!ok) {
        refuse(fb, "%s does not compile (%s); the compiler's output follows",
               file->name, why);
        goto done;
    }

    /* 2. The include and symbol gates. */
    if (!check_includes(fb, jail->include, dep, src, file->name)) {
        fb->state = BUILD_REFUSED;
        goto done;
    }
    gate_report_t gate;
    if (symbols_gate(&gate, obj, file, file->name) != VG_OK)
        return VG_ERR;
    if (!gate.ok) {
        refuse(fb, "%s was refused by the symbol gate:\n%s", file->name, gate.message);
        goto done;
    }
    if (gate.warnings[0]) {
        size_t n = (fb->log ? strlen(fb->log) : 0) + strlen(gate.warnings) + 1;
        char *log = realloc(fb->log, n);
        if (!log)
            return vg_error_set("no memory for the gate's warnings");
        if (!fb->log)
            log[0] = '\0';
        strcat(log, gate.warnings);
        fb->log = log;
    }

    /* 3. Allocation through the guard, for "over memory" reports. */
    char *oc[] = { (char *)env->objcopy,
                   "--redefine-sym", "malloc=vg_guard_malloc",
                   "--redefine-sym", "calloc=vg_guard_calloc",
                   "--redefine-sym", "realloc=vg_guard_realloc",
                   obj, guarded, NULL };
    char *tool_log = NULL;
    if (run_tool(oc, 60, NULL, NULL, &ok, &tool_log, why, sizeof why) || !ok) {
        vg_error_set("objcopy failed on %s: %s %s", obj, why, tool_log ? tool_log : "");
        free(tool_log);
        return VG_ERR;
    }
    free(tool_log);

    /* 4. Link: this file, the others' stubs (and the reference utils.c
     * under a model file), the runner's main and tasks, the framework. */
    char inputs[12][PATH_MAX + 32];
    a = 0;
    argv[a++] = (char *)env->cc;
    argv[a++] = "-o";
    argv[a++] = fb->runner;
    argv[a++] = guarded;
    a = link_inputs(argv, a, inputs, env, file, utils_obj);
    for (size_t i = 0; i < env->n_libs && a < 62; i++)
        argv[a++] = (char *)env->libs[i];
    argv[a] = NULL;
    char *link_log = NULL;
    if (run_tool(argv, p->compile_timeout_s, NULL, NULL, &ok, &link_log, why, sizeof why)) {
        free(link_log);
        return vg_error_set("cannot run the linker: %s", why);
    }
    if (!ok) {
        /* The gate passed, so this is a call into a part of the framework
         * this build lacks: say so with the linker's words. */
        fb->state = BUILD_REFUSED;
        snprintf(fb->reason, sizeof fb->reason, "%s compiled but does not link "
                 "(%s):\n%s", file->name, why, link_log ? link_log : "");
        free(link_log);
        goto done;
    }
    free(link_log);
    fb->state = BUILD_OK;
    pathfmt(fb->object, sizeof fb->object, "%s", guarded);

done:
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fb->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    return VG_OK;
}

void build_free(file_build_t *fb)
{
    free(fb->log);
    fb->log = NULL;
}
