/* Tests for bulletin/: building bulletins from stored counts, and the three renderings. */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "bulletin/bulletin.h"
#include "core/schema.h"
#include "harness.h"
#include "healthybay/date.h"
#include "util/alloc.h"
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
