/* Tests for settle/claims.c, import.c, adjudicate.c with an insurer's rules. */
#include <stdio.h>
#include <string.h>

#include "core/accounts.h"
#include "fixture.h"
#include "harness.h"
#include "settle/rules.h"
#include "settle/ledger.h"

static hb_claim_decision decide(hb_store *s, int64_t id, const char *day)
{
    hb_settle_caller c = fixture_caller(day);
    hb_claim_decision d;
    CHECK_OK(hb_claim_adjudicate(&d, s, &c, id));
    return d;
}

TEST(settle__claim_duplicates)
{
    hb_store *s = fixture_open();
    hb_claim_item it[] = { { "consult", "outpatient", 1, 50000 } };
    hb_claim c = { "GD-HKUSZH", "EP-1", "H1", "HK-INS", "CNY", fixture_date("2024-03-01"),
                   false,       it,     1 };
    hb_settle_caller caller = fixture_caller("2024-03-02");
    int64_t id, again;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK(!existing);
    CHECK_OK(hb_claim_submit(&again, &existing, s, &caller, &c)); /* the same claim again */
    CHECK(existing);
    CHECK_INT_EQ(again, id);
    it[0].unit_minor = 50001;
    CHECK_FAILS(hb_claim_submit(&again, &existing, s, &caller, &c), HB_ECONFLICT, "duplicate");
    /* Bad claims are refused before anything is written. */
    c.episode = "EP-2";
    c.currency = "HKD";
    CHECK_FAILS(hb_claim_submit(&again, &existing, s, &caller, &c), HB_EINVAL, "charges in CNY");
    c.currency = "CNY";
    it[0].category = "massage";
    CHECK_FAILS(hb_claim_submit(&again, &existing, s, &caller, &c), HB_EINVAL, "category");
    it[0].category = "outpatient";
    c.service_date = fixture_date("2024-03-09");
    CHECK_FAILS(hb_claim_submit(&again, &existing, s, &caller, &c), HB_EINVAL, "future");
    hb_table *t;
    hb_claim_filter f = { 0 };
    CHECK_OK(hb_claims_list(s, &f, HB_MONEY_DECIMAL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 1);
    hb_table_free(t);
    hb_store_close(s);
}

static int audited;
static char audited_object[64], audited_where[4];

static int record_audit(hb_store *store, const char *action, const char *object,
                        const char *jurisdiction)
{
    CHECK(hb_store_in_transaction(store));
    CHECK_STR_EQ(action, "claim.submit");
    snprintf(audited_object, sizeof audited_object, "%s", object);
    snprintf(audited_where, sizeof audited_where, "%s", jurisdiction ? jurisdiction : "");
    audited++;
    return 0;
}

static int refuse_audit(hb_store *store, const char *action, const char *object,
                        const char *jurisdiction)
{
    (void)store, (void)action, (void)object, (void)jurisdiction;
    return hb_error_set(HB_ERROR, "the audit log is unavailable");
}

/* A write joins the caller's open transaction (the HTTP server's, which audits it); otherwise it
 * makes its own and calls caller->audit in it, so the write and its entry commit together. */
TEST(settle__writes_join_the_callers_transaction_or_audit_in_their_own)
{
    hb_store *s = fixture_open();
    hb_claim_item it[] = { { "consult", "outpatient", 1, 50000 } };
    hb_claim c = { "GD-HKUSZH", "EP-1", "H1", "HK-INS", "CNY", fixture_date("2024-03-01"),
                   false,       it,     1 };
    hb_settle_caller caller = fixture_caller("2024-03-02");
    caller.audit = record_audit;
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK_INT_EQ(audited, 1);
    char want[64];
    snprintf(want, sizeof want, "claim/%lld", (long long)id);
    CHECK_STR_EQ(audited_object, want);
    CHECK_STR_EQ(audited_where, "GD"); /* the provider's jurisdiction: the provider acts */
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK(existing);
    CHECK_INT_EQ(audited, 1); /* nothing written, nothing audited */
    c.episode = "EP-2";
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK(hb_store_in_transaction(s));
    CHECK_INT_EQ(audited, 1); /* the owner of the transaction audits */
    CHECK_OK(hb_store_rollback(s));
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_claims"), 1);
    caller.audit = refuse_audit; /* no entry, no write */
    CHECK_FAILS(hb_claim_submit(&id, &existing, s, &caller, &c), HB_ERROR, "audit");
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_claims"), 1);
    hb_store_close(s);
}

TEST(settle__insurer_rules_copay_limits_conversion)
{
    hb_store *s = fixture_open();
    /* H1 (HK resident, HK-INS) at a GD hospital: outpatient RMB 500 with a 20% co-payment,
     * dental RMB 1,200 over the HK$1,000 limit (HK$1,000 at 0.9150 = RMB 915.00), inpatient
     * not listed... it is listed: covered in full. */
    hb_claim_item it[] = { { "consult", "outpatient", 1, 50000 },
                           { "filling", "dental", 2, 60000 },
                           { "massage", "rehabilitation", 1, 10000 } };
    hb_claim c = { "GD-HKUSZH", "EP-1", "H1", "HK-INS", "CNY", fixture_date("2024-03-01"),
                   false,       it,     3 };
    hb_settle_caller caller = fixture_caller("2024-03-01");
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    hb_claim_decision d = decide(s, id, "2024-03-02");
    CHECK_STR_EQ(d.status, "partial");
    CHECK_INT_EQ(d.claimed_minor, 50000 + 120000 + 10000);
    CHECK_INT_EQ(d.copay_minor, 10000);
    CHECK_INT_EQ(d.approved_minor, 40000 + 91500);
    hb_table *t;
    CHECK_OK(hb_claim_items(s, id, HB_MONEY_DECIMAL, &t));
    CHECK_STR_EQ(hb_table_cell(t, 1, 6), "915.00");
    CHECK_CONTAINS(hb_table_cell(t, 1, 8), "limit");
    CHECK_STR_EQ(hb_table_cell(t, 2, 6), "0.00");
    CHECK_CONTAINS(hb_table_cell(t, 2, 8), "rehabilitation is not covered");
    hb_table_free(t);
    int64_t bal;
    CHECK_OK(hb_ledger_balance(&bal, s, "provider", "GD-HKUSZH", "CNY"));
    CHECK_INT_EQ(bal, 131500);
    CHECK_OK(hb_ledger_balance(&bal, s, "payer", "HK-INS", "CNY"));
    CHECK_INT_EQ(bal, -131500);
    /* Deciding again changes nothing. */
    hb_claim_decision again = decide(s, id, "2024-03-03");
    CHECK(again.already);
    CHECK_INT_EQ(again.approved_minor, d.approved_minor);
    /* The claim limit (HK$5,000 = RMB 4,575.00) caps a large inpatient bill. */
    int64_t big = fixture_claim(s, "GD-HKUSZH", "EP-2", "H1", "HK-INS", "CNY", "2024-03-01",
                                "inpatient", 900000);
    d = decide(s, big, "2024-03-02");
    CHECK_STR_EQ(d.status, "partial");
    CHECK_INT_EQ(d.approved_minor, 457500);
    hb_store_close(s);
}

TEST(settle__insurer_claim_level_rejections)
{
    hb_store *s = fixture_open();
    static const struct {
        const char *provider, *patient, *date, *decided, *needle;
    } rows[] = {
        { "GD-HKUSZH", "H2", "2024-03-01", "2024-03-02", "not covered by HK-INS" }, /* expired */
        { "GD-HKUSZH", "ZZ", "2024-03-01", "2024-03-02", "not covered by HK-INS" }, /* unknown */
        { "GD-HKUSZH", "G9", "2024-03-01", "2024-03-02", "residents of HK only" },
        { "HK-QMH", "H1", "2024-03-01", "2024-03-02", "not cross-border care" },
        { "GD-HKUSZH", "H1", "2019-03-01", "2019-03-02", "no rules in effect" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char episode[16];
        snprintf(episode, sizeof episode, "R-%zu", i);
        const char *currency = strncmp(rows[i].provider, "HK", 2) == 0 ? "HKD" : "CNY";
        int64_t id = fixture_claim(s, rows[i].provider, episode, rows[i].patient, "HK-INS",
                                   currency, rows[i].date, "outpatient", 10000);
        hb_claim_decision d = decide(s, id, rows[i].decided);
        CHECK_MSG(strcmp(d.status, "rejected") == 0, "row %zu: %s", i, d.status);
        CHECK_CONTAINS(d.reason, rows[i].needle);
        CHECK_INT_EQ(d.approved_minor, 0);
        CHECK_INT_EQ(d.transfer_id, 0);
    }
    /* Submitted 100 days after the service: past the 90-day deadline. */
    hb_claim_item it = { "consult", "outpatient", 1, 10000 };
    hb_claim c = { "GD-HKUSZH", "LATE", "H1", "HK-INS", "CNY", fixture_date("2024-01-01"),
                   false,       &it,    1 };
    hb_settle_caller late = fixture_caller("2024-04-10");
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &late, &c));
    hb_claim_decision d = decide(s, id, "2024-04-11");
    CHECK_STR_EQ(d.status, "rejected");
    CHECK_CONTAINS(d.reason, "deadline");
    /* A rejected episode may be submitted again. */
    c.service_date = fixture_date("2024-04-01");
    CHECK_OK(hb_claim_submit(&id, &existing, s, &late, &c));
    CHECK(!existing);
    hb_store_close(s);
}

