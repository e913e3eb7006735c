/* Tests for series/series.c: reading many series from one CSV, and refusing bad ones. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "healthybay/date.h"
#include "series/series.h"

static hb_series_set *read_ok(const char *text, const hb_series_options *opt)
{
    hb_series_set *set;
    CHECK_OK(hb_series_read_memory(&set, "in.csv", text, strlen(text), opt));
    return set;
}

static void read_fails(const char *text, const hb_series_options *opt, const char *needle)
{
    hb_series_set *set = NULL;
    CHECK_FAILS(hb_series_read_memory(&set, "in.csv", text, strlen(text), opt), HB_EINVAL, needle);
    CHECK(set == NULL);
}

static hb_date ymd(int y, int m, int d)
{
    return hb_date_from_ymd(y, m, d);
}

TEST(series__keys_order_and_columns)
{
    hb_series_set *set = read_ok("date,region,disease,count,population\n"
                                 "2024-01-08,810000,influenza,455,7413070\n"
                                 "2024-01-01,810000,influenza,412,7413070\n"
                                 "2024-01-01,\"440100\",influenza,1290,18676605\n"
                                 "2024-01-08,440100,influenza,1301,18676605\n",
                                 NULL);
    CHECK_INT_EQ(hb_series_count(set), 2);
    CHECK_INT_EQ(hb_series_freq(set), HB_FREQ_WEEKLY);
    CHECK_STR_EQ(hb_series_key_header(set), "region,disease");
    const hb_series *hk = hb_series_at(set, 0);
    CHECK_STR_EQ(hk->key, "810000,influenza");
    CHECK_INT_EQ(hk->length, 2);
    CHECK_INT_EQ(hk->dates[0], ymd(2024, 1, 1)); /* sorted although it came second */
    CHECK(hk->values[0] == 412 && hk->values[1] == 455);
    CHECK(hk->population && hk->population[1] == 7413070);
    CHECK(hk->imported == NULL);
    const hb_series *gz = hb_series_at(set, 1);
    CHECK_STR_EQ(gz->key, "440100,influenza"); /* quoting in the file does not split keys */
    CHECK(gz->values[1] == 1301);
    CHECK(hb_series_at(set, 2) == NULL);
    hb_series_free(set);
}

TEST(series__no_key_columns_daily_and_imported)
{
    hb_series_set *set = read_ok("date,count,imported\n2020-01-20,1,1\n2020-01-21,0,0\n"
                                 "2020-01-22,3,1\n",
                                 NULL);
    CHECK_INT_EQ(hb_series_count(set), 1);
    CHECK_INT_EQ(hb_series_freq(set), HB_FREQ_DAILY);
    CHECK_STR_EQ(hb_series_key_header(set), "");
    CHECK_STR_EQ(hb_series_at(set, 0)->key, "");
    CHECK(hb_series_at(set, 0)->imported[2] == 1);
    hb_series_free(set);
}

TEST(series__monthly)
{
    hb_series_set *set = read_ok("date,disease,count\n2014-08-01,dengue,6000\n"
                                 "2014-09-01,dengue,18582\n2014-10-01,dengue,22755\n"
                                 "2014-11-01,dengue,1646\n",
                                 NULL);
    CHECK_INT_EQ(hb_series_freq(set), HB_FREQ_MONTHLY);
    CHECK_INT_EQ(hb_series_at(set, 0)->length, 4);
    hb_series_free(set);
    read_fails("date,count\n2014-08-01,1\n2014-10-01,2\n", NULL,
               "in.csv:3: series '' has no row for 2014-09-01");
    read_fails("date,count\n2014-08-01,1\n2014-09-15,2\n", NULL,
               "neither daily, weekly nor monthly");
    read_fails("date,count\n2024-01-01,1\n2024-01-22,2\n", NULL, "no row for 2024-01-08");
}

TEST(series__missing_values_only_when_allowed)
{
    const char *text = "date,count\n2024-01-01,3\n2024-01-08,NA\n2024-01-15,\n2024-01-22,4\n";
    read_fails(text, NULL, "in.csv:3:12: field 'count': NA (missing values are not allowed");
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.allow_missing = true;
    hb_series_set *set = read_ok(text, &opt);
    const hb_series *s = hb_series_at(set, 0);
    CHECK(isnan(s->values[1]) && isnan(s->values[2]));
    CHECK(s->values[3] == 4);
    hb_series_free(set);
}

TEST(series__rates_and_other_value_column)
{
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.value_column = "ili_rate";
    opt.integer_values = false;
    hb_series_set *set = read_ok("date,ili_rate\n2019-01-06,5.2\n2019-01-13,6.75\n", &opt);
    CHECK(hb_series_at(set, 0)->values[1] == 6.75);
    hb_series_free(set);
}

