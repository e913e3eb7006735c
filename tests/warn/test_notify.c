/* Tests for core/signing.c and warn/notify.c: signed notifications between the authorities. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/schema.h"
#include "core/signing.h"
#include "harness.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "warn/alerts.h"
#include "warn/notify.h"

static hb_store *migrated(void)
{
    hb_store *s;
    CHECK_OK(hb_store_open(&s, hb_test_db_url(), HB_STORE_CREATE));
    size_t count, applied;
    const hb_migration *list = hb_schema_migrations(&count);
    CHECK_OK(hb_migrate(s, list, count, &applied, NULL, NULL));
    return s;
}

static const char *key_dir(void)
{
    const char *dir = hb_test_path("keys");
    mkdir(dir, 0700);
    return dir;
}

static void generate(hb_store *s, const char *dir, const char *j, char *id)
{
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(hb_signing_generate(s, dir, j, id));
    CHECK_OK(hb_store_commit(s));
}

static int64_t scalar(hb_store *s, const char *sql)
{
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(s, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    int64_t v = hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return v;
}

TEST(signing__sign_verify_tamper_revoke)
{
    hb_store *s = migrated();
    char dir[512], hk[HB_KEY_ID_HEXLEN + 1], gd[HB_KEY_ID_HEXLEN + 1], used[HB_KEY_ID_HEXLEN + 1];
    snprintf(dir, sizeof dir, "%s", key_dir());
    generate(s, dir, "HK", hk);
    generate(s, dir, "GD", gd);
    char path[600];
    snprintf(path, sizeof path, "%s/HK-notify.key", dir);
    struct stat st;
    CHECK_INT_EQ(stat(path, &st), 0);
    CHECK_INT_EQ(st.st_mode & 0777, 0600);
    char hk2[HB_KEY_ID_HEXLEN + 1];
    CHECK_FAILS(hb_signing_generate(s, dir, "HK", hk2), HB_ECONFLICT, "a key exists");

    const char msg[] = "{\"subject\":\"influenza\"}";
    char *sig = NULL;
    CHECK_OK(hb_signing_sign(s, dir, "HK", msg, strlen(msg), &sig, used));
    CHECK_STR_EQ(used, hk);
    const char *at = "2026-01-01T00:00:00.000Z";
    CHECK_OK(hb_signing_verify(s, "HK", hk, at, msg, strlen(msg), sig));
    CHECK_FAILS(hb_signing_verify(s, "HK", hk, at, "{\"subject\":\"Influenza\"}", strlen(msg), sig),
                HB_EPERM, "does not match");
    CHECK_FAILS(hb_signing_verify(s, "MO", hk, at, msg, strlen(msg), sig), HB_EPERM,
                "signed with HK's key, not MO's");
    CHECK_FAILS(hb_signing_verify(s, "HK", gd, at, msg, strlen(msg), sig), HB_EPERM,
                "signed with GD's key");
    CHECK_FAILS(hb_signing_verify(s, "HK", "0000000000000000", at, msg, strlen(msg), sig), HB_EPERM,
                "unknown signing key");
    CHECK_FAILS(hb_signing_verify(s, "HK", hk, at, msg, strlen(msg), "not base64!"), HB_EPERM,
                "not base64");
    CHECK_OK(hb_signing_revoke(s, hk));
    CHECK_OK(hb_signing_verify(s, "HK", hk, at, msg, strlen(msg), sig)); /* signed before */
    CHECK_FAILS(hb_signing_verify(s, "HK", hk, "2999-01-01T00:00:00.000Z", msg, strlen(msg), sig),
                HB_EPERM, "after its revocation");
    char *sig2 = NULL;
    CHECK_FAILS(hb_signing_sign(s, dir, "HK", msg, strlen(msg), &sig2, used), HB_ECONFLICT,
                "revoked");
    CHECK_FAILS(hb_signing_sign(s, dir, "MO", msg, strlen(msg), &sig2, used), HB_ENOTFOUND,
                "keys generate");
    hb_free(sig);
    hb_store_close(s);
}

static const char *cell(hb_table *t, size_t r, size_t c)
{
    return hb_table_cell(t, r, c) ? hb_table_cell(t, r, c) : "";
}

