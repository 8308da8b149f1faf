/* utf8.c: strict UTF-8 repair (utf8.h). A decoder after the table of
 * RFC 3629 section 4 (well-formed byte sequences): the first byte fixes the
 * length and the range of the second byte, which is what excludes overlong
 * forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4); the
 * other continuation bytes are 80-BF. On a bad sequence the bytes read so
 * far (its maximal subpart, as Unicode's "U+FFFD substitution of maximal
 * subparts" recommends) become one U+FFFD and decoding resumes at the byte
 * that did not fit. */
#include "report/utf8.h"

#include <stdlib.h>
#include <string.h>

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* The length of the well-formed sequence starting at p (n bytes left), or
 * 0 with *bad set to the length of its maximal invalid subpart (>= 1). */
static size_t sequence_length(const unsigned char *p, size_t n, size_t *bad)
{
    unsigned char c = p[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;     /* the second byte's range */
    if (c >= 0x01 && c <= 0x7F)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;                            /* NUL, 80-C1, F5-FF */
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        unsigned char min = i == 1 ? lo : 0x80, max = i == 1 ? hi : 0xBF;
        if (i >= n || p[i] < min || p[i] > max) {
            *bad = i;
            return 0;
        }
    }
    return len;
}

char *utf8_sanitize(const char *bytes, size_t len)
{
    /* At worst every byte becomes a 3-byte U+FFFD. */
    char *out = malloc(3 * len + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)bytes;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t bad = 0, k = sequence_length(p + i, len - i, &bad);
        if (k) {
            memcpy(out + o, p + i, k);
            o += k;
            i += k;
        } else {
            memcpy(out + o, REPLACEMENT, 3);
            o += 3;
            i += bad;
        }
    }
    out[o] = '\0';
    return out;
}

char *utf8_for_terminal(const char *s)
{
    char *clean = utf8_sanitize(s, strlen(s));
    if (!clean)
        return NULL;
    /* At worst every character (1 or 2 bytes) becomes 4 bytes. */
    size_t n = strlen(clean);
    char *out = malloc(4 * n + 1);
    if (!out) {
        free(clean);
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)clean;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        /* clean is well formed: the first byte gives the length. */
        size_t k = p[i] < 0x80 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4;
        unsigned code = k == 1 ? p[i] : k == 2 && p[i] == 0xC2 ? p[i + 1] : 0xA0;
        if ((code < 0x20 && code != '\n' && code != '\t') || code == 0x7F ||
            (code >= 0x80 && code <= 0x9F)) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = "0123456789ABCDEF"[code >> 4];
            out[o++] = "0123456789ABCDEF"[code & 15];
        } else {
            memcpy(out + o, p + i, k);
            o += k;
        }
        i += k;
    }
    out[o] = '\0';
    free(clean);
    return out;
}