TEST(series__bad_values_named)
{
    read_fails("date,count\n2024-01-01,-3\n", NULL, "in.csv:2:12: field 'count': '-3' is negative");
    read_fails("date,count\n2024-01-01,2.5\n", NULL, "'2.5' is not a whole number");
    read_fails("date,count\n2024-01-01,many\n", NULL, "'many' is not a number");
    read_fails("date,count\n2024-01-01,1e400\n", NULL, "'1e400' is not a number");
    read_fails("date,count\n2024-01-01,99999999999999999999\n2024-01-02,1\n", NULL,
               "too large to count exactly");
    read_fails("date,count\n2024-02-30,1\n", NULL, "in.csv:2:1: field 'date': '2024-02-30'");
    read_fails("date,count\n01/02/2024,1\n", NULL, "field 'date'");
    read_fails("date,count,population\n2024-01-01,1,0\n", NULL, "population must be positive");
    read_fails("region,count\nx,1\n", NULL, "in.csv:1: no 'date' column");
    read_fails("date,cases\n2024-01-01,1\n", NULL, "no 'count' column");
}

TEST(series__duplicates_gaps_and_irregular_steps)
{
    read_fails("date,region,count\n2024-01-01,HK-A,1\n2024-01-08,HK-A,2\n2024-01-01,HK-A,3\n", NULL,
               "series 'HK-A' has two rows for 2024-01-01 (lines 2 and 4)");
    read_fails("date,region,count\n2024-01-01,HK-A,1\n2024-01-15,HK-A,2\n2024-01-01,HK-B,1\n"
               "2024-01-08,HK-B,2\n",
               NULL, "series 'HK-A' has no row for 2024-01-08 (between 2024-01-01 on line 2");
    read_fails("date,count\n2024-01-01,1\n2024-01-08,2\n2024-01-17,2\n", NULL,
               "jumps from 2024-01-08 (line 3) to 2024-01-17");
    read_fails("date,count\n2024-01-01,1\n", NULL, "frequency cannot be inferred");
    hb_series_options opt;
    hb_series_options_init(&opt);
    opt.freq = HB_FREQ_WEEKLY;
    hb_series_set *set = read_ok("date,count\n2024-01-01,1\n", &opt);
    CHECK_INT_EQ(hb_series_at(set, 0)->length, 1);
    hb_series_free(set);
}

TEST(series__huge_counts_exact)
{
    hb_series_set *set = read_ok("date,count\n2024-01-01,9007199254740992\n2024-01-02,0\n", NULL);
    CHECK(hb_series_at(set, 0)->values[0] == 9007199254740992.0);
    hb_series_free(set);
    read_fails("date,count\n2024-01-01,9007199254740993\n", NULL, "too large to count exactly");
}

TEST(series__many_series_from_file)
{
    /* 3,000 series × 20 weeks, written in date-major order: the hash and the per-series rows. */
    const char *path = hb_test_path("many.csv");
    FILE *f = fopen(path, "w");
    fputs("date,region,age_group,count\n", f);
    char day[HB_DATE_STRLEN];
    for (int w = 0; w < 20; w++)
        for (int s = 0; s < 3000; s++)
            fprintf(f, "%s,R%d,%d,%d\n", hb_date_format(day, ymd(2023, 1, 2) + 7 * w), s / 10,
                    s % 10, (s * 7 + w) % 50);
    fclose(f);
    hb_series_set *set;
    CHECK_OK(hb_series_read(&set, path, NULL));
    CHECK_INT_EQ(hb_series_count(set), 3000);
    for (size_t i = 0; i < 3000; i++) {
        const hb_series *s = hb_series_at(set, i);
        CHECK_INT_EQ(s->length, 20);
        CHECK(s->values[19] == (double)(((int)i * 7 + 19) % 50));
    }
    CHECK_STR_EQ(hb_series_at(set, 2999)->key, "R299,9");
    hb_series_free(set);
}

TEST(series__next_date)
{
    CHECK_INT_EQ(hb_series_next_date(ymd(2024, 1, 31), HB_FREQ_DAILY), ymd(2024, 2, 1));
    CHECK_INT_EQ(hb_series_next_date(ymd(2024, 12, 30), HB_FREQ_WEEKLY), ymd(2025, 1, 6));
    CHECK_INT_EQ(hb_series_next_date(ymd(2024, 12, 1), HB_FREQ_MONTHLY), ymd(2025, 1, 1));
}
