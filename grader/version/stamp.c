/* stamp.c: the release stamp (version.h): written for a student's
 * submission, read back from one. The file is the submission's, so it is
 * read like any of its bytes: at most STAMP_MAX_BYTES, a regular file
 * reached without a symbolic link, and believed only when it has the
 * stamp's exact shape; its text is never echoed. */
#include "version/version.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver/pathfmt.h"

/* A version: what VERSION may hold ("0.9.0", "1.0.0-rc1+course"). */
#define STAMP_VERSION_CHARS "0123456789abcdefghijklmnopqrstuvwxyz" \
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ.+-"
#define STAMP_VERSION_MAX 32
/* The profile's hash: ref_cache_hash_hex's 32 lowercase hex digits. */
#define STAMP_HASH_LEN 32

typedef struct stamp {
    char version[STAMP_VERSION_MAX + 1];
    char profile[STAMP_HASH_LEN + 1];
} stamp_t;

void stamp_text(char *buf, size_t cap, const profile_t *p)
{
    snprintf(buf, cap, "version %s\nprofile %s\n", vaegrade_version(), p->hash);
}

/* One line "key value\n" at *s, value of the allowed characters and at
 * most max of them, into out; *s moved past it. 1, or 0 when it is not. */
static int stamp_line(const char **s, const char *key, const char *chars,
                      size_t max, char *out)
{
    size_t k = strlen(key);
    if (strncmp(*s, key, k) != 0 || (*s)[k] != ' ')
        return 0;
    const char *v = *s + k + 1;
    size_t n = strspn(v, chars);
    if (n == 0 || n > max || v[n] != '\n')
        return 0;
    memcpy(out, v, n);
    out[n] = '\0';
    *s = v + n + 1;
    return 1;
}

/* Parses text (len bytes, NUL-terminated) as a stamp: 1, or 0. */
static int stamp_parse(stamp_t *st, const char *text, size_t len)
{
    const char *s = text;
    return strlen(text) == len &&
           stamp_line(&s, "version", STAMP_VERSION_CHARS, STAMP_VERSION_MAX,
                      st->version) &&
           stamp_line(&s, "profile", "0123456789abcdef", STAMP_HASH_LEN,
                      st->profile) &&
           strlen(st->profile) == STAMP_HASH_LEN && *s == '\0';
}

/* Reads dir/STAMP_FILE: 1 with its bytes in buf (NUL-terminated, *len),
 * 0 when there is none, -1 when what is there cannot be a stamp. */
static int stamp_read(char *buf, size_t cap, size_t *len, const char *dir)
{
    char path[4200];
    if (pathfmt(path, sizeof path, "%s/%s", dir, STAMP_FILE))
        return -1;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size <= (off_t)(cap - 1))
        n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0)
        return -1;
    buf[n] = '\0';
    *len = (size_t)n;
    return 1;
}

void stamp_note(char *note, size_t cap, const char *dir, const profile_t *p)
{
    char text[STAMP_MAX_BYTES + 1];
    size_t len = 0;
    stamp_t st;
    note[0] = '\0';
    int found = stamp_read(text, sizeof text, &len, dir);
    if (found == 0)
        return;
    if (found < 0 || !stamp_parse(&st, text, len)) {
        snprintf(note, cap, "The submission's %s file is not a release stamp "
                 "(two lines: \"version V\" and \"profile HASH\", at most %d "
                 "bytes): ignored; it changes no score.", STAMP_FILE,
                 STAMP_MAX_BYTES);
        return;
    }
    if (strcmp(st.version, vaegrade_version()) == 0 && strcmp(st.profile, p->hash) == 0)
        return;
    snprintf(note, cap, "You graded locally with release %s (profile %s); this "
             "grade uses %s (profile %s). The scores are this grade's.",
             st.version, st.profile, vaegrade_version(), p->hash);
}
