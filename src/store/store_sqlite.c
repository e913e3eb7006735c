/*
 * store/store_sqlite.c — the SQLite backend. The only file that includes sqlite3.h.
 *
 * Each connection: WAL journal (readers never block the writer), synchronous=FULL (a committed
 * transaction survives power loss — health data must not vanish after we said "saved"), foreign
 * keys enforced, a busy timeout so concurrent writers wait rather than fail, and a page cache of
 * up to 64 MiB (the 2 MiB default makes a large ingestion re-read its own pages from the WAL).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"
#include "util/alloc.h"
#include "util/error.h"

/* How long a writer waits for another's lock before giving up. */
#define SQLITE_BUSY_TIMEOUT_MS 10000

typedef struct sqlite_store {
    hb_store base;
    sqlite3 *db;
} sqlite_store;

typedef struct sqlite_stmt {
    hb_stmt base;
    sqlite3_stmt *st;
    int64_t changes;
} sqlite_stmt;

static sqlite3 *db_of(hb_store *store)
{
    return ((sqlite_store *)store)->db;
}

static sqlite_stmt *S(hb_stmt *st)
{
    return (sqlite_stmt *)st;
}

static int fail(sqlite3 *db, int rc, const char *what)
{
    int ext = sqlite3_extended_errcode(db);
    int code = HB_ERROR;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        code = HB_ECONFLICT;
    else if ((rc & 0xff) == SQLITE_CONSTRAINT)
        code = HB_EINVAL;
    else if ((rc & 0xff) == SQLITE_NOMEM)
        code = HB_ENOMEM;
    return hb_error_set(code, "sqlite: %s: %s", what, sqlite3_errmsg(db));
}

static void sq_close(hb_store *store)
{
    sqlite3_close_v2(db_of(store));
    hb_free(store);
}

static int sq_exec(hb_store *store, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db_of(store), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int code = fail(db_of(store), rc, msg ? msg : "exec");
        sqlite3_free(msg);
        return code;
    }
    return 0;
}

static int sq_prepare(hb_store *store, hb_stmt **out, const char *sql)
{
    sqlite_stmt *st = hb_calloc(1, sizeof *st);
    if (!st)
        return HB_ENOMEM;
    int rc = sqlite3_prepare_v2(db_of(store), sql, -1, &st->st, NULL);
    if (rc != SQLITE_OK) {
        hb_free(st);
        return fail(db_of(store), rc, "prepare");
    }
    st->base.store = store;
    st->base.nparams = sqlite3_bind_parameter_count(st->st);
    *out = &st->base;
    return 0;
}

static int sq_lock(hb_store *store, int64_t key)
{
    (void)store;
    (void)key;
    return 0; /* BEGIN IMMEDIATE holds the database's only write lock */
}

static int bind_result(hb_stmt *st, int rc)
{
    return rc == SQLITE_OK ? 0 : fail(db_of(st->store), rc, "bind");
}

static int sq_bind_int64(hb_stmt *st, int i, int64_t v)
{
    return bind_result(st, sqlite3_bind_int64(S(st)->st, i, v));
}

static int sq_bind_double(hb_stmt *st, int i, double v)
{
    return bind_result(st, sqlite3_bind_double(S(st)->st, i, v));
}

static int sq_bind_text(hb_stmt *st, int i, const char *text, size_t len)
{
    return bind_result(st,
                       sqlite3_bind_text64(S(st)->st, i, text, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

static int sq_bind_blob(hb_stmt *st, int i, const void *data, size_t len)
{
    return bind_result(st, sqlite3_bind_blob64(S(st)->st, i, data, len, SQLITE_TRANSIENT));
}

static int sq_bind_null(hb_stmt *st, int i)
{
    return bind_result(st, sqlite3_bind_null(S(st)->st, i));
}

static int sq_step(hb_stmt *st)
{
    int rc = sqlite3_step(S(st)->st);
    if (rc == SQLITE_ROW)
        return HB_STORE_ROW;
    if (rc == SQLITE_DONE) {
        S(st)->changes = sqlite3_changes64(db_of(st->store));
        return HB_STORE_DONE;
    }
    return fail(db_of(st->store), rc, "step");
}

static int sq_column_count(hb_stmt *st)
{
    return sqlite3_column_count(S(st)->st);
}

static bool sq_is_null(hb_stmt *st, int c)
{
    return sqlite3_column_type(S(st)->st, c) == SQLITE_NULL;
}

static int64_t sq_int64(hb_stmt *st, int c)
{
    return sqlite3_column_int64(S(st)->st, c);
}

static double sq_double(hb_stmt *st, int c)
{
    return sqlite3_column_double(S(st)->st, c);
}

static const char *sq_text(hb_stmt *st, int c, size_t *len)
{
    const unsigned char *t = sqlite3_column_text(S(st)->st, c);
    if (len)
        *len = t ? (size_t)sqlite3_column_bytes(S(st)->st, c) : 0;
    return t ? (const char *)t : "";
}

static const void *sq_blob(hb_stmt *st, int c, size_t *len)
{
    const void *b = sqlite3_column_blob(S(st)->st, c);
    *len = b ? (size_t)sqlite3_column_bytes(S(st)->st, c) : 0;
    return b;
}

static int64_t sq_changes(hb_stmt *st)
{
    return S(st)->changes;
}

static int sq_reset(hb_stmt *st)
{
    sqlite3_reset(S(st)->st);
    sqlite3_clear_bindings(S(st)->st);
    S(st)->changes = 0;
    return 0;
}

static void sq_finalize(hb_stmt *st)
{
    sqlite3_finalize(S(st)->st);
    hb_free(st);
}

static const hb_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .prepare = sq_prepare,
    .lock = sq_lock,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .is_null = sq_is_null,
    .int64 = sq_int64,
    .dbl = sq_double,
    .text = sq_text,
    .blob = sq_blob,
    .changes = sq_changes,
    .reset = sq_reset,
    .finalize = sq_finalize,
};

int hb_store__sqlite_open(hb_store **out, const char *path, bool create)
{
    sqlite_store *s = hb_calloc(1, sizeof *s);
    if (!s)
        return HB_ENOMEM;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc == SQLITE_CANTOPEN && !create) {
        sqlite3_close_v2(s->db);
        hb_free(s);
        return hb_error_set(HB_ENOTFOUND,
                            "database '%s' does not exist: create it with 'healthybay db migrate "
                            "--db %s'",
                            path, path);
    }
    if (rc != SQLITE_OK) {
        int code = hb_error_set(HB_ERROR, "sqlite: cannot open '%s': %s", path,
                                s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close_v2(s->db);
        hb_free(s);
        return code;
    }
    s->base.ops = &sqlite_ops;
    s->base.kind = HB_STORE_SQLITE;
    snprintf(s->base.describe, sizeof s->base.describe, "sqlite:%s", path);
    sqlite3_busy_timeout(s->db, SQLITE_BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    bool in_memory = strcmp(path, ":memory:") == 0 || path[0] == '\0';
    rc = sq_exec(&s->base, in_memory ? "PRAGMA foreign_keys=ON;"
                                     : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                       " PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;");
    if (rc < 0) {
        hb_error_prefix("'%s' is not a usable SQLite database: ", path);
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
