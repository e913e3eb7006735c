/*
 * settle/ledger.c — posting, reversing and checking the double-entry ledger (see ledger.h).
 *
 * A post is: check the entries in memory (non-zero, bounded, balanced per currency), insert the
 * transfer and its entries, then apply one conditional UPDATE per account in ascending id order.
 * An UPDATE that changes no row means a bound would be crossed (or the account does not exist):
 * the caller's transaction is then rolled back, so nothing of the transfer remains.
 */
#include "settle/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/limits.h"

static int currency_index(const char *c)
{
    return strcmp(c, "CNY") == 0 ? 0 : strcmp(c, "HKD") == 0 ? 1 : 2;
}

static int check_transfer(const hb_ledger_transfer *t)
{
    if (t->nentries < 2 || t->nentries > HB_TRANSFER_ENTRIES_MAX)
        return hb_error_set(HB_EINVAL, "a transfer has 2 to %d entries, not %zu",
                            HB_TRANSFER_ENTRIES_MAX, t->nentries);
    int64_t sum[3] = { 0, 0, 0 };
    for (size_t i = 0; i < t->nentries; i++) {
        const hb_ledger_entry *e = &t->entries[i];
        int rc = hb_currency_check(e->currency);
        if (rc < 0)
            return rc;
        if (e->amount_minor == 0)
            return hb_error_set(HB_EINVAL, "entry %zu of a %s transfer is zero", i + 1, t->kind);
        int c = currency_index(e->currency);
        if ((rc = hb_money_add(&sum[c], sum[c], e->amount_minor)) < 0)
            return rc;
    }
    for (int c = 0; c < 3; c++)
        if (sum[c] != 0)
            return hb_error_set(HB_EINVAL, "%s transfer does not balance: %s entries sum to %lld",
                                t->kind,
                                c == 0   ? "CNY"
                                : c == 1 ? "HKD"
                                         : "MOP",
                                (long long)sum[c]);
    return 0;
}

static int insert_transfer(hb_store *store, const hb_ledger_transfer *t, int64_t *id)
{
    char day[HB_DATE_STRLEN], now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_transfers (kind, posted_on, created_at,"
                              " organisation, memo, reverses) VALUES (?, ?, ?, ?, ?, ?)"
                              " RETURNING id");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, t->kind)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, hb_date_format(day, t->posted_on))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, t->organisation)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, t->memo)) == 0)
        rc = t->reverses ? hb_stmt_bind_int64(st, 6, t->reverses) : hb_stmt_bind_null(st, 6);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        *id = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    if (rc == HB_ECONFLICT && t->reverses)
        return hb_error_set(HB_ECONFLICT, "transfer %lld was reversed already",
                            (long long)t->reverses);
    return rc == HB_STORE_ROW ? 0 : rc < 0 ? rc : HB_ERROR;
}

static int bind_entry(hb_stmt *st, int64_t transfer_id, const hb_ledger_entry *e)
{
    const hb_ledger_conversion *c = e->conversion;
    int rc;
    if ((rc = hb_stmt_bind_int64(st, 1, transfer_id)) < 0 ||
        (rc = hb_stmt_bind_int64(st, 2, e->account_id)) < 0 ||
        (rc = hb_stmt_bind_cstr(st, 3, e->currency)) < 0 ||
        (rc = hb_stmt_bind_int64(st, 4, e->amount_minor)) < 0)
        return rc;
    if (!c) {
        for (int i = 5; i <= 11 && rc == 0; i++)
            rc = hb_stmt_bind_null(st, i);
        return rc;
    }
    if ((rc = hb_stmt_bind_int64(st, 5, c->from_minor)) < 0 ||
        (rc = hb_stmt_bind_cstr(st, 6, c->from_currency)) < 0 ||
        (rc = c->rate_id ? hb_stmt_bind_int64(st, 7, c->rate_id) : hb_stmt_bind_null(st, 7)) < 0 ||
        (rc = hb_stmt_bind_int64(st, 8, c->rate.units)) < 0 ||
        (rc = hb_stmt_bind_int64(st, 9, c->rate.scale)) < 0 ||
        (rc = hb_stmt_bind_cstr(st, 10, hb_rounding_name(c->rounding))) < 0)
        return rc;
    return hb_stmt_bind_int64(st, 11, c->quantum_minor);
}

