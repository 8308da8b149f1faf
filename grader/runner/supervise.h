/* supervise.h: the runner's trusted parent. It forks; the child
 * (child_main in runner_main.c) prepares the task, calls submission code
 * and reports only through the arena; the parent waits for it, checks what it
 * left as untrusted bytes, and writes what the driver may believe on the
 * result pipe: the arrays of a complete run, the events, and the only
 * status frame. Never calls submission code. */
#ifndef VG_RUNNER_SUPERVISE_H
#define VG_RUNNER_SUPERVISE_H

#include <sys/types.h>

#include "runner/protocol.h"
#include "runner/runner.h"

/* How a run ended, the status frame's "result" (the driver classifies by
 * it, grade.c). */
#define RESULT_COMPLETE "complete"         /* the task ran to its end */
#define RESULT_SETUP_FAILED "setup_failed" /* trusted code failed before any
                                            * submission code ran */
#define RESULT_TASK_FAILED "task_failed"   /* the child says its task failed */
#define RESULT_INCOMPLETE "incomplete"     /* the child ended before its
                                            * status */
#define RESULT_MALFORMED "malformed"       /* the arena held what the runner
                                            * does not write */

/* Writes the status frame on ctx->result_fd: task, seed and role from ctx,
 * result, ok, the child's exit status (-1 when there was no child), the
 * function that said "not implemented" (or NULL), ctx->message, and the
 * count of non-finite values of each array of res (or none). */
void supervise_write_status(const runner_ctx_t *ctx, const char *result, int ok,
                            int exit_code, const char *not_implemented,
                            const proto_result_t *res);

/* Waits for the child pid and reports it (above). setup_fd is the read end
 * of the pipe on which the child's trusted code explains a failure before
 * the filter went on. Returns the runner's exit status; when a signal
 * killed the child, raises the same signal on itself instead, so the driver
 * sees the ending it would have seen of a single process. */
int supervise_child(runner_ctx_t *ctx, pid_t pid, int setup_fd);

#endif
