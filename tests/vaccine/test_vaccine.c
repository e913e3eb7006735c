/* Tests for src/vaccine: records and import, the recognition engine and rule versions,
 * coverage, pseudonyms, and certificates from records verified through the database trust list.
 * Run on SQLite and PostgreSQL. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bulletin/bulletin.h"
#include "core/accounts.h"
#include "core/schema.h"
#include "dcc/keys.h"
#include "harness.h"
#include "healthybay/date.h"
#include "healthybay/dcc.h"
#include "util/alloc.h"
#include "vaccine/vaccine.h"

#define P1 "GD-00000000000000000000000000000001"
#define P2 "GD-00000000000000000000000000000002"
#define P3 "GD-00000000000000000000000000000003"

static hb_store *migrated(void)
{
    hb_store *s;
    size_t count, applied;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static hb_date day(const char *text)
{
    hb_date d;
    CHECK_OK(hb_date_parse(&d, text, strlen(text)));
    return d;
}

static const char header[] = "person,residence,product,manufacturer,dose_number,series_doses,"
                             "date,administered_in,site,region,lot\n";

static const hb_vaccine_import_options at_2026 = { .today = 20454 }; /* 2026-01-01 */

static int import_text(hb_store *s, const char *rows, const hb_vaccine_import_options *opt,
                       hb_vaccine_import_report *r)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", header, rows);
    return hb_vaccine_import(s, "doses.csv", text, strlen(text), opt, r);
}

/* Every listed problem's message, one per line. */
static const char *problems_of(const hb_vaccine_import_report *r)
{
    static char out[8192];
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->nlisted && n < sizeof out; i++)
        n += (size_t)snprintf(out + n, sizeof out - n, "%s\n", r->errors[i].message);
    return out;
}

static void import_ok(hb_store *s, const char *rows, size_t expect)
{
    hb_vaccine_import_report r;
    int rc = import_text(s, rows, &at_2026, &r);
    CHECK_MSG(rc == 0, "import failed: %s\n%s", hb_error_last(), problems_of(&r));
    CHECK_INT_EQ(r.inserted, expect);
    hb_vaccine_import_report_dispose(&r);
}

static size_t doses_stored(hb_store *s, const char *person)
{
    hb_vaccine_dose *doses;
    size_t n;
    CHECK_OK(hb_vaccine_doses_of(s, person, &doses, &n));
    hb_free(doses);
    return n;
}

static hb_vaccine_status status(hb_store *s, const char *person, const char *under, const char *on)
{
    hb_vaccine_status st;
    CHECK_OK(hb_vaccine_status_of(s, person, under, day(on), &st));
    return st;
}

TEST(vaccine__import_checks_every_field_and_writes_all_or_nothing)
{
    hb_store *s = migrated();
    hb_vaccine_import_report r;
    CHECK_FAILS(import_text(s,
                            P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n"
                               "bad id,HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P2
                               ",HK,Sinovac,,1,2,2021-06-01,GD,Futian,440300,\n" P2
                               ",XX,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P3
                               ",MO,CoronaVac,ORG-100030215,1,2,2021-06-01,GD,Futian,440300,\n" P3
                               ",MO,CoronaVac,,1,2,2021-13-01,GD,Futian,440300,\n" P3
                               ",MO,CoronaVac,,1,2,2021-06-02,GD,Futian,820000,\n" P3
                               ",XX,CoronaVac,,0,2,2019-01-01,GD,,440300,\n",
                            &at_2026, &r),
                HB_EINVAL, "doses.csv: 10 problems in 8 doses; nothing was imported");
    const char *d = problems_of(&r);
    CHECK_CONTAINS(d, "doses.csv:3:1: field 'person': must be a pseudonym");
    CHECK_CONTAINS(d, "doses.csv:4:");
    CHECK_CONTAINS(d, "field 'product': 'Sinovac' is not a known product");
    CHECK_CONTAINS(d, "doses.csv:5:37: field 'residence': 'XX' is not GD, HK or MO");
    CHECK_CONTAINS(d, "field 'manufacturer': 'ORG-100030215' does not make CoronaVac");
    CHECK_CONTAINS(d, "doses.csv:7:");
    CHECK_CONTAINS(d, "field 'region': 820000 is in MO, not in GD");
    /* Every bad field of a line is a problem of its own, with its parts apart. */
    CHECK_INT_EQ(r.nerrors, 10);
    CHECK_INT_EQ(r.nlisted, 10);
    const hb_vaccine_import_error *last = &r.errors[6];
    CHECK_INT_EQ(last->record, 8);
    CHECK_INT_EQ(last->line, 9);
    CHECK_INT_EQ(last->column, 37);
    CHECK_STR_EQ(last->field, "residence");
    CHECK_STR_EQ(r.errors[7].field, "dose_number");
    CHECK_STR_EQ(r.errors[8].field, "date");
    CHECK_STR_EQ(r.errors[9].field, "site");
    CHECK_STR_EQ(r.errors[9].reason, "must not be empty");
    CHECK_INT_EQ(r.rows, 8);
    CHECK_INT_EQ(r.inserted, 0);
    hb_vaccine_import_report_dispose(&r);
    CHECK_INT_EQ(doses_stored(s, P1), 0); /* the good first line was not written either */
    hb_store_close(s);
}

