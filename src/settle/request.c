/*
 * settle/request.c — callers, transactions and advisory locks (see request.h).
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
    caller->audit = NULL;
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

int hb_settle__in_transaction(hb_store *store, const hb_settle_caller *caller, hb_settle_write *w,
                              int (*fn)(hb_store *store, void *payload, hb_settle_write *w),
                              void *payload)
{
    w->object[0] = w->jurisdiction[0] = '\0';
    if (hb_store_in_transaction(store))
        return fn(store, payload, w); /* the caller commits, and audits */
    int rc = hb_store_begin(store);
    if (rc < 0)
        return rc;
    rc = fn(store, payload, w);
    if (rc >= 0 && w->object[0] && caller->audit) {
        int a =
            caller->audit(store, w->action, w->object, w->jurisdiction[0] ? w->jurisdiction : NULL);
        rc = a < 0 ? a : rc;
    }
    if (rc >= 0) {
        int c = hb_store_commit(store);
        return c < 0 ? c : rc;
    }
    hb_store_rollback(store);
    return rc;
}