static int insert_entries(hb_store *store, const hb_ledger_transfer *t, int64_t transfer_id)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_entries (transfer_id, account_id, currency,"
                              " amount_minor, from_minor, from_currency, rate_id, rate_units,"
                              " rate_scale, rounding, quantum_minor)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; rc == 0 && i < t->nentries; i++) {
        rc = bind_entry(st, transfer_id, &t->entries[i]);
        if (rc == 0)
            rc = hb_stmt_step(st);
        if (rc == HB_EINVAL)
            hb_error_prefix("entry %zu (account %lld, %s): ", i + 1,
                            (long long)t->entries[i].account_id, t->entries[i].currency);
        hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

typedef struct delta {
    int64_t account_id, amount;
} delta;

static int compare_delta(const void *a, const void *b)
{
    const delta *x = a, *y = b;
    return (x->account_id > y->account_id) - (x->account_id < y->account_id);
}

/* Why an account refused a change: it is missing, or a bound would be crossed. */
static int refused(hb_store *store, int64_t account_id, int64_t amount)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT code, balance_minor, floor_minor, cap_minor"
                              " FROM hb_settle_accounts WHERE id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, account_id)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        const char *code = hb_stmt_text(st, 0, NULL);
        long long bal = (long long)hb_stmt_int64(st, 1);
        bool low = !hb_stmt_is_null(st, 2) && bal + amount < hb_stmt_int64(st, 2);
        rc = hb_error_set(HB_ECONFLICT, "account %s: balance %lld %+lld would go %s its %s", code,
                          bal, (long long)amount, low ? "below" : "above", low ? "floor" : "cap");
    } else if (rc == HB_STORE_DONE) {
        rc = hb_error_set(HB_ENOTFOUND, "no account %lld", (long long)account_id);
    }
    hb_stmt_finalize(st);
    return rc;
}

static int apply_balances(hb_store *store, const hb_ledger_transfer *t)
{
    delta *d = hb_mallocarray(t->nentries, sizeof *d);
    if (!d)
        return HB_ENOMEM;
    for (size_t i = 0; i < t->nentries; i++)
        d[i] = (delta){ t->entries[i].account_id, t->entries[i].amount_minor };
    qsort(d, t->nentries, sizeof *d, compare_delta);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "UPDATE hb_settle_accounts SET balance_minor = balance_minor + ?"
                              " WHERE id = ? AND (floor_minor IS NULL OR balance_minor + ? >="
                              " floor_minor) AND (cap_minor IS NULL OR balance_minor + ? <="
                              " cap_minor)");
    for (size_t i = 0, j; rc == 0 && i < t->nentries; i = j) {
        int64_t sum = 0;
        for (j = i; rc == 0 && j < t->nentries && d[j].account_id == d[i].account_id; j++)
            rc = hb_money_add(&sum, sum, d[j].amount);
        if (rc < 0 || sum == 0)
            continue;
        if ((rc = hb_stmt_bind_int64(st, 1, sum)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 2, d[i].account_id)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 3, sum)) == 0 &&
            (rc = hb_stmt_bind_int64(st, 4, sum)) == 0)
            rc = hb_stmt_step(st);
        if (rc == 0 && hb_stmt_changes(st) != 1)
            rc = refused(store, d[i].account_id, sum);
        hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    hb_free(d);
    return rc < 0 ? rc : 0;
}

int hb_ledger_post(int64_t *out_id, hb_store *store, const hb_ledger_transfer *transfer)
{
    if (!hb_store_in_transaction(store))
        return hb_error_set(HB_EINVAL, "ledger posts run inside the caller's transaction");
    int64_t id = 0;
    int rc = check_transfer(transfer);
    if (rc == 0)
        rc = insert_transfer(store, transfer, &id);
    if (rc == 0)
        rc = insert_entries(store, transfer, id);
    if (rc == 0)
        rc = apply_balances(store, transfer);
    if (rc == 0)
        *out_id = id;
    return rc;
}

/* The entries of a transfer, negated, with their conversions (strings live in names). */
typedef struct negated {
    hb_ledger_entry *entries;
    hb_ledger_conversion *conversions;
    char (*currency)[8]; /* [2i] entry currency, [2i+1] from currency */
    size_t n, cap;
} negated;

static int grow(negated *n)
{
    size_t cap = n->cap ? n->cap * 2 : 8;
    if (cap > HB_TRANSFER_ENTRIES_MAX)
        return hb_error_set(HB_ELIMIT, "transfer has too many entries to reverse");
    hb_ledger_entry *e = hb_reallocarray(n->entries, cap, sizeof *e);
    if (e)
        n->entries = e;
    hb_ledger_conversion *c = e ? hb_reallocarray(n->conversions, cap, sizeof *c) : NULL;
    if (c)
        n->conversions = c;
    char(*cur)[8] = c ? hb_reallocarray(n->currency, cap * 2, sizeof *cur) : NULL;
    if (!cur)
        return HB_ENOMEM;
    n->currency = cur;
    n->cap = cap;
    return 0;
}

