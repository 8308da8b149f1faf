/* sandbox_filter.c: the runner's seccomp filter (sandbox_filter.h). The
 * default action traps, so a forbidden call is named rather than silently
 * failed; executable mappings are refused, so code cannot be loaded either.
 * As root (in CI) RLIMIT_NPROC binds nothing: this filter is what stops
 * fork, clone and execve. Installed by the runner's child after fork, so
 * the pid that tgkill may name is the child's own, never the parent's. */
#include "runner/sandbox_filter.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <seccomp.h>

#include "runner/arena.h"
#include "runner/runner.h"
#include "vg_error.h"

static void on_sigsys(int sig, siginfo_t *info, void *uctx)
{
    (void)sig;
    (void)uctx;
    arena_put_event("sigsys", (unsigned long long)info->si_syscall);
    _exit(RUNNER_EXIT_SIGSYS);
}

int sandbox_filter_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSYS, &sa, NULL) != 0)
        return vg_error_set("sandbox filter: sigaction(SIGSYS): %s", strerror(errno));

    scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
    if (!f)
        return vg_error_set("sandbox filter: seccomp_init failed");
    int rc = 0;
#define ALLOW(name) rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(name), 0)
    /* Memory: malloc's brk and mmap arenas; nothing executable. */
    ALLOW(brk);
    ALLOW(munmap);
    ALLOW(mremap);
    ALLOW(madvise);
    /* OpenBLAS binds its GEMM buffers to a NUMA node when it first maps
     * them; a memory policy on its own pages. */
    ALLOW(mbind);
    rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
                           SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
                           SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    /* Output only on stdout and stderr: the child has no result pipe (its
     * results go to the arena), and the descriptors it still holds (the
     * setup pipe) are not for it. writev is what glibc's fatal-error
     * messages use. */
    for (int fd = 1; fd <= 2; fd++) {
        rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
                               SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
        rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(writev), 1,
                               SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
    }
    /* stdio's probes of its streams. */
    ALLOW(read);
    ALLOW(fstat);
    ALLOW(newfstatat);
    ALLOW(lseek);
    /* Time, locks, ending. */
    ALLOW(clock_gettime);
    ALLOW(clock_getres);
    ALLOW(gettimeofday);
    ALLOW(futex);
    ALLOW(sched_yield);
    ALLOW(exit);
    ALLOW(exit_group);
    ALLOW(rt_sigreturn);
    /* abort() (assert) raises SIGABRT on itself: the crash is then reported
     * as SIGABRT, not as a forbidden call. */
    ALLOW(rt_sigprocmask);
    ALLOW(rt_sigaction);
    ALLOW(getpid);
    ALLOW(gettid);
    rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                           SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
#undef ALLOW
    if (rc != 0) {
        seccomp_release(f);
        return vg_error_set("sandbox filter: a seccomp rule was refused (%d)", rc);
    }
    rc = seccomp_load(f);
    seccomp_release(f);
    if (rc != 0)
        return vg_error_set("sandbox filter: seccomp_load: %s", strerror(-rc));
    return VG_OK;
}
