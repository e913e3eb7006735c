/*
 * Property-based tests: random streams of claims (fixed seeds, printed on failure) against the
 * settlement module's invariants, checked after every step:
 *   - every transfer sums to zero per currency, every balance equals the sum of its entries and
 *     lies within its bounds, every currency sums to zero (hb_ledger_verify);
 *   - no voucher is below zero or above its cap, and each voucher equals its credits minus the
 *     HKD its live claims took;
 *   - settling a period twice changes nothing; statements reconcile; after a period is settled
 *     no provider is owed anything for it.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "settle/ledger.h"
#include "settle/settlement.h"
#include "settle/voucher.h"

typedef struct rng {
    uint64_t s;
} rng;

static unsigned next(rng *r, unsigned n) /* splitmix64, uniform enough for test streams */
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned)((z ^ (z >> 31)) % n);
}

static void check_invariants(hb_store *s, uint64_t seed, int step)
{
    hb_ledger_check c;
    CHECK_OK(hb_ledger_verify(&c, s));
    CHECK_MSG(c.unbalanced_transfers == 0 && c.wrong_balances == 0 && c.out_of_bounds == 0 &&
                  c.nonzero_currencies == 0,
              "seed %llu step %d: unbalanced %lld, wrong balances %lld, out of bounds %lld, "
              "nonzero currencies %lld",
              (unsigned long long)seed, step, (long long)c.unbalanced_transfers,
              (long long)c.wrong_balances, (long long)c.out_of_bounds,
              (long long)c.nonzero_currencies);
    int64_t bad =
        fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_accounts WHERE kind = 'voucher' AND"
                          " (balance_minor < 0 OR balance_minor > 800000)");
    CHECK_MSG(bad == 0, "seed %llu step %d: %lld vouchers out of [0, cap]",
              (unsigned long long)seed, step, (long long)bad);
    /* Each voucher = its credits - the HKD taken by its live claims. */
    int64_t off = fixture_scalar(
        s, "SELECT COUNT(*) FROM hb_settle_accounts a WHERE a.kind = 'voucher' AND"
           " a.balance_minor <> (SELECT COALESCE(SUM(credited_minor), 0) FROM"
           " hb_settle_voucher_credits v WHERE v.holder = a.owner) - (SELECT"
           " COALESCE(SUM(voucher_minor), 0) FROM hb_settle_claims c WHERE c.patient = a.owner"
           " AND c.payer = 'HK-EHCV' AND c.status IN ('approved', 'partial'))");
    CHECK_MSG(off == 0, "seed %llu step %d: %lld vouchers differ from credits minus claims",
              (unsigned long long)seed, step, (long long)off);
}

static const struct {
    const char *payer, *patients[4];
} payers[] = {
    { "HK-INS", { "H1", "H2", "G9", "ZZ" } },
    { "GD-FUND", { "G1", "G2", "H1", "ZZ" } },
    { "MO-SS", { "M1", "M1", "G1", "ZZ" } },
    { "HK-EHCV", { "E1", "E2", "E3", "E1" } },
};
static const struct {
    const char *code, *currency;
} providers[] = {
    { "GD-HKUSZH", "CNY" }, { "HK-QMH", "HKD" },        { "MO-CHCSJ", "MOP" },
    { "GD-SZCKJ", "CNY" },  { "GD-HKUSZH-LZY", "CNY" },
};
static const char *const categories[] = { "outpatient", "dental", "optometry",
                                          "inpatient",  "drugs",  "diagnostics" };

/* Submit one random claim; sometimes re-send it, sometimes send a conflicting duplicate. */
static int64_t random_claim(hb_store *s, rng *r, int month, int n, uint64_t seed)
{
    hb_claim_item items[3];
    size_t nitems = 1 + next(r, 3);
    for (size_t i = 0; i < nitems; i++)
        items[i] = (hb_claim_item){ "item", categories[next(r, 6)], 1 + next(r, 3),
                                    (int64_t)next(r, 4) * 100 + next(r, 90000) };
    int p = (int)next(r, 4), v = (int)next(r, 5);
    char episode[48], day[32];
    snprintf(episode, sizeof episode, "S%llu-%d-%d", (unsigned long long)seed, month, n);
    snprintf(day, sizeof day, "2024-%02d-%02u", month, 1 + next(r, 20));
    hb_claim c = { providers[v].code,
                   episode,
                   payers[p].patients[next(r, 4)],
                   payers[p].payer,
                   providers[v].currency,
                   fixture_date(day),
                   next(r, 10) == 0,
                   items,
                   nitems };
    hb_settle_caller caller = fixture_caller(day);
    int64_t id, again;
    bool existing;
    int rc = hb_claim_submit(&id, &existing, s, &caller, &c);
    if (rc == HB_EINVAL) /* a claim totalling zero: refused, nothing written */
        return 0;
    CHECK_MSG(rc == 0 && !existing, "seed %llu: submit: %s", (unsigned long long)seed,
              hb_error_last());
    if (next(r, 4) == 0) {
        CHECK_OK(hb_claim_submit(&again, &existing, s, &caller, &c));
        CHECK(existing && again == id);
        items[0].quantity++;
        CHECK_FAILS(hb_claim_submit(&again, &existing, s, &caller, &c), HB_ECONFLICT, "duplicate");
    }
    return id;
}

