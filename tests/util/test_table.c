/* Tests for util/table.c: the three renderings. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "util/table.h"

static hb_table *sample(void)
{
    static const char *const names[] = { "code", "name", "population" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT };
    hb_table *t;
    CHECK_OK(hb_table_new(&t, 3, names, kinds));
    const char *r1[] = { "HK-A", "中西區", "243266" };
    const char *r2[] = { "MO-COT", "Cotai, \"new\"", NULL };
    CHECK_OK(hb_table_add_row(t, r1));
    CHECK_OK(hb_table_add_row(t, r2));
    return t;
}

static char *render(const hb_table *t, hb_format f)
{
    const char *path = hb_test_path("out.txt");
    FILE *out = fopen(path, "w");
    CHECK_OK(hb_table_write(t, f, out));
    fclose(out);
    return hb_test_read_file(path, NULL);
}

TEST(table__csv_quotes_and_nulls)
{
    hb_table *t = sample();
    char *s = render(t, HB_FORMAT_CSV);
    CHECK_STR_EQ(s, "code,name,population\nHK-A,中西區,243266\nMO-COT,\"Cotai, \"\"new\"\"\",\n");
    free(s);
    hb_table_free(t);
}

TEST(table__truncate_keeps_the_first_rows)
{
    hb_table *t = sample();
    hb_table_truncate(t, 5); /* more than there are: nothing happens */
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    hb_table_truncate(t, 1);
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    char *s = render(t, HB_FORMAT_CSV);
    CHECK_STR_EQ(s, "code,name,population\nHK-A,中西區,243266\n");
    free(s);
    const char *r[] = { "MO-TAI", "Taipa", "1" }; /* a row added after truncation */
    CHECK_OK(hb_table_add_row(t, r));
    CHECK_STR_EQ(hb_table_cell(t, 1, 0), "MO-TAI");
    hb_table_free(t);
}

TEST(table__json_types)
{
    hb_table *t = sample();
    char *s = render(t, HB_FORMAT_JSON);
    CHECK_STR_EQ(s, "[\n {\"code\": \"HK-A\", \"name\": \"中西區\", \"population\": 243266},\n"
                    " {\"code\": \"MO-COT\", \"name\": \"Cotai, \\\"new\\\"\", \"population\": "
                    "null}\n]\n");
    free(s);
    hb_table_free(t);
}

TEST(table__aligned_counts_wide_characters)
{
    hb_table *t = sample();
    char *s = render(t, HB_FORMAT_TABLE);
    /* 中西區 is six columns wide: the name column is as wide as 'Cotai, "new"' (12). */
    CHECK_STR_EQ(s, "code    name          population\n"
                    "HK-A    中西區            243266\n"
                    "MO-COT  Cotai, \"new\"            \n");
    free(s);
    hb_table_free(t);
}

TEST(table__format_names)
{
    hb_format f;
    CHECK_OK(hb_format_parse(&f, "json"));
    CHECK_INT_EQ(f, HB_FORMAT_JSON);
    CHECK_FAILS(hb_format_parse(&f, "xml"), HB_EINVAL, "unknown format 'xml'");
}
