/*
 * util/clock.h — wall-clock timestamps as ISO 8601 text in UTC, and a monotonic clock for timing.
 */
#ifndef HB_UTIL_CLOCK_H
#define HB_UTIL_CLOCK_H

#include <stdint.h>

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" plus the NUL. */
#define HB_TIMESTAMP_STRLEN 25

/* The current UTC time, millisecond precision; returns out. Honours HEALTHYBAY_NOW (an RFC 3339
 * UTC time such as 2024-02-01T09:00:00Z) so tests and demos can pin the clock. */
char *hb_timestamp_now(char out[HB_TIMESTAMP_STRLEN]);

/* ts (in the format above) moved by seconds, which may be negative, into out. HB_EINVAL when ts
 * is not such a timestamp. Used for expiry times ("now + 90 days") and retention cut-offs. */
int hb_timestamp_add(char out[HB_TIMESTAMP_STRLEN], const char *ts, int64_t seconds);

/* Monotonic nanoseconds, for measuring durations only. */
uint64_t hb_monotonic_ns(void);

#endif
