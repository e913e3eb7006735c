/*
 * Tests for registry/rules.c: may-use and may-practise, table-driven, at the boundaries of every
 * period (first and last valid days, the days before and after), with revoked, suspended and
 * reinstated items and expired permits.
 */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "registry/rules.h"

typedef struct use_case {
    const char *product, *institution, *day, *department;
    bool yes;
    const char *reason; /* a part of the reason */
} use_case;

static hb_date day_of(const char *text)
{
    hb_date d;
    CHECK_OK(hb_date_parse(&d, text, strlen(text)));
    return d;
}

static void run_use_cases(hb_store *s, const use_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const use_case *c = &cases[i];
        hb_registry_answer a;
        CHECK_OK(
            hb_registry_may_use(s, &a, c->product, c->institution, day_of(c->day), c->department));
        CHECK_MSG(a.yes == c->yes, "case %zu (%s at %s on %s): expected %s, got: %s", i, c->product,
                  c->institution, c->day, c->yes ? "yes" : "no", a.reason);
        CHECK_MSG(strstr(a.reason, c->reason) != NULL, "case %zu: reason '%s' lacks '%s'", i,
                  a.reason, c->reason);
    }
}

TEST(registry__may_use_boundaries)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    static const use_case cases[] = {
        { "SYN-DRUG-1", "gd-hku-szh", "2023-12-31", NULL, false, "starts only on 2024-01-01" },
        { "SYN-DRUG-1", "gd-hku-szh", "2024-01-01", NULL, true, "SYN-AP-1" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-12-31", NULL, true, "2024-01-01 to 2025-12-31" },
        { "SYN-DRUG-1", "gd-hku-szh", "2026-01-01", NULL, false, "ended on 2025-12-31" },
        { "SYN-DRUG-1", "gd-hku-szh", "2024-06-01", "oncology", true, "SYN-AP-1" },
        { "SYN-DRUG-1", "gd-hku-szh", "2024-06-01", "cardiology", false,
          "limited to the departments oncology;haematology" },
        { "SYN-DRUG-1", "gd-gz-modern", "2024-06-01", NULL, false, "no approval" },
        { "SYN-DRUG-1", "syn-gz-clinic", "2024-06-01", NULL, false,
          "not a designated institution" },
        { "SYN-DRUG-1", "gd-hku-szh", "2021-08-26", NULL, false,
          "designated only from 2021-08-27" },
        { "SYN-DEV-1", "gd-hku-szh", "2024-03-01", NULL, true, "SYN-AP-2" },
        { "SYN-DEV-1", "gd-hku-szh", "2024-02-29", NULL, false, "starts only on 2024-03-01" },
    };
    run_use_cases(s, cases, sizeof cases / sizeof cases[0]);
    hb_registry_answer a;
    CHECK_FAILS(hb_registry_may_use(s, &a, "SYN-NONE", "gd-hku-szh", day_of("2024-06-01"), NULL),
                HB_ENOTFOUND, "no product 'SYN-NONE'");
    CHECK_FAILS(hb_registry_may_use(s, &a, "SYN-DRUG-1", "nowhere", day_of("2024-06-01"), NULL),
                HB_ENOTFOUND, "no institution 'nowhere'");
    hb_store_close(s);
}

TEST(registry__may_use_revoked_suspended_reinstated)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    fx_load(s, "status",
            "kind,item,effective_from,status,reason\n"
            "approvals,SYN-AP-2,2024-06-01,revoked,synthetic recall\n"
            "products,SYN-DRUG-1,2025-06-01,suspended,HK registration suspended (synthetic)\n"
            "products,SYN-DRUG-1,2025-07-01,active,HK registration restored (synthetic)\n");
    /* The designation of gd-hku-szh ends: a new version of the shipped row. */
    fx_load(s, "designations",
            "institution,programme,designated_from,designated_to,batch,source\n"
            "gd-hku-szh,drug_device_connect,2021-08-27,2025-09-30,1,synthetic withdrawal\n");
    static const use_case cases[] = {
        { "SYN-DEV-1", "gd-hku-szh", "2024-05-31", NULL, true, "SYN-AP-2" },
        { "SYN-DEV-1", "gd-hku-szh", "2024-06-01", NULL, false,
          "approval SYN-AP-2 is revoked since 2024-06-01: synthetic recall" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-05-31", NULL, true, "SYN-AP-1" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-06-01", NULL, false, "SYN-DRUG-1 is suspended since" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-06-30", NULL, false, "suspended" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-07-01", NULL, true, "SYN-AP-1" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-09-30", NULL, true, "SYN-AP-1" },
        { "SYN-DRUG-1", "gd-hku-szh", "2025-10-01", NULL, false,
          "designation ended on 2025-09-30" },
    };
    run_use_cases(s, cases, sizeof cases / sizeof cases[0]);
    hb_store_close(s);
}

typedef struct practise_case {
    const char *person, *institution, *day;
    bool yes;
    const char *reason;
} practise_case;

static void run_practise_cases(hb_store *s, const practise_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const practise_case *c = &cases[i];
        hb_registry_answer a;
        CHECK_OK(hb_registry_may_practise(s, &a, c->person, c->institution, day_of(c->day)));
        CHECK_MSG(a.yes == c->yes, "case %zu (%s at %s on %s): expected %s, got: %s", i, c->person,
                  c->institution, c->day, c->yes ? "yes" : "no", a.reason);
        CHECK_MSG(strstr(a.reason, c->reason) != NULL, "case %zu: reason '%s' lacks '%s'", i,
                  a.reason, c->reason);
    }
}

