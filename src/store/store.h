/*
 * store/store.h — the one storage interface. Modules talk SQL through it; they never include
 * sqlite3.h or libpq-fe.h.
 *
 * Two backends sit behind an ops table (store_int.h): SQLite, the default (a file, WAL journal,
 * foreign keys on, a busy timeout), and PostgreSQL through libpq, for production and for several
 * servers sharing one database. hb_store_open() picks the backend from the URL:
 *
 *     postgresql://user@host:port/db   (or postgres://…)  → PostgreSQL
 *     anything else                                        → a SQLite file (":memory:" works too)
 *
 * SQL is written once, portably, with '?' placeholders (numbered 1, 2, … left to right); the
 * PostgreSQL backend rewrites them to $1, $2, …. Values are only ever bound, never pasted into SQL.
 *
 *     hb_stmt *st;
 *     if (hb_store_prepare(store, &st, "SELECT name_en FROM hb_regions WHERE code = ?") < 0) …
 *     hb_stmt_bind_text(st, 1, code, strlen(code));
 *     while ((rc = hb_stmt_step(st)) == HB_STORE_ROW)
 *         puts(hb_stmt_text(st, 0, NULL));
 *     hb_stmt_finalize(st);
 *
 * Portable-SQL rules we keep: integers are BIGINT, booleans are 0/1 integers, times are ISO 8601
 * TEXT in UTC, money is integer minor units; upserts use ON CONFLICT; DDL uses the migration
 * macros (@PK@, @BLOB@, @REAL@, @WITHOUT_ROWID@ after a table's closing parenthesis) that
 * hb_store_exec_ddl() expands per backend.
 */
#ifndef HB_STORE_STORE_H
#define HB_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/table.h"

typedef struct hb_store hb_store;
typedef struct hb_stmt hb_stmt;

typedef enum hb_store_kind { HB_STORE_SQLITE, HB_STORE_POSTGRESQL } hb_store_kind;

/* hb_stmt_step() results. */
#define HB_STORE_DONE 0
#define HB_STORE_ROW  1

/* The database named by HEALTHYBAY_DB, or "healthybay.db". Borrowed from the environment. */
const char *hb_store_default_url(void);

/* hb_store_open() flags. */
#define HB_STORE_CREATE 1u /* create a missing SQLite file (only `db migrate` and tests do) */

/* Open the database at url. Without HB_STORE_CREATE a missing SQLite file is HB_ENOTFOUND. */
int hb_store_open(hb_store **out, const char *url, unsigned flags);
/* Close; hb_store_close(NULL) is a no-op. Statements must be finalized first. */
void hb_store_close(hb_store *store);
hb_store_kind hb_store_kind_of(const hb_store *store);
/* "sqlite:FILE" or "postgresql://host:port/db" — never the password. Borrowed. */
const char *hb_store_describe(const hb_store *store);

/* Run static SQL (one or several statements, no parameters). Never pass user data here. */
int hb_store_exec(hb_store *store, const char *sql);
/* As hb_store_exec, after expanding the DDL macros (@PK@ …) for the backend. */
int hb_store_exec_ddl(hb_store *store, const char *sql);

/* Transactions. begin() takes the write lock at once on SQLite (BEGIN IMMEDIATE), so two writers
 * queue on the busy timeout instead of failing when one upgrades a read lock. */
int hb_store_begin(hb_store *store);
int hb_store_commit(hb_store *store);
int hb_store_rollback(hb_store *store);
bool hb_store_in_transaction(const hb_store *store);

/*
 * Take the advisory lock key for the rest of the current transaction, waiting for it. On
 * PostgreSQL this is pg_advisory_xact_lock, shared by every process on the database (and by
 * every schema in it); on SQLite the write lock of BEGIN IMMEDIATE already excludes other
 * writers, so it returns at once. Must be in a transaction.
 */
int hb_store_lock(hb_store *store, int64_t key);

int hb_store_prepare(hb_store *store, hb_stmt **out, const char *sql);
/* Parameters are numbered from 1. Text and blobs are copied. */
int hb_stmt_bind_int64(hb_stmt *st, int index, int64_t value);
int hb_stmt_bind_double(hb_stmt *st, int index, double value);
int hb_stmt_bind_text(hb_stmt *st, int index, const char *text, size_t len);
int hb_stmt_bind_cstr(hb_stmt *st, int index, const char *text); /* NULL binds NULL */
int hb_stmt_bind_blob(hb_stmt *st, int index, const void *data, size_t len);
int hb_stmt_bind_null(hb_stmt *st, int index);
/* Execute or advance: HB_STORE_ROW, HB_STORE_DONE or < 0. A unique-key violation is HB_ECONFLICT.
 */
int hb_stmt_step(hb_stmt *st);
/* Columns are numbered from 0; values are borrowed until the next step or reset. */
int hb_stmt_column_count(hb_stmt *st);
bool hb_stmt_is_null(hb_stmt *st, int column);
int64_t hb_stmt_int64(hb_stmt *st, int column);
double hb_stmt_double(hb_stmt *st, int column);
const char *hb_stmt_text(hb_stmt *st, int column, size_t *len); /* "" for NULL */
const void *hb_stmt_blob(hb_stmt *st, int column, size_t *len);
/* Rows changed by the last completed INSERT/UPDATE/DELETE. */
int64_t hb_stmt_changes(hb_stmt *st);
/* Make the statement ready to run again; bindings are cleared. */
int hb_stmt_reset(hb_stmt *st);
void hb_stmt_finalize(hb_stmt *st);

/*
 * Run a query with text parameters (NULL binds NULL) and collect its ncols columns, as text, into
 * a new table with the given column names and kinds (for listings: --format table|csv|json).
 */
int hb_store_query_table(hb_store *store, const char *sql, const char *const *params,
                         size_t nparams, size_t ncols, const char *const *names,
                         const hb_col_kind *kinds, hb_table **out);

/* Run a statement that returns nothing: prepare + bind nothing + step + finalize. */
int hb_store_run(hb_store *store, const char *sql);

#endif
