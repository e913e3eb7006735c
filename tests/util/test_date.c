/* Tests for util/date.c: civil dates, ISO weeks, strict parsing. */
#include <string.h>

#include "harness.h"
#include "healthybay/date.h"

TEST(date__epoch_and_round_trip)
{
    CHECK_INT_EQ(hb_date_from_ymd(1970, 1, 1), 0);
    CHECK_INT_EQ(hb_date_from_ymd(2000, 3, 1), 11017);
    CHECK_INT_EQ(hb_date_from_ymd(1969, 12, 31), -1);
    /* Every day from 1600 to 2400 converts back to itself. */
    hb_date start = hb_date_from_ymd(1600, 1, 1), end = hb_date_from_ymd(2400, 12, 31);
    for (hb_date d = start; d <= end; d++) {
        int y, m, day;
        hb_date_to_ymd(d, &y, &m, &day);
        CHECK(hb_date_valid(y, m, day));
        CHECK_INT_EQ(hb_date_from_ymd(y, m, day), d);
    }
}

TEST(date__leap_years)
{
    CHECK_INT_EQ(hb_days_in_month(2024, 2), 29);
    CHECK_INT_EQ(hb_days_in_month(2023, 2), 28);
    CHECK_INT_EQ(hb_days_in_month(1900, 2), 28);
    CHECK_INT_EQ(hb_days_in_month(2000, 2), 29);
    CHECK(!hb_date_valid(2023, 2, 29));
    CHECK(!hb_date_valid(2024, 13, 1));
    CHECK(!hb_date_valid(2024, 4, 31));
}

TEST(date__weekday)
{
    CHECK_INT_EQ(hb_date_weekday(hb_date_from_ymd(1970, 1, 1)), 4);  /* Thursday */
    CHECK_INT_EQ(hb_date_weekday(hb_date_from_ymd(2024, 2, 10)), 6); /* Saturday, Lunar New Year */
    CHECK_INT_EQ(hb_date_weekday(hb_date_from_ymd(1969, 12, 29)), 1);
}

TEST(date__iso_week_boundaries)
{
    int y, w;
    hb_date_iso_week(hb_date_from_ymd(2021, 1, 3), &y, &w); /* Sunday before the first Thursday */
    CHECK_INT_EQ(y, 2020);
    CHECK_INT_EQ(w, 53);
    hb_date_iso_week(hb_date_from_ymd(2019, 12, 30), &y, &w); /* Monday that starts 2020-W01 */
    CHECK_INT_EQ(y, 2020);
    CHECK_INT_EQ(w, 1);
    hb_date_iso_week(hb_date_from_ymd(2024, 12, 31), &y, &w);
    CHECK_INT_EQ(y, 2025);
    CHECK_INT_EQ(w, 1);
    CHECK_INT_EQ(hb_iso_weeks_in_year(2020), 53);
    CHECK_INT_EQ(hb_iso_weeks_in_year(2026), 53);
    CHECK_INT_EQ(hb_iso_weeks_in_year(2021), 52);
    hb_date d;
    CHECK_OK(hb_date_from_iso_week(&d, 2020, 53, 7));
    CHECK_INT_EQ(d, hb_date_from_ymd(2021, 1, 3));
    CHECK_FAILS(hb_date_from_iso_week(&d, 2021, 53, 1), HB_EINVAL, "no ISO week 53");
}

TEST(date__iso_week_round_trip)
{
    hb_date start = hb_date_from_ymd(1990, 1, 1), end = hb_date_from_ymd(2040, 12, 31);
    for (hb_date d = start; d <= end; d++) {
        int y, w;
        hb_date_iso_week(d, &y, &w);
        hb_date back;
        CHECK_OK(hb_date_from_iso_week(&back, y, w, hb_date_weekday(d)));
        CHECK_INT_EQ(back, d);
    }
}

TEST(date__parse_and_format)
{
    hb_date d;
    char buf[HB_DATE_STRLEN], wbuf[HB_WEEK_STRLEN];
    CHECK_OK(hb_date_parse(&d, "2024-02-29", 10));
    CHECK_STR_EQ(hb_date_format(buf, d), "2024-02-29");
    CHECK_STR_EQ(hb_week_format(wbuf, d), "2024-W09");
    CHECK_OK(hb_week_parse(&d, "2024-W05", 8));
    CHECK_STR_EQ(hb_date_format(buf, d), "2024-01-29");
    CHECK_OK(hb_week_parse(&d, "2024-W05-3", 10));
    CHECK_STR_EQ(hb_date_format(buf, d), "2024-01-31");
    CHECK_OK(hb_month_parse(&d, "2014-09", 7));
    CHECK_STR_EQ(hb_date_format(buf, d), "2014-09-01");
}

TEST(date__parse_rejects_bad_text)
{
    static const char *const bad[] = { "2024-2-29",  "2023-02-29",  "2024-02-30",  "24-02-01",
                                       "2024/02/01", "2024-02-01 ", " 2024-02-01", "2024-13-01",
                                       "",           "abcd-ef-gh",  "2024-00-10",  "0000-01-01" };
    hb_date d;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_FAILS(hb_date_parse(&d, bad[i], strlen(bad[i])), HB_EINVAL, "not a valid date");
    CHECK_FAILS(hb_week_parse(&d, "2021-W53", 8), HB_EINVAL, "no such week");
    CHECK_FAILS(hb_week_parse(&d, "2021-53", 7), HB_EINVAL, NULL);
    CHECK_FAILS(hb_month_parse(&d, "2021-13", 7), HB_EINVAL, NULL);
}

TEST(date__add_months_clamps)
{
    char buf[HB_DATE_STRLEN];
    hb_date d = hb_date_from_ymd(2024, 1, 31);
    CHECK_STR_EQ(hb_date_format(buf, hb_date_add_months(d, 1)), "2024-02-29");
    CHECK_STR_EQ(hb_date_format(buf, hb_date_add_months(d, 13)), "2025-02-28");
    CHECK_STR_EQ(hb_date_format(buf, hb_date_add_months(d, -2)), "2023-11-30");
}