static int read_negated(hb_store *store, int64_t id, negated *n)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT account_id, currency, amount_minor, from_minor,"
                              " from_currency, rate_id, rate_units, rate_scale, rounding,"
                              " quantum_minor FROM hb_settle_entries WHERE transfer_id = ?"
                              " ORDER BY id");
    if (rc == 0)
        rc = hb_stmt_bind_int64(st, 1, id);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        if (n->n == n->cap && (rc = grow(n)) < 0)
            break;
        size_t i = n->n++;
        hb_ledger_conversion *c = &n->conversions[i];
        snprintf(n->currency[2 * i], 8, "%s", hb_stmt_text(st, 1, NULL));
        n->entries[i] = (hb_ledger_entry){ hb_stmt_int64(st, 0), n->currency[2 * i],
                                           -hb_stmt_int64(st, 2), NULL };
        rc = 0;
        if (hb_stmt_is_null(st, 4))
            continue;
        snprintf(n->currency[2 * i + 1], 8, "%s", hb_stmt_text(st, 4, NULL));
        c->from_minor = -hb_stmt_int64(st, 3);
        c->from_currency = n->currency[2 * i + 1];
        c->rate_id = hb_stmt_is_null(st, 5) ? 0 : hb_stmt_int64(st, 5);
        c->rate = (hb_rate){ hb_stmt_int64(st, 6), (int)hb_stmt_int64(st, 7) };
        rc = hb_rounding_parse(&c->rounding, hb_stmt_text(st, 8, NULL));
        c->quantum_minor = hb_stmt_int64(st, 9);
        n->entries[i].conversion = c;
    }
    hb_stmt_finalize(st);
    if (rc == 0 && n->n == 0)
        rc = hb_error_set(HB_ENOTFOUND, "no transfer %lld", (long long)id);
    return rc < 0 ? rc : 0;
}

int hb_ledger_reverse(int64_t *out_id, hb_store *store, int64_t id, hb_date posted_on,
                      const char *organisation, const char *memo)
{
    negated n = { 0 };
    int rc = read_negated(store, id, &n);
    if (rc == 0) {
        hb_ledger_transfer t = { "reversal", posted_on, organisation, memo, id, n.entries, n.n };
        rc = hb_ledger_post(out_id, store, &t);
    }
    hb_free(n.entries);
    hb_free(n.conversions);
    hb_free(n.currency);
    return rc;
}

static int account_lookup(hb_store *store, const char *code, int64_t *id, int64_t *cap)
{
    hb_stmt *st;
    int rc =
        hb_store_prepare(store, &st, "SELECT id, cap_minor FROM hb_settle_accounts WHERE code = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, code)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        *id = hb_stmt_int64(st, 0);
        *cap = hb_stmt_is_null(st, 1) ? -1 : hb_stmt_int64(st, 1);
    }
    hb_stmt_finalize(st);
    return rc;
}

static int bind_bound(hb_stmt *st, int index, int64_t v)
{
    return v < 0 ? hb_stmt_bind_null(st, index) : hb_stmt_bind_int64(st, index, v);
}

