/*
 * healthybay/date.h — calendar dates and ISO 8601 weeks.
 *
 * A date (hb_date, see common.h) is a day number: days since 1970-01-01, proleptic Gregorian.
 * Weeks follow ISO 8601: they start on Monday and week 1 is the week with the year's first
 * Thursday, so 2021-01-03 is in 2020-W53. Supported years: 1..9999.
 */
#ifndef HEALTHYBAY_DATE_H
#define HEALTHYBAY_DATE_H

#include <stddef.h>

#include "healthybay/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Length of "YYYY-MM-DD" plus the NUL. */
#define HB_DATE_STRLEN 11
/* Length of "YYYY-Www" plus the NUL. */
#define HB_WEEK_STRLEN 9

/* Day number of a civil date; the caller guarantees a valid date (see hb_date_valid). */
hb_date hb_date_from_ymd(int year, int month, int day);
void hb_date_to_ymd(hb_date date, int *year, int *month, int *day);
int hb_date_valid(int year, int month, int day); /* 1 if the date exists, else 0 */
int hb_days_in_month(int year, int month);

/* ISO weekday: 1 = Monday … 7 = Sunday. */
int hb_date_weekday(hb_date date);

/* The ISO week of a date: *iso_year may differ from the calendar year near 1 January. */
void hb_date_iso_week(hb_date date, int *iso_year, int *week);
/* The date of a weekday (1..7) in an ISO week; HB_EINVAL when the week does not exist. */
int hb_date_from_iso_week(hb_date *out, int iso_year, int week, int weekday);
/* Weeks in an ISO year: 52 or 53. */
int hb_iso_weeks_in_year(int iso_year);

/*
 * Parse exactly "YYYY-MM-DD" (len bytes, no surrounding space). HB_EINVAL with a message naming
 * the problem when the text is not a valid date.
 */
int hb_date_parse(hb_date *out, const char *text, size_t len);
/* Parse "YYYY-Www" or "YYYY-Www-D" to the Monday (or the given weekday) of that week. */
int hb_week_parse(hb_date *out, const char *text, size_t len);
/* Parse "YYYY-MM" to the first day of the month. */
int hb_month_parse(hb_date *out, const char *text, size_t len);

/* Format as "YYYY-MM-DD" into out[HB_DATE_STRLEN]; returns out. */
char *hb_date_format(char out[HB_DATE_STRLEN], hb_date date);
/* Format the ISO week of date as "YYYY-Www" into out[HB_WEEK_STRLEN]; returns out. */
char *hb_week_format(char out[HB_WEEK_STRLEN], hb_date date);

/* Add months, clamping the day to the target month's length (2024-01-31 + 1 month = 2024-02-29). */
hb_date hb_date_add_months(hb_date date, int months);

#ifdef __cplusplus
}
#endif
#endif
