/* Tests for settle/voucher.c and the voucher rules of adjudication, with the shipped EHCV data. */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "settle/ledger.h"
#include "settle/voucher.h"

static hb_voucher_credit_report credit(hb_store *s, const char *grant, const char *on)
{
    hb_settle_caller c = fixture_caller(on);
    hb_voucher_credit_report r;
    CHECK_OK(hb_voucher_credit(&r, s, &c, grant, fixture_date(on)));
    return r;
}

static int64_t balance(hb_store *s, const char *holder)
{
    int64_t b = 0;
    int rc = hb_ledger_balance(&b, s, "voucher", holder, "HKD");
    CHECK(rc == 0 || rc == HB_ENOTFOUND);
    return b;
}

TEST(settle__voucher_credits_follow_the_dated_rules)
{
    hb_store *s = fixture_open();
    /* 1 January 2017: eligibility at 70, so E1 (born 1950) and E2 (1951) are too young. */
    hb_voucher_credit_report r = credit(s, "annual-2017", "2017-01-01");
    CHECK_INT_EQ(r.holders, 3);
    CHECK_INT_EQ(r.credited, 0);
    CHECK_INT_EQ(r.ineligible, 3);
    /* 1 July 2017 the age became 65: the same grant now reaches E1 and E2, not E3 (1958). */
    r = credit(s, "annual-2017", "2017-07-01");
    CHECK_INT_EQ(r.credited, 2);
    CHECK_INT_EQ(r.credited_minor, 400000);
    r = credit(s, "annual-2017", "2017-07-01"); /* again: nothing changes */
    CHECK_INT_EQ(r.credited, 0);
    CHECK_INT_EQ(r.already, 2);
    credit(s, "annual-2018", "2018-01-01");
    CHECK_INT_EQ(balance(s, "E1"), 400000); /* the HK$4,000 cap */
    credit(s, "one-off-2018", "2018-06-08");
    CHECK_INT_EQ(balance(s, "E1"), 500000); /* cap HK$5,000 from 8 June 2018 */
    r = credit(s, "annual-2019", "2019-01-01");
    CHECK_INT_EQ(r.credited_minor, 0);
    CHECK_INT_EQ(r.forfeited_minor, 400000); /* both full: the cap kept it out */
    credit(s, "one-off-2019", "2019-06-26");
    CHECK_INT_EQ(balance(s, "E1"), 600000);
    credit(s, "annual-2020", "2020-01-01");
    credit(s, "annual-2021", "2021-01-01");
    CHECK_INT_EQ(balance(s, "E1"), 800000); /* cap HK$8,000 since 26 June 2019 */
    credit(s, "annual-2023", "2023-01-01");
    CHECK_INT_EQ(balance(s, "E3"), 200000); /* E3 turns 65 in 2023 */
    hb_voucher_status st;
    CHECK_OK(hb_voucher_balance(&st, s, "E3", fixture_date("2023-05-01")));
    CHECK(st.eligible);
    CHECK_INT_EQ(st.cap_minor, 800000);
    CHECK_STR_EQ(st.cycle_from, "2023-01-01");
    CHECK_STR_EQ(st.cycle_to, "2024-12-31");
    CHECK_OK(hb_voucher_balance(&st, s, "E3", fixture_date("2019-08-01")));
    CHECK_STR_EQ(st.cycle_from, "2019-06-26"); /* the first cycle starts with the sub-cap */
    CHECK_FAILS(hb_voucher_credit(&r, s, NULL, "annual-2024", fixture_date("2023-01-01")),
                HB_EINVAL, "annual-YYYY");
    hb_ledger_check c;
    CHECK_OK(hb_ledger_verify(&c, s));
    CHECK_INT_EQ(c.out_of_bounds + c.wrong_balances + c.unbalanced_transfers, 0);
    hb_store_close(s);
}

static hb_claim_decision voucher_claim(hb_store *s, const char *provider, const char *episode,
                                       const char *holder, const char *date, bool insured,
                                       const hb_claim_item *items, size_t n)
{
    hb_claim c = { provider,           episode, holder, "HK-EHCV", "CNY",
                   fixture_date(date), insured, items,  n };
    hb_settle_caller caller = fixture_caller(date);
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    hb_claim_decision d;
    CHECK_OK(hb_claim_adjudicate(&d, s, &caller, id));
    return d;
}

