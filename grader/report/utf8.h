/* utf8.h: the one rule for text that leaves the grader. Every string that
 * reaches results.json or PrairieLearn's results (compiler and linker
 * output, what submission code printed, messages, file names) is made
 * strictly valid UTF-8 here, so a strict JSON parser accepts the file
 * whatever bytes a submission produced; the terminal report also gets its
 * control bytes escaped, so a submission cannot drive the terminal. Not a
 * JSON escaper: cJSON does that. */
#ifndef VG_UTF8_H
#define VG_UTF8_H

#include <stddef.h>

/* len bytes as valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), malloc'd and NUL-terminated. Each maximal
 * invalid subpart, and each NUL byte, becomes U+FFFD. NULL on no memory. */
char *utf8_sanitize(const char *bytes, size_t len);

/* s as utf8_sanitize makes it, with the C0 controls but newline and tab,
 * DEL and the C1 controls (U+0080-U+009F) written as \xHH. NULL on no
 * memory. */
char *utf8_for_terminal(const char *s);

#endif
