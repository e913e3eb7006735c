/*
 * settle/request.h — who is asking, and making every write idempotent.
 *
 * Every write of the settlement module takes an hb_settle_caller: the organisation on whose
 * behalf it runs (recorded on what it writes; the HTTP server fills it from the bearer token),
 * the request's Idempotency-Key, and the business date. An HTTP handler passes its request
 * straight through; the CLI fills it from --as, --idempotency-key and --on.
 *
 * Idempotency is kept in the same database transaction as the write it protects, so a request
 * is either done and remembered, or neither:
 *
 *   first request with (organisation, key)       done; the result id is stored with a hash of
 *                                                the request's content
 *   the same request again                       nothing is done; the stored result is returned
 *   the same key with a different request        HB_ECONFLICT
 *
 * Two requests with the same key at the same moment queue on an advisory lock, so the second
 * sees the first's row. Writes without a key (key NULL) still cannot double-post: claims are
 * unique per provider and episode, voucher credits per holder and grant, settlement runs per
 * period, and a transfer can be reversed once.
 */
#ifndef HB_SETTLE_REQUEST_H
#define HB_SETTLE_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "store/store.h"

typedef struct hb_settle_caller {
    const char *organisation;    /* recorded with every write; NULL = unknown ("cli") */
    const char *idempotency_key; /* NULL = none */
    hb_date today;               /* the business date (UTC+8) of the request */
} hb_settle_caller;

/* Fill caller with no organisation, no key and today's date in UTC+8 (HEALTHYBAY_NOW honoured). */
void hb_settle_caller_init(hb_settle_caller *caller);

/* 64-bit FNV-1a, chained through h (start with HB_SETTLE_HASH_INIT): detects a changed request,
 * it is not a cryptographic digest. */
#define HB_SETTLE_HASH_INIT 14695981039346656037ULL
uint64_t hb_settle_hash(uint64_t h, const void *data, size_t len);
uint64_t hb_settle_hash_str(uint64_t h, const char *s); /* includes a terminator; NULL allowed */
uint64_t hb_settle_hash_i64(uint64_t h, int64_t v);

/*
 * Inside the write's transaction, before doing anything: *replayed_id gets the stored result id
 * and the function returns 1 when this (organisation, key) was already done with the same hash;
 * returns 0 when the work must be done; HB_ECONFLICT when the key was used for another request.
 * Without a key it returns 0 at once.
 */
int hb_settle__request_begin(hb_store *store, const hb_settle_caller *caller, const char *operation,
                             uint64_t hash, int64_t *replayed_id);
/* After the work, in the same transaction: remember the result. No-op without a key. */
int hb_settle__request_finish(hb_store *store, const hb_settle_caller *caller,
                              const char *operation, uint64_t hash, int64_t result_id);

/* Take the advisory lock that serialises writes about one thing (a voucher holder, a claim):
 * the key is a hash of kind and id. In a transaction. */
int hb_settle__lock(hb_store *store, const char *kind, const char *id);

/* Run fn in a transaction: commit when it returns >= 0, roll back otherwise. */
int hb_settle__in_transaction(hb_store *store, int (*fn)(hb_store *store, void *payload),
                              void *payload);

#endif
