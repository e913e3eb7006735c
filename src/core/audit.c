/*
 * core/audit.c — appending to and verifying the hash-chained audit log (see audit.h).
 */
#include "core/audit.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"

/* Identifies "the audit chain" among the advisory locks of all modules ("hbaudit\0"). */
#define AUDIT_LOCK_KEY 0x6862617564697400LL

static const char genesis[HB_SHA256_HEXLEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

#define NFIELDS 8 /* at, org, jurisdiction, token_id, source, action, object, outcome */

/* hash = SHA-256(prev || canonical(fields)); fields[i] NULL encodes as "~;". */
static int chain_hash(char out[HB_SHA256_HEXLEN + 1], const char *prev,
                      const char *const fields[NFIELDS])
{
    hb_buf b;
    hb_buf_init(&b, 0);
    int rc = hb_buf_put(&b, prev, HB_SHA256_HEXLEN);
    for (int i = 0; rc == 0 && i < NFIELDS; i++) {
        if (!fields[i]) {
            rc = hb_buf_puts(&b, "~;");
            continue;
        }
        size_t len = strlen(fields[i]);
        rc = hb_buf_printf(&b, "%zu:", len);
        if (rc == 0)
            rc = hb_buf_put(&b, fields[i], len);
        if (rc == 0)
            rc = hb_buf_putc(&b, ';');
    }
    if (rc == 0)
        hb_sha256_hex(out, b.ptr, b.len);
    hb_buf_dispose(&b);
    return rc;
}

static bool known_outcome(const char *o)
{
    return o && (strcmp(o, HB_AUDIT_OK) == 0 || strcmp(o, HB_AUDIT_DENIED) == 0 ||
                 strcmp(o, HB_AUDIT_REJECTED) == 0 || strcmp(o, HB_AUDIT_FAILED) == 0);
}

static int check_event(const hb_audit_event *ev)
{
    const char *const fields[] = { ev->org,    ev->jurisdiction, ev->token_id,
                                   ev->source, ev->action,       ev->object };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] && strlen(fields[i]) > HB_AUDIT_FIELD_MAX)
            return hb_error_set(HB_ELIMIT, "audit field longer than %d bytes", HB_AUDIT_FIELD_MAX);
    if (!ev->source || !ev->action || !ev->object || !known_outcome(ev->outcome))
        return hb_error_set(HB_EINVAL, "audit entry without source, action, object or outcome");
    return 0;
}

