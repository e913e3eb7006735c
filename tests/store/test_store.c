/* Tests for store/: the same behaviour on SQLite and PostgreSQL (run with --backend). */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "store/store.h"

static hb_store *open_fresh(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    CHECK_OK(hb_store_exec_ddl(s, "CREATE TABLE t (id @PK@, name TEXT NOT NULL UNIQUE,"
                                  " n BIGINT, x @REAL@, data @BLOB@)"));
    return s;
}

static int64_t insert(hb_store *s, const char *name, int64_t n)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name, n) VALUES (?, ?) RETURNING id"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, name));
    CHECK_OK(hb_stmt_bind_int64(st, 2, n));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t id = hb_stmt_int64(st, 0);
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_DONE);
    hb_stmt_finalize(st);
    return id;
}

static int64_t count_rows(hb_store *s)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "SELECT count(*) FROM t"));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t n = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return n;
}

TEST(store__types_round_trip)
{
    hb_store *s = open_fresh();
    hb_stmt *st;
    static const unsigned char blob[] = { 0, 1, 2, 0xff, 0x5c, 0x78 };
    const char *zh = "廣州市 Guangzhou 'quoted' \"double\" ?";
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name, n, x, data) VALUES (?, ?, ?, ?)"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, zh));
    CHECK_OK(hb_stmt_bind_int64(st, 2, INT64_MIN + 1));
    CHECK_OK(hb_stmt_bind_double(st, 3, 0.1 + 0.2));
    CHECK_OK(hb_stmt_bind_blob(st, 4, blob, sizeof blob));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_DONE);
    CHECK_INT_EQ(hb_stmt_changes(st), 1);
    hb_stmt_finalize(st);

    CHECK_OK(hb_store_prepare(s, &st, "SELECT name, n, x, data, NULL FROM t WHERE name = ?"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, zh));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    CHECK_INT_EQ(hb_stmt_column_count(st), 5);
    CHECK_STR_EQ(hb_stmt_text(st, 0, NULL), zh);
    CHECK(hb_stmt_int64(st, 1) == INT64_MIN + 1);
    CHECK(hb_stmt_double(st, 2) == 0.1 + 0.2); /* exact: %.17g round-trips a double */
    size_t len;
    const unsigned char *got = hb_stmt_blob(st, 3, &len);
    CHECK_INT_EQ(len, sizeof blob);
    CHECK(memcmp(got, blob, len) == 0);
    CHECK(hb_stmt_is_null(st, 4));
    CHECK(!hb_stmt_is_null(st, 0));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_DONE);
    hb_stmt_finalize(st);
    hb_store_close(s);
}

TEST(store__placeholders_ignore_quoted_question_marks)
{
    hb_store *s = open_fresh();
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "SELECT '?' || ?, ? -- a comment? yes\n"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, "a"));
    CHECK_OK(hb_stmt_bind_int64(st, 2, 5));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    CHECK_STR_EQ(hb_stmt_text(st, 0, NULL), "?a");
    CHECK_INT_EQ(hb_stmt_int64(st, 1), 5);
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_prepare(s, &st, "SELECT ?"));
    CHECK_FAILS(hb_stmt_bind_int64(st, 2, 1), HB_EINVAL, "parameter 2 out of range 1..1");
    hb_stmt_finalize(st);
    hb_store_close(s);
}

TEST(store__user_text_is_never_sql)
{
    hb_store *s = open_fresh();
    const char *evil = "x'); DROP TABLE t; --";
    insert(s, evil, 1);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "SELECT n FROM t WHERE name = ?"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, evil));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    hb_stmt_finalize(st);
    CHECK_INT_EQ(count_rows(s), 1);
    hb_store_close(s);
}

TEST(store__unique_violation_is_conflict)
{
    hb_store *s = open_fresh();
    insert(s, "a", 1);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name) VALUES (?)"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, "a"));
    CHECK_FAILS(hb_stmt_step(st), HB_ECONFLICT, NULL);
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name) VALUES (NULL)"));
    CHECK_FAILS(hb_stmt_step(st), HB_EINVAL, NULL); /* NOT NULL is a constraint too */
    hb_stmt_finalize(st);
    hb_store_close(s);
}

TEST(store__rollback_discards_everything)
{
    hb_store *s = open_fresh();
    CHECK_OK(hb_store_begin(s));
    insert(s, "a", 1);
    insert(s, "b", 2);
    CHECK_OK(hb_store_rollback(s));
    CHECK_INT_EQ(count_rows(s), 0);
    CHECK_OK(hb_store_begin(s));
    insert(s, "c", 3);
    CHECK_OK(hb_store_commit(s));
    CHECK_INT_EQ(count_rows(s), 1);
    hb_store_close(s);
}

TEST(store__failed_statement_inside_transaction)
{
    /* After an error the transaction is rolled back whole; the connection stays usable. */
    hb_store *s = open_fresh();
    CHECK_OK(hb_store_begin(s));
    insert(s, "a", 1);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name) VALUES (?)"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, "a"));
    CHECK_FAILS(hb_stmt_step(st), HB_ECONFLICT, NULL);
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_rollback(s));
    CHECK_INT_EQ(count_rows(s), 0);
    insert(s, "z", 1);
    CHECK_INT_EQ(count_rows(s), 1);
    hb_store_close(s);
}

