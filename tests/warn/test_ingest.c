/* Tests for warn/ingest.c: whole-file checks, idempotent re-sends, corrections with history. */
#include <string.h>

#include "core/schema.h"
#include "harness.h"
#include "util/limits.h"
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

static int64_t scalar(hb_store *s, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t v = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return v;
}

static int ingest(hb_store *s, const char *text, hb_ingest_report *r)
{
    hb_ingest_options opt = { .source = "test" };
    return hb_ingest_memory(s, "in.csv", text, strlen(text), &opt, r);
}

#define HEADER "date,region,disease,measure,value,age_group,sex\n"

TEST(ingest__accepts_and_is_idempotent)
{
    hb_store *s = migrated();
    const char *text = HEADER "2024-01-01,810000,influenza,positives,412,,\n"
                              "2024-01-01,HK-A,influenza,ili_rate,5.25,all,all\n"
                              "2024-01-01,440100,influenza,cases,1290,65+,female\n"
                              "2024-01-01,MO-COT,covid19,admissions,3,0-4,male\n";
    hb_ingest_report r;
    CHECK_OK(ingest(s, text, &r));
    CHECK_INT_EQ(r.rows, 4);
    CHECK_INT_EQ(r.inserted, 4);
    CHECK(r.batch_id > 0);
    CHECK(r.errors == NULL);
    hb_ingest_report_dispose(&r);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_counts"), 4);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_counts WHERE region = '440100' AND"
                           " age_group = '65+' AND sex = 'female' AND value = 1290"),
                 1);
    /* The same data again changes nothing, not even the list of batches. */
    CHECK_OK(ingest(s, text, &r));
    CHECK_INT_EQ(r.unchanged, 4);
    CHECK_INT_EQ(r.inserted + r.revised, 0);
    CHECK_INT_EQ(r.batch_id, 0);
    hb_ingest_report_dispose(&r);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_ingest_batches"), 1);
    hb_store_close(s);
}

TEST(ingest__corrections_keep_history)
{
    hb_store *s = migrated();
    hb_ingest_report r;
    CHECK_OK(ingest(s, HEADER "2024-01-01,810000,influenza,positives,412,,\n", &r));
    CHECK_OK(ingest(s,
                    HEADER "2024-01-01,810000,influenza,positives,415,,\n"
                           "2024-01-08,810000,influenza,positives,500,,\n",
                    &r));
    CHECK_INT_EQ(r.revised, 1);
    CHECK_INT_EQ(r.inserted, 1);
    CHECK_OK(ingest(s, HEADER "2024-01-01,810000,influenza,positives,420.0,,\n", &r));
    CHECK_INT_EQ(r.revised, 1);
    CHECK_INT_EQ(scalar(s, "SELECT value FROM hb_counts WHERE date = '2024-01-01'"), 420);
    CHECK_INT_EQ(scalar(s, "SELECT revision FROM hb_counts WHERE date = '2024-01-01'"), 3);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_count_revisions"), 2);
    CHECK_INT_EQ(scalar(s, "SELECT value FROM hb_count_revisions WHERE revision = 1"), 412);
    CHECK_INT_EQ(scalar(s, "SELECT value FROM hb_count_revisions WHERE revision = 2"), 415);
    CHECK_INT_EQ(scalar(s, "SELECT replaced_by_batch FROM hb_count_revisions WHERE"
                           " revision = 2"),
                 r.batch_id);
    hb_store_close(s);
}

