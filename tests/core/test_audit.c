/* Tests for core/audit.c: the hash chain, and tampering found and named. */
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/schema.h"
#include "harness.h"

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

/* Append n entries, one transaction each. */
static void append(hb_store *s, int n)
{
    for (int i = 0; i < n; i++) {
        char object[32];
        snprintf(object, sizeof object, "org/hk-%d", i);
        hb_audit_event ev = { "hk-dh",
                              "HK",
                              "0123456789abcdef",
                              "http 127.0.0.1",
                              "org.create",
                              object,
                              i % 3 ? HB_AUDIT_OK : HB_AUDIT_DENIED };
        CHECK_OK(hb_store_begin(s));
        CHECK_OK(hb_audit_append(s, &ev));
        CHECK_OK(hb_store_commit(s));
    }
}

/* Lift the append-only guard, as an attacker with the database's owner rights would. */
static void drop_guards(hb_store *s)
{
    if (hb_store_kind_of(s) == HB_STORE_SQLITE)
        CHECK_OK(hb_store_exec(s, "DROP TRIGGER hb_audit_no_update;"
                                  "DROP TRIGGER hb_audit_no_delete"));
    else
        CHECK_OK(hb_store_exec(s, "DROP TRIGGER hb_audit_no_change ON hb_audit"));
}

static hb_audit_report verify(hb_store *s, const char *anchor)
{
    hb_audit_report r;
    CHECK_OK(hb_audit_verify(s, &r, anchor));
    return r;
}

TEST(audit__chain_verifies)
{
    hb_store *s = migrated();
    hb_audit_report r = verify(s, NULL);
    CHECK(r.intact);
    CHECK_INT_EQ(r.entries, 0);
    append(s, 5);
    r = verify(s, NULL);
    CHECK_MSG(r.intact, "%s", r.problem);
    CHECK_INT_EQ(r.entries, 5);
    CHECK_INT_EQ(r.head_seq, 5);
    CHECK_INT_EQ(strlen(r.head_hash), 64);
    char anchor[65];
    memcpy(anchor, r.head_hash, sizeof anchor);
    append(s, 2);
    r = verify(s, anchor); /* the old head is still on the chain */
    CHECK(r.intact);
    hb_audit_entry e[10];
    size_t n;
    hb_audit_filter all = { NULL, NULL, 0 };
    CHECK_OK(hb_audit_list(s, e, 10, &n, &all));
    CHECK_INT_EQ(n, 7);
    CHECK_STR_EQ(e[4].hash, anchor);
    CHECK_STR_EQ(e[0].outcome, "denied");
    hb_audit_filter after = { "HK", "hk-dh", 5 };
    CHECK_OK(hb_audit_list(s, e, 10, &n, &after));
    CHECK_INT_EQ(n, 2);
    CHECK_INT_EQ(e[0].seq, 6);
    hb_store_close(s);
}

TEST(audit__the_log_refuses_updates_and_deletes)
{
    hb_store *s = migrated();
    append(s, 2);
    CHECK(hb_store_exec(s, "UPDATE hb_audit SET outcome = 'ok'") < 0);
    CHECK(hb_store_exec(s, "DELETE FROM hb_audit WHERE seq = 1") < 0);
    CHECK(verify(s, NULL).intact);
    hb_store_close(s);
}

TEST(audit__an_edited_entry_is_named)
{
    hb_store *s = migrated();
    append(s, 6);
    drop_guards(s);
    CHECK_OK(hb_store_exec(s, "UPDATE hb_audit SET outcome = 'ok' WHERE seq = 4"));
    hb_audit_report r = verify(s, NULL);
    CHECK(!r.intact);
    CHECK_INT_EQ(r.bad_seq, 4);
    CHECK_CONTAINS(r.problem, "entry 4 was edited");
    hb_store_close(s);
}

/* canonical(n) as audit.h documents it: "<len>:<bytes>;" per field, "~;" for NULL. */
static void put_field(char *buf, size_t size, const char *field)
{
    size_t used = strlen(buf);
    if (!field || !*field) /* the test's NULL fields are the empty ones */
        snprintf(buf + used, size - used, "~;");
    else
        snprintf(buf + used, size - used, "%zu:%s;", strlen(field), field);
}