/* The newest entry's seq and hash (0 and the genesis hash for an empty log). */
static int read_head(hb_store *store, int64_t *seq, char hash[HB_SHA256_HEXLEN + 1])
{
    hb_stmt *st;
    int rc =
        hb_store_prepare(store, &st, "SELECT seq, hash FROM hb_audit ORDER BY seq DESC LIMIT 1");
    if (rc < 0)
        return rc;
    rc = hb_stmt_step(st);
    *seq = 0;
    memcpy(hash, genesis, sizeof genesis);
    if (rc == HB_STORE_ROW) {
        *seq = hb_stmt_int64(st, 0);
        snprintf(hash, HB_SHA256_HEXLEN + 1, "%s", hb_stmt_text(st, 1, NULL));
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc;
}

int hb_audit_append(hb_store *store, const hb_audit_event *ev)
{
    assert(hb_store_in_transaction(store));
    int rc = check_event(ev);
    if (rc == 0)
        rc = hb_store_lock(store, AUDIT_LOCK_KEY);
    int64_t seq = 0;
    char prev[HB_SHA256_HEXLEN + 1] = "", hash[HB_SHA256_HEXLEN + 1], at[HB_TIMESTAMP_STRLEN];
    if (rc == 0)
        rc = read_head(store, &seq, prev);
    hb_timestamp_now(at);
    const char *const fields[NFIELDS] = { at,         ev->org,    ev->jurisdiction, ev->token_id,
                                          ev->source, ev->action, ev->object,       ev->outcome };
    if (rc == 0)
        rc = chain_hash(hash, prev, fields);
    hb_stmt *st;
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_audit (seq, at, org, jurisdiction, token_id,"
                              " source, action, object, outcome, prev_hash, hash)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_int64(st, 1, seq + 1);
    for (int i = 0; rc == 0 && i < NFIELDS; i++)
        rc = hb_stmt_bind_cstr(st, i + 2, fields[i]);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 10, prev);
    if (rc == 0)
        rc = hb_stmt_bind_cstr(st, 11, hash);
    if (rc == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_audit__install_guards(hb_store *store)
{
    if (hb_store_kind_of(store) == HB_STORE_SQLITE)
        return hb_store_exec(store, "CREATE TRIGGER hb_audit_no_update BEFORE UPDATE ON hb_audit"
                                    " BEGIN SELECT RAISE(ABORT, 'hb_audit is append-only'); END;"
                                    "CREATE TRIGGER hb_audit_no_delete BEFORE DELETE ON hb_audit"
                                    " BEGIN SELECT RAISE(ABORT, 'hb_audit is append-only'); END;");
    return hb_store_exec(store,
                         "CREATE FUNCTION hb_audit_append_only() RETURNS trigger"
                         " LANGUAGE plpgsql AS $$ BEGIN"
                         " RAISE EXCEPTION 'hb_audit is append-only'; END $$;"
                         "CREATE TRIGGER hb_audit_no_change BEFORE UPDATE OR DELETE ON hb_audit"
                         " FOR EACH ROW EXECUTE FUNCTION hb_audit_append_only();"
                         "CREATE TRIGGER hb_audit_no_truncate BEFORE TRUNCATE ON hb_audit"
                         " FOR EACH STATEMENT EXECUTE FUNCTION hb_audit_append_only();");
}

#define ENTRY_COLUMNS                                                                    \
    "seq, at, org, jurisdiction, token_id, source, action, object, outcome, prev_hash, " \
    "hash"

static void copy_col(char *out, size_t size, hb_stmt *st, int col)
{
    snprintf(out, size, "%s", hb_stmt_is_null(st, col) ? "" : hb_stmt_text(st, col, NULL));
}

static void read_entry(hb_stmt *st, hb_audit_entry *e)
{
    e->seq = hb_stmt_int64(st, 0);
    copy_col(e->at, sizeof e->at, st, 1);
    copy_col(e->org, sizeof e->org, st, 2);
    copy_col(e->jurisdiction, sizeof e->jurisdiction, st, 3);
    copy_col(e->token_id, sizeof e->token_id, st, 4);
    copy_col(e->source, sizeof e->source, st, 5);
    copy_col(e->action, sizeof e->action, st, 6);
    copy_col(e->object, sizeof e->object, st, 7);
    copy_col(e->outcome, sizeof e->outcome, st, 8);
    copy_col(e->hash, sizeof e->hash, st, 10);
}

int hb_audit_list(hb_store *store, hb_audit_entry *out, size_t limit, size_t *count,
                  const hb_audit_filter *filter)
{
    hb_stmt *st;
    *count = 0;
    int rc = hb_store_prepare(store, &st,
                              "SELECT " ENTRY_COLUMNS " FROM hb_audit"
                              " WHERE (CAST(? AS TEXT) IS NULL OR jurisdiction = ?)"
                              " AND (CAST(? AS TEXT) IS NULL OR org = ?)"
                              " AND seq > ? ORDER BY seq LIMIT ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, filter->jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, filter->jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, filter->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, filter->org)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 5, filter->after_seq)) == 0)
        rc = hb_stmt_bind_int64(st, 6, (int64_t)limit);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        read_entry(st, &out[(*count)++]);
        rc = 0;
    }
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The seq of the entry whose hash is hash, or 0 when none has it. */
static int find_by_hash(hb_store *store, const char *hash, int64_t *seq)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT seq FROM hb_audit WHERE hash = ?");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_cstr(st, 1, hash);
    if (rc == 0)
        rc = hb_stmt_step(st);
    *seq = rc == HB_STORE_ROW ? hb_stmt_int64(st, 0) : 0;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static void bad(hb_audit_report *r, int64_t seq, const char *fmt, ...) HB_PRINTF(3, 4);

static void bad(hb_audit_report *r, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    r->intact = false;
    r->bad_seq = seq;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
}

/* Check the row st is on against the chain so far (expected = previous entry's hash). */
static int check_row(hb_store *store, hb_stmt *st, hb_audit_report *r, char *expected)
{
    long long seq = (long long)hb_stmt_int64(st, 0);
    const char *fields[NFIELDS];
    for (int i = 0; i < NFIELDS; i++)
        fields[i] = hb_stmt_is_null(st, i + 1) ? NULL : hb_stmt_text(st, i + 1, NULL);
    const char *prev = hb_stmt_text(st, 9, NULL), *hash = hb_stmt_text(st, 10, NULL);
    char computed[HB_SHA256_HEXLEN + 1] = "";
    int rc = strlen(prev) == HB_SHA256_HEXLEN ? chain_hash(computed, prev, fields) : 0;
    if (rc < 0)
        return rc;
    if (strcmp(computed, hash) != 0) {
        bad(r, seq, "entry %lld was edited: its contents no longer match its hash", seq);
        return 0;
    }
    if (strcmp(prev, expected) != 0) {
        int64_t at;
        rc = find_by_hash(store, prev, &at);
        if (rc < 0)
            return rc;
        if (at > 0)
            bad(r, seq, "entry %lld is out of order: it was appended right after entry %lld", seq,
                (long long)at);
        else
            bad(r, seq, "the entry before entry %lld is missing: it was deleted or rewritten", seq);
        return 0;
    }
    memcpy(expected, hash, HB_SHA256_HEXLEN + 1);
    r->entries++;
    r->head_seq = seq;
    return 0;
}

int hb_audit_verify(hb_store *store, hb_audit_report *r, const char *anchor)
{
    memset(r, 0, sizeof *r);
    r->intact = true;
    char expected[HB_SHA256_HEXLEN + 1];
    memcpy(expected, genesis, sizeof genesis);
    bool anchor_seen = false;
    int64_t after = 0;
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT seq, at, org, jurisdiction, token_id, source, action, object,"
                              " outcome, prev_hash, hash FROM hb_audit"
                              " WHERE seq > ? ORDER BY seq LIMIT ?");
    if (rc < 0)
        return rc;
    size_t rows = HB_AUDIT_VERIFY_PAGE;
    while (rc == 0 && r->intact && rows == HB_AUDIT_VERIFY_PAGE) {
        rows = 0;
        if ((rc = hb_stmt_bind_int64(st, 1, after)) == 0)
            rc = hb_stmt_bind_int64(st, 2, HB_AUDIT_VERIFY_PAGE);
        while (rc == 0 && r->intact && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
            rows++;
            after = hb_stmt_int64(st, 0);
            rc = check_row(store, st, r, expected);
            anchor_seen = anchor_seen || (r->intact && anchor && strcmp(expected, anchor) == 0);
        }
        if (rc >= 0)
            rc = hb_stmt_reset(st);
    }
    hb_stmt_finalize(st);
    if (rc < 0)
        return rc;
    if (r->intact && r->head_seq > 0)
        memcpy(r->head_hash, expected, sizeof expected);
    if (r->intact && anchor && !anchor_seen) {
        r->intact = false;
        snprintf(r->problem, sizeof r->problem,
                 "the anchored entry %.64s is not on the chain: entries after it were removed or "
                 "the log was rewritten",
                 anchor);
    }
    return 0;
}
