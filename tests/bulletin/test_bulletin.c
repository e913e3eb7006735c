/* Tests for bulletin/: building bulletins from stored counts, and the three renderings. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bulletin/bulletin.h"
#include "core/schema.h"
#include "harness.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "warn/alerts.h"
#include "warn/daily.h"
#include "warn/ingest.h"

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

/* Build and render as JSON, returning the parsed document. */
static json_t *bulletin_json(hb_store *s, const char *date, const char *j, const char *lang,
                             hb_edition edition)
{
    hb_bulletin_request req = { 0, j, lang, edition };
    CHECK_OK(hb_date_parse(&req.date, date, strlen(date)));
    hb_doc *doc;
    CHECK_OK(hb_bulletin_build(s, &req, &doc));
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_doc_render(doc, HB_DOC_JSON, &out));
    hb_doc_free(doc);
    json_error_t err;
    json_t *root = json_loads(hb_buf_cstr(&out), 0, &err);
    CHECK_MSG(root != NULL, "bulletin JSON does not parse: %s", err.text);
    hb_buf_dispose(&out);
    return root;
}

static json_t *block_of_type(json_t *root, const char *type, size_t nth)
{
    json_t *blocks = json_object_get(root, "blocks"), *b;
    size_t i;
    json_array_foreach(blocks, i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "type")), type) == 0 && nth-- == 0)
            return b;
    }
    return NULL;
}

static const char weekly_hk[] = "date,region,disease,measure,value\n"
                                "2019-12-01,810000,influenza,positives,120\n"
                                "2019-12-08,810000,influenza,positives,150\n"
                                "2019-12-15,810000,influenza,positives,276\n"
                                "2019-12-22,810000,influenza,positives,346\n"
                                "2019-12-22,810000,influenza,ili_rate,3.2\n"
                                "2019-12-15,810000,influenza,ili_rate,2.6\n"
                                "2019-12-22,440300,dengue,cases,4\n";

TEST(bulletin__counts_table_and_change)
{
    hb_store *s = with_data(weekly_hk);
    json_t *root = bulletin_json(s, "2019-12-28", "HK", "en", HB_EDITION_DAILY);
    CHECK_CONTAINS(json_string_value(json_object_get(root, "title")), "Hong Kong");
    json_t *table = block_of_type(root, "table", 0);
    CHECK(table != NULL);
    json_t *rows = json_object_get(table, "rows");
    CHECK_INT_EQ(json_array_size(rows), 2); /* Shenzhen's dengue is not in Hong Kong's bulletin */
    json_t *pos = json_array_get(rows, 1);
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 1)), "positive specimens");
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 3)), "2019-12-22");
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 4)), "346");
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 5)), "276");
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 6)), "+25.4%");
    json_t *ili = json_array_get(rows, 0);
    CHECK_STR_EQ(json_string_value(json_array_get(ili, 4)), "3.20");
    json_t *para = block_of_type(root, "paragraph", 0);
    CHECK_CONTAINS(json_string_value(json_object_get(para, "text")), "2 series reported");
    CHECK_CONTAINS(json_string_value(json_object_get(para, "text")),
                   "positive specimens: 346 (+25.4%)");
    json_t *chart = block_of_type(root, "chart", 1);
    CHECK(chart != NULL);
    json_t *values = json_object_get(json_array_get(json_object_get(chart, "lines"), 0), "values");
    CHECK_INT_EQ(json_array_size(values), 4);
    CHECK(json_real_value(json_array_get(values, 3)) == 346);
    json_decref(root);
    hb_store_close(s);
}

TEST(bulletin__data_after_the_date_is_ignored)
{
    hb_store *s = with_data(weekly_hk);
    json_t *root = bulletin_json(s, "2019-12-16", "HK", "en", HB_EDITION_DAILY);
    json_t *rows = json_object_get(block_of_type(root, "table", 0), "rows");
    json_t *pos = json_array_get(rows, 1);
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 3)), "2019-12-15");
    CHECK_STR_EQ(json_string_value(json_array_get(pos, 4)), "276");
    json_decref(root);
    hb_store_close(s);
}