TEST(registry__may_practise_boundaries)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    static const practise_case cases[] = {
        { "SYN-MO-1", "syn-hq-clinic", "2023-08-10", false, "starts only on 2023-08-11" },
        { "SYN-MO-1", "syn-hq-clinic", "2023-08-11", true, "permit SYN-HQ-1 (hengqin" },
        { "SYN-MO-1", "syn-hq-clinic", "2026-08-10", true, "2023-08-11 to 2026-08-10" },
        { "SYN-MO-1", "syn-hq-clinic", "2026-08-11", false, "ended on 2026-08-10" },
        { "SYN-MO-1", "syn-mo-hospital", "2024-01-01", true, "practice at home (MO)" },
        { "SYN-MO-1", "syn-mo-hospital", "2018-12-31", false,
          "home registration MO-PS/SYN-M-0001 starts only on 2019-01-01" },
        { "SYN-MO-1", "gd-hku-szh", "2024-01-01", false, "not registered to practise at" },
        { "SYN-HK-1", "gd-hku-szh", "2025-02-28", true, "permit SYN-ST-1 (short_term" },
        { "SYN-HK-1", "gd-hku-szh", "2025-03-01", false, "under suspension by Medical Council" },
        { "SYN-HK-1", "gd-hku-szh", "2025-05-31", false, "suspension" },
        { "SYN-HK-1", "gd-hku-szh", "2025-06-01", true, "SYN-ST-1" },
        { "SYN-MO-2", "syn-hq-clinic", "2024-01-01", false, "not registered to practise at" },
    };
    run_practise_cases(s, cases, sizeof cases / sizeof cases[0]);
    hb_registry_answer a;
    CHECK_OK(hb_registry_may_practise(s, &a, "SYN-MO-1", "syn-hq-clinic", day_of("2024-01-01")));
    CHECK_STR_EQ(a.basis, "SYN-HQ-1");
    CHECK_FAILS(hb_registry_may_practise(s, &a, "SYN-NOBODY", "gd-hku-szh", day_of("2024-01-01")),
                HB_ENOTFOUND, "no practitioner 'SYN-NOBODY'");
    hb_store_close(s);
}

TEST(registry__may_practise_revoked_permit_and_lapsed_registration)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    fx_load(s, "status",
            "kind,item,effective_from,status,reason\n"
            "permits,SYN-HQ-1,2025-01-01,revoked,employment ended early (synthetic)\n"
            "registrations,MO-PS/SYN-M-0001,2024-03-01,suspended,synthetic\n"
            "registrations,MO-PS/SYN-M-0001,2024-04-01,active,synthetic\n");
    static const practise_case cases[] = {
        { "SYN-MO-1", "syn-hq-clinic", "2024-12-31", true, "SYN-HQ-1" },
        { "SYN-MO-1", "syn-hq-clinic", "2025-01-01", false,
          "permit SYN-HQ-1 is revoked since 2025-01-01" },
        { "SYN-MO-1", "syn-mo-hospital", "2024-02-29", true, "home" },
        { "SYN-MO-1", "syn-mo-hospital", "2024-03-01", false,
          "home registration MO-PS/SYN-M-0001 is suspended since 2024-03-01" },
        { "SYN-MO-1", "syn-mo-hospital", "2024-04-01", true, "home" },
    };
    run_practise_cases(s, cases, sizeof cases / sizeof cases[0]);
    hb_store_close(s);
}

/* A permit shortened after the practice was recorded expires under it; a home registration
 * that ends stops practice on the mainland too. */
TEST(registry__may_practise_expired_permit)
{
    hb_store *s = fx_migrated();
    fx_load_all(s);
    fx_load(s, "permits",
            "permit_no,practitioner,scheme,category,issuer,issued_on,valid_from,valid_to,scope\n"
            "SYN-ST-1,SYN-HK-1,short_term,doctor,广东省卫生健康委员会,,2024-01-01,2025-12-31,\n");
    static const practise_case expired[] = {
        { "SYN-HK-1", "gd-hku-szh", "2025-12-31", true, "SYN-ST-1" },
        { "SYN-HK-1", "gd-hku-szh", "2026-01-01", false, "permit SYN-ST-1 expired on 2025-12-31" },
    };
    run_practise_cases(s, expired, 2);
    fx_load(s, "registrations",
            "register,number,practitioner,registered_from,registered_to\n"
            "HK-MCHK,SYN-M12345,SYN-HK-1,2010-01-01,2025-10-31\n");
    static const practise_case lapsed[] = {
        { "SYN-HK-1", "gd-hku-szh", "2025-10-31", true, "SYN-ST-1" },
        { "SYN-HK-1", "gd-hku-szh", "2025-11-01", false,
          "home registration HK-MCHK/SYN-M12345 ended on 2025-10-31" },
    };
    run_practise_cases(s, lapsed, 2);
    CHECK_STR_EQ(fx_scalar(s, "SELECT max(version) FROM hb_registry_changes WHERE"
                              " kind = 'permits' AND item = 'SYN-ST-1'"),
                 "2");
    hb_store_close(s);
}