/* A file sent again changes nothing; a dose recorded differently under the same key (person, day,
 * product) is a problem, and so is a second, different line for it in one file. */
TEST(vaccine__import_again_is_harmless_and_a_different_dose_is_refused)
{
    hb_store *s = migrated();
    hb_vaccine_import_report r;
    import_ok(s, P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n", 1);
    CHECK_OK(import_text(s,
                         P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P2
                            ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n",
                         &at_2026, &r));
    CHECK_INT_EQ(r.inserted, 1);
    CHECK_INT_EQ(r.unchanged, 1);
    hb_vaccine_import_report_dispose(&r);
    CHECK_FAILS(import_text(s,
                            P3 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P1
                               ",HK,CoronaVac,,1,2,2021-06-01,GD,Nanshan,440300,\n",
                            &at_2026, &r),
                HB_EINVAL, "1 problem in 2 doses");
    CHECK_INT_EQ(r.nlisted, 1);
    CHECK_STR_EQ(r.errors[0].field, "site");
    CHECK_INT_EQ(r.errors[0].line, 3);
    CHECK_CONTAINS(r.errors[0].reason, "already recorded for this person with another site");
    hb_vaccine_import_report_dispose(&r);
    CHECK_FAILS(import_text(s,
                            P3 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,L1\n" P3
                               ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,L2\n",
                            &at_2026, &r),
                HB_EINVAL, "problem in line 3");
    CHECK_STR_EQ(r.errors[0].field, "lot");
    CHECK_INT_EQ(r.inserted, 0);
    hb_vaccine_import_report_dispose(&r);
    CHECK_INT_EQ(doses_stored(s, P3), 0);
    CHECK_INT_EQ(doses_stored(s, P1), 1);
    hb_store_close(s);
}

static bool only_gd(const char *jurisdiction, void *payload)
{
    (*(int *)payload)++;
    return strcmp(jurisdiction, "GD") == 0;
}

/* The caller's rights come from its policy, asked per dose; the recorder is kept with the dose;
 * the import joins the caller's transaction. */
TEST(vaccine__import_asks_who_may_record_and_keeps_the_recorder)
{
    hb_store *s = migrated();
    hb_org org = { .kind = HB_ORG_HOSPITAL };
    snprintf(org.code, sizeof org.code, "gd-szh");
    snprintf(org.name, sizeof org.name, "Shenzhen People's Hospital");
    snprintf(org.jurisdiction, sizeof org.jurisdiction, "GD");
    CHECK_OK(hb_org_create(s, &org));
    int asked = 0;
    hb_vaccine_import_options opt = { at_2026.today, "gd-szh", only_gd, &asked };
    hb_vaccine_import_report r;
    CHECK_FAILS(import_text(s,
                            P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P2
                               ",HK,CoronaVac,,1,2,2021-06-01,HK,QMH,,\n",
                            &opt, &r),
                HB_EPERM, "not yours to record");
    CHECK_INT_EQ(asked, 2);
    CHECK(r.errors[0].denied);
    CHECK_STR_EQ(r.errors[0].field, "administered_in");
    CHECK_INT_EQ(r.errors[0].record, 2);
    hb_vaccine_import_report_dispose(&r);
    CHECK_INT_EQ(doses_stored(s, P1), 0);
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(import_text(s, P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n", &opt, &r));
    hb_vaccine_import_report_dispose(&r);
    CHECK(hb_store_in_transaction(s));
    CHECK_OK(hb_store_commit(s));
    char residence[3];
    bool recorded, given_there;
    CHECK_OK(hb_vaccine_holders(s, P1, "gd-szh", "GD", residence, &recorded, &given_there));
    CHECK_STR_EQ(residence, "HK");
    CHECK(recorded && given_there);
    CHECK_OK(hb_vaccine_holders(s, P1, "hk-dh", "HK", residence, &recorded, &given_there));
    CHECK(!recorded && !given_there);
    CHECK_FAILS(hb_vaccine_holders(s, P2, "hk-dh", "HK", residence, &recorded, &given_there),
                HB_ENOTFOUND, NULL);
    hb_store_close(s);
}

/* A dose given at 07:00 in Guangzhou (23:00 UTC the day before) is dated today. */
TEST(vaccine__today_is_the_bay_areas)
{
    setenv("HEALTHYBAY_NOW", "2021-08-19T23:00:00Z", 1);
    CHECK_INT_EQ(hb_vaccine_today(), day("2021-08-20"));
    setenv("HEALTHYBAY_NOW", "2021-08-19T15:59:59Z", 1);
    CHECK_INT_EQ(hb_vaccine_today(), day("2021-08-19"));
    unsetenv("HEALTHYBAY_NOW");
}

TEST(vaccine__record_one_dose_names_the_field)
{
    hb_store *s = migrated();
    hb_vaccine_dose d = { 0 };
    snprintf(d.person, sizeof d.person, "%s", P1);
    snprintf(d.residence, sizeof d.residence, "HK");
    snprintf(d.product, sizeof d.product, "GBA-ZF2001");
    d.dose_number = 1;
    d.series_doses = 3;
    d.date = day("2021-05-01");
    snprintf(d.administered_in, sizeof d.administered_in, "GD");
    int64_t id = 0;
    CHECK_FAILS(hb_vaccine_record(s, &d, &id), HB_EINVAL, "site: must not be empty");
    snprintf(d.site, sizeof d.site, "Guangzhou Tianhe");
    CHECK_OK(hb_vaccine_record(s, &d, &id));
    CHECK(id > 0);
    CHECK_STR_EQ(d.manufacturer, "GBA-Zhifei-Longcom"); /* filled from the product */
    CHECK_FAILS(hb_vaccine_record(s, &d, &id), HB_ECONFLICT, "already recorded");
    d.date = day("2031-01-01");
    CHECK_FAILS(hb_vaccine_record(s, &d, &id), HB_EINVAL, "date:");
    hb_store_close(s);
}

static hb_vaccine_rule rule(const char *product, int doses, int interval, int after, int validity,
                            int booster)
{
    hb_vaccine_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.jurisdiction, sizeof r.jurisdiction, "MO");
    snprintf(r.version, sizeof r.version, "TEST-1");
    snprintf(r.product, sizeof r.product, "%s", product);
    r.primary_doses = doses;
    r.min_interval_days = interval;
    r.full_after_days = after;
    r.validity_days = validity;
    r.booster_validity_days = booster;
    return r;
}

static hb_vaccine_dose dose(const char *product, const char *date)
{
    hb_vaccine_dose d;
    memset(&d, 0, sizeof d);
    snprintf(d.product, sizeof d.product, "%s", product);
    snprintf(d.administered_in, sizeof d.administered_in, "GD");
    d.dose_number = 1;
    d.series_doses = 2;
    d.date = day(date);
    return d;
}

TEST(vaccine__engine_counts_intervals_waiting_validity_and_boosters)
{
    const hb_vaccine_rule rules[] = { rule("CoronaVac", 2, 14, 14, 270, -1),
                                      rule("EU/1/20/1528", 2, 21, 14, 270, -1),
                                      rule("EU/1/20/1525", 1, 0, 14, 270, 180) };
    hb_vaccine_status st;
    /* Heterologous course; the second dose only 10 days later does not count. */
    const hb_vaccine_dose a[] = { dose("CoronaVac", "2021-06-01"),
                                  dose("EU/1/20/1528", "2021-06-11"),
                                  dose("EU/1/20/1528", "2021-07-01") };
    CHECK_OK(hb_vaccine_evaluate(&st, rules, 3, a, 3, day("2021-07-10")));
    CHECK(!st.full && st.course_complete);
    CHECK_INT_EQ(st.counted_doses, 2);
    CHECK_INT_EQ(st.completed_on, day("2021-07-01"));
    CHECK_INT_EQ(st.full_from, day("2021-07-15"));
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "10 days after the previous dose");
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "Not yet fully vaccinated");
    hb_vaccine_status_dispose(&st);
    CHECK_OK(hb_vaccine_evaluate(&st, rules, 3, a, 3, day("2021-07-15")));
    CHECK(st.full);
    CHECK_INT_EQ(st.valid_until, day("2021-07-01") + 270);
    hb_vaccine_status_dispose(&st);
    CHECK_OK(hb_vaccine_evaluate(&st, rules, 3, a, 3, day("2022-04-01")));
    CHECK(!st.full);
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "No longer fully vaccinated");
    hb_vaccine_status_dispose(&st);
    /* A booster renews it for the booster's validity (the booster product's rule). */
    const hb_vaccine_dose b[] = { dose("EU/1/20/1525", "2021-06-01"),
                                  dose("EU/1/20/1525", "2022-01-10") };
    CHECK_OK(hb_vaccine_evaluate(&st, rules, 3, b, 2, day("2022-04-01")));
    CHECK(st.full);
    CHECK_INT_EQ(st.valid_until, day("2022-01-10") + 180);
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "counts as booster 1");
    hb_vaccine_status_dispose(&st);
    /* Doses after the day asked do not exist yet; unknown products are named. */
    const hb_vaccine_dose c[] = { dose("GBA-KCONVAC", "2021-06-01"),
                                  dose("CoronaVac", "2021-09-01") };
    CHECK_OK(hb_vaccine_evaluate(&st, rules, 3, c, 2, day("2021-08-01")));
    CHECK(!st.full && !st.course_complete);
    CHECK_INT_EQ(st.counted_doses, 0);
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "GBA-KCONVAC on 2021-06-01 (recorded 1 of 2, GD) is "
                                         "not recognised under TEST-1");
    hb_vaccine_status_dispose(&st);
    const hb_vaccine_dose unordered[] = { c[1], c[0] };
    CHECK_FAILS(hb_vaccine_evaluate(&st, rules, 3, unordered, 2, day("2021-08-01")), HB_EINVAL,
                "date order");
    hb_vaccine_status_dispose(&st);
}

