/*
 * util/date.c — civil-date arithmetic on day numbers.
 *
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days: exact integer algorithms
 * over 400-year eras, no tables and no floating point.
 */
#include "healthybay/date.h"

#include <assert.h>
#include <stdio.h>

#include "util/error.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int hb_days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    assert(month >= 1 && month <= 12);
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int hb_date_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= hb_days_in_month(year, month);
}

hb_date hb_date_from_ymd(int year, int month, int day)
{
    assert(hb_date_valid(year, month, day));
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                            /* [0, 399] */
    int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                    /* [0, 146096] */
    return (hb_date)(era * 146097 + doe - 719468);
}

void hb_date_to_ymd(hb_date date, int *year, int *month, int *day)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *day = d;
}

int hb_date_weekday(hb_date date)
{
    /* 1970-01-01 was a Thursday (4). */
    int wd = (int)((date % 7 + 7) % 7); /* 0 = Thursday */
    return (wd + 3) % 7 + 1;
}

/* Monday of ISO week 1 of iso_year: the Monday on or before 4 January. */
static hb_date week1_monday(int iso_year)
{
    hb_date jan4 = hb_date_from_ymd(iso_year, 1, 4);
    return jan4 - (hb_date)(hb_date_weekday(jan4) - 1);
}

int hb_iso_weeks_in_year(int iso_year)
{
    /* A year has 53 weeks when it starts on a Thursday, or is a leap year starting on Wednesday. */
    int jan1 = hb_date_weekday(hb_date_from_ymd(iso_year, 1, 1));
    return jan1 == 4 || (jan1 == 3 && is_leap(iso_year)) ? 53 : 52;
}

void hb_date_iso_week(hb_date date, int *iso_year, int *week)
{
    int y, m, d;
    hb_date_to_ymd(date, &y, &m, &d);
    /* The Thursday of the date's week decides the ISO year. */
    hb_date thursday = date - (hb_date)hb_date_weekday(date) + 4;
    int ty, tm, td;
    hb_date_to_ymd(thursday, &ty, &tm, &td);
    *iso_year = ty;
    *week = (int)((date - week1_monday(ty)) / 7) + 1;
}

int hb_date_from_iso_week(hb_date *out, int iso_year, int week, int weekday)
{
    if (iso_year < 2 || iso_year > 9998)
        return hb_error_set(HB_EINVAL, "ISO year %d out of range", iso_year);
    if (week < 1 || week > hb_iso_weeks_in_year(iso_year))
        return hb_error_set(HB_EINVAL, "%d has no ISO week %d", iso_year, week);
    if (weekday < 1 || weekday > 7)
        return hb_error_set(HB_EINVAL, "weekday %d is not in 1..7", weekday);
    *out = week1_monday(iso_year) + (hb_date)((week - 1) * 7 + weekday - 1);
    return 0;
}

/* Parse exactly n decimal digits at text. */
static int digits(const char *text, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v = v * 10 + (text[i] - '0');
    }
    *out = v;
    return 0;
}

static int bad(const char *what, const char *text, size_t len)
{
    return hb_error_set(HB_EINVAL, "'%.*s' is not a valid %s", (int)(len > 40 ? 40 : len), text,
                        what);
}

int hb_date_parse(hb_date *out, const char *text, size_t len)
{
    int y, m, d;
    if (len != 10 || text[4] != '-' || text[7] != '-' || digits(text, 4, &y) ||
        digits(text + 5, 2, &m) || digits(text + 8, 2, &d))
        return bad("date (expected YYYY-MM-DD)", text, len);
    if (!hb_date_valid(y, m, d))
        return bad("date (no such day)", text, len);
    *out = hb_date_from_ymd(y, m, d);
    return 0;
}

int hb_week_parse(hb_date *out, const char *text, size_t len)
{
    int y, w, wd = 1;
    if ((len != 8 && len != 10) || text[4] != '-' || text[5] != 'W' || digits(text, 4, &y) ||
        digits(text + 6, 2, &w))
        return bad("ISO week (expected YYYY-Www)", text, len);
    if (len == 10 && (text[8] != '-' || digits(text + 9, 1, &wd)))
        return bad("ISO week date (expected YYYY-Www-D)", text, len);
    if (hb_date_from_iso_week(out, y, w, wd) < 0)
        return bad("ISO week (no such week)", text, len);
    return 0;
}

int hb_month_parse(hb_date *out, const char *text, size_t len)
{
    int y, m;
    if (len != 7 || text[4] != '-' || digits(text, 4, &y) || digits(text + 5, 2, &m))
        return bad("month (expected YYYY-MM)", text, len);
    if (!hb_date_valid(y, m, 1))
        return bad("month (no such month)", text, len);
    *out = hb_date_from_ymd(y, m, 1);
    return 0;
}

char *hb_date_format(char out[HB_DATE_STRLEN], hb_date date)
{
    int y, m, d;
    hb_date_to_ymd(date, &y, &m, &d);
    if (y < 0 || y > 9999) {
        snprintf(out, HB_DATE_STRLEN, "0000-00-00");
        return out;
    }
    snprintf(out, HB_DATE_STRLEN, "%04d-%02d-%02d", y, m, d);
    return out;
}

char *hb_week_format(char out[HB_WEEK_STRLEN], hb_date date)
{
    int y, w;
    hb_date_iso_week(date, &y, &w);
    if (y < 0 || y > 9999) {
        snprintf(out, HB_WEEK_STRLEN, "0000-W00");
        return out;
    }
    snprintf(out, HB_WEEK_STRLEN, "%04d-W%02d", y, w);
    return out;
}

hb_date hb_date_add_months(hb_date date, int months)
{
    int y, m, d;
    hb_date_to_ymd(date, &y, &m, &d);
    int total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    int dim = hb_days_in_month(y, m);
    return hb_date_from_ymd(y, m, d > dim ? dim : d);
}
