/* Tests for core/refdata.c and core/schema.c: the reference data, loaded by migration. */
#include <string.h>

#include "core/refdata.h"
#include "core/schema.h"
#include "harness.h"

static hb_store *migrated(void)
{
    hb_store *s;
    const char *url = hb_test_db_url();
    CHECK_OK(hb_store_open(&s, url, HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    CHECK_INT_EQ(applied, count);
    return s;
}

static int64_t scalar(hb_store *s, const char *sql, const char *param)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    if (param)
        CHECK_OK(hb_stmt_bind_cstr(st, 1, param));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t v = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return v;
}

static size_t count_level(const hb_table *t, const char *jurisdiction, const char *level)
{
    size_t n = 0;
    for (size_t r = 0; r < hb_table_row_count(t); r++)
        n += strcmp(hb_table_cell(t, r, 1), jurisdiction) == 0 &&
             strcmp(hb_table_cell(t, r, 2), level) == 0;
    return n;
}

TEST(refdata__regions_of_the_greater_bay_area)
{
    hb_store *s = migrated();
    hb_table *t;
    CHECK_OK(hb_refdata_regions(s, NULL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 38);
    CHECK_INT_EQ(count_level(t, "GD", "city"), 9);
    CHECK_INT_EQ(count_level(t, "HK", "district"), 18);
    CHECK_INT_EQ(count_level(t, "MO", "parish"), 7);
    CHECK_INT_EQ(count_level(t, "MO", "area"), 1); /* Cotai */
    CHECK_INT_EQ(count_level(t, "GD", "jurisdiction") + count_level(t, "HK", "jurisdiction") +
                     count_level(t, "MO", "jurisdiction"),
                 3);
    for (size_t r = 0; r < hb_table_row_count(t); r++)
        for (size_t c = 4; c <= 6; c++) /* every region named in en, zh-Hans, zh-Hant */
            CHECK(hb_table_cell(t, r, c) && *hb_table_cell(t, r, c));
    hb_table_free(t);

    hb_region_filter f = { "GD", "city" };
    CHECK_OK(hb_refdata_regions(s, &f, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 9);
    const char *const codes[] = { "440100", "440300", "440400", "440600", "440700",
                                  "441200", "441300", "441900", "442000" };
    for (size_t i = 0; i < 9; i++)
        CHECK_STR_EQ(hb_table_cell(t, i, 0), codes[i]); /* GB/T 2260, in code order */
    CHECK_STR_EQ(hb_table_cell(t, 0, 4), "Guangzhou");
    hb_table_free(t);
    CHECK_INT_EQ(scalar(s, "SELECT population FROM hb_regions WHERE code = ?", "440000"),
                 126012510);
    hb_store_close(s);
}

TEST(refdata__diseases_cover_the_guangdong_series)
{
    hb_store *s = migrated();
    /* The 20 columns of the Guangdong monthly notifiable-disease data must all be known. */
    static const char *const gd[] = {
        "influenza",
        "dengue",
        "hfmd",
        "measles",
        "scarlet_fever",
        "mumps",
        "rubella",
        "pertussis",
        "chickenpox",
        "tuberculosis",
        "infectious_diarrhea",
        "bacterial_dysentery",
        "acute_hemorrhagic_conjunctivitis",
        "japanese_encephalitis",
        "malaria",
        "hepatitis_a",
        "hepatitis_e",
        "hfrs",
        "leptospirosis",
        "typhoid_paratyphoid",
    };
    for (size_t i = 0; i < sizeof gd / sizeof gd[0]; i++)
        CHECK_MSG(scalar(s, "SELECT count(*) FROM hb_diseases WHERE code = ?", gd[i]) == 1,
                  "disease %s missing", gd[i]);
    hb_table *t;
    CHECK_OK(hb_refdata_diseases(s, "GD", &t));
    CHECK_INT_EQ(hb_table_row_count(t), scalar(s,
                                               "SELECT count(*) FROM hb_diseases WHERE"
                                               " gd_class IS NOT NULL",
                                               NULL));
    CHECK(hb_table_row_count(t) >= 40); /* the mainland list has 41 diseases */
    hb_table_free(t);
    CHECK_FAILS(hb_refdata_diseases(s, "XX", &t), HB_EINVAL, "unknown jurisdiction");
    hb_store_close(s);
}

TEST(refdata__holidays_include_make_up_workdays)
{
    hb_store *s = migrated();
    hb_table *t;
    CHECK_OK(hb_refdata_holidays(s, "GD", 2024, &t));
    bool feb10 = false, feb4_work = false;
    for (size_t r = 0; r < hb_table_row_count(t); r++) {
        const char *date = hb_table_cell(t, r, 0), *kind = hb_table_cell(t, r, 2);
        CHECK(strncmp(date, "2024-", 5) == 0);
        feb10 |= strcmp(date, "2024-02-10") == 0 && strcmp(kind, "holiday") == 0;
        feb4_work |= strcmp(date, "2024-02-04") == 0 && strcmp(kind, "workday") == 0;
    }
    CHECK(feb10);     /* Spring Festival */
    CHECK(feb4_work); /* the Sunday worked before it */
    hb_table_free(t);
    CHECK_INT_EQ(scalar(s,
                        "SELECT count(*) FROM hb_holidays WHERE jurisdiction = ? AND"
                        " date = '2024-07-01'",
                        "HK"),
                 1); /* HKSAR Establishment Day */
    hb_store_close(s);
}

/* A broken reference file is rejected whole, with its position, and nothing is written. */
static void expect_rejected(const char *file, const char *text, const char *needle)
{
    hb_store *s = migrated();
    int64_t before = scalar(s, "SELECT count(*) FROM hb_regions", NULL);
    CHECK_OK(hb_store_begin(s));
    int rc = hb_refdata_load_text(s, file, file, text, strlen(text));
    CHECK_MSG(rc < 0, "%s accepted", text);
    CHECK_CONTAINS(hb_error_last(), needle);
    CHECK_OK(hb_store_rollback(s));
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_regions", NULL), before);
    hb_store_close(s);
}

#define REGION_HEADER                                                                      \
    "code,jurisdiction,level,parent,name_en,name_zh_hans,name_zh_hant,name_pt,population," \
    "population_year,population_source\n"

TEST(refdata__bad_files_rejected_whole)
{
    expect_rejected("regions.csv",
                    REGION_HEADER "X1,GD,city,440000,A,甲,甲,,1,2020,s\n"
                                  "X2,GD,town,440000,B,乙,乙,,1,2020,s\n",
                    "regions.csv:3:7: field 'level': 'town' is not one of");
    expect_rejected("regions.csv",
                    REGION_HEADER "X1,GD,city,440000,A,甲,甲,,1,2020,s\n"
                                  "X2,GD,city,440000,B,乙,乙,,-5,2020,s\n",
                    "regions.csv:3:26: field 'population': '-5' is not a non-negative integer");
    expect_rejected("regions.csv", REGION_HEADER "X1,ZZ,city,440000,A,甲,甲,,1,2020,s\n",
                    "regions.csv:2: field 'jurisdiction': 'ZZ' is not a known code");
    expect_rejected("regions.csv",
                    REGION_HEADER "X1,GD,city,X2,A,甲,甲,,1,2020,s\nX2,GD,city,440000,B,乙,乙,,"
                                  "1,2020,s\n",
                    "a parent must come before its children");
    expect_rejected("regions.csv", "code,jurisdiction\nX,GD\n", "missing column 'level'");
    expect_rejected("regions.csv", REGION_HEADER "X1,GD,city,440000,A,,甲,,1,2020,s\n",
                    "field 'name_zh_hans': must not be empty");
    expect_rejected("holidays.csv",
                    "date,jurisdiction,kind,name_en,name_zh,extra\n2024-01-01,HK,holiday,N,,x\n",
                    "unknown column 'extra'");
    expect_rejected("holidays.csv",
                    "date,jurisdiction,kind,name_en,name_zh\n2023-02-29,HK,holiday,N,\n",
                    "holidays.csv:2:1: field 'date': '2023-02-29' is not a valid date");
}

TEST(refdata__reload_is_an_upsert)
{
    hb_store *s = migrated();
    int64_t n = scalar(s, "SELECT count(*) FROM hb_holidays", NULL);
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_refdata_load(s)); /* loading again changes nothing */
    const char *fix = REGION_HEADER "HK-A,HK,district,810000,Central and Western,中西区,中西區,,"
                                    "1,2021,test\n";
    CHECK_OK(hb_refdata_load_text(s, "regions.csv", "fix.csv", fix, strlen(fix)));
    CHECK_OK(hb_store_commit(s));
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_holidays", NULL), n);
    CHECK_INT_EQ(scalar(s, "SELECT population FROM hb_regions WHERE code = ?", "HK-A"), 1);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_regions", NULL), 38);
    hb_store_close(s);
}

TEST(schema__open_requires_migrated_database)
{
    hb_store *s;
    const char *url = hb_test_db_url();
    CHECK_OK(hb_store_open(&s, url, HB_STORE_CREATE));
    hb_store_close(s);
    CHECK_FAILS(hb_schema_open(&s, url), HB_ENODATA, "run 'healthybay db migrate' first");
}
