/* Tests for warn/series_db.c: stored counts as regular series. */
#include <math.h>
#include <string.h>

#include "core/schema.h"
#include "harness.h"
#include "healthybay/date.h"
#include "series/series.h"
#include "warn/ingest.h"
#include "warn/series_db.h"

static hb_store *with_data(const char *csv)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    hb_ingest_options opt = { .source = "test" };
    hb_ingest_report r;
    CHECK_OK(hb_ingest_memory(s, "data.csv", csv, strlen(csv), &opt, &r));
    hb_ingest_report_dispose(&r);
    return s;
}

static const hb_db_series *find(const hb_db_series_set *set, const char *measure,
                                const char *region)
{
    for (size_t i = 0; i < hb_db_series_count(set); i++) {
        const hb_db_series *s = hb_db_series_at(set, i);
        if (strcmp(s->key.measure, measure) == 0 && strcmp(s->key.region, region) == 0)
            return s;
    }
    return NULL;
}

static const char data[] = "date,region,disease,measure,value\n"
                           "2020-03-01,810000,covid19,cases,1\n"
                           "2020-03-02,810000,covid19,cases,2\n"
                           "2020-03-04,810000,covid19,cases,4\n" /* 03-03 not reported */
                           "2020-03-02,810000,covid19,imported_cases,5\n"
                           "2020-03-04,810000,covid19,imported_cases,6\n"
                           "2019-12-22,810000,influenza,positives,346\n"
                           "2019-12-08,810000,influenza,positives,150\n" /* a missing week */
                           "2019-12-01,810000,influenza,positives,120\n"
                           "2019-12-01,810000,influenza,ili_rate,2.5\n"
                           "2019-12-04,810000,influenza,ili_rate,2.6\n" /* 3 days apart: daily */
                           "2014-09-01,440000,dengue,cases,18582\n"
                           "2014-10-01,440000,dengue,cases,22755\n";

TEST(series_db__grids_gaps_and_imported)
{
    hb_store *s = with_data(data);
    hb_db_series_set *set;
    CHECK_OK(hb_db_series_load(s, hb_date_from_ymd(2020, 12, 31), NULL, &set));
    CHECK_INT_EQ(hb_db_series_count(set), 5);
    const hb_db_series *ili = find(set, "ili_rate", "810000");
    CHECK_INT_EQ(ili->freq, HB_FREQ_DAILY);
    CHECK_INT_EQ(ili->length, 4);
    CHECK(ili->values[0] == 2.5 && isnan(ili->values[1]) && ili->values[3] == 2.6);
    CHECK(!ili->is_count);
    const hb_db_series *c = find(set, "cases", "810000");
    CHECK(c != NULL);
    CHECK_INT_EQ(c->freq, HB_FREQ_DAILY);
    CHECK_INT_EQ(c->length, 4);
    CHECK(c->values[0] == 1 && c->values[1] == 2 && isnan(c->values[2]) && c->values[3] == 4);
    CHECK(c->imported != NULL);
    CHECK(c->imported[0] == 0 && c->imported[1] == 5 && c->imported[2] == 0 && c->imported[3] == 6);
    CHECK(c->is_count);
    const hb_db_series *p = find(set, "positives", "810000");
    CHECK_INT_EQ(p->freq, HB_FREQ_WEEKLY);
    CHECK_INT_EQ(p->length, 4);
    CHECK(p->values[1] == 150 && isnan(p->values[2])); /* 2019-12-15 was not reported */
    CHECK_INT_EQ(p->dates[3], hb_date_from_ymd(2019, 12, 22));
    CHECK(p->imported == NULL);
    const hb_db_series *d = find(set, "cases", "440000");
    CHECK_INT_EQ(d->freq, HB_FREQ_MONTHLY);
    CHECK_INT_EQ(d->period_days, 30);
    hb_db_series_free(set);
    hb_store_close(s);
}

TEST(series_db__up_to_a_date_and_one_disease)
{
    hb_store *s = with_data(data);
    hb_db_series_set *set;
    CHECK_OK(hb_db_series_load(s, hb_date_from_ymd(2019, 12, 10), "influenza", &set));
    CHECK_INT_EQ(hb_db_series_count(set), 2);
    const hb_db_series *p = find(set, "positives", "810000");
    CHECK_INT_EQ(p->length, 2); /* 12-22 is after the date */
    hb_db_series_free(set);
    CHECK_OK(hb_db_series_load(s, hb_date_from_ymd(2019, 12, 3), "influenza", &set));
    const hb_db_series *ili = find(set, "ili_rate", "810000");
    CHECK_INT_EQ(ili->length, 1); /* one period: no frequency yet */
    CHECK_INT_EQ(ili->freq, 0);
    hb_db_series_free(set);
    hb_store_close(s);
}
