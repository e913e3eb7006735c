/*
 * store/store_pg.c — the PostgreSQL backend through libpq. The only file that includes libpq-fe.h.
 *
 * Statements are server-side prepared (PQprepare) under connection-unique names; parameters are
 * sent as text, except blobs, which are sent in binary. Results come back whole, in text format,
 * and step() walks their rows.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"

typedef struct pg_store {
    hb_store base;
    PGconn *conn;
    unsigned long next_stmt_id;
} pg_store;

typedef struct pg_param {
    char *value; /* NULL = SQL NULL */
    int len;
    int format; /* 0 text, 1 binary */
} pg_param;

typedef struct pg_stmt {
    hb_stmt base;
    char name[32];
    pg_param params[HB_SQL_PARAMS_MAX];
    PGresult *result;
    int row; /* the current row; -1 before the first */
    bool executed;
    int64_t changes;
    unsigned char *blob; /* decoded bytea of the last hb_stmt_blob() */
} pg_stmt;

static PGconn *conn_of(hb_store *store)
{
    return ((pg_store *)store)->conn;
}

static pg_stmt *P(hb_stmt *st)
{
    return (pg_stmt *)st;
}

/* Map a failed result to our codes, with PostgreSQL's message (its trailing newline removed). */
static int fail_result(PGconn *conn, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(conn);
    if (!msg || !*msg)
        msg = PQerrorMessage(conn);
    int code = HB_ERROR;
    if (state && strcmp(state, "23505") == 0)
        code = HB_ECONFLICT;
    else if (state && strncmp(state, "23", 2) == 0)
        code = HB_EINVAL;
    int len = (int)strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' '))
        len--;
    return hb_error_set(code, "postgresql: %s: %.*s", what, len, msg);
}

static void pg_close(hb_store *store)
{
    PQfinish(conn_of(store));
    hb_free(store);
}

static int pg_exec(hb_store *store, const char *sql)
{
    PGresult *res = PQexec(conn_of(store), sql);
    ExecStatusType s = PQresultStatus(res);
    int rc = 0;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        rc = fail_result(conn_of(store), res, "exec");
    PQclear(res);
    return rc;
}

/* Rewrite '?' placeholders to $1, $2, … outside string literals, quoted names and comments. */
static int rewrite_placeholders(hb_buf *out, const char *sql, int *nparams)
{
    int n = 0;
    for (const char *p = sql; *p; p++) {
        int rc;
        if (*p == '\'' || *p == '"') {
            const char *end = strchr(p + 1, *p);
            if (!end)
                return hb_error_set(HB_EINVAL, "unterminated quote in SQL");
            rc = hb_buf_put(out, p, (size_t)(end - p + 1));
            p = end;
        } else if (p[0] == '-' && p[1] == '-') {
            const char *end = strchr(p, '\n');
            size_t len = end ? (size_t)(end - p) : strlen(p);
            rc = hb_buf_put(out, p, len);
            p += len - 1;
        } else if (*p == '?') {
            if (++n > HB_SQL_PARAMS_MAX)
                return hb_error_set(HB_ELIMIT, "more than %d SQL parameters", HB_SQL_PARAMS_MAX);
            rc = hb_buf_printf(out, "$%d", n);
        } else {
            rc = hb_buf_putc(out, *p);
        }
        if (rc < 0)
            return rc;
    }
    *nparams = n;
    return 0;
}

static int pg_prepare(hb_store *store, hb_stmt **out, const char *sql)
{
    pg_store *s = (pg_store *)store;
    hb_buf text;
    hb_buf_init(&text, HB_SQL_MAX);
    int nparams = 0;
    int rc = rewrite_placeholders(&text, sql, &nparams);
    if (rc < 0) {
        hb_buf_dispose(&text);
        return rc;
    }
    pg_stmt *st = hb_calloc(1, sizeof *st);
    if (!st) {
        hb_buf_dispose(&text);
        return HB_ENOMEM;
    }
    snprintf(st->name, sizeof st->name, "hb_%lu", ++s->next_stmt_id);
    PGresult *res = PQprepare(s->conn, st->name, hb_buf_cstr(&text), 0, NULL);
    hb_buf_dispose(&text);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = fail_result(s->conn, res, "prepare");
        PQclear(res);
        hb_free(st);
        return rc;
    }
    PQclear(res);
    st->base.store = store;
    st->base.nparams = nparams;
    st->row = -1;
    *out = &st->base;
    return 0;
}

static int set_param(hb_stmt *st, int i, const void *data, size_t len, int format)
{
    if (len > (size_t)INT32_MAX)
        return hb_error_set(HB_ELIMIT, "parameter %d is too large", i);
    pg_param *p = &P(st)->params[i - 1];
    hb_free(p->value);
    p->value = NULL;
    if (data) {
        p->value = hb_malloc(len + 1);
        if (!p->value)
            return HB_ENOMEM;
        memcpy(p->value, data, len);
        p->value[len] = '\0';
    }
    p->len = (int)len;
    p->format = format;
    return 0;
}

static int pg_bind_int64(hb_stmt *st, int i, int64_t v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    return set_param(st, i, tmp, (size_t)n, 0);
}

static int pg_bind_double(hb_stmt *st, int i, double v)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g", v);
    return set_param(st, i, tmp, (size_t)n, 0);
}

static int pg_bind_text(hb_stmt *st, int i, const char *text, size_t len)
{
    if (memchr(text, '\0', len))
        return hb_error_set(HB_EINVAL, "text parameter %d contains a NUL byte", i);
    return set_param(st, i, text, len, 0);
}

static int pg_bind_blob(hb_stmt *st, int i, const void *data, size_t len)
{
    return set_param(st, i, data ? data : "", len, 1);
}

