/*
 * util/clock.c — timestamps (see clock.h).
 */
#include "util/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthybay/date.h"
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

static int two_digits(const char *p, int *out)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return 0;
    *out = (p[0] - '0') * 10 + (p[1] - '0');
    return 1;
}

/* The zone suffix of an RFC 3339 time ("Z", "+08:00"): its offset east of UTC in seconds. */
static int parse_zone(int *offset, const char *p, size_t n)
{
    int hh, mm;
    if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
        *offset = 0;
        return 1;
    }
    if (n != 6 || (p[0] != '+' && p[0] != '-') || p[3] != ':' || !two_digits(p + 1, &hh) ||
        !two_digits(p + 4, &mm) || hh > 23 || mm > 59)
        return 0;
    *offset = (p[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    return 1;
}

int hb_time_parse(int64_t *out, const char *text, size_t len)
{
    hb_date day;
    int h, m, s, offset;
    if (len < 20 || hb_date_parse(&day, text, 10) < 0 || (text[10] != 'T' && text[10] != 't') ||
        !two_digits(text + 11, &h) || text[13] != ':' || !two_digits(text + 14, &m) ||
        text[16] != ':' || !two_digits(text + 17, &s) || h > 23 || m > 59 || s > 60)
        return hb_error_set(HB_EINVAL,
                            "'%.*s' is not an RFC 3339 time such as "
                            "2021-08-20T09:30:00Z",
                            (int)(len > 40 ? 40 : len), text);
    size_t i = 19;
    if (text[i] == '.') {
        i++;
        while (i < len && text[i] >= '0' && text[i] <= '9')
            i++;
    }
    if (!parse_zone(&offset, text + i, len - i))
        return hb_error_set(HB_EINVAL, "'%.*s': time zone must be Z or ±HH:MM",
                            (int)(len > 40 ? 40 : len), text);
    *out = (int64_t)day * 86400 + h * 3600 + m * 60 + (s == 60 ? 59 : s) - offset;
    return 0;
}

char *hb_time_format(char out[HB_RFC3339_STRLEN], int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    char date[HB_DATE_STRLEN];
    hb_date_format(date, (hb_date)days);
    int hms = (int)secs; /* 0 .. 86399 */
    snprintf(out, HB_RFC3339_STRLEN, "%.10sT%02u:%02u:%02uZ", date, (unsigned)hms / 3600 % 24,
             (unsigned)hms / 60 % 60, (unsigned)hms % 60);
    return out;
}

int64_t hb_time_now(void)
{
    const char *pinned = getenv("HEALTHYBAY_NOW");
    int64_t t;
    if (pinned && hb_time_parse(&t, pinned, strlen(pinned)) == 0)
        return t;
    return (int64_t)time(NULL);
}
