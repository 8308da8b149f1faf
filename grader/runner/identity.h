/* identity.h: the user the runner's child runs submission code as. A
 * runner started as root (an autograder image, CI) hands its child to an
 * unprivileged uid and gid after the trusted preparation (fixtures, inputs,
 * model) and before the seccomp filter, so a hole in the filter would still
 * find every root-only file closed. Not the compile jail's user (jail.c),
 * though both default to nobody. */
#ifndef VG_RUNNER_IDENTITY_H
#define VG_RUNNER_IDENTITY_H

#include <sys/types.h>

typedef struct runner_identity {
    int drop;   /* 1: the child changes to uid/gid; 0: it keeps the runner's */
    uid_t uid;
    gid_t gid;
} runner_identity_t;

/* Decides, in the parent (getpwnam reads /etc/passwd, which the filtered
 * child could not): requested < 0 is the default (nobody when running as
 * root, else no change), 0 keeps root (for the test that compares), N > 0
 * is uid and gid N. A non-root runner cannot change users: asking it to
 * is an error. */
int runner_identity_resolve(runner_identity_t *id, long requested);
/* In the child: supplementary groups cleared, gid, then uid; checked by
 * trying to regain root. VG_ERR with the reason when any step fails. */
int runner_identity_drop(const runner_identity_t *id);

#endif
