/*
 * core/idempotency.c — stored responses for Idempotency-Key (see idempotency.h).
 */
#include "core/idempotency.h"

#include <assert.h>
#include <string.h>

#include "util/alloc.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/limits.h"

void hb_idem_response_dispose(hb_idem_response *r)
{
    hb_free(r->content_type);
    hb_free(r->location);
    hb_free(r->body);
    memset(r, 0, sizeof *r);
}

int hb_idempotency_key_check(const char *key)
{
    size_t len = strlen(key);
    if (len == 0 || len > HB_IDEMPOTENCY_KEY_MAX)
        return hb_error_set(HB_EINVAL, "Idempotency-Key must be 1 to %d characters",
                            HB_IDEMPOTENCY_KEY_MAX);
    for (size_t i = 0; i < len; i++)
        if (key[i] < 0x21 || key[i] > 0x7e)
            return hb_error_set(HB_EINVAL,
                                "Idempotency-Key must be printable ASCII without spaces");
    return 0;
}

/* An advisory lock key for (org, key): the first 63 bits of their SHA-256. Two different pairs
 * sharing a lock key only queue behind each other; they never share a record. */
static int64_t lock_key(const char *org, const char *key)
{
    uint8_t digest[HB_SHA256_BYTES];
    char text[HB_ORG_CODE_MAX + 1 + HB_IDEMPOTENCY_KEY_MAX + 1];
    size_t olen = strnlen(org, HB_ORG_CODE_MAX), klen = strnlen(key, HB_IDEMPOTENCY_KEY_MAX);
    memcpy(text, org, olen);
    text[olen] = '\n';
    memcpy(text + olen + 1, key, klen);
    hb_sha256(digest, text, olen + 1 + klen);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | digest[i];
    return (int64_t)(v >> 1);
}

static int purge_expired(hb_store *store, const char *org)
{
    char now[HB_TIMESTAMP_STRLEN], cutoff[HB_TIMESTAMP_STRLEN];
    int rc = hb_timestamp_add(cutoff, hb_timestamp_now(now), -HB_IDEMPOTENCY_TTL_SECONDS);
    hb_stmt *st;
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "DELETE FROM hb_idempotency WHERE org = ? AND created_at < ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, cutoff)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int copy_text(char **out, hb_stmt *st, int col, size_t *len)
{
    size_t n;
    const char *t = hb_stmt_text(st, col, &n);
    *out = hb_strndup(t, n);
    if (len)
        *len = n;
    return *out ? 0 : HB_ENOMEM;
}

static int read_record(hb_stmt *st, hb_idem_state *state, hb_idem_response *replay,
                       const char *request_sha256)
{
    if (strcmp(hb_stmt_text(st, 0, NULL), request_sha256) != 0) {
        *state = HB_IDEM_MISMATCH;
        return 0;
    }
    *state = HB_IDEM_REPLAY;
    replay->status = (int)hb_stmt_int64(st, 1);
    int rc = copy_text(&replay->content_type, st, 2, NULL);
    if (rc == 0 && !hb_stmt_is_null(st, 3))
        rc = copy_text(&replay->location, st, 3, NULL);
    if (rc == 0)
        rc = copy_text(&replay->body, st, 4, &replay->body_len);
    if (rc < 0)
        hb_idem_response_dispose(replay);
    return rc;
}

int hb_idempotency_begin(hb_store *store, hb_idem_state *state, hb_idem_response *replay,
                         const char *org, const char *key,
                         const char request_sha256[HB_SHA256_HEXLEN + 1])
{
    assert(hb_store_in_transaction(store));
    memset(replay, 0, sizeof *replay);
    *state = HB_IDEM_NEW;
    int rc = hb_store_lock(store, lock_key(org, key));
    if (rc == 0)
        rc = purge_expired(store, org);
    hb_stmt *st;
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "SELECT request_sha256, status, content_type, location, body"
                              " FROM hb_idempotency WHERE org = ? AND idem_key = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, key)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = read_record(st, state, replay, request_sha256);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_idempotency_save(hb_store *store, const char *org, const char *key,
                        const char request_sha256[HB_SHA256_HEXLEN + 1],
                        const hb_idem_response *response)
{
    assert(hb_store_in_transaction(store));
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_idempotency (org, idem_key, request_sha256, status,"
                              " content_type, location, body, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, org)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, key)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, request_sha256)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, response->status)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, response->content_type)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, response->location)) == 0 &&
        (rc = hb_stmt_bind_text(st, 7, response->body, response->body_len)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 8, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}
