/*
 * Tests for the restricted-fields policy (registry/practitioners.h) as every reader sees it,
 * and for the listings: expiry alerts and accreditations by standard.
 */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "registry/accreditation.h"
#include "registry/practitioners.h"

static hb_date day_of(const char *text)
{
    hb_date d;
    CHECK_OK(hb_date_parse(&d, text, strlen(text)));
    return d;
}

static bool sees(hb_store *s, const hb_registry_caller *c, const char *person, const char *day)
{
    bool yes = true;
    CHECK_OK(hb_registry_sees_restricted(s, c, person, day_of(day), &yes));
    return yes;
}

TEST(registry__restricted_fields_policy)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    static const hb_registry_caller hku = { HB_REGISTRY_INSTITUTION, "gd-hku-szh", "GD", "test" };
    static const struct {
        const hb_registry_caller *caller;
        const char *person, *day;
        bool yes;
    } cases[] = {
        { &hb_registry_operator, "SYN-MO-2", "2024-01-01", true },
        { &fx_public, "SYN-MO-1", "2024-01-01", false },
        { &fx_mo, "SYN-MO-1", "2024-01-01", true },  /* home regulator */
        { &fx_mo, "SYN-HK-1", "2024-01-01", false }, /* another jurisdiction's professional */
        { &fx_hk, "SYN-HK-1", "2024-01-01", true },  /* home regulator */
        { &fx_hk, "SYN-MO-1", "2024-01-01", false },
        { &fx_gd, "SYN-MO-1", "2024-01-01", true },         /* issued a permit */
        { &fx_gd, "SYN-MO-2", "2024-01-01", false },        /* no permit: not GD's business */
        { &fx_hq_clinic, "SYN-MO-1", "2023-08-11", true },  /* employer, first day */
        { &fx_hq_clinic, "SYN-MO-1", "2026-08-10", true },  /* employer, last day */
        { &fx_hq_clinic, "SYN-MO-1", "2026-08-11", false }, /* no longer */
        { &fx_hq_clinic, "SYN-HK-1", "2024-06-01", false }, /* not its staff */
        { &fx_gz_clinic, "SYN-MO-1", "2024-06-01", false },
        { &hku, "SYN-HK-1", "2024-06-01", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_MSG(sees(s, cases[i].caller, cases[i].person, cases[i].day) == cases[i].yes,
                  "case %zu: %s on %s should %sbe visible", i, cases[i].person, cases[i].day,
                  cases[i].yes ? "" : "not ");
    hb_store_close(s);
}

static const char *cell(const hb_table *t, const char *id, size_t col)
{
    for (size_t r = 0; r < hb_table_row_count(t); r++)
        if (strcmp(hb_table_cell(t, r, 0), id) == 0)
            return hb_table_cell(t, r, col);
    hb_test_fail(__FILE__, __LINE__, "no row %s", id);
}

TEST(registry__listing_masks_restricted_fields)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    hb_table *t;
    bool shown = true;
    enum { SEX = 7, DOB = 8, PHONE = 9 };
    hb_registry_list_options june_2024 = { .on = day_of("2024-06-01") };
    CHECK_OK(hb_registry_list(s, &fx_public, "practitioners", &june_2024, &t, &shown));
    CHECK(!shown);
    CHECK_INT_EQ(hb_table_row_count(t), 3);
    CHECK_STR_EQ(cell(t, "SYN-MO-1", 3), "Synthetic Doctor One"); /* public field */
    CHECK(cell(t, "SYN-MO-1", DOB) == NULL);
    CHECK(cell(t, "SYN-MO-1", PHONE) == NULL);
    CHECK(cell(t, "SYN-HK-1", SEX) == NULL);
    hb_table_free(t);
    CHECK_OK(hb_registry_list(s, &fx_mo, "practitioners", &june_2024, &t, &shown));
    CHECK(shown);
    CHECK_STR_EQ(cell(t, "SYN-MO-1", DOB), "1980-02-03");
    CHECK(cell(t, "SYN-HK-1", DOB) == NULL); /* Macao does not see Hong Kong's */
    hb_table_free(t);
    /* Disciplinary actions are public; the case reference and summary are not. */
    hb_registry_list_options one = { "practitioner", "SYN-HK-1", day_of("2025-04-01"), 0, 0 };
    CHECK_OK(hb_registry_list(s, &fx_public, "disciplinary", &one, &t, &shown));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 4), "suspension");
    CHECK(hb_table_cell(t, 0, 1) == NULL);
    CHECK(hb_table_cell(t, 0, 7) == NULL);
    CHECK_STR_EQ(hb_table_cell(t, 0, 9), "active"); /* in effect on 2025-04-01 */
    hb_table_free(t);
    hb_registry_list_options june_2025 = { .on = day_of("2025-06-01") };
    CHECK_OK(hb_registry_list(s, &fx_hk, "disciplinary", &june_2025, &t, &shown));
    CHECK_STR_EQ(hb_table_cell(t, 0, 1), "SYN-CASE-1");
    CHECK_STR_EQ(hb_table_cell(t, 0, 9), "expired");
    hb_table_free(t);
    /* The history holds every restricted field: only for those who may see them. */
    CHECK_FAILS(hb_registry_history(s, &fx_public, "practitioners", "SYN-MO-1", &t), HB_EPERM,
                "restricted");
    CHECK_OK(hb_registry_history(s, &fx_mo, "practitioners", "SYN-MO-1", &t));
    CHECK_CONTAINS(hb_table_cell(t, 0, 7), "\"date_of_birth\":\"1980-02-03\"");
    hb_table_free(t);
    CHECK_FAILS(hb_registry_history(s, &fx_hk, "practitioners", "SYN-MO-1", &t), HB_EPERM,
                "restricted");
    /* A case is named by its restricted reference: whoever may not see it cannot tell whether it
     * exists. */
    CHECK_FAILS(hb_registry_history(s, &fx_mo, "disciplinary", "HK/SYN-CASE-1", &t), HB_ENOTFOUND,
                "no disciplinary item 'HK/SYN-CASE-1'");
    CHECK_FAILS(hb_registry_history(s, &fx_mo, "disciplinary", "HK/SYN-CASE-9", &t), HB_ENOTFOUND,
                "no disciplinary item 'HK/SYN-CASE-9'");
    CHECK_FAILS(hb_registry_history(s, &fx_public, "disciplinary", "HK/SYN-CASE-1", &t), HB_EPERM,
                "restricted");
    CHECK_OK(hb_registry_history(s, &fx_hk, "disciplinary", "HK/SYN-CASE-1", &t));
    CHECK_CONTAINS(hb_table_cell(t, 0, 7), "synthetic summary");
    hb_table_free(t);
    hb_registry_list_options colour = { "colour", "red", 0, 0, 0 };
    CHECK_FAILS(hb_registry_list(s, &fx_public, "practitioners", &colour, &t, NULL), HB_EINVAL,
                "not a column");
    /* Filtering on a restricted field would leak it: refused to all but the operator. */
    hb_registry_list_options born = { "date_of_birth", "1980-02-03", 0, 0, 0 };
    hb_registry_list_options case_ref = { "case_ref", "SYN-CASE-1", 0, 0, 0 };
    CHECK_FAILS(hb_registry_list(s, &fx_public, "practitioners", &born, &t, NULL), HB_EPERM,
                "restricted");
    CHECK_FAILS(hb_registry_list(s, &fx_mo, "disciplinary", &case_ref, &t, NULL), HB_EPERM,
                "restricted");
    hb_store_close(s);
}

