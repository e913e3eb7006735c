/*
 * util/clock.c — timestamps (see clock.h).
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

uint64_t hb_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
