/*
 * util/clock.c — timestamps (see clock.h).
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/error.h"
#include "util/parse.h"

char *hb_timestamp_now(char out[HB_TIMESTAMP_STRLEN])
{
    const char *pinned = getenv("HEALTHYBAY_NOW");
    if (pinned && strlen(pinned) == 20 && pinned[19] == 'Z') {
        snprintf(out, HB_TIMESTAMP_STRLEN, "%.19s.000Z", pinned);
        return out;
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    /* strftime bounds every field, so the result always fits. */
    char seconds[20];
    strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, HB_TIMESTAMP_STRLEN, "%.19s.%03dZ", seconds, (int)(ts.tv_nsec / 1000000));
    return out;
}

/* Digits text[at..at+n) as a number, or -1. */
static int64_t digits(const char *text, size_t at, size_t n)
{
    int64_t v;
    for (size_t i = at; i < at + n; i++)
        if (text[i] < '0' || text[i] > '9')
            return -1;
    return hb_parse_int64(&v, text + at, n) == 0 ? v : -1;
}

int hb_timestamp_add(char out[HB_TIMESTAMP_STRLEN], const char *ts, int64_t seconds)
{
    /* YYYY-MM-DDTHH:MM:SS.mmmZ: fixed positions, so a strict check is a template match. */
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    if (strlen(ts) != sizeof shape - 1)
        return hb_error_set(HB_EINVAL, "'%s' is not a UTC timestamp", ts);
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] != 'd' && ts[i] != shape[i])
            return hb_error_set(HB_EINVAL, "'%s' is not a UTC timestamp", ts);
    struct tm tm = { 0 };
    int64_t year = digits(ts, 0, 4), mon = digits(ts, 5, 2), day = digits(ts, 8, 2);
    int64_t hour = digits(ts, 11, 2), min = digits(ts, 14, 2), sec = digits(ts, 17, 2);
    int64_t ms = digits(ts, 20, 3);
    if (year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
        min < 0 || min > 59 || sec < 0 || sec > 60 || ms < 0)
        return hb_error_set(HB_EINVAL, "'%s' is not a UTC timestamp", ts);
    tm.tm_year = (int)year - 1900;
    tm.tm_mon = (int)mon - 1;
    tm.tm_mday = (int)day;
    tm.tm_hour = (int)hour;
    tm.tm_min = (int)min;
    tm.tm_sec = (int)sec;
    time_t t = timegm(&tm);
    if (seconds > (int64_t)100 * 366 * 86400 || seconds < -(int64_t)100 * 366 * 86400)
        return hb_error_set(HB_EINVAL, "time offset of %lld seconds is out of range",
                            (long long)seconds);
    t += (time_t)seconds;
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 1970)
        return hb_error_set(HB_EINVAL, "time out of range");
    char whole[20];
    strftime(whole, sizeof whole, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, HB_TIMESTAMP_STRLEN, "%.19s.%03dZ", whole, (int)ms);
    return 0;
}

uint64_t hb_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