/* Pages by offset in key order: together they are the whole list. */
TEST(registry__listing_in_pages)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    hb_table *t;
    hb_registry_list_options opt = { .on = day_of("2024-06-01"), .limit = 2 };
    CHECK_OK(hb_registry_list(s, &fx_public, "practitioners", &opt, &t, NULL));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 0), "SYN-HK-1");
    CHECK_STR_EQ(hb_table_cell(t, 1, 0), "SYN-MO-1");
    hb_table_free(t);
    opt.offset = 2;
    CHECK_OK(hb_registry_list(s, &fx_public, "practitioners", &opt, &t, NULL));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 0), "SYN-MO-2");
    hb_table_free(t);
    opt.offset = 3;
    CHECK_OK(hb_registry_list(s, &fx_public, "practitioners", &opt, &t, NULL));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    opt.limit = (uint64_t)INT64_MAX + 1;
    CHECK_FAILS(hb_registry_list(s, &fx_public, "practitioners", &opt, &t, NULL), HB_EINVAL,
                "too large");
    hb_store_close(s);
}

TEST(registry__expiry_alerts)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    hb_table *t;
    /* 2026-06-01 + 70 days = 2026-08-10: the Hengqin permit and its employment. */
    CHECK_OK(hb_registry_expiring(s, NULL, day_of("2026-06-01"), 70, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 0), "employments");
    CHECK_STR_EQ(hb_table_cell(t, 1, 0), "permits");
    CHECK_STR_EQ(hb_table_cell(t, 1, 1), "SYN-HQ-1");
    CHECK_STR_EQ(hb_table_cell(t, 1, 4), "70");
    hb_table_free(t);
    CHECK_OK(hb_registry_expiring(s, NULL, day_of("2026-06-01"), 69, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    CHECK_OK(hb_registry_expiring(s, "accreditations", day_of("2025-12-31"), 0, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 1), "jci/SYN-JCI-1");
    hb_table_free(t);
    /* A revoked permit needs no renewal reminder. */
    fx_load(s, "status",
            "kind,item,effective_from,status,reason\n"
            "permits,SYN-HQ-1,2026-01-01,revoked,synthetic\n");
    CHECK_OK(hb_registry_expiring(s, "permits", day_of("2026-06-01"), 70, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    CHECK_FAILS(hb_registry_expiring(s, NULL, 0, -1, &t), HB_EINVAL, NULL);
    CHECK_FAILS(hb_registry_expiring(s, "products", 0, 90, &t), HB_EINVAL, "no expiry alerts");
    hb_store_close(s);
}

TEST(registry__accreditations_by_standard)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    const char *errors;
    CHECK_FAILS(fx_import(s, &hb_registry_operator, "accreditations",
                          "standard,reference,institution,level,scope,valid_from,valid_to\n"
                          "cn_grade,SYN-G-1,gd-gz-modern,,hospital,2022-01-01,2025-12-31\n"
                          "cn_grade,SYN-G-2,gd-gz-modern,4A,hospital,2022-01-01,2025-12-31\n"
                          "jci,SYN-JCI-2,gd-gz-modern,,hospital,2022-01-01,2025-01-01\n",
                          &errors),
                HB_EINVAL, NULL);
    CHECK_CONTAINS(errors, "accreditations.csv:2:");
    CHECK_CONTAINS(errors, "field 'level': cn_grade awards a level");
    CHECK_CONTAINS(errors, "accreditations.csv:3:");
    CHECK_CONTAINS(errors, "'4A' is not a level of cn_grade");
    CHECK_CONTAINS(errors, "accreditations.csv:4:");
    CHECK_CONTAINS(errors, "longer than a jci cycle (36 months): at most to 2024-12-31");
    CHECK_FAILS(fx_import(s, &fx_gd, "accreditations",
                          "standard,reference,institution,level,scope,valid_from,valid_to\n"
                          "achs,SYN-A-1,syn-mo-hospital,,hospital,2022-01-01,2025-12-31\n",
                          &errors),
                HB_EPERM, NULL);
    CHECK_OK(fx_import(s, &fx_mo, "accreditations",
                       "standard,reference,institution,level,scope,valid_from,valid_to\n"
                       "achs,SYN-A-1,syn-mo-hospital,,hospital,2022-01-01,2025-12-31\n",
                       &errors));
    fx_load(s, "accreditations",
            "standard,reference,institution,level,scope,valid_from,valid_to\n"
            "cn_grade,SYN-G-1,gd-gz-modern,3A,hospital,2022-01-01,2025-12-31\n");
    hb_table *t;
    CHECK_OK(hb_registry_accreditations(s, "jci", day_of("2024-01-01"), false, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    CHECK_STR_EQ(hb_table_cell(t, 0, 2), "gd-hku-szh");
    CHECK_STR_EQ(hb_table_cell(t, 0, 10), "active");
    hb_table_free(t);
    CHECK_OK(hb_registry_accreditations(s, "jci", day_of("2026-01-01"), false, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    CHECK_OK(hb_registry_accreditations(s, "jci", day_of("2026-01-01"), true, &t));
    CHECK_STR_EQ(hb_table_cell(t, 0, 10), "expired");
    hb_table_free(t);
    fx_load(s, "status",
            "kind,item,effective_from,status,reason\n"
            "accreditations,cn_grade/SYN-G-1,2024-07-01,suspended,synthetic\n");
    CHECK_OK(hb_registry_accreditations(s, NULL, day_of("2024-07-01"), false, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2); /* achs and jci; cn_grade suspended */
    CHECK_STR_EQ(hb_table_cell(t, 0, 0), "achs");
    CHECK_STR_EQ(hb_table_cell(t, 1, 0), "jci");
    hb_table_free(t);
    hb_store_close(s);
}
