/* Tests for util/csv.c: RFC 4180, positions in errors, limits. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "util/alloc.h"
#include "util/csv.h"
#include "util/limits.h"

static hb_csv *open_text(const char *text)
{
    hb_csv *csv;
    CHECK_OK(hb_csv_open_memory(&csv, "t.csv", text, strlen(text)));
    return csv;
}

TEST(csv__quoted_fields_and_crlf)
{
    hb_csv *csv = open_text("a,b,c\r\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\r\n1,,3");
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_INT_EQ(hb_csv_header_count(csv), 3);
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_STR_EQ(hb_csv_field(csv, 0, NULL), "x, y");
    CHECK_STR_EQ(hb_csv_field(csv, 1, NULL), "he said \"hi\"");
    CHECK_STR_EQ(hb_csv_field(csv, 2, NULL), "two\nlines");
    CHECK_INT_EQ(hb_csv_line(csv), 2);
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_INT_EQ(hb_csv_line(csv), 4); /* the quoted line break counted */
    size_t len;
    CHECK_STR_EQ(hb_csv_field(csv, 1, &len), "");
    CHECK_INT_EQ(len, 0);
    CHECK_STR_EQ(hb_csv_field(csv, 2, NULL), "3");
    CHECK_INT_EQ(hb_csv_next(csv), 0);
    hb_csv_free(csv);
}

TEST(csv__bom_and_blank_lines_skipped)
{
    hb_csv *csv = open_text("\xEF\xBB\xBF"
                            "date,count\n\n2024-01-01,5\n\n\n2024-01-08,6\n");
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_STR_EQ(hb_csv_header_name(csv, 0), "date");
    CHECK_INT_EQ(hb_csv_find(csv, "count"), 1);
    CHECK_INT_EQ(hb_csv_find(csv, "nope"), -1);
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_INT_EQ(hb_csv_line(csv), 3);
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_INT_EQ(hb_csv_line(csv), 6);
    CHECK_INT_EQ(hb_csv_next(csv), 0);
    hb_csv_free(csv);
}

TEST(csv__columns_count_characters)
{
    hb_csv *csv = open_text("region,name,value\n810000,香港,x\n");
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_INT_EQ(hb_csv_column(csv, 0), 1);
    CHECK_INT_EQ(hb_csv_column(csv, 1), 8);
    CHECK_INT_EQ(hb_csv_column(csv, 2), 11); /* 香港 is two characters, six bytes */
    CHECK_FAILS(hb_csv_error(csv, 2, "'%s' is not a number", "x"), HB_EINVAL,
                "t.csv:2:11: field 'value': 'x' is not a number");
    hb_csv_free(csv);
}

static void expect_error(const char *text, const char *needle)
{
    hb_csv *csv = open_text(text);
    int rc = hb_csv_read_header(csv);
    if (rc == 0)
        while ((rc = hb_csv_next(csv)) == 1)
            ;
    CHECK_MSG(rc < 0, "no error for %s", text);
    CHECK_CONTAINS(hb_error_last(), needle);
    hb_csv_free(csv);
}

TEST(csv__malformed_input_named_by_position)
{
    expect_error("a,b\n1,2\n3,4,5\n", "t.csv:3:1: expected 2 fields (as in the header), found 3");
    expect_error("a,b\n1,2\n3\n", "t.csv:3:1: expected 2 fields");
    expect_error("a,b\nab\"c,2\n", "t.csv:2:3: '\"' inside an unquoted field");
    expect_error("a,b\n\"ab\"c,2\n", "t.csv:2:5: text after the closing");
    expect_error("a,b\n1,\"never closed\n2,3\n", "t.csv:2:3: quoted field is never closed");
    expect_error("a,a\n", "column 'a' appears twice");
    expect_error("a,,c\n", "column 2 of the header has no name");
    expect_error("", "empty file");
    expect_error("a,b\n1,\xff\xfe\n", "t.csv:2:3: field 2 is not valid UTF-8");
    expect_error("a,b\n1,\xC0\xAF\n", "not valid UTF-8"); /* overlong '/' */
}

