/* Tests for store/migrate.c: versioned, transactional, idempotent migrations. */
#include <string.h>

#include "harness.h"
#include "store/migrate.h"
#include "util/error.h"

static int failing_apply(hb_store *store)
{
    CHECK_OK(hb_store_run(store, "INSERT INTO m1 (v) VALUES (99)"));
    return hb_error_set(HB_EINVAL, "deliberate failure");
}

static int good_apply(hb_store *store)
{
    return hb_store_run(store, "INSERT INTO m1 (v) VALUES (1)");
}

static const hb_migration good[] = {
    { 1, "test", "create m1", "CREATE TABLE m1 (id @PK@, v BIGINT)", NULL, NULL },
    { 2, "test", "fill m1", NULL, good_apply, "fill-1" },
};

static int64_t scalar(hb_store *s, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t v = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return v;
}

TEST(migrate__applies_once)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t applied;
    CHECK_FAILS(hb_migrate_require_current(s, good, 2), HB_ENODATA, "db migrate");
    CHECK_OK(hb_migrate(s, good, 2, &applied, NULL, NULL));
    CHECK_INT_EQ(applied, 2);
    CHECK_OK(hb_migrate(s, good, 2, &applied, NULL, NULL));
    CHECK_INT_EQ(applied, 0);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM m1"), 1);
    CHECK_OK(hb_migrate_require_current(s, good, 2));
    hb_migration_state st[2];
    CHECK_OK(hb_migrate_status(s, good, 2, st));
    CHECK(st[0].applied && st[0].checksum_matches);
    CHECK(st[1].applied && st[1].checksum_matches);
    CHECK(strlen(st[1].applied_at) == 24);
    hb_store_close(s);
}

TEST(migrate__failure_rolls_back_that_migration_only)
{
    hb_migration bad[] = {
        good[0],
        { 2, "test", "fails", NULL, failing_apply, "bad-1" },
    };
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t applied;
    CHECK_FAILS(hb_migrate(s, bad, 2, &applied, NULL, NULL), HB_EINVAL,
                "migration 2 (fails): deliberate failure");
    CHECK_INT_EQ(applied, 1);
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM m1"), 0); /* the 99 was rolled back */
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_schema_migrations"), 1);
    CHECK_OK(hb_migrate(s, good, 2, &applied, NULL, NULL)); /* fixed: continues from there */
    CHECK_INT_EQ(applied, 1);
    hb_store_close(s);
}

TEST(migrate__detects_changed_migration)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t applied;
    CHECK_OK(hb_migrate(s, good, 2, &applied, NULL, NULL));
    hb_migration edited[2] = { good[0], good[1] };
    edited[0].sql = "CREATE TABLE m1 (id @PK@, v BIGINT, w BIGINT)";
    hb_migration_state st[2];
    CHECK_OK(hb_migrate_status(s, edited, 2, st));
    CHECK(st[0].applied && !st[0].checksum_matches);
    CHECK(st[1].checksum_matches);
    hb_store_close(s);
}

TEST(migrate__malformed_list_refused)
{
    hb_migration gap[] = { good[0], { 3, "test", "gap", "SELECT 1", NULL, NULL } };
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t applied;
    CHECK_FAILS(hb_migrate(s, gap, 2, &applied, NULL, NULL), HB_ERROR, "malformed");
    hb_store_close(s);
}
