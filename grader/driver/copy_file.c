/* copy_file.c: copy_file.h with read/write on descriptors. */
#include "driver/copy_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vg_error.h"

int copy_file(const char *from, const char *to, mode_t mode)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = in < 0 ? -1 : open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    int rc = VG_OK;
    if (in < 0 || out < 0)
        rc = vg_error_set("cannot copy %s to %s: %s", from, to, strerror(errno));
    char buf[65536];
    ssize_t got = 0;
    while (rc == VG_OK && (got = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)got) != got)
            rc = vg_error_set("cannot write %s", to);
    if (rc == VG_OK && got < 0)
        rc = vg_error_set("cannot read %s: %s", from, strerror(errno));
    if (in >= 0)
        close(in);
    if (out >= 0) {
        int bad = fchmod(out, mode) != 0;
        bad |= close(out) != 0;
        if (bad && rc == VG_OK)
            rc = vg_error_set("cannot write %s", to);
    }
    return rc;
}
