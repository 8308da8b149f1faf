/* copy_file.h: one file's bytes into a new file with a fixed mode, for the
 * driver's private copies (a submitted file, the public headers the
 * compile jail sees). Not a tree copy. */
#ifndef VG_COPY_FILE_H
#define VG_COPY_FILE_H

#include <sys/types.h>

/* Copies from into to (created or truncated), whose mode becomes mode
 * whatever the umask. VG_OK, or VG_ERR with a message naming both. */
int copy_file(const char *from, const char *to, mode_t mode);

#endif
