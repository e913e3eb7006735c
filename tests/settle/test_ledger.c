/* Tests for settle/ledger.c: balanced transfers, bounds, reversals, append-only history. */
#include <string.h>

#include "fixture.h"
#include "harness.h"
#include "settle/ledger.h"
#include "settle/request.h"

static int post(hb_store *s, hb_ledger_entry *e, size_t n, int64_t *id)
{
    hb_ledger_transfer t = { "claim", 19800, "test", "test transfer", 0, e, n };
    CHECK_OK(hb_store_begin(s));
    int rc = hb_ledger_post(id, s, &t);
    if (rc < 0)
        hb_store_rollback(s);
    else
        CHECK_OK(hb_store_commit(s));
    return rc;
}

static int64_t account(hb_store *s, const char *kind, const char *owner, const char *currency,
                       int64_t floor, int64_t cap)
{
    int64_t id;
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_ledger_account(&id, s, kind, owner, currency, floor, cap));
    CHECK_OK(hb_store_commit(s));
    return id;
}

static void check_sound(hb_store *s)
{
    hb_ledger_check c;
    CHECK_OK(hb_ledger_verify(&c, s));
    CHECK_INT_EQ(c.unbalanced_transfers, 0);
    CHECK_INT_EQ(c.wrong_balances, 0);
    CHECK_INT_EQ(c.out_of_bounds, 0);
    CHECK_INT_EQ(c.nonzero_currencies, 0);
}

TEST(settle__ledger_balanced_bounded_reversible)
{
    hb_store *s = fixture_open();
    int64_t payer = account(s, "payer", "HK-INS", "CNY", -1, -1);
    int64_t prov = account(s, "provider", "GD-HKUSZH", "CNY", -1, -1);
    int64_t voucher = account(s, "voucher", "E1", "HKD", 0, 800000);
    int64_t scheme = account(s, "payer", "HK-EHCV", "HKD", -1, -1);
    int64_t id, rev;
    hb_ledger_entry ok[] = { { payer, "CNY", -5000, NULL }, { prov, "CNY", 5000, NULL } };
    CHECK_OK(post(s, ok, 2, &id));
    hb_ledger_entry unbalanced[] = { { payer, "CNY", -5000, NULL }, { prov, "CNY", 4999, NULL } };
    CHECK_FAILS(post(s, unbalanced, 2, &rev), HB_EINVAL, "does not balance");
    /* Balanced in total but not per currency: refused too. */
    hb_ledger_entry mixed[] = { { payer, "CNY", -100, NULL }, { scheme, "HKD", 100, NULL } };
    CHECK_FAILS(post(s, mixed, 2, &rev), HB_EINVAL, "does not balance");
    /* The wrong currency for an account: the database refuses (composite foreign key). */
    hb_ledger_entry wrong[] = { { payer, "HKD", -100, NULL }, { scheme, "HKD", 100, NULL } };
    CHECK(post(s, wrong, 2, &rev) < 0);
    /* A voucher cannot go below 0 or above its cap; nothing of a refused transfer remains. */
    hb_ledger_entry over[] = { { scheme, "HKD", -800100, NULL }, { voucher, "HKD", 800100, NULL } };
    CHECK_FAILS(post(s, over, 2, &rev), HB_ECONFLICT, "above its cap");
    hb_ledger_entry under[] = { { voucher, "HKD", -1, NULL }, { scheme, "HKD", 1, NULL } };
    CHECK_FAILS(post(s, under, 2, &rev), HB_ECONFLICT, "below its floor");
    int64_t bal;
    CHECK_OK(hb_ledger_balance(&bal, s, "voucher", "E1", "HKD"));
    CHECK_INT_EQ(bal, 0);
    CHECK_OK(hb_ledger_balance(&bal, s, "provider", "GD-HKUSZH", "CNY"));
    CHECK_INT_EQ(bal, 5000);
    /* Reversal: exact negation, once. */
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_ledger_reverse(&rev, s, id, 19801, "test", "wrong payer"));
    CHECK_OK(hb_store_commit(s));
    CHECK_OK(hb_ledger_balance(&bal, s, "provider", "GD-HKUSZH", "CNY"));
    CHECK_INT_EQ(bal, 0);
    CHECK_OK(hb_store_begin(s));
    CHECK_FAILS(hb_ledger_reverse(&rev, s, id, 19801, "test", "again"), HB_ECONFLICT,
                "reversed already");
    hb_store_rollback(s);
    check_sound(s);
    /* History is append-only: the database refuses to change or delete it. */
    CHECK(hb_store_exec(s, "UPDATE hb_settle_entries SET amount_minor = 1") < 0);
    CHECK(hb_store_exec(s, "DELETE FROM hb_settle_transfers") < 0);
    check_sound(s);
    hb_store_close(s);
}

TEST(settle__ledger_verify_detects_tampering)
{
    hb_store *s = fixture_open();
    int64_t payer = account(s, "payer", "HK-INS", "CNY", -1, -1);
    int64_t prov = account(s, "provider", "GD-HKUSZH", "CNY", -1, -1);
    int64_t id;
    hb_ledger_entry ok[] = { { payer, "CNY", -5000, NULL }, { prov, "CNY", 5000, NULL } };
    CHECK_OK(post(s, ok, 2, &id));
    check_sound(s);
    /* Balances are the one mutable field: a balance changed behind the ledger's back shows. */
    CHECK_OK(hb_store_exec(s, "UPDATE hb_settle_accounts SET balance_minor = balance_minor + 1"
                              " WHERE kind = 'provider'"));
    hb_ledger_check c;
    CHECK_OK(hb_ledger_verify(&c, s));
    CHECK_INT_EQ(c.wrong_balances, 1);
    CHECK_INT_EQ(c.nonzero_currencies, 1);
    hb_store_close(s);
}
