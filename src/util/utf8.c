/*
 * util/utf8.c — UTF-8 validation and display width.
 */
#include "util/utf8.h"

/* Decode one code point at s[i]; returns its length in bytes, or 0 when invalid. */
static size_t decode(const unsigned char *s, size_t len, size_t i, uint32_t *cp)
{
    static const uint32_t min_cp[4] = { 0, 0x80, 0x800, 0x10000 };
    unsigned char c = s[i];
    size_t extra;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        extra = 1;
        v = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        extra = 2;
        v = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        extra = 3;
        v = c & 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k <= extra; k++) {
        if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min_cp[extra] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return extra + 1;
}

size_t hb_utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] < 0x80) { /* fast path for ASCII, which is nearly all surveillance data */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = decode(u, len, i, &cp);
        if (n == 0)
            return i;
        i += n;
    }
    return SIZE_MAX;
}

static int is_wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t hb_utf8_width(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t width = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = decode(u, len, i, &cp);
        if (n == 0) { /* not expected for valid input; count the byte and move on */
            width++;
            i++;
            continue;
        }
        /* Combining marks take no column. */
        if (!(cp >= 0x0300 && cp <= 0x036F))
            width += is_wide(cp) ? 2 : 1;
        i += n;
    }
    return width;
}
