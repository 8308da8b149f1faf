/* sandbox_filter.h: the runner's half of the sandbox. Installed after the
 * trusted preparation and before any submission code: a seccomp filter that
 * allows what computing and writing to stdout and stderr need, and a SIGSYS
 * handler that names (by number) any other system call in the result arena
 * before the process dies. Not the rlimits or the timeout: the driver sets
 * those when it starts the runner (grader/sandbox/sandbox.c). */
#ifndef VG_RUNNER_SANDBOX_FILTER_H
#define VG_RUNNER_SANDBOX_FILTER_H

/* Installs the handler and the filter in the calling process (the runner's
 * child). Returns VG_OK or VG_ERR with a message. */
int sandbox_filter_install(void);

#endif
