/*
 * Tests for blood/reference.c, blood/registry.c and blood/finder.c on a migrated database (each
 * runs on SQLite and on PostgreSQL): reference data, imports validated whole, pseudonyms, and
 * search results that never carry a donor's identity.
 */
#include <string.h>

#include "blood/finder.h"
#include "blood/phenotype.h"
#include "blood/reference.h"
#include "blood/registry.h"
#include "core/schema.h"
#include "healthybay/date.h"
#include "harness.h"
#include "util/limits.h"

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

static const hb_blood_actor gz = { "gd-gzbc", "GD" };
static const hb_blood_actor hkrc = { "hk-rcbts", "HK" };
static const hb_blood_actor qmh = { "hk-qmh", "HK" }; /* a Hong Kong hospital */

static int import(hb_store *s, const hb_blood_actor *a, hb_blood_kind kind, const char *text,
                  hb_blood_import_report *r)
{
    return hb_blood_import_memory(s, a, kind, "in.csv", text, strlen(text), false, r);
}

/* Whether the report lists a problem whose message contains text. */
static bool listed(const hb_blood_import_report *r, const char *text)
{
    for (size_t i = 0; i < r->nlisted; i++)
        if (strstr(r->errors[i].message, text))
            return true;
    return false;
}

#define DONORS "local_ref,abo,rhd,phenotype,predicted,last_donation,eligible\n"
#define UNITS  "din,component,storage,abo,rhd,phenotype,predicted,collected,expiry,location,status\n"

TEST(blood__reference_data_loaded_and_checked)
{
    hb_store *s = migrated();
    size_t n;
    hb_blood_antigens(&n);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_blood_antigens WHERE bit IS NOT NULL"), n);
    CHECK_INT_EQ(scalar(s, "SELECT bit FROM hb_blood_antigens WHERE isbt_number = '009003'"), 28);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_blood_rare_types WHERE code IN ('jk_null',"
                           " 'bombay', 'p', 'vel_neg', 'd_minus', 'mia_neg', 'di_b_neg')"),
                 7);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_blood_centres"), 11);
    hb_blood_centre c;
    CHECK_OK(hb_blood_centre_get(s, &c, "mo-cts"));
    CHECK_STR_EQ(c.jurisdiction, "MO");
    CHECK_FAILS(hb_blood_centre_get(s, &c, "hk-qmh"), HB_ENOTFOUND, "not a blood centre");
    /* The loader refuses antigen rows that disagree with the compiled-in table. */
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_store_run(s, "UPDATE hb_blood_antigens SET isbt_number = '009009' WHERE"
                             " code = 'Jk3'"));
    CHECK_FAILS(hb_blood_reference_verify(s), HB_EINVAL,
                "Jk3 must be system JK, ISBT number 009003");
    CHECK_OK(hb_store_rollback(s));
    hb_store_close(s);
}

TEST(blood__donor_import_is_idempotent_and_keeps_pseudonyms)
{
    hb_store *s = migrated();
    hb_blood_import_report r;
    const char *text = DONORS "GZ-0001,O,neg,\"C+ c- E- e+ Jk(a-b-) Jk3-\",Dib-,2024-03-02,yes\n"
                              "GZ-0002,A,pos,Mi(a-) Mur-,,,no\n";
    CHECK_OK(import(s, &gz, HB_BLOOD_DONOR, text, &r));
    CHECK_INT_EQ(r.rows, 2);
    CHECK_INT_EQ(r.inserted, 2);
    hb_blood_import_report_dispose(&r);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_blood_donors WHERE pseudonym LIKE 'RD-____-"
                           "____-____-____' AND centre = 'gd-gzbc'"),
                 2);
    int64_t predicted = scalar(s, "SELECT predicted_mask FROM hb_blood_donors WHERE"
                                  " local_ref = 'GZ-0001'");
    CHECK_INT_EQ(predicted, (int64_t)1 << 30); /* Dib */
    CHECK_OK(import(s, &gz, HB_BLOOD_DONOR, text, &r));
    CHECK_INT_EQ(r.unchanged, 2);
    CHECK_INT_EQ(r.inserted + r.updated, 0);
    /* A correction keeps the pseudonym. */
    hb_table *before;
    CHECK_OK(hb_blood_donors_list(s, &gz, "", 0, &before));
    CHECK_OK(import(s, &gz, HB_BLOOD_DONOR, DONORS "GZ-0002,A,pos,Mi(a-) Mur-,,,yes\n", &r));
    CHECK_INT_EQ(r.updated, 1);
    hb_table *after;
    CHECK_OK(hb_blood_donors_list(s, &gz, "", 0, &after));
    CHECK_STR_EQ(hb_table_cell(after, 1, 0), hb_table_cell(before, 1, 0));
    CHECK_STR_EQ(hb_table_cell(after, 1, 1), "GZ-0002");
    CHECK_STR_EQ(hb_table_cell(after, 1, 7), "yes");
    CHECK_STR_EQ(hb_table_cell(after, 0, 4), "C+ c- E- e+ Jka- Jkb- Jk3-");
    CHECK_STR_EQ(hb_table_cell(after, 0, 5), "Dib-");
    hb_table_free(before);
    hb_table_free(after);
    hb_store_close(s);
}