TEST(settle__claims_import_whole_file)
{
    hb_store *s = fixture_open();
    hb_settle_caller caller = fixture_caller("2024-03-10");
    static const char bad[] =
        "provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,"
        "quantity,unit_price\n"
        "GD-HKUSZH,E1,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n"
        "GD-HKUSZH,E1,H1,HK-INS,CNY,2024-03-02,0,xray,diagnostics,1,50.00\n"
        "GD-NOPE,E2,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n"
        "GD-HKUSZH,E3,H1,HK-INS,CNY,2024-13-01,0,consult,outpatient,1,100.001\n"
        "GD-HKUSZH,E4,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n"
        "GD-HKUSZH,E5,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n"
        "GD-HKUSZH,E4,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n";
    hb_claims_import_report r;
    CHECK_FAILS(hb_claims_import(&r, s, &caller, "bad.csv", bad, strlen(bad), false), HB_EINVAL,
                "no claim was submitted");
    CHECK_CONTAINS(r.errors, "bad.csv:3:");            /* differs from line 2 */
    CHECK_CONTAINS(r.errors, "no provider 'GD-NOPE'"); /* unknown provider */
    CHECK_CONTAINS(r.errors, "bad.csv:5:");            /* bad date and 3 decimals */
    CHECK_CONTAINS(r.errors, "must be consecutive");   /* E4 twice */
    CHECK(r.nerrors >= 5);
    hb_claims_import_report_dispose(&r);
    hb_table *t;
    hb_claim_filter f = { 0 };
    CHECK_OK(hb_claims_list(s, &f, HB_MONEY_DECIMAL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 0);
    hb_table_free(t);
    static const char good[] =
        "provider,episode,patient,payer,currency,service_date,mainland_insured,item,category,"
        "quantity,unit_price\n"
        "GD-HKUSZH,E1,H1,HK-INS,CNY,2024-03-01,0,consult,outpatient,1,100.00\n"
        "GD-HKUSZH,E1,H1,HK-INS,CNY,2024-03-01,0,xray,diagnostics,2,50.00\n"
        "HK-QMH,E2,G1,GD-FUND,HKD,2024-03-01,0,ward,inpatient,3,1000.00\n";
    CHECK_OK(hb_claims_import(&r, s, &caller, "good.csv", good, strlen(good), false));
    CHECK_INT_EQ(r.claims, 2);
    CHECK_INT_EQ(r.submitted, 2);
    hb_claims_import_report_dispose(&r);
    CHECK_OK(hb_claims_import(&r, s, &caller, "good.csv", good, strlen(good), false));
    CHECK_INT_EQ(r.submitted, 0);
    CHECK_INT_EQ(r.unchanged, 2);
    hb_claims_import_report_dispose(&r);
    CHECK_OK(hb_claims_list(s, &f, HB_MONEY_DECIMAL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 0, 7), "3000.00");
    hb_table_free(t);
    hb_store_close(s);
}

/* The organisations acting for payers and providers: the policy's link to the accounts. */
TEST(settle__organisations_act_for_participants_of_their_jurisdiction)
{
    hb_store *s = fixture_open();
    hb_org hk = { .kind = HB_ORG_INSURER }, gd = { .kind = HB_ORG_HOSPITAL };
    snprintf(hk.code, sizeof hk.code, "hk-ins");
    snprintf(hk.name, sizeof hk.name, "Test insurer");
    snprintf(hk.jurisdiction, sizeof hk.jurisdiction, "HK");
    snprintf(gd.code, sizeof gd.code, "gd-hkusz");
    snprintf(gd.name, sizeof gd.name, "HKU-Shenzhen Hospital");
    snprintf(gd.jurisdiction, sizeof gd.jurisdiction, "GD");
    CHECK_OK(hb_org_create(s, &hk));
    CHECK_OK(hb_org_create(s, &gd));
    fixture_load(s, "payer-orgs", "payer,org\nHK-INS,hk-ins\n");
    fixture_load(s, "provider-orgs", "provider,org\nGD-HKUSZH,gd-hkusz\n");
    hb_settle_party p;
    CHECK_OK(hb_settle_party_get(s, "payer", "HK-INS", &p));
    CHECK_STR_EQ(p.org, "hk-ins");
    CHECK_STR_EQ(p.jurisdiction, "HK");
    CHECK_STR_EQ(p.currency, "HKD");
    CHECK_OK(hb_settle_party_get(s, "provider", "HK-QMH", &p));
    CHECK_STR_EQ(p.org, ""); /* nobody acts for it */
    CHECK_FAILS(hb_settle_party_get(s, "provider", "NOBODY", &p), HB_ENOTFOUND, "NOBODY");
    bool serves;
    CHECK_OK(hb_settle_org_serves_vouchers(s, "gd-hkusz", fixture_date("2024-03-01"), &serves));
    CHECK(serves); /* GD-HKUSZH is a designated service point */
    CHECK_OK(hb_settle_org_serves_vouchers(s, "gd-hkusz", fixture_date("2015-01-01"), &serves));
    CHECK(!serves); /* not yet then */
    CHECK_OK(hb_settle_org_serves_vouchers(s, "hk-ins", fixture_date("2024-03-01"), &serves));
    CHECK(!serves);
    /* An organisation of GD may not act for an HK payer: refused whole, nothing written. */
    hb_settle_load_report r;
    const char *bad = "payer,org\nGD-FUND,gd-hkusz\nHK-EHCV,gd-hkusz\n";
    CHECK_OK(hb_store_begin(s));
    CHECK_FAILS(hb_settle_reference_load(s, "payer-orgs", "orgs.csv", bad, strlen(bad), false, &r),
                HB_EINVAL, "HK-EHCV is in HK but organisation gd-hkusz is in GD");
    hb_settle__load_report_dispose(&r);
    CHECK_OK(hb_store_rollback(s));
    CHECK_OK(hb_settle_party_get(s, "payer", "GD-FUND", &p));
    CHECK_STR_EQ(p.org, "");
    hb_store_close(s);
}
