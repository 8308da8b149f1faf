/* identity.c: the runner child's change of user (identity.h). */
#include "runner/identity.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "vg_error.h"

/* Debian's nobody and nogroup, for a root without /etc/passwd's entry. */
#define NOBODY_ID 65534

int runner_identity_resolve(runner_identity_t *id, long requested)
{
    memset(id, 0, sizeof *id);
    int root = geteuid() == 0;
    if (requested == 0 || (requested < 0 && !root))
        return VG_OK;
    if (!root)
        return vg_error_set("--run-uid %ld: the runner is not root and cannot "
                            "change users", requested);
    id->drop = 1;
    if (requested > 0) {
        id->uid = (uid_t)requested;
        id->gid = (gid_t)requested;
        return VG_OK;
    }
    struct passwd *pw = getpwnam("nobody");
    id->uid = pw ? pw->pw_uid : NOBODY_ID;
    id->gid = pw ? pw->pw_gid : NOBODY_ID;
    return VG_OK;
}

int runner_identity_drop(const runner_identity_t *id)
{
    if (!id->drop)
        return VG_OK;
    if (setgroups(0, NULL) != 0)
        return vg_error_set("setgroups: %s", strerror(errno));
    if (setgid(id->gid) != 0)
        return vg_error_set("setgid(%u): %s", (unsigned)id->gid, strerror(errno));
    if (setuid(id->uid) != 0)
        return vg_error_set("setuid(%u): %s", (unsigned)id->uid, strerror(errno));
    /* setuid as root changes every uid at once; a way back would mean it
     * did not. */
    if (id->uid != 0 && (setuid(0) == 0 || geteuid() == 0))
        return vg_error_set("setuid(%u) left a way back to root", (unsigned)id->uid);
    return VG_OK;
}
