/*
 * settle/request.h — who is asking, the transactions of the module's writes, and locks.
 *
 * Every write of the settlement module takes an hb_settle_caller: the organisation on whose
 * behalf it runs (recorded on what it writes; the HTTP server fills it from the bearer token)
 * and the business date. The CLI fills it from --as and --on.
 *
 * Transactions. A write runs in the caller's transaction when one is open — the HTTP server's,
 * which also holds the request's audit entry and its stored Idempotency-Key response — and
 * otherwise in one of its own, which the module commits after calling caller->audit, so that
 * the command line's writes are audited in the transaction that makes them. Batch operations
 * (crediting every holder, deciding every pending claim) make one transaction per item, so one
 * holder's voucher is never locked for longer than its own item; they must be called outside a
 * transaction.
 *
 * Idempotency. A retried HTTP request is answered by the server's Idempotency-Key record
 * (core/idempotency.h): the first response again, nothing written twice. Underneath, every
 * write is idempotent by its natural key, so a repeat without a key (a command run twice) still
 * cannot double-post: claims are unique per provider and episode (the same claim again changes
 * nothing), a decided claim keeps its first decision, voucher credits are unique per holder and
 * grant, settlement runs per period, and a transfer can be reversed once.
 */
#ifndef HB_SETTLE_REQUEST_H
#define HB_SETTLE_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "store/store.h"
#include "util/limits.h"

/* Appends the audit entry of a write inside its transaction (hb_cli_audit's signature):
 * action is a policy action name ("claim.submit"), object what was written ("claim/42"),
 * jurisdiction where it lives (NULL: the whole Greater Bay Area). */
typedef int (*hb_settle_audit_fn)(hb_store *store, const char *action, const char *object,
                                  const char *jurisdiction);

typedef struct hb_settle_caller {
    const char *organisation; /* recorded with every write; NULL = unknown ("cli") */
    hb_date today;            /* the business date (UTC+8) of the request */
    /* Called in every transaction the module opens itself, after a write; NULL = not audited
     * here (the HTTP server audits its requests itself). */
    hb_settle_audit_fn audit;
} hb_settle_caller;

/* Fill caller with no organisation, no audit and today's date in UTC+8 (HEALTHYBAY_NOW
 * honoured). */
void hb_settle_caller_init(hb_settle_caller *caller);

/* 64-bit FNV-1a, chained through h (start with HB_SETTLE_HASH_INIT): detects a changed claim, it
 * is not a cryptographic digest. */
#define HB_SETTLE_HASH_INIT 14695981039346656037ULL
uint64_t hb_settle_hash(uint64_t h, const void *data, size_t len);
uint64_t hb_settle_hash_str(uint64_t h, const char *s); /* includes a terminator; NULL allowed */
uint64_t hb_settle_hash_i64(uint64_t h, int64_t v);

/* Take the advisory lock that serialises writes about one thing (a voucher holder, a claim):
 * the key is a hash of kind and id. In a transaction. */
int hb_settle__lock(hb_store *store, const char *kind, const char *id);

/* What a write did, for its audit entry: set by the write; an empty object means nothing was
 * written (a repeat), and nothing is audited. */
typedef struct hb_settle_write {
    const char *action;                  /* a policy action name */
    char object[HB_AUDIT_FIELD_MAX + 1]; /* "claim/42" */
    char jurisdiction[3];                /* "" = the whole area */
} hb_settle_write;

/* Run fn in the caller's open transaction, or else in a transaction of its own: commit (after
 * caller->audit of what fn wrote, if anything) when fn returns >= 0, roll back otherwise. */
int hb_settle__in_transaction(hb_store *store, const hb_settle_caller *caller, hb_settle_write *w,
                              int (*fn)(hb_store *store, void *payload, hb_settle_write *w),
                              void *payload);

#endif