static int pg_bind_null(hb_stmt *st, int i)
{
    return set_param(st, i, NULL, 0, 0);
}

static int execute(pg_stmt *st)
{
    const char *values[HB_SQL_PARAMS_MAX];
    int lengths[HB_SQL_PARAMS_MAX];
    int formats[HB_SQL_PARAMS_MAX];
    for (int i = 0; i < st->base.nparams; i++) {
        values[i] = st->params[i].value;
        lengths[i] = st->params[i].len;
        formats[i] = st->params[i].format;
    }
    PGconn *conn = conn_of(st->base.store);
    st->result = PQexecPrepared(conn, st->name, st->base.nparams, values, lengths, formats, 0);
    st->executed = true;
    ExecStatusType s = PQresultStatus(st->result);
    if (s == PGRES_TUPLES_OK) {
        st->changes = 0;
        return 0;
    }
    if (s == PGRES_COMMAND_OK) {
        const char *n = PQcmdTuples(st->result);
        st->changes = *n ? strtoll(n, NULL, 10) : 0;
        return 0;
    }
    int rc = fail_result(conn, st->result, "step");
    PQclear(st->result);
    st->result = NULL;
    return rc;
}

static int pg_step(hb_stmt *base)
{
    pg_stmt *st = P(base);
    if (!st->executed) {
        int rc = execute(st);
        if (rc < 0)
            return rc;
    }
    if (!st->result || PQresultStatus(st->result) != PGRES_TUPLES_OK)
        return HB_STORE_DONE;
    if (st->row + 1 < PQntuples(st->result)) {
        st->row++;
        return HB_STORE_ROW;
    }
    st->changes = PQntuples(st->result);
    return HB_STORE_DONE;
}

static int pg_column_count(hb_stmt *st)
{
    return P(st)->result ? PQnfields(P(st)->result) : 0;
}

static bool pg_is_null(hb_stmt *st, int c)
{
    return PQgetisnull(P(st)->result, P(st)->row, c) != 0;
}

static int64_t pgs_int64(hb_stmt *st, int c)
{
    return strtoll(PQgetvalue(P(st)->result, P(st)->row, c), NULL, 10);
}

static double pg_double(hb_stmt *st, int c)
{
    return strtod(PQgetvalue(P(st)->result, P(st)->row, c), NULL);
}

static const char *pg_text(hb_stmt *st, int c, size_t *len)
{
    if (len)
        *len = (size_t)PQgetlength(P(st)->result, P(st)->row, c);
    return PQgetvalue(P(st)->result, P(st)->row, c);
}

static const void *pg_blob(hb_stmt *st, int c, size_t *len)
{
    PQfreemem(P(st)->blob);
    P(st)->blob = NULL;
    *len = 0;
    if (pg_is_null(st, c))
        return NULL;
    size_t n = 0;
    P(st)->blob =
        PQunescapeBytea((const unsigned char *)PQgetvalue(P(st)->result, P(st)->row, c), &n);
    *len = n;
    return P(st)->blob;
}

static int64_t pg_changes(hb_stmt *st)
{
    return P(st)->changes;
}

static int pg_reset(hb_stmt *base)
{
    pg_stmt *st = P(base);
    PQclear(st->result);
    st->result = NULL;
    st->executed = false;
    st->row = -1;
    st->changes = 0;
    for (int i = 0; i < base->nparams; i++) {
        hb_free(st->params[i].value);
        st->params[i] = (pg_param){ NULL, 0, 0 };
    }
    return 0;
}

static void pg_finalize(hb_stmt *base)
{
    pg_stmt *st = P(base);
    pg_reset(base);
    PQfreemem(st->blob);
    char sql[64];
    snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
    PQclear(PQexec(conn_of(base->store), sql)); /* fails harmlessly in an aborted transaction */
    hb_free(st);
}

static int pg_lock(hb_store *store, int64_t key)
{
    hb_stmt *st;
    int rc = pg_prepare(store, &st, "SELECT pg_advisory_xact_lock(?)");
    if (rc < 0)
        return rc;
    rc = pg_bind_int64(st, 1, key);
    if (rc == 0)
        rc = pg_step(st);
    pg_finalize(st);
    return rc < 0 ? rc : 0;
}

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* NOTICEs ("relation already exists, skipping") are not errors */
}

static const hb_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .lock = pg_lock,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .is_null = pg_is_null,
    .int64 = pgs_int64,
    .dbl = pg_double,
    .text = pg_text,
    .blob = pg_blob,
    .changes = pg_changes,
    .reset = pg_reset,
    .finalize = pg_finalize,
};

int hb_store__pg_open(hb_store **out, const char *url)
{
    pg_store *s = hb_calloc(1, sizeof *s);
    if (!s)
        return HB_ENOMEM;
    s->conn = PQconnectdb(url);
    if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
        /* libpq's message names host and port but never the password. */
        int rc = fail_result(s->conn, NULL, "cannot connect");
        PQfinish(s->conn);
        hb_free(s);
        return rc;
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    s->base.ops = &pg_ops;
    s->base.kind = HB_STORE_POSTGRESQL;
    snprintf(s->base.describe, sizeof s->base.describe, "postgresql://%s:%s/%s", PQhost(s->conn),
             PQport(s->conn), PQdb(s->conn));
    int rc = PQsetClientEncoding(s->conn, "UTF8") == 0
                 ? pg_exec(&s->base, "SET TIME ZONE 'UTC'")
                 : hb_error_set(HB_ERROR, "postgresql: cannot use UTF-8 client encoding");
    if (rc < 0) {
        pg_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