TEST(audit__a_rehashed_edit_breaks_the_next_link)
{
    hb_store *s = migrated();
    append(s, 4);
    hb_audit_entry e[4];
    size_t n;
    hb_audit_filter all = { NULL, NULL, 0 };
    CHECK_OK(hb_audit_list(s, e, 4, &n, &all));
    /* A forger who knows the algorithm edits entry 2 and recomputes its hash correctly. */
    char canonical[2048];
    snprintf(canonical, sizeof canonical, "%s", e[0].hash);
    const char *fields[] = { e[1].at,     e[1].org,    e[1].jurisdiction, e[1].token_id,
                             e[1].source, e[1].action, "org/forged",      e[1].outcome };
    for (size_t i = 0; i < 8; i++)
        put_field(canonical, sizeof canonical, fields[i]);
    char forged[65], sql[256];
    hb_sha256_hex(forged, canonical, strlen(canonical));
    drop_guards(s);
    snprintf(sql, sizeof sql,
             "UPDATE hb_audit SET object = 'org/forged', hash = '%s' WHERE seq = 2", forged);
    CHECK_OK(hb_store_exec(s, sql));
    hb_audit_report r = verify(s, NULL);
    CHECK(!r.intact);
    CHECK_INT_EQ(r.bad_seq, 3); /* entry 2 is self-consistent; entry 3 points at the original */
    CHECK_CONTAINS(r.problem, "the entry before entry 3 is missing: it was deleted or rewritten");
    hb_store_close(s);
}

TEST(audit__a_deleted_entry_is_named)
{
    hb_store *s = migrated();
    append(s, 6);
    drop_guards(s);
    CHECK_OK(hb_store_exec(s, "DELETE FROM hb_audit WHERE seq = 4"));
    hb_audit_report r = verify(s, NULL);
    CHECK(!r.intact);
    CHECK_INT_EQ(r.bad_seq, 5);
    CHECK_CONTAINS(r.problem, "the entry before entry 5 is missing");
    hb_store_close(s);
}

TEST(audit__reordered_entries_are_named)
{
    hb_store *s = migrated();
    append(s, 6);
    drop_guards(s);
    CHECK_OK(hb_store_exec(s, "UPDATE hb_audit SET seq = -1 WHERE seq = 2;"
                              "UPDATE hb_audit SET seq = 2 WHERE seq = 3;"
                              "UPDATE hb_audit SET seq = 3 WHERE seq = -1"));
    hb_audit_report r = verify(s, NULL);
    CHECK(!r.intact);
    CHECK_INT_EQ(r.bad_seq, 2);
    CHECK_CONTAINS(r.problem, "entry 2 is out of order: it was appended right after entry 3");
    hb_store_close(s);
}

TEST(audit__truncation_is_caught_by_an_anchor)
{
    hb_store *s = migrated();
    append(s, 5);
    hb_audit_report r = verify(s, NULL);
    char anchor[65];
    memcpy(anchor, r.head_hash, sizeof anchor);
    drop_guards(s);
    CHECK_OK(hb_store_exec(s, "DELETE FROM hb_audit WHERE seq >= 4"));
    CHECK(verify(s, NULL).intact); /* the chain alone cannot tell */
    r = verify(s, anchor);
    CHECK(!r.intact);
    CHECK_CONTAINS(r.problem, "not on the chain");
    hb_store_close(s);
}

TEST(audit__events_are_checked)
{
    hb_store *s = migrated();
    CHECK_OK(hb_store_begin(s));
    hb_audit_event ev = { NULL, "HK", NULL, "cli root", "org.create", "org/x", "maybe" };
    CHECK_FAILS(hb_audit_append(s, &ev), HB_EINVAL, NULL);
    char long_object[HB_AUDIT_FIELD_MAX + 2];
    memset(long_object, 'x', sizeof long_object - 1);
    long_object[sizeof long_object - 1] = '\0';
    hb_audit_event ev2 = { NULL, "HK", NULL, "cli root", "org.create", long_object, "ok" };
    CHECK_FAILS(hb_audit_append(s, &ev2), HB_ELIMIT, NULL);
    CHECK_OK(hb_store_rollback(s));
    hb_store_close(s);
}
