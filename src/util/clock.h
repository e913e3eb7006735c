/*
 * util/clock.h — wall-clock timestamps as ISO 8601 text in UTC, and a monotonic clock for timing.
 */
#ifndef HB_UTIL_CLOCK_H
#define HB_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" plus the NUL. */
#define HB_TIMESTAMP_STRLEN 25

/* The current UTC time, millisecond precision; returns out. Honours HEALTHYBAY_NOW (an RFC 3339
 * UTC time such as 2024-02-01T09:00:00Z) so tests and demos can pin the clock. */
char *hb_timestamp_now(char out[HB_TIMESTAMP_STRLEN]);

/* ts (in the format above) moved by seconds, which may be negative, into out. HB_EINVAL when ts
 * is not such a timestamp. Used for expiry times ("now + 90 days") and retention cut-offs. */
int hb_timestamp_add(char out[HB_TIMESTAMP_STRLEN], const char *ts, int64_t seconds);

/* "YYYY-MM-DDTHH:MM:SSZ" plus the NUL. */
#define HB_RFC3339_STRLEN 21

/* Parse an RFC 3339 date-time ("2021-08-20T09:30:00Z", "2021-08-20T17:30:00.5+08:00") to Unix
 * seconds (fractions are dropped). HB_EINVAL with a message naming the problem. */
int hb_time_parse(int64_t *out, const char *text, size_t len);
/* Format Unix seconds as "YYYY-MM-DDTHH:MM:SSZ"; returns out. */
char *hb_time_format(char out[HB_RFC3339_STRLEN], int64_t t);
/* The current time in Unix seconds (honours HEALTHYBAY_NOW like hb_timestamp_now). */
int64_t hb_time_now(void);

/* Monotonic nanoseconds, for measuring durations only. */
uint64_t hb_monotonic_ns(void);

#endif