TEST(ingest__bad_file_rejected_whole_every_line_named)
{
    hb_store *s = migrated();
    hb_ingest_report r;
    CHECK_OK(ingest(s, HEADER "2024-01-01,810000,influenza,positives,412,,\n", &r));
    const char *bad = HEADER "2024-01-08,810000,influenza,positives,415,,\n" /* fine */
                             "2024-01-08,XX,influenza,cases,1,,\n"
                             "2024-01-08,HK-B,flu,cases,1,,\n"
                             "2024-01-08,HK-C,influenza,cases,-1,,\n"
                             "2024-01-08,HK-D,influenza,cases,1.5,,\n"
                             "2024-02-30,HK-E,influenza,cases,1,,\n"
                             "2024-01-08,HK-F,influenza,positivity,101,,\n"
                             "2024-01-08,HK-G,influenza,cases,1,5-1,\n"
                             "2024-01-08,HK-H,influenza,cases,1,,other\n"
                             "2024-01-08,HK-J,influenza,visits,1,,\n"
                             "2024-01-08,810000,influenza,positives,416,,\n";
    CHECK_FAILS(ingest(s, bad, &r), HB_EINVAL, "in.csv: 10 bad fields in 11 rows; nothing was");
    CHECK_INT_EQ(r.nerrors, 10);
    static const char *const expect[] = {
        "in.csv:3:12: field 'region': 'XX' is not a known region code",
        "in.csv:4:17: field 'disease': 'flu' is not a known disease code",
        "in.csv:5:33: field 'value': '-1' is negative",
        "in.csv:6:33: field 'value': '1.5' is not a whole number (cases is a count)",
        "in.csv:7:1: field 'date': '2024-02-30' is not a valid date",
        "in.csv:8:38: field 'value': '101' is above 100",
        "in.csv:9:35: field 'age_group': '5-1' is not an age group",
        "in.csv:10:36: field 'sex': 'other' is not one of",
        "in.csv:11:27: field 'measure': 'visits' is not a measure",
        "in.csv:12:1: field 'date': same region, disease, measure, age group, sex and date as "
        "line 2",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        CHECK_CONTAINS(r.errors, expect[i]);
    hb_ingest_report_dispose(&r);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_counts"), 1);
    CHECK_INT_EQ(scalar(s, "SELECT value FROM hb_counts"), 412);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_ingest_batches"), 1);
    hb_store_close(s);
}

TEST(ingest__error_list_is_capped_but_counted)
{
    hb_store *s = migrated();
    hb_ingest_report r;
    char text[64 * 1024] = HEADER;
    for (int i = 0; i < 150; i++)
        strcat(text, "2024-01-01,NOPE,influenza,cases,1,,\n");
    CHECK_FAILS(ingest(s, text, &r), HB_EINVAL, "150 bad fields");
    CHECK_INT_EQ(r.nerrors, 150);
    size_t lines = 0;
    for (const char *p = r.errors; *p; p++)
        lines += *p == '\n';
    CHECK_INT_EQ(lines, HB_REPORT_ERRORS_MAX);
    hb_ingest_report_dispose(&r);
    hb_store_close(s);
}

TEST(ingest__structure_errors)
{
    hb_store *s = migrated();
    hb_ingest_report r;
    CHECK_FAILS(ingest(s, "date,region,disease,value\n", &r), HB_EINVAL,
                "missing column 'measure'");
    CHECK_FAILS(ingest(s, HEADER "2024-01-01,810000\n", &r), HB_EINVAL,
                "in.csv:2:1: expected 7 fields");
    CHECK_FAILS(ingest(s, "date,region,disease,measure,value,comment\n", &r), HB_EINVAL,
                "unknown column 'comment'");
    CHECK_OK(ingest(s, HEADER, &r)); /* a header alone is an empty report, not an error */
    CHECK_INT_EQ(r.rows, 0);
    hb_store_close(s);
}

TEST(ingest__jurisdiction_and_dry_run)
{
    hb_store *s = migrated();
    hb_ingest_report r;
    const char *text = HEADER "2024-01-01,440300,dengue,cases,7,,\n"
                              "2024-01-01,MO-SE,dengue,cases,1,,\n";
    hb_ingest_options opt = { .source = "api", .jurisdiction = "GD" };
    CHECK_FAILS(hb_ingest_memory(s, "body", text, strlen(text), &opt, &r), HB_EINVAL, NULL);
    CHECK_CONTAINS(r.errors, "body:3:12: field 'region': region MO-SE is in MO; this report is "
                             "for GD");
    hb_ingest_report_dispose(&r);
    opt.jurisdiction = NULL;
    opt.dry_run = true;
    CHECK_OK(hb_ingest_memory(s, "body", text, strlen(text), &opt, &r));
    CHECK_INT_EQ(r.rows, 2);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_counts"), 0);
    hb_store_close(s);
}
