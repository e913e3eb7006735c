/* Tests for warn/daily.c: what one run stores for each series, and only for it. */
#include <string.h>

#include "core/schema.h"
#include "harness.h"
#include "healthybay/date.h"
#include "util/buf.h"
#include "warn/daily.h"
#include "warn/ingest.h"

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static long long count(hb_store *s, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    long long n = (long long)hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return n;
}

/*
 * Three daily COVID-19 series screened in one run, in this order: Guangzhou's cases over 30
 * days (Rt and a forecast), Jiangmen's cases over 3 days (too short for the 7-day Rt window)
 * and Hong Kong's imported cases (no Rt: imported cases are not a case series). A run once
 * carried the first series' Rt over to the second, with dates read out of its range.
 */
TEST(daily__each_series_gets_only_its_own_results)
{
    hb_store *s = migrated();
    hb_buf csv;
    hb_buf_init(&csv, 0);
    CHECK_OK(hb_buf_puts(&csv, "date,region,disease,measure,value\n"));
    hb_date first = hb_date_from_ymd(2020, 1, 15);
    for (int d = 0; d < 30; d++) {
        char day[HB_DATE_STRLEN];
        hb_date_format(day, first + d);
        CHECK_OK(hb_buf_printf(&csv, "%s,440100,covid19,cases,%d\n", day, 2 + d / 2));
        CHECK_OK(hb_buf_printf(&csv, "%s,810000,covid19,imported_cases,%d\n", day, d % 3));
        if (d >= 27)
            CHECK_OK(hb_buf_printf(&csv, "%s,440700,covid19,cases,%d\n", day, d - 26));
    }
    hb_ingest_options opt = { .source = "test" };
    hb_ingest_report report;
    CHECK_OK(hb_ingest_memory(s, "test", hb_buf_cstr(&csv), csv.len, &opt, &report));
    hb_ingest_report_dispose(&report);
    hb_buf_dispose(&csv);

    hb_warn_config cfg;
    CHECK_OK(hb_warn_config_defaults(&cfg));
    hb_warn_run_report run;
    CHECK_OK(hb_warn_run(s, &cfg, first + 29, NULL, &run));
    CHECK_INT_EQ(run.series, 3);
    CHECK_INT_EQ(run.screened, 3);
    CHECK_INT_EQ(run.rt, 1);
    CHECK_INT_EQ(count(s, "SELECT COUNT(*) FROM hb_rt_estimates"), 1);
    CHECK_INT_EQ(count(s, "SELECT COUNT(*) FROM hb_rt_estimates WHERE region = '440100'"
                          " AND t_end = '2020-02-13' AND t_start = '2020-02-07'"),
                 1);
    /* A forecast for each count series that has one, from its own last day. */
    CHECK_INT_EQ(count(s, "SELECT COUNT(*) FROM hb_forecasts WHERE origin <> '2020-02-13'"), 0);
    CHECK_INT_EQ(count(s, "SELECT COUNT(*) FROM hb_forecasts WHERE region = '440100'"), 1);
    CHECK_INT_EQ(count(s, "SELECT COUNT(*) FROM hb_forecasts"), (long long)run.forecasts);

    /* The day runs once. */
    CHECK_OK(hb_warn_run(s, &cfg, first + 29, NULL, &run));
    CHECK(run.already_done);
    hb_store_close(s);
}
