/* sandbox.c: fork, rlimits, exec, and a poll loop that drains three pipes
 * (the result pipe up to its cap) while watching a monotonic deadline and
 * the process group's CPU time (sandbox.h). After Tango's
 * autodriver: the child gets a process group of its own, so one SIGKILL
 * reaches whatever it started; the output keeps its head and its tail.
 * Called from several driver threads at once: between fork and exec the
 * child makes async-signal-safe calls only. */
#include "sandbox/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/capture.h"
#include "vg_error.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

const char *sandbox_signal_name(int sig, char *buf, size_t len)
{
    const char *abbrev = sigabbrev_np(sig);
    const char *desc = sigdescr_np(sig);
    if (abbrev)
        snprintf(buf, len, "SIG%s (%s)", abbrev, desc ? desc : "?");
    else
        snprintf(buf, len, "signal %d", sig);
    return buf;
}

static void set_limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { soft, hard };
    setrlimit(resource, &rl);
}

/* The child's side: only async-signal-safe calls until exec. errpipe
 * carries errno back when exec fails (it closes on a successful exec). */
static void child(char *const argv[], char *const envp[],
                  const sandbox_limits_t *lim, int out_w, int err_w,
                  int res_w, int errpipe_w, int in_r)
{
    setpgid(0, 0);
    /* errpipe moves above the four descriptors we are about to set, so no
     * dup2 below can overwrite it; it closes by itself on exec. */
    int ep = fcntl(errpipe_w, F_DUPFD_CLOEXEC, 16);
    if (ep < 0)
        _exit(127);
    errpipe_w = ep;
    if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0 ||
        (res_w >= 0 && dup2(res_w, 3) < 0))
        goto fail;
    /* dup2 cleared close-on-exec on 0..3; everything else goes, including
     * descriptors other driver threads opened. */
    if (res_w < 0)
        close(3);
    close_range(4, (unsigned)ep - 1, 0);
    close_range((unsigned)ep + 1, ~0U, 0);
    if (lim->cpu_s > 0) {
        rlim_t cpu = (rlim_t)(lim->cpu_s + 0.999);
        set_limit(RLIMIT_CPU, cpu, cpu + 1);
    }
    if (lim->mem_bytes > 0)
        set_limit(RLIMIT_AS, lim->mem_bytes, lim->mem_bytes);
    if (lim->nproc >= 0)
        set_limit(RLIMIT_NPROC, (rlim_t)lim->nproc, (rlim_t)lim->nproc);
    if (lim->no_files)
        set_limit(RLIMIT_FSIZE, 0, 0);
    set_limit(RLIMIT_CORE, 0, 0);
    if (lim->child_setup) {
        int e = lim->child_setup(lim->child_arg);
        if (e) {
            errno = e;
            goto fail;
        }
    }
    execve(argv[0], argv, envp);
fail:;
    int e = errno;
    ssize_t ignored = write(errpipe_w, &e, sizeof e);
    (void)ignored;
    _exit(127);
}

/* The CPU time, in clock ticks, of every process in group pgid (their
 * own and their reaped children's): /proc/N/stat fields 5 and 14-17. A
 * runner may fork, and its child's time shows nowhere else until reaped. */
static unsigned long long group_ticks(pid_t pgid)
{
    unsigned long long total = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], line[1024];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        ssize_t n = read(fd, line, sizeof line - 1);
        close(fd);
        if (n <= 0)
            continue;
        line[n] = '\0';
        /* The name (field 2) may hold spaces and parentheses: after the
         * last ')'. */
        const char *p = strrchr(line, ')');
        long pgrp;
        unsigned long long ut, st, cut, cst;
        if (p && sscanf(p + 2, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u "
                        "%llu %llu %llu %llu", &pgrp, &ut, &st, &cut, &cst) == 5 &&
            pgrp == (long)pgid)
            total += ut + st + cut + cst;
    }
    if (d)
        closedir(d);
    return total;
}

typedef struct stream {
    int fd;          /* -1 once closed */
    capture_t cap;
} stream_t;

/* Appends to the result; returns 1 when n bytes would pass the limit
 * (nothing is kept of them then), 0, or VG_ERR on no memory. */
static int grow_result(sandbox_run_t *r, size_t *cap, const char *buf,
                       size_t n, size_t limit)
{
    if (n > limit - r->result_len)
        return 1;
    if (r->result_len + n > *cap) {
        size_t want = *cap ? *cap : 65536;
        while (want < r->result_len + n)
            want *= 2;
        if (want > limit)
            want = limit;
        unsigned char *p = realloc(r->result, want);
        if (!p)
            return vg_error_set("sandbox: no memory for a %zu-byte result", want);
        r->result = p;
        *cap = want;
    }
    memcpy(r->result + r->result_len, buf, n);
    r->result_len += n;
    return 0;
}