TEST(bulletin__weekly_edition_sums_daily_counts)
{
    char csv[8192] = "date,region,disease,measure,value\n";
    char line[96], day[HB_DATE_STRLEN];
    hb_date start = hb_date_from_ymd(2020, 3, 1);
    for (int i = 0; i < 21; i++) { /* 1, 2, 3 … cases a day */
        snprintf(line, sizeof line, "%s,MO-FAT,covid19,cases,%d\n", hb_date_format(day, start + i),
                 i + 1);
        strcat(csv, line);
    }
    hb_store *s = with_data(csv);
    json_t *root = bulletin_json(s, "2020-03-21", "MO", "pt", HB_EDITION_WEEKLY);
    json_t *row = json_array_get(json_object_get(block_of_type(root, "table", 0), "rows"), 0);
    CHECK_STR_EQ(json_string_value(json_array_get(row, 3)), "2020-03-15–2020-03-21");
    CHECK_STR_EQ(json_string_value(json_array_get(row, 4)), "126"); /* 15 + … + 21 */
    CHECK_STR_EQ(json_string_value(json_array_get(row, 5)), "77");  /* 8 + … + 14 */
    CHECK_CONTAINS(json_string_value(json_object_get(root, "title")), "semanal");
    json_decref(root);
    hb_store_close(s);
}

TEST(bulletin__no_data_and_gba_in_chinese)
{
    hb_store *s = with_data(weekly_hk);
    json_t *root = bulletin_json(s, "2010-01-01", "GD", "zh-Hans", HB_EDITION_DAILY);
    json_t *para = block_of_type(root, "paragraph", 0);
    CHECK_STR_EQ(json_string_value(json_object_get(para, "text")),
                 "截至2010-01-01未有监测数据报告。");
    CHECK(block_of_type(root, "table", 0) == NULL);
    json_decref(root);
    root = bulletin_json(s, "2019-12-28", "GBA", "zh-Hant", HB_EDITION_DAILY);
    CHECK_CONTAINS(json_string_value(json_object_get(root, "title")), "粵港澳大灣區");
    json_t *rows = json_object_get(block_of_type(root, "table", 0), "rows");
    CHECK_INT_EQ(json_array_size(rows), 3);
    CHECK_STR_EQ(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "登革熱");
    json_decref(root);
    hb_store_close(s);
}

/* The heading's block index, or -1. */
static int heading_index(json_t *root, const char *text)
{
    json_t *blocks = json_object_get(root, "blocks"), *b;
    size_t i;
    json_array_foreach(blocks, i, b)
    {
        const char *t = json_string_value(json_object_get(b, "text"));
        if (strcmp(json_string_value(json_object_get(b, "type")), "heading") == 0 && t &&
            strcmp(t, text) == 0)
            return (int)i;
    }
    return -1;
}

/* The table that follows block i (its heading), or NULL. */
static json_t *table_after(json_t *root, int i)
{
    json_t *blocks = json_object_get(root, "blocks");
    for (size_t k = (size_t)i + 1; i >= 0 && k < json_array_size(blocks); k++) {
        json_t *b = json_array_get(blocks, k);
        const char *type = json_string_value(json_object_get(b, "type"));
        if (strcmp(type, "heading") == 0)
            return NULL;
        if (strcmp(type, "table") == 0)
            return b;
    }
    return NULL;
}

static const char *cell(json_t *table, size_t r, size_t c)
{
    return json_string_value(json_array_get(json_array_get(json_object_get(table, "rows"), r), c));
}

/* What the daily run stored, as of the bulletin's date: the alerts of the jurisdiction, its
 * latest Rt and forecast; the alert level and status in the bulletin's language. */
