/* sandbox.h: runs one program in a fresh process under limits and collects
 * what it left: how it ended, its stdout and stderr captured apart (head and
 * tail kept), and the bytes of its result pipe (fd 3). The driver starts
 * every runner and every compiler through it. Not a policy: which limits,
 * and what an ending means for a grade, the caller decides. Not seccomp
 * either: the runner installs its own filter (runner/seccomp_filter.c). */
#ifndef VG_SANDBOX_H
#define VG_SANDBOX_H

#include <stddef.h>
#include <sys/uio.h>

typedef struct sandbox_limits {
    double wall_s;        /* SIGKILL to the process group after this */
    double cpu_s;         /* RLIMIT_CPU soft, rounded up (SIGXCPU); hard is
                           * 1 s more (SIGKILL); 0 leaves it */
    size_t mem_bytes;     /* RLIMIT_AS; 0 leaves it */
    long nproc;           /* RLIMIT_NPROC; < 0 leaves it (root ignores it) */
    int no_files;         /* RLIMIT_FSIZE 0: no file may grow */
    size_t output_limit;  /* bytes kept of stdout and of stderr, each */
    size_t result_limit;  /* bytes of the result pipe at most: one more and
                           * the group is killed (result_overflow) */
    double stall_s;       /* SIGKILL to the group once its CPU time has not
                           * moved for this long (blocked, stopped); 0: off */
    /* Called in the child after the limits, just before exec (the compile
     * jail: jail.h's jail_enter): async-signal-safe calls only; a non-zero
     * errno fails the start like a failed exec. NULL: none. */
    int (*child_setup)(const void *arg);
    const void *child_arg;
} sandbox_limits_t;

typedef struct sandbox_run {
    int started;          /* 0: the program could not be started */
    int exited, exit_code;
    int signaled, signal; /* ended by a signal (ours included) */
    int timed_out;        /* we killed it at the wall-clock limit */
    int stalled;          /* ... because its CPU time stood still */
    double wall_s;
    double cpu_s;         /* user + system time of the process (wait4) */
    char *out, *err;      /* kept text, NUL-terminated */
    size_t out_total, err_total; /* bytes the program wrote */
    unsigned char *result;/* malloc'd, so 8-byte aligned for proto_parse */
    size_t result_len;
    int result_overflow;  /* more than result_limit bytes came: killed */
    char start_error[256];/* why it could not be started */
} sandbox_run_t;

/* Runs argv[0] (a path) with envp, fd 3 the result pipe when want_result
 * is set, and stdin a pipe fed with input (input_len bytes, then EOF), or
 * /dev/null when input is NULL. Returns VG_ERR only when the sandbox itself
 * failed (no pipes, no fork); a program that cannot be exec'd, crashes or
 * times out is a normal return described in r. */
int sandbox_run(sandbox_run_t *r, char *const argv[], char *const envp[],
                const sandbox_limits_t *lim, int want_result,
                const void *input, size_t input_len);
/* The same with stdin fed from n_in pieces in turn (frames that lie in
 * another run's result, passed on without a copy); n_in 0: /dev/null. */
int sandbox_runv(sandbox_run_t *r, char *const argv[], char *const envp[],
                 const sandbox_limits_t *lim, int want_result,
                 const struct iovec *in, size_t n_in);
void sandbox_run_free(sandbox_run_t *r);

/* "SIGSEGV (Segmentation fault)" for a signal number, in buf. */
const char *sandbox_signal_name(int sig, char *buf, size_t len);

#endif
