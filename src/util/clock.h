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

/* Seconds since 1970-01-01 UTC now (HEALTHYBAY_NOW honoured as above). */
int64_t hb_unix_now(void);
/* A Unix time as "YYYY-MM-DDTHH:MM:SS.000Z"; returns out. */
char *hb_timestamp_at(char out[HB_TIMESTAMP_STRLEN], int64_t unix_seconds);

/* Monotonic nanoseconds, for measuring durations only. */
uint64_t hb_monotonic_ns(void);

#endif
