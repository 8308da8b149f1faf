/* dirs.h: creating output folders, for the programs that write fixtures,
 * checkpoints and pictures (vae-train, sta414-train, the MNIST converters).
 * One implementation, so that they all treat an existing folder as success
 * and name the folder that could not be made. Not a path library. */
#ifndef VG_DIRS_H
#define VG_DIRS_H

#include <sys/types.h>

/* mkdir path with mode (before the umask); an existing folder is fine.
 * Fails, naming path and errno's reason, otherwise. */
int dirs_make(const char *path, mode_t mode);

/* mkdir -p: each prefix of path in turn, as dirs_make. Fails on a path of
 * 4,096 bytes or more. */
int dirs_make_all(const char *path, mode_t mode);

#endif
