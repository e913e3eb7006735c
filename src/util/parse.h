/*
 * util/parse.h — strict number parsing for input fields.
 *
 * Strict means the whole text must be the number: no leading or trailing space, no "0x", no
 * trailing junk, no overflow. strtol/atoi accept "12abc" as 12, which is how bad data slips in.
 */
#ifndef HB_UTIL_PARSE_H
#define HB_UTIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Decimal integer with optional leading '-' or '+'. HB_EINVAL (message says why) on failure. */
int hb_parse_int64(int64_t *out, const char *text, size_t len);
/* Finite decimal number ("1.5", "-2e3"); rejects NaN, infinities, hex floats. */
int hb_parse_double(double *out, const char *text, size_t len);

#endif
