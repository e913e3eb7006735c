/*
 * util/utf8.h — the little UTF-8 we need: validation and terminal display width.
 */
#ifndef HB_UTIL_UTF8_H
#define HB_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Offset of the first byte that is not part of valid UTF-8 (overlong forms and surrogates are
 * invalid), or SIZE_MAX when all of s[0..len) is valid. */
size_t hb_utf8_invalid_at(const char *s, size_t len);

/* Columns the text occupies on a terminal: East Asian wide and fullwidth characters (Chinese
 * region and disease names) take two. s must be valid UTF-8. */
size_t hb_utf8_width(const char *s, size_t len);

#endif