TEST(vaccine__status_uses_the_rule_version_in_force)
{
    hb_store *s = migrated();
    import_ok(s,
              P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P1
                 ",HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n" P2
                 ",HK,GBA-KCONVAC,,1,2,2021-07-01,GD,Nanshan,440300,\n" P2
                 ",HK,GBA-KCONVAC,,2,2,2021-07-20,GD,Nanshan,440300,\n",
              4);
    hb_vaccine_status st = status(s, P1, "HK", "2021-08-20");
    CHECK(st.full);
    CHECK_STR_EQ(st.version, "HK-2021.1");
    CHECK_INT_EQ(st.full_from, day("2021-07-13"));
    hb_vaccine_status_dispose(&st);
    /* HK's 2022 version asks for three doses: two no longer make a full course. */
    st = status(s, P1, "HK", "2022-06-01");
    CHECK(!st.full);
    CHECK_STR_EQ(st.version, "HK-2022.1");
    hb_vaccine_status_dispose(&st);
    /* KCONVAC (made in Shenzhen, not in the DCC value sets) counts in GD and MO, not in HK. */
    st = status(s, P2, "HK", "2021-08-20");
    CHECK(!st.full);
    hb_vaccine_status_dispose(&st);
    st = status(s, P2, "GD", "2021-08-20");
    CHECK(st.full);
    hb_vaccine_status_dispose(&st);
    st = status(s, P2, "MO", "2021-08-20");
    CHECK(st.full);
    CHECK_STR_EQ(st.version, "MO-2021.1");
    hb_vaccine_status_dispose(&st);
    /* Before any rules: not fully vaccinated, and said so. */
    st = status(s, P1, "MO", "2021-01-01");
    CHECK(!st.full);
    CHECK_CONTAINS(hb_buf_cstr(&st.why), "No recognition rules in force");
    hb_vaccine_status_dispose(&st);
    CHECK_FAILS(hb_vaccine_status_of(s, P3, "HK", day("2021-08-20"), &st), HB_ENOTFOUND, P3);
    hb_vaccine_status_dispose(&st);
    CHECK_FAILS(hb_vaccine_status_of(s, P1, "EU", day("2021-08-20"), &st), HB_EINVAL, "under");
    hb_vaccine_status_dispose(&st);
    hb_store_close(s);
}