TEST(blood__bad_import_rejected_whole_every_line_named)
{
    hb_store *s = migrated();
    hb_blood_import_report r;
    const char *bad = UNITS
        "W1234 24 123456 4,red_cells,frozen,O,neg,Jk(a-b-),,2024-01-10,2034-01-10,,\n" /* fine */
        "W1234 24 123457 4,red_cells,frozen,O,neg,,,,2034-01-10,,\n"
        "W1234 24 123458 X,red_cells,frozen,C,neg,,,,2034-01-10,,\n"
        "W1234 24 123459 X,plasma,liquid,O,neg,Jkx-,,,2034-01-10,,\n"
        "W1234 24 123460 X,washed_red_cells,frozen,O,neg,,,,2034-02-30,hk-qmh,used\n"
        "W1234 24 123456 4,red_cells,liquid,O,neg,,,,2024-01-01,,\n"
        "W1234 24 123457 2,red_cells,liquid,O,neg,,,2024-01-10,2024-01-01,,\n";
    CHECK_FAILS(import(s, &gz, HB_BLOOD_UNIT, bad, &r), HB_EINVAL, "nothing was written");
    static const char *const expect[] = {
        "in.csv:3:1: field 'din': DIN 'W123424123457': check character '4' is wrong",
        "in.csv:4:1: field 'din': DIN 'W123424123458': check character 'X' is wrong",
        "in.csv:4:36: field 'abo': 'C' is not an ABO group",
        "in.csv:5:39: field 'phenotype': 'Jkx-': unknown antigen 'Jkx'",
        "in.csv:5:19: field 'component': 'plasma' is not one of whole_blood",
        "in.csv:6:52: field 'expiry': '2034-02-30' is not a valid date",
        "in.csv:6:63: field 'location': not a blood centre",
        "in.csv:6:70: field 'status': 'used' is not one of available discarded",
        "in.csv:8:55: field 'expiry': expires before it was collected",
        "in.csv:7:1: field 'din': DIN W123424123456 is also on line 2",
    };
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
        CHECK_MSG(listed(&r, expect[i]), "not listed: %s", expect[i]);
    CHECK_INT_EQ(r.nerrors, r.nlisted);
    CHECK(r.nerrors >= sizeof expect / sizeof expect[0]);
    /* Each problem's parts, for the HTTP API. */
    CHECK_INT_EQ(r.errors[2].line, 4);
    CHECK_INT_EQ(r.errors[2].column, 36);
    CHECK_STR_EQ(r.errors[2].field, "abo");
    CHECK_STR_EQ(r.errors[2].reason, "'C' is not an ABO group (O, A, B or AB)");
    hb_blood_import_report_dispose(&r);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_blood_units"), 0);
    /* Missing and unknown columns stop at the header; a line that is not CSV stops there. */
    CHECK_FAILS(import(s, &gz, HB_BLOOD_DONOR, "local_ref,abo\nX,O\n", &r), HB_EINVAL,
                "in.csv:1: missing column 'rhd'");
    CHECK_FAILS(import(s, &gz, HB_BLOOD_DONOR, "local_ref,abo,rhd,eligible,name\n", &r), HB_EINVAL,
                "in.csv:1: unknown column 'name'");
    CHECK_INT_EQ(r.nlisted, 0);
    CHECK_FAILS(
        import(s, &gz, HB_BLOOD_DONOR, DONORS "GZ-1,C,neg,,,,yes\nGZ-2,O,\"neg,,,,yes\n", &r),
        HB_EINVAL, "in.csv:3:8: quoted field is never closed");
    CHECK(listed(&r, "in.csv:2:6: field 'abo'"));
    hb_blood_import_report_dispose(&r);
    hb_store_close(s);
}