TEST(store__reset_reuses_statement)
{
    hb_store *s = open_fresh();
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, "INSERT INTO t (name, n) VALUES (?, ?)"));
    for (int i = 0; i < 50; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        CHECK_OK(hb_stmt_bind_cstr(st, 1, name));
        CHECK_OK(hb_stmt_bind_int64(st, 2, i));
        CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_DONE);
        CHECK_OK(hb_stmt_reset(st));
    }
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_prepare(s, &st, "SELECT sum(n) FROM t"));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    CHECK_INT_EQ(hb_stmt_int64(st, 0), 49 * 50 / 2);
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_prepare(s, &st, "UPDATE t SET n = n + 1 WHERE n >= ?"));
    CHECK_OK(hb_stmt_bind_int64(st, 1, 40));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_DONE);
    CHECK_INT_EQ(hb_stmt_changes(st), 10);
    hb_stmt_finalize(st);
    hb_store_close(s);
}

TEST(store__advisory_lock_needs_transaction)
{
    hb_store *s = open_fresh();
    CHECK_FAILS(hb_store_lock(s, 42), HB_EINVAL, "outside a transaction");
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_store_lock(s, 42));
    CHECK_OK(hb_store_commit(s));
    hb_store_close(s);
}

/* Whether another connection could take key now (PostgreSQL's own try-lock, in b's own
 * transaction). */
static bool pg_free(hb_store *b, int64_t key)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_xact_lock(%lld)", (long long)key);
    hb_stmt *st;
    CHECK_OK(hb_store_begin(b));
    CHECK_OK(hb_store_prepare(b, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    bool got = strcmp(hb_stmt_text(st, 0, NULL), "t") == 0;
    hb_stmt_finalize(st);
    CHECK_OK(hb_store_rollback(b));
    return got;
}

TEST(store__pg_advisory_lock_excludes_second_connection)
{
    const char *url = hb_test_db_url();
    hb_store *a, *b;
    CHECK_OK(hb_store_open(&a, url, 0));
    CHECK_OK(hb_store_open(&b, url, 0));
    CHECK_OK(hb_store_begin(a));
    CHECK_OK(hb_store_lock(a, 7));
    CHECK(!pg_free(b, 7));
    CHECK(pg_free(b, 8));
    CHECK_OK(hb_store_commit(a)); /* the lock ends with a's transaction */
    CHECK(pg_free(b, 7));
    hb_store_close(a);
    hb_store_close(b);
}

TEST(store__sqlite_missing_file_not_created)
{
    hb_store *s;
    CHECK_FAILS(hb_store_open(&s, hb_test_path("nope.db"), 0), HB_ENOTFOUND,
                "does not exist: create it with 'healthybay db migrate");
}

TEST(store__pg_unreachable_server_named)
{
    hb_store *s;
    CHECK_FAILS(hb_store_open(&s, "postgresql://nobody@127.0.0.1:1/none", 0), HB_ERROR,
                "cannot connect");
    CHECK_FAILS(hb_store_open(&s, "", 0), HB_EINVAL, "no database given");
}

TEST(store__sqlite_not_a_database)
{
    hb_store *s;
    const char *path = hb_test_write_file("junk.db", "not a database at all, just some text "
                                                     "padding it out well past the header size");
    CHECK_FAILS(hb_store_open(&s, path, 0), HB_ERROR, "not a usable SQLite database");
}

static void *second_writer(void *arg)
{
    hb_store *b = arg;
    /* Blocks in BEGIN IMMEDIATE until the first writer commits. */
    intptr_t rc = hb_store_begin(b);
    if (rc == 0)
        rc = hb_store_run(b, "INSERT INTO c VALUES (2)");
    if (rc == 0)
        rc = hb_store_commit(b);
    return (void *)rc;
}

TEST(store__sqlite_concurrent_writer_waits)
{
    /* The second writer waits on the busy timeout for the first's commit instead of failing. */
    const char *url = hb_test_db_url();
    hb_store *a, *b;
    CHECK_OK(hb_store_open(&a, url, HB_STORE_CREATE));
    CHECK_OK(hb_store_exec(a, "CREATE TABLE c (v BIGINT)"));
    CHECK_OK(hb_store_open(&b, url, 0));
    CHECK_OK(hb_store_begin(a));
    CHECK_OK(hb_store_run(a, "INSERT INTO c VALUES (1)"));
    pthread_t thread;
    CHECK_INT_EQ(pthread_create(&thread, NULL, second_writer, b), 0);
    usleep(200 * 1000);
    CHECK_OK(hb_store_commit(a));
    void *result;
    CHECK_INT_EQ(pthread_join(thread, &result), 0);
    CHECK_INT_EQ((intptr_t)result, 0);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(a, &st, "SELECT sum(v), count(*) FROM c"));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    CHECK_INT_EQ(hb_stmt_int64(st, 0), 3);
    CHECK_INT_EQ(hb_stmt_int64(st, 1), 2);
    hb_stmt_finalize(st);
    hb_store_close(a);
    hb_store_close(b);
}