TEST(vaccine__rule_versions_are_immutable)
{
    hb_store *s = migrated();
    static const char hdr[] = "jurisdiction,version,effective_from,effective_to,product,"
                              "primary_doses,min_interval_days,full_after_days,validity_days,"
                              "booster_validity_days,source\n";
    char text[1024];
    snprintf(text, sizeof text, "%sHK,HK-2021.1,2021-02-26,2022-05-31,CoronaVac,2,14,14,,,x\n",
             hdr);
    CHECK_OK(hb_vaccine_rules_load(s, "same.csv", text, strlen(text)));
    snprintf(text, sizeof text, "%sHK,HK-2021.1,2021-02-26,2022-05-31,CoronaVac,3,14,14,,,x\n",
             hdr);
    CHECK_FAILS(hb_vaccine_rules_load(s, "changed.csv", text, strlen(text)), HB_ECONFLICT,
                "publish a new version");
    snprintf(text, sizeof text,
             "%sHK,HK-2023.1,2023-01-30,,CoronaVac,2,14,0,,,x\n"
             "HK,HK-2023.1,2023-01-30,,GBA-NOPE,2,14,0,,,x\n",
             hdr);
    CHECK_FAILS(hb_vaccine_rules_load(s, "new.csv", text, strlen(text)), HB_EINVAL, "new.csv:3:");
    snprintf(text, sizeof text, "%sHK,HK-2023.1,2023-01-30,,CoronaVac,2,14,0,,,x\n", hdr);
    CHECK_OK(hb_vaccine_rules_load(s, "new.csv", text, strlen(text)));
    hb_vaccine_rule *rules;
    size_t n;
    CHECK_OK(hb_vaccine_rules_in_force(s, "HK", day("2023-03-01"), &rules, &n));
    CHECK_INT_EQ(n, 1);
    CHECK_STR_EQ(rules[0].version, "HK-2023.1");
    CHECK_INT_EQ(rules[0].validity_days, -1);
    hb_free(rules);
    hb_store_close(s);
}