TEST(csv__nul_byte_rejected)
{
    static const char text[] = "a,b\n1,x\0y\n";
    hb_csv *csv;
    CHECK_OK(hb_csv_open_memory(&csv, "t.csv", text, sizeof text - 1));
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_FAILS(hb_csv_next(csv), HB_EINVAL, "t.csv:2:4: NUL byte");
    hb_csv_free(csv);
}

TEST(csv__field_limit)
{
    size_t n = HB_CSV_FIELD_MAX + 10;
    char *text = malloc(n + 8);
    memcpy(text, "a\n", 2);
    memset(text + 2, 'x', n);
    text[n + 2] = '\0';
    hb_csv *csv = open_text(text);
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_FAILS(hb_csv_next(csv), HB_ELIMIT, "field longer than");
    hb_csv_free(csv);
    free(text);
}

TEST(csv__file_and_missing_file)
{
    const char *path = hb_test_write_file("in.csv", "x,y\n1,2\n");
    hb_csv *csv;
    CHECK_OK(hb_csv_open_file(&csv, path));
    CHECK_OK(hb_csv_read_header(csv));
    CHECK_INT_EQ(hb_csv_next(csv), 1);
    CHECK_STR_EQ(hb_csv_field(csv, 1, NULL), "2");
    CHECK_INT_EQ(hb_csv_bytes_total(csv), 8);
    CHECK_INT_EQ(hb_csv_next(csv), 0);
    CHECK_INT_EQ(hb_csv_bytes_read(csv), 8);
    hb_csv_free(csv);
    CHECK_FAILS(hb_csv_open_file(&csv, hb_test_path("absent.csv")), HB_ENOTFOUND, "cannot open");
}

TEST(csv__large_file_crosses_blocks)
{
    /* Records straddle the 64 KiB read blocks; a quoted field with a line break sits across. */
    const char *path = hb_test_path("big.csv");
    FILE *f = fopen(path, "w");
    fputs("n,text\n", f);
    for (int i = 0; i < 20000; i++)
        fprintf(f, "%d,\"row %d\nsecond line, with comma\"\n", i, i);
    fclose(f);
    hb_csv *csv;
    CHECK_OK(hb_csv_open_file(&csv, path));
    CHECK_OK(hb_csv_read_header(csv));
    int rows = 0, rc;
    char expect[64];
    while ((rc = hb_csv_next(csv)) == 1) {
        snprintf(expect, sizeof expect, "row %d\nsecond line, with comma", rows);
        CHECK_STR_EQ(hb_csv_field(csv, 1, NULL), expect);
        CHECK_INT_EQ(hb_csv_line(csv), 2 + 2 * rows);
        rows++;
    }
    CHECK_INT_EQ(rc, 0);
    CHECK_INT_EQ(rows, 20000);
    hb_csv_free(csv);
}

TEST(csv__out_of_memory_is_reported)
{
    /* Fail each allocation in turn: every failure is a clean HB_ENOMEM, never a crash. */
    for (unsigned long n = 1; n < 40; n++) {
        hb_csv *csv = NULL;
        hb_alloc_fail_after(n);
        int rc = hb_csv_open_memory(&csv, "t.csv", "a,b\n1,2\n", 8);
        if (rc == 0)
            rc = hb_csv_read_header(csv);
        if (rc == 0)
            while ((rc = hb_csv_next(csv)) == 1)
                ;
        unsigned long made = hb_alloc_fail_after(0);
        if (made >= n)
            CHECK_INT_EQ(rc, HB_ENOMEM); /* the nth allocation failed: reported as such */
        else
            CHECK_INT_EQ(rc, 0);
        hb_csv_free(csv);
    }
}
