/*
 * settle/ledger.h — the double-entry ledger: accounts, balanced transfers, reversals, checks.
 *
 * Accounts have one currency and a kind: payer (an institution's obligations and claims),
 * provider (what a provider is owed), voucher (an Elderly Health Care Voucher holder's balance).
 * Their code is kind:owner:currency. A balance may have a floor and a cap (a voucher: 0 and the
 * accumulation limit), enforced by the database on every change.
 *
 * A transfer is 2..HB_TRANSFER_ENTRIES_MAX entries whose amounts sum to zero in each currency;
 * hb_ledger_post() refuses anything else before touching the database. An entry converted from
 * another currency carries the conversion: the original amount and currency, the rate (its id
 * and value), the rounding rule and quantum — enough to recompute it. Transfers and entries are
 * append-only (database triggers refuse UPDATE and DELETE); a correction is a new transfer that
 * names the one it reverses, and a transfer is reversed at most once (a unique key).
 *
 * Concurrency: balances are changed by conditional UPDATEs in ascending account id order, so
 * two transfers touching the same accounts queue on row locks instead of deadlocking, and a
 * bound can never be crossed whatever the callers do.
 */
#ifndef HB_SETTLE_LEDGER_H
#define HB_SETTLE_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "settle/money.h"
#include "store/store.h"
#include "util/table.h"

typedef struct hb_ledger_conversion {
    int64_t from_minor;
    const char *from_currency;
    int64_t rate_id; /* hb_settle_rates.id */
    hb_rate rate;
    hb_rounding rounding;
    int64_t quantum_minor;
} hb_ledger_conversion;

typedef struct hb_ledger_entry {
    int64_t account_id;
    const char *currency;                   /* must be the account's */
    int64_t amount_minor;                   /* != 0; positive raises the balance */
    const hb_ledger_conversion *conversion; /* NULL = not converted */
} hb_ledger_entry;

typedef struct hb_ledger_transfer {
    const char *kind; /* claim, voucher-credit, settlement, reversal */
    hb_date posted_on;
    const char *organisation; /* NULL = unknown */
    const char *memo;
    int64_t reverses; /* the transfer this one reverses, 0 = none */
    const hb_ledger_entry *entries;
    size_t nentries;
} hb_ledger_transfer;

/*
 * The id of account kind:owner:currency, created (balance 0, with floor and cap; -1 = none)
 * when missing. When it exists and cap_minor >= 0, its cap is raised to cap_minor if that is
 * higher (an accumulation limit that grew). In the caller's transaction.
 */
int hb_ledger_account(int64_t *out_id, hb_store *store, const char *kind, const char *owner,
                      const char *currency, int64_t floor_minor, int64_t cap_minor);

/* Post a balanced transfer in the caller's transaction. HB_EINVAL when it does not balance per
 * currency, HB_ECONFLICT when a balance would leave its bounds or the transfer it reverses was
 * reversed already. */
int hb_ledger_post(int64_t *out_id, hb_store *store, const hb_ledger_transfer *transfer);

/* Post the exact negation of transfer id (conversions carried over) in the caller's
 * transaction. */
int hb_ledger_reverse(int64_t *out_id, hb_store *store, int64_t id, hb_date posted_on,
                      const char *organisation, const char *memo);

/* The balance of account kind:owner:currency (HB_ENOTFOUND when it does not exist). */
int hb_ledger_balance(int64_t *out_minor, hb_store *store, const char *kind, const char *owner,
                      const char *currency);

typedef struct hb_ledger_check {
    int64_t transfers, entries, accounts;
    int64_t unbalanced_transfers; /* a currency whose entries do not sum to zero */
    int64_t wrong_balances;       /* balance differs from the sum of the account's entries */
    int64_t out_of_bounds;        /* balance below its floor or above its cap */
    int64_t nonzero_currencies;   /* a currency whose balances do not sum to zero overall */
} hb_ledger_check;

/* Recompute every invariant from the entries. The ledger is sound when all four counts are 0. */
int hb_ledger_verify(hb_ledger_check *out, hb_store *store);

/* Accounts (code, kind, owner, currency, balance, floor, cap) with an optional kind filter. */
int hb_ledger_accounts(hb_store *store, const char *kind, hb_table **out);

/* The migration function that makes transfers, entries and the other history tables of the
 * settlement module append-only (triggers, written per backend). */
int hb_settle_ledger_protect(hb_store *store);

#endif