TEST(vaccine__coverage_by_residence_and_product)
{
    hb_store *s = migrated();
    import_ok(s,
              P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P1
                 ",HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n" P2
                 ",HK,GBA-KCONVAC,,1,2,2021-06-20,GD,Nanshan,440300,\n" P3
                 ",MO,BBIBP-CorV,,1,2,2021-06-05,GD,Xiangzhou,440400,\n" P3
                 ",MO,BBIBP-CorV,,2,2,2021-06-26,GD,Xiangzhou,440400,\n"
                 "HK-00000000000000000000000000000004,HK,CoronaVac,,1,2,2021-06-01,HK,"
                 "Central,HK-A,\n",
              6);
    hb_vaccine_coverage_query q = { "GD", NULL, day("2021-06-28"), day("2021-06-29"), false };
    hb_table *t;
    CHECK_OK(hb_vaccine_coverage(s, &q, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 4); /* HK and MO × 2 days */
    /* 2021-06-28: HK residents 2 with a dose, none complete; MO 1 and 1. */
    CHECK_STR_EQ(hb_table_cell(t, 0, 1), "HK");
    CHECK_STR_EQ(hb_table_cell(t, 0, 3), "2");
    CHECK_STR_EQ(hb_table_cell(t, 0, 4), "0");
    CHECK_STR_EQ(hb_table_cell(t, 1, 0), "2021-06-29");
    CHECK_STR_EQ(hb_table_cell(t, 1, 4), "1");
    CHECK_STR_EQ(hb_table_cell(t, 2, 1), "MO");
    CHECK_STR_EQ(hb_table_cell(t, 2, 4), "1");
    hb_table_free(t);
    q.residence = "HK";
    q.by_product = true;
    q.from = q.to;
    CHECK_OK(hb_vaccine_coverage(s, &q, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 2), "CoronaVac");
    CHECK_STR_EQ(hb_table_cell(t, 0, 3), "1"); /* the dose given in HK is not GD's */
    CHECK_STR_EQ(hb_table_cell(t, 1, 2), "GBA-KCONVAC");
    hb_table_free(t);
    q.from = q.to + 1;
    CHECK_FAILS(hb_vaccine_coverage(s, &q, &t), HB_EINVAL, "from <= to");
    hb_store_close(s);
}

TEST(vaccine__pseudonyms_are_stable_and_keyed)
{
    uint8_t k1[32] = { 1 }, k2[32] = { 2 };
    char a[HB_VACCINE_PERSON_MAX + 1], b[HB_VACCINE_PERSON_MAX + 1];
    CHECK_OK(hb_vaccine_pseudonym(a, "GD", k1, 32, "hkid", "A123456(7)"));
    CHECK_OK(hb_vaccine_pseudonym(b, "GD", k1, 32, "HKID", "a 123456 7"));
    CHECK_STR_EQ(a, b); /* spelling variants of one document give one pseudonym */
    CHECK_INT_EQ(strlen(a), 35);
    CHECK(strncmp(a, "GD-", 3) == 0);
    CHECK_OK(hb_vaccine_pseudonym(b, "GD", k2, 32, "HKID", "A123456(7)"));
    CHECK(strcmp(a, b) != 0); /* another jurisdiction's secret cannot link it */
    CHECK_OK(hb_vaccine_pseudonym(b, "GD", k1, 32, "PASSPORT", "A123456(7)"));
    CHECK(strcmp(a, b) != 0);
    CHECK_FAILS(hb_vaccine_pseudonym(b, "GD", k1, 8, "HKID", "A1"), HB_EINVAL, "16 bytes");
    CHECK_FAILS(hb_vaccine_pseudonym(b, "GD", k1, 32, "HKID", "--"), HB_EINVAL, "number");
}

TEST(vaccine__certificate_from_records_verifies_with_the_database_trust_list)
{
    hb_store *s = migrated();
    import_ok(s, P1 ",HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n", 1);
    const char *dir = hb_test_path("keys");
    CHECK(mkdir(dir, 0700) == 0);
    hb_dcc_keygen spec = { dir, "CN", "Health Commission of Guangdong Province",
                           1625097600 /* 2021-07-01 */, 365 };
    CHECK_OK(hb_dcc_keys_generate(&spec));
    CHECK_FAILS(hb_dcc_keys_generate(&spec), HB_ECONFLICT, "never overwritten");
    char cert[600];
    snprintf(cert, sizeof cert, "%s/dsc.pem", dir);
    size_t len;
    char *pem = hb_test_read_file(cert, &len);
    CHECK_OK(hb_vaccine_trust_add(s, "GD", (const uint8_t *)pem, len));
    CHECK_FAILS(hb_vaccine_trust_add(s, "GD", (const uint8_t *)pem, len), HB_ECONFLICT, NULL);
    free(pem);

    hb_vaccine_dose *doses;
    size_t n;
    CHECK_OK(hb_vaccine_doses_of(s, P1, &doses, &n));
    hb_vaccine_holder holder = { "陳", "Tai Man", NULL, NULL, "1980-01-02" };
    char *json, uvci[81];
    CHECK_FAILS(hb_vaccine_dcc_json(s, &json, uvci, &doses[0], &holder, "GD"), HB_EINVAL,
                "ICAO 9303");
    holder.family_name_icao = "CHAN";
    CHECK_OK(hb_vaccine_dcc_json(s, &json, uvci, &doses[0], &holder, "GD"));
    CHECK(strncmp(uvci, "URN:UVCI:01:CN:", 15) == 0);
    CHECK_CONTAINS(json, "\"gnt\":\"TAI<MAN\"");
    CHECK_CONTAINS(json, "\"vp\":\"1157024006\"");
    hb_free(json);
    hb_dcc_signer *signer;
    CHECK_OK(hb_vaccine_signer_load(&signer, dir));
    hb_vaccine_certificate c;
    int64_t iat = 1629417600; /* 2021-08-20 */
    CHECK_FAILS(hb_vaccine_issue(s, signer, P1, &holder, "GD", iat, 400, &c), HB_EINVAL,
                "signing certificate's validity");
    CHECK(c.text == NULL);
    CHECK_FAILS(hb_vaccine_issue(s, signer, P2, &holder, "GD", iat, 180, &c), HB_ENOTFOUND, NULL);
    CHECK_OK(hb_vaccine_issue(s, signer, P1, &holder, "GD", iat, 180, &c));
    CHECK(strncmp(c.uvci, "URN:UVCI:01:CN:", 15) == 0);
    CHECK_INT_EQ(c.expires_at, iat + 180 * 86400);
    CHECK_STR_EQ(c.dose.product, "CoronaVac");
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "SELECT person FROM hb_vaccine_certificates WHERE uvci = ?"));
    hb_stmt_bind_cstr(st, 1, c.uvci);
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    CHECK_STR_EQ(hb_stmt_text(st, 0, NULL), P1); /* the log keeps the pseudonym, no name */
    hb_stmt_finalize(st);

    hb_dcc_trust *trust;
    CHECK_OK(hb_vaccine_trust_load(s, &trust));
    CHECK_INT_EQ(hb_dcc_trust_count(trust), 1);
    hb_dcc_result res;
    CHECK_OK(hb_dcc_verify(&res, trust, c.text, strlen(c.text), iat + 3600, HB_DCC_WANT_JSON));
    CHECK_MSG(res.valid, "%s", res.message);
    CHECK_STR_EQ(res.signer_jurisdiction, "GD");
    CHECK_CONTAINS(res.payload_json, c.uvci);
    /* The verdict as the CLI and the API show it; without the payload when asked. */
    json_t *v = hb_vaccine_verdict_json(&res, true);
    CHECK_STR_EQ(json_string_value(json_object_get(v, "verdict")), "valid");
    CHECK_STR_EQ(json_string_value(json_object_get(v, "alg")), "ES256");
    CHECK_STR_EQ(json_string_value(json_object_get(json_object_get(v, "payload"), "dob")),
                 "1980-01-02");
    json_decref(v);
    v = hb_vaccine_verdict_json(&res, false);
    CHECK(json_object_get(v, "payload") == NULL);
    CHECK_STR_EQ(json_string_value(json_object_get(v, "signer")), "GD");
    json_decref(v);
    hb_dcc_result_dispose(&res);
    hb_dcc_trust_free(trust);
    hb_vaccine_certificate_dispose(&c);
    CHECK(c.text == NULL);
    hb_dcc_signer_free(signer);
    hb_free(doses);
    hb_store_close(s);
}