TEST(settle__voucher_use_at_gba_service_points)
{
    hb_store *s = fixture_open();
    credit(s, "annual-2024", "2024-01-01"); /* E1, E2: HK$2,000 each; E3 too */
    hb_claim_item consult[] = { { "consult", "outpatient", 1, 28000 } };
    /* RMB 280 at March's 1.0870 = HK$304.36 -> HK$304 (face value HK$1, half-up). */
    hb_claim_decision d =
        voucher_claim(s, "GD-HKUSZH", "V1", "E1", "2024-03-02", false, consult, 1);
    CHECK_STR_EQ(d.status, "approved");
    CHECK_INT_EQ(d.approved_minor, 28000);
    CHECK_INT_EQ(d.voucher_minor, 30400);
    CHECK_INT_EQ(balance(s, "E1"), 200000 - 30400);
    d = voucher_claim(s, "GD-HKUSZH", "V2", "E1", "2024-03-02", true, consult, 1);
    CHECK_STR_EQ(d.status, "rejected");
    CHECK_CONTAINS(d.reason, "mainland medical insurance");
    d = voucher_claim(s, "GD-SZCKJ", "V3", "E1", "2024-03-02", false, consult, 1);
    CHECK_STR_EQ(d.status, "rejected"); /* a pilot dental hospital, but not before June 2024 */
    CHECK_CONTAINS(d.reason, "not a designated voucher service point");
    hb_claim_item drugs[] = { { "tablets", "drugs", 10, 500 } };
    d = voucher_claim(s, "GD-HKUSZH", "V4", "E1", "2024-03-02", false, drugs, 1);
    CHECK_STR_EQ(d.status, "rejected");
    hb_claim_item stay[] = { { "ward", "inpatient", 1, 100000 } };
    d = voucher_claim(s, "GD-HKUSZH", "V5", "E1", "2024-03-02", false, stay, 1);
    CHECK_STR_EQ(d.status, "rejected");
    /* February's factor for February care: RMB 100 at 1.0900 = HK$109. */
    hb_claim_item small[] = { { "consult", "outpatient", 1, 10000 }, { "tablets", "drugs", 1, 0 } };
    d = voucher_claim(s, "GD-HKUSZH", "V6", "E2", "2024-02-20", false, small, 2);
    CHECK_STR_EQ(d.status, "approved");
    CHECK_INT_EQ(d.voucher_minor, 10900);
    /* No factor for June: the claim cannot be decided rather than decided at a stale factor. */
    hb_claim c = { "GD-HKUSZH", "V7",    "E1", "HK-EHCV", "CNY", fixture_date("2024-06-02"),
                   false,       consult, 1 };
    hb_settle_caller caller = fixture_caller("2024-06-03");
    int64_t id;
    bool existing;
    CHECK_OK(hb_claim_submit(&id, &existing, s, &caller, &c));
    CHECK_FAILS(hb_claim_adjudicate(&d, s, &caller, id), HB_ENOTFOUND, "2024-06");
    hb_table *t;
    CHECK_OK(hb_voucher_statement(s, "E1", HB_MONEY_DECIMAL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(hb_table_cell(t, 1, 6), "1.0870");
    CHECK_STR_EQ(hb_table_cell(t, 1, 8), "1696.00");
    hb_table_free(t);
    hb_store_close(s);
}

TEST(settle__voucher_balance_and_optometry_subcap)
{
    hb_store *s = fixture_open();
    credit(s, "annual-2023", "2023-01-01");
    credit(s, "annual-2024", "2024-01-01"); /* E1: HK$4,000 */
    hb_claim_item glasses[] = { { "lenses", "optometry", 1, 150000 } };
    /* RMB 1,500 at 1.0870 = HK$1,630.50 -> HK$1,631 (half-up). */
    hb_claim_decision d =
        voucher_claim(s, "GD-HKUSZH", "O1", "E1", "2024-03-02", false, glasses, 1);
    CHECK_STR_EQ(d.status, "approved");
    CHECK_INT_EQ(d.voucher_minor, 163100);
    /* HK$369 of the HK$2,000 sub-cap is left: the largest fee part that fits is paid. */
    hb_claim_item more[] = { { "lenses", "optometry", 1, 50000 },
                             { "consult", "outpatient", 1, 10000 } };
    d = voucher_claim(s, "GD-HKUSZH", "O2", "E1", "2024-03-03", false, more, 2);
    CHECK_STR_EQ(d.status, "partial");
    hb_voucher_status st;
    CHECK_OK(hb_voucher_balance(&st, s, "E1", fixture_date("2024-03-04")));
    CHECK_INT_EQ(st.optometry_used_minor, 200000);
    /* The outpatient part is paid in full (RMB 100 = HK$109), the optometry part up to HK$369. */
    CHECK_INT_EQ(d.voucher_minor, 36900 + 10900);
    CHECK(d.approved_minor < 60000 && d.approved_minor > 10000 + 33900);
    CHECK_INT_EQ(st.balance_minor, 400000 - 163100 - 36900 - 10900);
    /* A big bill takes what is left, never more. */
    hb_claim_item big[] = { { "implant", "dental", 1, 900000 } };
    d = voucher_claim(s, "GD-HKUSZH", "O3", "E1", "2024-03-05", false, big, 1);
    CHECK_STR_EQ(d.status, "partial");
    CHECK_INT_EQ(d.voucher_minor, st.balance_minor);
    CHECK_INT_EQ(balance(s, "E1"), 0);
    d = voucher_claim(s, "GD-HKUSZH", "O4", "E1", "2024-03-06", false, big, 1);
    CHECK_STR_EQ(d.status, "rejected"); /* an empty voucher pays nothing */
    /* Reversing a use gives the HKD back. */
    hb_settle_caller caller = fixture_caller("2024-03-07");
    hb_claim_decision r;
    CHECK_OK(hb_claim_reverse(&r, s, &caller, 3, "billed twice"));
    CHECK_STR_EQ(r.status, "reversed");
    CHECK_INT_EQ(balance(s, "E1"), st.balance_minor);
    hb_store_close(s);
}
