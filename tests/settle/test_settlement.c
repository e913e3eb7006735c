/* Tests for settle/settlement.c: netting across the three jurisdictions, idempotent runs,
 * closed periods, statements that reconcile. */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "settle/ledger.h"
#include "settle/settlement.h"

static void decide(hb_store *s, int64_t id, const char *day)
{
    hb_settle_caller c = fixture_caller(day);
    hb_claim_decision d;
    CHECK_OK(hb_claim_adjudicate(&d, s, &c, id));
    CHECK_MSG(strcmp(d.status, "rejected") != 0, "claim %lld: %s", (long long)id, d.reason);
}

TEST(settle__settlement_nets_three_jurisdictions)
{
    hb_store *s = fixture_open();
    /* HK insurer owes GD (via GD-HSA) for H1 in Guangdong: RMB 1,000 outpatient, 20% co-pay. */
    decide(s,
           fixture_claim(s, "GD-HKUSZH", "A", "H1", "HK-INS", "CNY", "2024-03-01", "outpatient",
                         100000),
           "2024-03-05");
    /* GD fund owes HK (via HK-DH) for G1 in Hong Kong: HK$2,000 inpatient, 10% co-pay. */
    decide(
        s,
        fixture_claim(s, "HK-QMH", "B", "G1", "GD-FUND", "HKD", "2024-03-02", "inpatient", 200000),
        "2024-03-05");
    /* Macao fund owes GD for M1 in Guangdong: RMB 300. GD fund owes Macao for G2: MOP 500. */
    decide(
        s,
        fixture_claim(s, "GD-HKUSZH", "C", "M1", "MO-SS", "CNY", "2024-03-03", "outpatient", 30000),
        "2024-03-06");
    decide(s,
           fixture_claim(s, "MO-CHCSJ", "D", "G2", "GD-FUND", "MOP", "2024-03-03", "outpatient",
                         50000),
           "2024-03-06");
    /* HK insurer also owes Macao: MOP 1,000 for H1 in Macao (co-pay 20%: MOP 800). */
    decide(s,
           fixture_claim(s, "MO-CHCSJ", "E", "H1", "HK-INS", "MOP", "2024-03-04", "outpatient",
                         100000),
           "2024-03-06");
    hb_settle_caller early = fixture_caller("2024-03-20");
    hb_settlement_result r;
    CHECK_FAILS(hb_settlement_run(&r, s, &early, fixture_date("2024-03-01")), HB_ECONFLICT,
                "not over yet");
    hb_settle_caller c = fixture_caller("2024-04-01");
    CHECK_OK(hb_settlement_run(&r, s, &c, fixture_date("2024-03-15")));
    CHECK(!r.already);
    CHECK_STR_EQ(r.period, "2024-03");
    CHECK_INT_EQ(r.claims, 5);
    CHECK_INT_EQ(r.obligations, 5);
    /* CNY: HK-INS pays GD-HSA 800.00, MO-SS pays GD-HSA 300.00; HKD: GD-FUND pays HK-DH
     * 1,800.00; MOP: HK-INS pays MO-SSM 800.00 and GD-FUND pays MO-SSM 450.00. */
    CHECK_INT_EQ(r.instructions, 5);
    hb_table *t;
    CHECK_OK(hb_settlement_instructions(s, "2024-03", HB_MONEY_DECIMAL, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 5);
    CHECK_STR_EQ(hb_table_cell(t, 0, 2), "HK-INS");
    CHECK_STR_EQ(hb_table_cell(t, 0, 3), "GD-HSA");
    CHECK_STR_EQ(hb_table_cell(t, 0, 4), "800.00");
    hb_table_free(t);
    /* Every provider and payer position from the period's claims is settled: all zero. */
    CHECK_INT_EQ(
        fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_accounts WHERE balance_minor <> 0"), 0);
    int64_t transfers = fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_transfers");
    /* Settling again changes nothing. */
    hb_settlement_result again;
    CHECK_OK(hb_settlement_run(&again, s, &c, fixture_date("2024-03-01")));
    CHECK(again.already);
    CHECK_INT_EQ(again.run_id, r.run_id);
    CHECK_INT_EQ(again.claims, 5);
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_transfers"), transfers);
    /* Statements reconcile from claims to payments, for each payer and for all. */
    hb_statement_check check;
    CHECK_OK(hb_settlement_statement(s, "2024-03", NULL, HB_MONEY_DECIMAL, &t, &check));
    CHECK_INT_EQ(check.lines, 10);
    CHECK_INT_EQ(check.mismatches, 0);
    hb_table_free(t);
    CHECK_OK(hb_settlement_statement(s, "2024-03", "GD-FUND", HB_MONEY_DECIMAL, &t, &check));
    CHECK_INT_EQ(check.mismatches, 0);
    CHECK_INT_EQ(check.lines, 2);
    hb_table_free(t);
    /* The period is closed: no decision or reversal may be dated in it, settled claims stay. */
    int64_t late =
        fixture_claim(s, "GD-HKUSZH", "F", "H1", "HK-INS", "CNY", "2024-03-20", "outpatient", 1000);
    hb_settle_caller back = fixture_caller("2024-03-31");
    hb_claim_decision d;
    CHECK_FAILS(hb_claim_adjudicate(&d, s, &back, late), HB_ECONFLICT, "settled period");
    CHECK_FAILS(hb_claim_reverse(&d, s, &c, 1, "oops"), HB_ECONFLICT, "settled");
    CHECK_FAILS(hb_settlement_statement(s, "2024-02", NULL, HB_MONEY_DECIMAL, &t, &check),
                HB_ENOTFOUND, "not settled");
    /* And the ledger is sound after all of it. */
    hb_ledger_check lc;
    CHECK_OK(hb_ledger_verify(&lc, s));
    CHECK_INT_EQ(lc.unbalanced_transfers + lc.wrong_balances + lc.nonzero_currencies, 0);
    hb_store_close(s);
}