static double tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + 1e-6 * (double)tv.tv_usec;
}

int sandbox_run(sandbox_run_t *r, char *const argv[], char *const envp[],
                const sandbox_limits_t *lim, int want_result,
                const void *input, size_t input_len)
{
    struct iovec one = { (void *)input, input_len };
    return sandbox_runv(r, argv, envp, lim, want_result, &one, input ? 1 : 0);
}

int sandbox_runv(sandbox_run_t *r, char *const argv[], char *const envp[],
                 const sandbox_limits_t *lim, int want_result,
                 const struct iovec *in, size_t n_in)
{
    int status = VG_ERR;
    int has_input = n_in > 0;
    size_t in_k = 0;
    int p_out[2] = { -1, -1 }, p_err[2] = { -1, -1 }, p_res[2] = { -1, -1 };
    int p_exec[2] = { -1, -1 }, p_in[2] = { -1, -1 };
    int devnull = -1;
    size_t in_off = 0;
    stream_t s[3] = { { -1, { 0 } }, { -1, { 0 } }, { -1, { 0 } } };
    size_t result_cap = 0;
    pid_t pid = -1;

    memset(r, 0, sizeof *r);
    if (capture_init(&s[0].cap, lim->output_limit) ||
        capture_init(&s[1].cap, lim->output_limit))
        goto cleanup;
    int piped = pipe2(p_out, O_CLOEXEC) || pipe2(p_err, O_CLOEXEC) ||
                pipe2(p_exec, O_CLOEXEC) ||
                (want_result && pipe2(p_res, O_CLOEXEC)) ||
                (has_input && pipe2(p_in, O_CLOEXEC));
    /* pipe2 leaves the pair at -1 when it fails, so cleanup is exact. */
    s[0].fd = p_out[0];
    s[1].fd = p_err[0];
    s[2].fd = p_res[0];
    if (piped) {
        vg_error_set("sandbox: pipe: %s", strerror(errno));
        goto cleanup;
    }
    devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull < 0) {
        vg_error_set("sandbox: /dev/null: %s", strerror(errno));
        goto cleanup;
    }

    double start = now_s();
    pid = fork();
    if (pid < 0) {
        vg_error_set("sandbox: fork: %s", strerror(errno));
        goto cleanup;
    }
    if (pid == 0)
        child(argv, envp, lim, p_out[1], p_err[1], p_res[1], p_exec[1],
              has_input ? p_in[0] : devnull);
    /* Set the group from this side too, so that a kill cannot race the
     * child's own setpgid. */
    setpgid(pid, pid);
    close(p_out[1]); p_out[1] = -1;
    close(p_err[1]); p_err[1] = -1;
    close(p_exec[1]); p_exec[1] = -1;
    if (p_res[1] >= 0) { close(p_res[1]); p_res[1] = -1; }
    if (p_in[0] >= 0) {
        close(p_in[0]);
        p_in[0] = -1;
        /* Never block on a child that stops reading: write what fits. */
        fcntl(p_in[1], F_SETFL, O_NONBLOCK);
        while (in_k < n_in && in[in_k].iov_len == 0)
            in_k++;
        if (in_k == n_in) {
            close(p_in[1]);
            p_in[1] = -1;
        }
    }

    int exec_errno = 0;
    ssize_t got = read(p_exec[0], &exec_errno, sizeof exec_errno);
    if (got == (ssize_t)sizeof exec_errno) {
        snprintf(r->start_error, sizeof r->start_error, "cannot run %s: %s",
                 argv[0], strerror(exec_errno));
    } else {
        r->started = 1;
    }

    double deadline = start + lim->wall_s;
    /* The stall watch: the group's CPU time, sampled once a second. */
    unsigned long long ticks = 0;
    double progress_at = start, sampled_at = start;
    int reaped = 0, wstatus = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    char buf[65536];
    for (;;) {
        struct pollfd pfd[4];
        int idx[4], nfd = 0;
        for (int i = 0; i < 3; i++)
            if (s[i].fd >= 0) {
                pfd[nfd].fd = s[i].fd;
                pfd[nfd].events = POLLIN;
                idx[nfd++] = i;
            }
        int n_read = nfd;
        if (p_in[1] >= 0) {
            pfd[nfd].fd = p_in[1];
            pfd[nfd].events = POLLOUT;
            idx[nfd++] = 3;
        }
        if (n_read == 0) {
            /* Every pipe is closed: the child may still be running. */
            pid_t w = wait4(pid, &wstatus, WNOHANG, &ru);
            if (w == pid) {
                reaped = 1;
                break;
            }
        }
        double now = now_s();
        if (lim->stall_s > 0 && !r->timed_out && now - sampled_at >= 1.0) {
            unsigned long long t = group_ticks(pid);
            if (t != ticks)
                progress_at = now;
            ticks = t;
            sampled_at = now;
            if (now - progress_at > lim->stall_s) {
                r->stalled = 1;
                deadline = now;
            }
        }
        double left = deadline - now;
        if (left <= 0 && !r->timed_out) {
            r->timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            /* Drain what is already there, then stop waiting for more. */
            deadline = now_s() + 2.0;
            continue;
        }
        if (left <= 0 && r->timed_out)
            break;
        int wait_ms = n_read == 0 ? 5 : (int)(left * 1000.0) + 1;
        if (lim->stall_s > 0 && wait_ms > 1000)
            wait_ms = 1000;
        int n = poll(nfd ? pfd : NULL, (nfds_t)nfd, wait_ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            vg_error_set("sandbox: poll: %s", strerror(errno));
            kill(-pid, SIGKILL);
            goto cleanup;
        }
        for (int j = 0; j < nfd; j++) {
            if (idx[j] == 3) {
                if (!pfd[j].revents)
                    continue;
                const char *piece = in[in_k].iov_base;
                ssize_t w = (pfd[j].revents & POLLOUT)
                    ? write(p_in[1], piece + in_off, in[in_k].iov_len - in_off)
                    : -1;
                if (w > 0)
                    in_off += (size_t)w;
                while (in_k < n_in && in_off == in[in_k].iov_len) {
                    in_k++;
                    in_off = 0;
                }
                /* Done, or the child closed its end (EPIPE): EOF for it. */
                if (in_k == n_in || (w < 0 && errno != EAGAIN && errno != EINTR)) {
                    close(p_in[1]);
                    p_in[1] = -1;
                }
                continue;
            }
            if (!(pfd[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            stream_t *st = &s[idx[j]];
            ssize_t rd = read(st->fd, buf, sizeof buf);
            if (rd <= 0) {
                if (rd < 0 && errno == EINTR)
                    continue;
                close(st->fd);
                st->fd = -1;
                continue;
            }
            if (idx[j] < 2) {
                capture_append(&st->cap, buf, (size_t)rd);
                continue;
            }
            int over = grow_result(r, &result_cap, buf, (size_t)rd, lim->result_limit);
            if (over < 0)
                goto cleanup;
            if (over) {
                /* More than the check can produce: nothing it writes
                 * later can be worth reading, so it stops here and the
                 * driver's memory stays at the limit. */
                r->result_overflow = 1;
                kill(-pid, SIGKILL);
                kill(pid, SIGKILL);
                close(st->fd);
                st->fd = -1;
            }
        }
    }
    if (!reaped) {
        /* A timed-out child: it was killed; wait for it for good. */
        kill(-pid, SIGKILL);
        while (wait4(pid, &wstatus, 0, &ru) < 0 && errno == EINTR)
            ;
    }
    pid = -1;
    r->wall_s = now_s() - start;
    r->cpu_s = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
    if (WIFEXITED(wstatus)) {
        r->exited = 1;
        r->exit_code = WEXITSTATUS(wstatus);
    } else if (WIFSIGNALED(wstatus)) {
        r->signaled = 1;
        r->signal = WTERMSIG(wstatus);
    }
    r->out = capture_text(&s[0].cap);
    r->err = capture_text(&s[1].cap);
    r->out_total = s[0].cap.total;
    r->err_total = s[1].cap.total;
    if (!r->out || !r->err) {
        vg_error_set("sandbox: no memory for captured output");
        goto cleanup;
    }
    status = VG_OK;

cleanup:
    if (pid > 0) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    for (int i = 0; i < 3; i++)
        if (s[i].fd >= 0)
            close(s[i].fd);
    int fds[] = { p_out[1], p_err[1], p_res[1], p_exec[0], p_exec[1], p_in[0],
                  p_in[1], devnull };
    for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    capture_free(&s[0].cap);
    capture_free(&s[1].cap);
    if (status != VG_OK)
        sandbox_run_free(r);
    return status;
}

void sandbox_run_free(sandbox_run_t *r)
{
    free(r->out);
    free(r->err);
    free(r->result);
    r->out = r->err = NULL;
    r->result = NULL;
}
