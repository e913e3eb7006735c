/*
 * store/migrate.c — applying and reporting schema migrations (see migrate.h).
 */
#include "store/migrate.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Any value; identifies "schema migration" among the advisory locks of all modules. */
#define MIGRATION_LOCK_KEY 0x6862736368656d61LL /* "hbschema" */

static const char create_table_sql[] = "CREATE TABLE IF NOT EXISTS hb_schema_migrations ("
                                       " version BIGINT PRIMARY KEY,"
                                       " module TEXT NOT NULL,"
                                       " name TEXT NOT NULL,"
                                       " checksum TEXT NOT NULL,"
                                       " applied_at TEXT NOT NULL)";

/* 64-bit FNV-1a of the migration's definition, as 16 hex digits: detects edits, not attacks. */
static void checksum(const hb_migration *m, char out[17])
{
    const char *text = m->sql ? m->sql : (m->apply_revision ? m->apply_revision : m->name);
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int check_list(const hb_migration *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (list[i].version != (int)i + 1 || (!list[i].sql == !list[i].apply))
            return hb_error_set(HB_ERROR, "migration list is malformed at entry %zu", i + 1);
    return 0;
}

static int ensure_table(hb_store *store)
{
    return hb_store_exec(store, create_table_sql);
}

/* Look up one migration's record: 1 when applied (checksum and time copied out), 0 when not. */
static int lookup(hb_store *store, int version, char sum[17], char at[HB_TIMESTAMP_STRLEN])
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT checksum, applied_at FROM hb_schema_migrations"
                              " WHERE version = ?");
    if (rc < 0)
        return rc;
    rc = hb_stmt_bind_int64(st, 1, version);
    if (rc == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW) {
        snprintf(sum, 17, "%s", hb_stmt_text(st, 0, NULL));
        snprintf(at, HB_TIMESTAMP_STRLEN, "%s", hb_stmt_text(st, 1, NULL));
        rc = 1;
    }
    hb_stmt_finalize(st);
    return rc;
}

static int record(hb_store *store, const hb_migration *m, const char sum[17])
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_schema_migrations"
                              " (version, module, name, checksum, applied_at)"
                              " VALUES (?, ?, ?, ?, ?)");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_int64(st, 1, m->version)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, m->module)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, m->name)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, sum)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, hb_timestamp_now(now))) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Apply one migration in its own transaction unless it is applied already. */
static int apply_one(hb_store *store, const hb_migration *m, bool *applied_now,
                     hb_migrate_progress_fn progress, void *payload)
{
    char sum[17], have[17], at[HB_TIMESTAMP_STRLEN];
    checksum(m, sum);
    int rc = hb_store_begin(store);
    if (rc < 0)
        return rc;
    /* A second migrator (another server starting) waits here, then finds the work done. */
    rc = hb_store_lock(store, MIGRATION_LOCK_KEY);
    if (rc == 0)
        rc = lookup(store, m->version, have, at);
    if (rc == 1) {
        *applied_now = false;
        return hb_store_rollback(store);
    }
    if (rc == 0 && progress)
        progress(m, payload);
    if (rc == 0)
        rc = m->sql ? hb_store_exec_ddl(store, m->sql) : m->apply(store);
    if (rc == 0)
        rc = record(store, m, sum);
    if (rc == 0)
        rc = hb_store_commit(store);
    else
        hb_store_rollback(store);
    if (rc < 0)
        return hb_error_prefix("migration %d (%s): ", m->version, m->name);
    *applied_now = true;
    return 0;
}

int hb_migrate(hb_store *store, const hb_migration *list, size_t count, size_t *applied,
               hb_migrate_progress_fn progress, void *payload)
{
    int rc = check_list(list, count);
    if (rc == 0)
        rc = ensure_table(store);
    *applied = 0;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        bool now = false;
        rc = apply_one(store, &list[i], &now, progress, payload);
        *applied += now;
    }
    return rc;
}

int hb_migrate_status(hb_store *store, const hb_migration *list, size_t count,
                      hb_migration_state *states)
{
    int rc = check_list(list, count);
    if (rc == 0)
        rc = ensure_table(store);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        char sum[17], have[17];
        hb_migration_state *s = &states[i];
        memset(s, 0, sizeof *s);
        s->migration = &list[i];
        checksum(&list[i], sum);
        rc = lookup(store, list[i].version, have, s->applied_at);
        if (rc == 1) {
            s->applied = true;
            s->checksum_matches = strcmp(sum, have) == 0;
            rc = 0;
        }
    }
    return rc;
}

int hb_migrate_require_current(hb_store *store, const hb_migration *list, size_t count)
{
    (void)list;
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, "SELECT count(*) FROM hb_schema_migrations");
    int64_t applied = 0;
    if (rc == 0) {
        rc = hb_stmt_step(st);
        if (rc == HB_STORE_ROW)
            applied = hb_stmt_int64(st, 0);
        hb_stmt_finalize(st);
    }
    if (hb_store_in_transaction(store) && rc < 0)
        hb_store_rollback(store);
    if (rc < 0 || applied < (int64_t)count)
        return hb_error_set(HB_ENODATA,
                            "database %s is not up to date (%lld of %zu migrations applied): run "
                            "'healthybay db migrate' first",
                            hb_store_describe(store), (long long)applied, count);
    return 0;
}
