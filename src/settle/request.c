/*
 * settle/request.c — callers, idempotency keys and advisory locks (see request.h).
 */
#include "settle/request.h"

#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/limits.h"

void hb_settle_caller_init(hb_settle_caller *caller)
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    hb_date d = 0;
    hb_date_parse(&d, now, 10);
    /* All three jurisdictions are UTC+8: from 16:00 UTC it is already the next day. */
    int hour = (now[11] - '0') * 10 + (now[12] - '0');
    caller->organisation = NULL;
    caller->idempotency_key = NULL;
    caller->today = d + (hour >= 16);
}

uint64_t hb_settle_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t hb_settle_hash_str(uint64_t h, const char *s)
{
    if (s)
        h = hb_settle_hash(h, s, strlen(s));
    return hb_settle_hash(h, s ? "\x1f" : "\x1e", 1);
}

uint64_t hb_settle_hash_i64(uint64_t h, int64_t v)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%lld;", (long long)v);
    return hb_settle_hash(h, text, (size_t)n);
}

int hb_settle__lock(hb_store *store, const char *kind, const char *id)
{
    uint64_t h = hb_settle_hash_str(hb_settle_hash_str(HB_SETTLE_HASH_INIT, "hb_settle"), kind);
    h = hb_settle_hash_str(h, id);
    return hb_store_lock(store, (int64_t)h);
}

static const char *org_of(const hb_settle_caller *caller)
{
    return caller->organisation ? caller->organisation : "";
}

int hb_settle__request_begin(hb_store *store, const hb_settle_caller *caller, const char *operation,
                             uint64_t hash, int64_t *replayed_id)
{
    const char *key = caller->idempotency_key;
    if (!key)
        return 0;
    if (!*key || strlen(key) > HB_SETTLE_ID_MAX)
        return hb_error_set(HB_EINVAL, "Idempotency-Key must be 1 to %d characters",
                            HB_SETTLE_ID_MAX);
    int rc = hb_settle__lock(store, org_of(caller), key);
    hb_stmt *st;
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "SELECT operation, request_hash, result_id FROM hb_settle_requests"
                              " WHERE organisation = ? AND idem_key = ?");
    if (rc < 0)
        return rc;
    char want[17];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)hash);
    if ((rc = hb_stmt_bind_cstr(st, 1, org_of(caller))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, key)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        if (strcmp(hb_stmt_text(st, 0, NULL), operation) != 0 ||
            strcmp(hb_stmt_text(st, 1, NULL), want) != 0) {
            rc = hb_error_set(HB_ECONFLICT,
                              "Idempotency-Key '%s' was already used for a different request "
                              "(%s)",
                              key, hb_stmt_text(st, 0, NULL));
        } else {
            *replayed_id = hb_stmt_int64(st, 2);
            rc = 1;
        }
    }
    hb_stmt_finalize(st);
    return rc;
}

int hb_settle__request_finish(hb_store *store, const hb_settle_caller *caller,
                              const char *operation, uint64_t hash, int64_t result_id)
{
    if (!caller->idempotency_key)
        return 0;
    char sum[17], now[HB_TIMESTAMP_STRLEN];
    snprintf(sum, sizeof sum, "%016llx", (unsigned long long)hash);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_settle_requests (organisation, idem_key, operation,"
                              " request_hash, result_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org_of(caller))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, caller->idempotency_key)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, operation)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, sum)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 5, result_id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_settle__in_transaction(hb_store *store, int (*fn)(hb_store *store, void *payload),
                              void *payload)
{
    int rc = hb_store_begin(store);
    if (rc < 0)
        return rc;
    rc = fn(store, payload);
    if (rc >= 0) {
        int c = hb_store_commit(store);
        return c < 0 ? c : rc;
    }
    hb_store_rollback(store);
    return rc;
}