static void run_month(hb_store *s, rng *r, int month, uint64_t seed)
{
    int64_t ids[30];
    int n = 0;
    for (int i = 0; i < 30; i++)
        if ((ids[n] = random_claim(s, r, month, i, seed)) != 0)
            n++;
    char day[32];
    snprintf(day, sizeof day, "2024-%02d-25", month);
    hb_settle_caller caller = fixture_caller(day);
    for (int i = 0; i < n; i++) {
        hb_claim_decision d;
        CHECK_MSG(hb_claim_adjudicate(&d, s, &caller, ids[i]) == 0, "seed %llu claim %lld: %s",
                  (unsigned long long)seed, (long long)ids[i], hb_error_last());
        check_invariants(s, seed, month * 100 + i);
        if (d.transfer_id && next(r, 8) == 0) {
            int rc = hb_claim_reverse(&d, s, &caller, ids[i], "random correction");
            /* A reversal that would lift a voucher over its cap is refused, never applied. */
            CHECK_MSG(rc == 0 || (rc == HB_ECONFLICT && strstr(hb_error_last(), "cap")),
                      "seed %llu: reverse %lld: %s", (unsigned long long)seed, (long long)ids[i],
                      hb_error_last());
            check_invariants(s, seed, month * 100 + i);
        }
    }
}

static void settle_month(hb_store *s, int month, uint64_t seed)
{
    char day[32], period[16];
    snprintf(day, sizeof day, "2024-%02d-01", month + 1);
    snprintf(period, sizeof period, "2024-%02d", month);
    hb_settle_caller caller = fixture_caller(day);
    hb_settlement_result a, b;
    CHECK_OK(hb_settlement_run(&a, s, &caller, fixture_date(day) - 1));
    int64_t transfers = fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_transfers");
    int64_t sum = fixture_scalar(s, "SELECT COALESCE(SUM(ABS(balance_minor)), 0) FROM"
                                    " hb_settle_accounts");
    CHECK_OK(hb_settlement_run(&b, s, &caller, fixture_date(day) - 1));
    CHECK(b.already && b.run_id == a.run_id && b.claims == a.claims);
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_transfers"), transfers);
    CHECK_INT_EQ(fixture_scalar(s, "SELECT COALESCE(SUM(ABS(balance_minor)), 0) FROM"
                                   " hb_settle_accounts"),
                 sum);
    hb_table *t;
    hb_statement_check check;
    CHECK_OK(hb_settlement_statement(s, period, NULL, HB_MONEY_DECIMAL, &t, &check));
    CHECK_MSG(check.mismatches == 0, "seed %llu %s: statements do not reconcile",
              (unsigned long long)seed, period);
    CHECK_INT_EQ(check.lines, 2 * a.claims);
    hb_table_free(t);
    /* Everything decided is settled: no provider is owed anything. */
    CHECK_INT_EQ(
        fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_accounts WHERE kind = 'provider' AND"
                          " balance_minor <> 0"),
        0);
    check_invariants(s, seed, month * 1000);
}

TEST(settle__property_random_claim_streams)
{
    static const uint64_t seeds[] = { 1, 20240301, 987654321 };
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        hb_store *s = fixture_open();
        rng r = { seeds[k] };
        hb_settle_caller c = fixture_caller("2024-01-01");
        hb_voucher_credit_report cr;
        CHECK_OK(hb_voucher_credit(&cr, s, &c, "annual-2024", fixture_date("2024-01-01")));
        for (int month = 3; month <= 5; month++) {
            run_month(s, &r, month, seeds[k]);
            settle_month(s, month, seeds[k]);
        }
        CHECK(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_claims WHERE status = 'partial'") >
              0);
        CHECK(fixture_scalar(s, "SELECT COUNT(*) FROM hb_settle_claims WHERE status = 'rejected'") >
              0);
        hb_store_close(s);
    }
}