static int account_create(hb_store *store, const char *code, const char *kind, const char *owner,
                          const char *currency, int64_t floor_minor, int64_t cap_minor)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    /* ON CONFLICT: a concurrent transaction may create the same account; then it is reused. */
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_accounts (code, kind, owner, currency,"
                              " floor_minor, cap_minor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT (code) DO NOTHING");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, code)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, kind)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, owner)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, currency)) == 0 &&
        (rc = bind_bound(st, 5, floor_minor)) == 0 && (rc = bind_bound(st, 6, cap_minor)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int raise_cap(hb_store *store, int64_t id, int64_t cap_minor)
{
    hb_stmt *st;
    int rc =
        hb_store_prepare(store, &st, "UPDATE hb_settle_accounts SET cap_minor = ? WHERE id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, cap_minor)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 2, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_ledger_account(int64_t *out_id, hb_store *store, const char *kind, const char *owner,
                      const char *currency, int64_t floor_minor, int64_t cap_minor)
{
    char code[3 * 80];
    if (strlen(owner) > HB_SETTLE_ID_MAX)
        return hb_error_set(HB_EINVAL, "account owner longer than %d characters", HB_SETTLE_ID_MAX);
    snprintf(code, sizeof code, "%s:%s:%s", kind, owner, currency);
    int64_t id = 0, cap = -1;
    int rc = account_lookup(store, code, &id, &cap);
    if (rc == HB_STORE_DONE) {
        rc = account_create(store, code, kind, owner, currency, floor_minor, cap_minor);
        if (rc == 0)
            rc = account_lookup(store, code, &id, &cap);
        if (rc == HB_STORE_DONE)
            rc = hb_error_set(HB_ERROR, "account %s vanished after creation", code);
    }
    if (rc == HB_STORE_ROW && cap_minor >= 0 && cap >= 0 && cap_minor > cap)
        rc = raise_cap(store, id, cap_minor);
    if (rc < 0)
        return rc;
    *out_id = id;
    return 0;
}

int hb_ledger_balance(int64_t *out_minor, hb_store *store, const char *kind, const char *owner,
                      const char *currency)
{
    char code[3 * 80];
    snprintf(code, sizeof code, "%s:%s:%s", kind, owner, currency);
    hb_stmt *st;
    int rc =
        hb_store_prepare(store, &st, "SELECT balance_minor FROM hb_settle_accounts WHERE code = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, code)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        *out_minor = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    if (rc == HB_STORE_DONE)
        return hb_error_set(HB_ENOTFOUND, "no account %s", code);
    return rc < 0 ? rc : 0;
}

static int count(hb_store *store, const char *sql, int64_t *out)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        *out = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return rc == HB_STORE_ROW ? 0 : rc < 0 ? rc : HB_ERROR;
}

int hb_ledger_verify(hb_ledger_check *out, hb_store *store)
{
    static const char *const sql[] = {
        "SELECT COUNT(*) FROM hb_settle_transfers",
        "SELECT COUNT(*) FROM hb_settle_entries",
        "SELECT COUNT(*) FROM hb_settle_accounts",
        "SELECT COUNT(*) FROM (SELECT transfer_id, currency FROM hb_settle_entries"
        " GROUP BY transfer_id, currency HAVING SUM(amount_minor) <> 0) x",
        "SELECT COUNT(*) FROM hb_settle_accounts a WHERE a.balance_minor <> COALESCE((SELECT"
        " SUM(e.amount_minor) FROM hb_settle_entries e WHERE e.account_id = a.id), 0)",
        "SELECT COUNT(*) FROM hb_settle_accounts WHERE (floor_minor IS NOT NULL AND"
        " balance_minor < floor_minor) OR (cap_minor IS NOT NULL AND balance_minor > cap_minor)",
        "SELECT COUNT(*) FROM (SELECT currency FROM hb_settle_accounts GROUP BY currency"
        " HAVING SUM(balance_minor) <> 0) x",
    };
    int64_t *fields[] = { &out->transfers,         &out->entries,
                          &out->accounts,          &out->unbalanced_transfers,
                          &out->wrong_balances,    &out->out_of_bounds,
                          &out->nonzero_currencies };
    memset(out, 0, sizeof *out);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof sql / sizeof sql[0]; i++)
        rc = count(store, sql[i], fields[i]);
    return rc;
}

int hb_ledger_accounts(hb_store *store, const char *kind, hb_table **out)
{
    static const char *const names[] = { "code",    "kind",  "owner", "currency",
                                         "balance", "floor", "cap" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_INT,  HB_COL_INT,  HB_COL_INT };
    const char *params[] = { kind, kind };
    return hb_store_query_table(
        store,
        "SELECT code, kind, owner, currency, balance_minor, floor_minor,"
        " cap_minor FROM hb_settle_accounts WHERE (CAST(? AS TEXT) IS NULL OR kind = ?)"
        " ORDER BY kind, owner, currency",
        params, 2, 7, names, kinds, out);
}

/* The tables whose rows are history: never updated, never deleted. hb_settle_requests was
 * dropped by migration 19; it stays here so that this migration (15) does on a new database
 * exactly what it did on the existing ones. */
static const char *const history_tables[] = {
    "hb_settle_transfers",    "hb_settle_entries",         "hb_settle_rates",
    "hb_settle_runs",         "hb_settle_obligations",     "hb_settle_instructions",
    "hb_settle_claim_events", "hb_settle_voucher_credits", "hb_settle_requests",
};

int hb_settle_ledger_protect(hb_store *store)
{
    bool pg = hb_store_kind_of(store) == HB_STORE_POSTGRESQL;
    int rc =
        pg ? hb_store_exec(store, "CREATE FUNCTION hb_settle_append_only() RETURNS trigger"
                                  " LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION USING"
                                  " ERRCODE = 'integrity_constraint_violation', MESSAGE ="
                                  " TG_TABLE_NAME || ' is append-only: corrections are new rows';"
                                  " END $$")
           : 0;
    for (size_t i = 0; rc == 0 && i < sizeof history_tables / sizeof history_tables[0]; i++) {
        char sql[512];
        const char *t = history_tables[i];
        if (pg)
            snprintf(sql, sizeof sql,
                     "CREATE TRIGGER %s_append_only BEFORE UPDATE OR DELETE ON %s FOR EACH ROW"
                     " EXECUTE FUNCTION hb_settle_append_only()",
                     t, t);
        else
            snprintf(sql, sizeof sql,
                     "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s BEGIN SELECT RAISE(ABORT,"
                     " '%s is append-only: corrections are new rows'); END;"
                     " CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s BEGIN SELECT RAISE(ABORT,"
                     " '%s is append-only: corrections are new rows'); END;",
                     t, t, t, t, t, t);
        rc = hb_store_exec(store, sql);
    }
    return rc;
}