TEST(blood__only_a_blood_centre_imports_its_own)
{
    hb_store *s = migrated();
    hb_blood_import_report r;
    const char *units = UNITS "W1234 24 123456 4,red_cells,frozen,O,neg,Jk(a-b-),,,2034-01-10,,\n";
    CHECK_FAILS(import(s, &qmh, HB_BLOOD_UNIT, units, &r), HB_EPERM,
                "hk-qmh is not a blood centre");
    hb_blood_actor liar = { "gd-gzbc", "HK" };
    CHECK_FAILS(import(s, &liar, HB_BLOOD_UNIT, units, &r), HB_EPERM, "a blood centre of GD");
    CHECK_OK(import(s, &gz, HB_BLOOD_UNIT, units, &r));
    CHECK_INT_EQ(r.inserted, 1);
    hb_blood_import_report_dispose(&r);
    /* Another centre cannot overwrite that unit. */
    CHECK_FAILS(import(s, &hkrc, HB_BLOOD_UNIT, units, &r), HB_EINVAL, "1 problem");
    CHECK(listed(&r, "in.csv:2:1: field 'din': DIN W123424123456 belongs to gd-gzbc"));
    hb_blood_import_report_dispose(&r);
    hb_table *t;
    CHECK_FAILS(hb_blood_donors_list(s, &qmh, "", 0, &t), HB_EPERM, "not a blood centre");
    CHECK_OK(hb_blood_units_list(s, &gz, "", 0, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 0), "W1234 24 123456 4");
    hb_table_free(t);
    hb_store_close(s);
}

static bool table_contains(const hb_table *t, size_t ncols, const char *needle)
{
    for (size_t r = 0; r < hb_table_row_count(t); r++)
        for (size_t c = 0; c < ncols; c++)
            if (hb_table_cell(t, r, c) && strstr(hb_table_cell(t, r, c), needle))
                return true;
    return false;
}

/* The example: --abo O --rhd neg --negative Jka,Fya, across the border, and what a Hong
 * Kong hospital sees of Guangdong donors: pseudonyms and phenotypes, never the donor number. */
TEST(blood__search_across_the_border_without_identities)
{
    hb_store *s = migrated();
    hb_blood_import_report r;
    CHECK_OK(import(s, &gz, HB_BLOOD_DONOR,
                    DONORS "GZ-SECRET-1,O,neg,Jka- Fya-,,2023-05-01,yes\n"
                           "GZ-SECRET-2,O,neg,Jka- Fya+,,2023-05-01,yes\n"
                           "GZ-SECRET-3,O,neg,Jka-,,2023-05-01,yes\n"
                           "GZ-SECRET-4,O,neg,Jka- Fya-,,2023-05-01,no\n",
                    &r));
    CHECK_OK(import(s, &hkrc, HB_BLOOD_UNIT,
                    UNITS
                    "W1234 24 123456 4,red_cells,frozen,O,neg,Jk(a-b-) Fy(a-b+),,,2034-01-10,,\n"
                    "G1507 24 000001 I,red_cells,liquid,O,neg,Jka- Fya-,,,2024-01-01,,\n",
                    &r));
    hb_blood_find_query q = { .abo = HB_ABO_O, .rhd = HB_RHD_NEG, .near = "hk-rcbts", .limit = 10 };
    hb_date_parse(&q.on, "2024-06-01", 10);
    CHECK_OK(hb_blood_antigen_list_parse(&q.negative, "Jka,Fya", 7));
    hb_table *t;
    uint64_t matched;
    CHECK_OK(hb_blood_find(s, &qmh, &q, &t, &matched));
    /* The frozen Hong Kong unit, then the eligible Guangdong donor; not the expired unit, the
     * Fya+ or Fya-unknown donors, or the ineligible one. */
    CHECK_INT_EQ(matched, 2);
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 1), "unit");
    CHECK_STR_EQ(hb_table_cell(t, 0, 2), "W1234 24 123456 4");
    CHECK_STR_EQ(hb_table_cell(t, 0, 12), "0");
    CHECK_STR_EQ(hb_table_cell(t, 1, 1), "donor");
    CHECK_STR_EQ(hb_table_cell(t, 1, 3), "gd-gzbc");
    CHECK_STR_EQ(hb_table_cell(t, 1, 4), "GD");
    CHECK(strncmp(hb_table_cell(t, 1, 2), "RD-", 3) == 0);
    CHECK_MSG(!table_contains(t, 16, "SECRET"), "a donor number crossed the border");
    hb_table_free(t);
    /* A narrower search: Macao only finds nothing. */
    q.jurisdictions = "MO";
    CHECK_OK(hb_blood_find(s, &qmh, &q, &t, &matched));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    q.jurisdictions = "XX";
    CHECK_FAILS(hb_blood_find(s, &qmh, &q, &t, &matched), HB_EINVAL, "not a jurisdiction");
    hb_store_close(s);
}