TEST(vaccine__coverage_in_the_bulletin)
{
    hb_store *s = migrated();
    hb_bulletin_request req = { day("2021-08-20"), "GD", "zh-Hans", HB_EDITION_DAILY };
    hb_doc *doc;
    hb_buf out;
    hb_buf_init(&out, 0);
    CHECK_OK(hb_bulletin_build(s, &req, &doc));
    CHECK_OK(hb_doc_render(doc, HB_DOC_JSON, &out));
    CHECK(!hb_test_contains(hb_buf_cstr(&out), "跨境居民疫苗接种")); /* no doses: no section */
    hb_doc_free(doc);
    import_ok(s,
              P1 ",HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n" P1
                 ",HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n" P3
                 ",MO,BBIBP-CorV,,1,2,2021-08-05,GD,Xiangzhou,440400,\n",
              3);
    hb_buf_reset(&out);
    CHECK_OK(hb_bulletin_build(s, &req, &doc));
    CHECK_OK(hb_doc_render(doc, HB_DOC_JSON, &out));
    /* The JSON is indented: compare without its spaces and line breaks. */
    size_t k = 0;
    for (size_t i = 0; i < out.len; i++)
        if (out.ptr[i] != ' ' && out.ptr[i] != '\n')
            out.ptr[k++] = out.ptr[i];
    out.ptr[k] = '\0';
    CHECK_CONTAINS(out.ptr, "跨境居民疫苗接种");
    CHECK_CONTAINS(out.ptr, "[\"GD\",\"HK\",\"1\",\"1\"]"); /* HK residents: 1 full */
    CHECK_CONTAINS(out.ptr, "[\"GD\",\"MO\",\"1\",\"0\"]"); /* MO: one dose so far */
    hb_doc_free(doc);
    hb_buf_dispose(&out);
    hb_store_close(s);
}