TEST(notify__daily_reaches_the_other_two_once)
{
    hb_store *s = migrated();
    char dir[512], id[HB_KEY_ID_HEXLEN + 1];
    snprintf(dir, sizeof dir, "%s", key_dir());
    generate(s, dir, "GD", id);
    generate(s, dir, "HK", id); /* Macao's key is not held here */
    hb_notify_report r;
    hb_date day = hb_date_from_ymd(2019, 12, 28);
    CHECK_OK(hb_notify_daily(s, dir, day, &r));
    CHECK_INT_EQ(r.sent, 4);
    CHECK_INT_EQ(r.unsigned_, 2);
    CHECK_OK(hb_notify_daily(s, dir, day, &r)); /* idempotent */
    CHECK_INT_EQ(r.sent, 0);
    CHECK_INT_EQ(r.already, 4);
    hb_table *t;
    CHECK_OK(hb_notify_inbox(s, "MO", false, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2);
    CHECK_STR_EQ(cell(t, 0, 5), "verified");
    CHECK_CONTAINS(cell(t, 0, 4), "daily epidemic situation up to 2019-12-28");
    hb_table_free(t);
    char *json = NULL;
    int64_t to_mo = scalar(s, "SELECT min(id) FROM hb_notifications WHERE to_jurisdiction = 'MO'");
    CHECK_OK(hb_notify_get(s, "MO", to_mo, &json));
    CHECK_CONTAINS(json, "\"kind\":\"daily\"");
    CHECK_CONTAINS(json, "\"bulletin\":");
    hb_free(json);
    CHECK_FAILS(hb_notify_get(s, "GD", to_mo, &json), HB_ENOTFOUND, "for GD");
    hb_store_close(s);
}

TEST(notify__tampered_is_refused_and_cannot_be_acknowledged)
{
    hb_store *s = migrated();
    char dir[512], id[HB_KEY_ID_HEXLEN + 1];
    snprintf(dir, sizeof dir, "%s", key_dir());
    generate(s, dir, "GD", id);
    hb_notify_report r;
    CHECK_OK(hb_notify_daily(s, dir, hb_date_from_ymd(2019, 12, 28), &r));
    CHECK_OK(hb_store_run(s, "UPDATE hb_notifications SET payload = replace(payload,"
                             " '2019-12-28', '2019-12-27') WHERE to_jurisdiction = 'HK'"));
    CHECK_OK(hb_store_run(s, "UPDATE hb_notifications SET created_at = '2020-01-01T00:00:00.000Z'"
                             " WHERE to_jurisdiction = 'MO'"));
    hb_table *t;
    CHECK_OK(hb_notify_inbox(s, "HK", false, &t));
    CHECK_CONTAINS(cell(t, 0, 5), "refused: the signature does not match the message");
    hb_table_free(t);
    CHECK_OK(hb_notify_inbox(s, "MO", false, &t));
    CHECK_CONTAINS(cell(t, 0, 5), "refused: the stored fields do not match the signed payload");
    hb_table_free(t);
    int64_t hk = scalar(s, "SELECT id FROM hb_notifications WHERE to_jurisdiction = 'HK'");
    char *json = NULL;
    CHECK_OK(hb_notify_get(s, "HK", hk, &json)); /* shown, as refused, without its payload */
    CHECK_CONTAINS(json, "\"status\":\"refused: the signature does not match the message");
    CHECK(strstr(json, "\"body\"") == NULL);
    hb_free(json);
    CHECK_FAILS(hb_notify_ack(s, "HK", hk, "hk-officer"), HB_EPERM, "refused");
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_notifications WHERE acknowledged_at IS NOT"
                           " NULL"),
                 0);
    hb_store_close(s);
}

TEST(notify__alerts_reminders_and_acknowledgement)
{
    hb_store *s = migrated();
    char dir[512], id[HB_KEY_ID_HEXLEN + 1];
    snprintf(dir, sizeof dir, "%s", key_dir());
    generate(s, dir, "HK", id);
    hb_alert_rules rules;
    hb_alert_rules_init(&rules);
    hb_series_key key = { "810000", "influenza", "positives", "all", "all" };
    int64_t alert;
    bool raised;
    CHECK_OK(hb_store_begin(s));
    CHECK_OK(
        hb_alert_signal(s, &rules, &key, "2019-12-22", 7, HB_LEVEL_WARNING, "e", &alert, &raised));
    CHECK_OK(hb_store_commit(s));
    hb_notify_report r;
    CHECK_OK(hb_notify_alert(s, dir, alert, HB_LEVEL_WARNING, &r));
    CHECK_INT_EQ(r.sent, 2); /* to GD and MO, not to HK itself */
    CHECK_OK(hb_notify_alert(s, dir, alert, HB_LEVEL_WARNING, &r));
    CHECK_INT_EQ(r.sent, 0); /* once per level */
    CHECK_OK(hb_notify_alert(s, dir, alert, HB_LEVEL_ALERT, &r));
    CHECK_INT_EQ(r.sent, 2); /* again when it rises */
    int64_t first = scalar(s, "SELECT min(id) FROM hb_notifications WHERE to_jurisdiction = 'GD'");

    CHECK_OK(hb_notify_remind(s, dir, 24, &r)); /* nothing is overdue yet */
    CHECK_INT_EQ(r.sent, 0);
    setenv("HEALTHYBAY_NOW", "2099-01-01T00:00:00Z", 1);
    CHECK_OK(hb_notify_remind(s, dir, 24, &r));
    CHECK_INT_EQ(r.sent, 4);
    CHECK_OK(hb_notify_remind(s, dir, 24, &r)); /* not again within the period */
    CHECK_INT_EQ(r.sent, 0);
    unsetenv("HEALTHYBAY_NOW");
    int64_t reminder = scalar(s, "SELECT id FROM hb_notifications WHERE kind = 'reminder' AND"
                                 " to_jurisdiction = 'GD' ORDER BY id LIMIT 1");
    CHECK_OK(hb_notify_ack(s, "GD", reminder, "gd-officer")); /* acknowledges the original */
    CHECK_INT_EQ(scalar(s, "SELECT count(*) FROM hb_notifications WHERE acknowledged_at IS NOT"
                           " NULL AND to_jurisdiction = 'GD'"),
                 2);
    hb_table *t;
    CHECK_OK(hb_notify_inbox(s, "GD", false, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 2); /* the other alert level and its reminder */
    hb_table_free(t);
    CHECK_OK(hb_notify_inbox(s, "GD", true, &t));
    CHECK_INT_EQ(hb_table_row_count(t), 4);
    hb_table_free(t);
    CHECK(first > 0);
    hb_store_close(s);
}
