/*
 * util/clock.c — timestamps (see clock.h).
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* HEALTHYBAY_NOW as Unix seconds, or -1 when it is not set (or not YYYY-MM-DDTHH:MM:SSZ). */
static int64_t pinned_now(void)
{
    const char *p = getenv("HEALTHYBAY_NOW");
    struct tm tm = { 0 };
    if (!p || strlen(p) != 20 || p[19] != 'Z')
        return -1;
    if (sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (int64_t)timegm(&tm);
}

int64_t hb_unix_now(void)
{
    int64_t pinned = pinned_now();
    return pinned >= 0 ? pinned : (int64_t)time(NULL);
}

char *hb_timestamp_at(char out[HB_TIMESTAMP_STRLEN], int64_t unix_seconds)
{
    time_t t = (time_t)unix_seconds;
    struct tm tm;
    char seconds[20];
    gmtime_r(&t, &tm);
    strftime(seconds, sizeof seconds, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, HB_TIMESTAMP_STRLEN, "%.19s.000Z", seconds);
    return out;
}

char *hb_timestamp_now(char out[HB_TIMESTAMP_STRLEN])
{
    int64_t pinned = pinned_now();
    if (pinned >= 0)
        return hb_timestamp_at(out, pinned);
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

uint64_t hb_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