TEST(bulletin__alerts_rt_and_forecasts_of_the_daily_run)
{
    hb_buf csv;
    hb_buf_init(&csv, 0);
    CHECK_OK(hb_buf_puts(&csv, "date,region,disease,measure,value\n"));
    for (int d = 0; d < 30; d++) {
        char day[HB_DATE_STRLEN];
        hb_date_format(day, hb_date_from_ymd(2020, 1, 15) + d);
        CHECK_OK(hb_buf_printf(&csv, "%s,440100,covid19,cases,%d\n", day, 2 + d));
    }
    hb_store *s = with_data(hb_buf_cstr(&csv));
    hb_buf_dispose(&csv);
    hb_warn_config cfg;
    CHECK_OK(hb_warn_config_defaults(&cfg));
    hb_warn_run_report run;
    CHECK_OK(hb_warn_run(s, &cfg, hb_date_from_ymd(2020, 2, 13), NULL, &run));
    CHECK_INT_EQ(run.rt, 1);
    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    /* Shenzhen's alert beside whatever the run raised for Guangzhou: the higher level first. */
    hb_series_key key = { "440300", "covid19", "cases", "all", "all" };
    int64_t id;
    bool raised;
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(
        hb_alert_signal(s, &rules, &key, "2020-02-10", 1, HB_LEVEL_WARNING, "test", &id, &raised));
    CHECK_OK(hb_store_commit(s));

    json_t *root = bulletin_json(s, "2020-02-13", "GD", "en", HB_EDITION_DAILY);
    json_t *alerts = table_after(root, heading_index(root, "Early-warning alerts"));
    CHECK(alerts != NULL);
    CHECK_STR_EQ(cell(alerts, 0, 0), "Shenzhen");
    CHECK_STR_EQ(cell(alerts, 0, 3), "warning");
    CHECK_STR_EQ(cell(alerts, 0, 4), "new");
    CHECK_STR_EQ(cell(alerts, 0, 5), "2020-02-10");
    json_t *rt = table_after(root, heading_index(root, "Reproduction number (Rt)"));
    CHECK(rt != NULL);
    CHECK_STR_EQ(cell(rt, 0, 2), "2020-02-13");
    CHECK(strtod(cell(rt, 0, 3), NULL) > 1.0); /* cases rising every day */
    json_t *fc = table_after(root, heading_index(root, "Forecasts"));
    CHECK(fc != NULL);
    CHECK_STR_EQ(cell(fc, 0, 3), "2020-02-14"); /* one day ahead of the origin */
    CHECK_INT_EQ(json_array_size(json_object_get(fc, "rows")), (size_t)cfg.horizon_days);
    json_decref(root);

    /* Hong Kong's bulletin has none of Guangdong's; before the signal there was no alert. */
    root = bulletin_json(s, "2020-02-13", "HK", "zh-Hant", HB_EDITION_DAILY);
    int h = heading_index(root, "預警信號");
    CHECK(h >= 0 && table_after(root, h) == NULL);
    CHECK(heading_index(root, "實時再生數（Rt）") < 0);
    json_decref(root);
    root = bulletin_json(s, "2020-02-13", "GBA", "zh-Hant", HB_EDITION_DAILY);
    CHECK_STR_EQ(cell(table_after(root, heading_index(root, "預警信號")), 0, 3), "預警");
    json_decref(root);
    root = bulletin_json(s, "2020-02-09", "GD", "en", HB_EDITION_DAILY);
    CHECK(table_after(root, heading_index(root, "Early-warning alerts")) == NULL);
    json_decref(root);
    hb_store_close(s);
}

TEST(bulletin__html_is_escaped_and_self_contained)
{
    hb_doc *doc;
    CHECK_OK(hb_doc_new(&doc, "en", "A <b> & \"c\"", "sub"));
    CHECK_OK(hb_doc_paragraph(doc, "x < y"));
    const char *cols[] = { "a", "b" };
    CHECK_OK(hb_doc_table(doc, 2, cols, "lr"));
    const char *row[] = { "<script>", NULL };
    CHECK_OK(hb_doc_table_row(doc, row));
    const char *x[] = { "d1", "d2" };
    double v[] = { 1, NAN };
    CHECK_OK(hb_doc_chart(doc, "t", "y", 2, x));
    CHECK_OK(hb_doc_chart_line(doc, "l", v));
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_doc_render(doc, HB_DOC_HTML, &out));
    const char *html = hb_buf_cstr(&out);
    CHECK_CONTAINS(html, "<title>A &lt;b&gt; &amp; &quot;c&quot;</title>");
    CHECK_CONTAINS(html, "<td>&lt;script&gt;</td>");
    CHECK_CONTAINS(html, "<svg");
    CHECK(strstr(html, "<script") == NULL && strstr(html, "http") == NULL);
    hb_buf_dispose(&out);
    CHECK_FAILS(hb_doc_table_row(doc, row), HB_EINVAL, "no table to add to");
    hb_doc_free(doc);
}

TEST(bulletin__request_checked)
{
    hb_bulletin_request req = { 0, "XX", "en", HB_EDITION_DAILY };
    CHECK_FAILS(hb_bulletin_check(&req), HB_EINVAL, "GD, HK, MO or GBA");
    req.jurisdiction = "HK";
    req.lang = "fr";
    CHECK_FAILS(hb_bulletin_check(&req), HB_EINVAL, "en, zh-Hans, zh-Hant or pt");
}
