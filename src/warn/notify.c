/*
 * warn/notify.c — signed cross-border notifications (see notify.h).
 *
 * A notification's payload is canonical JSON (compact, keys sorted) holding kind, from, to,
 * created_at, subject and body; that exact text is what the sender signs and what is stored.
 * Reading one means: parse the payload, check that the queryable columns say the same, and
 * verify the signature with the sender jurisdiction's registered key.
 */
#include "warn/notify.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "bulletin/bulletin.h"
#include "core/signing.h"
#include "healthybay/date.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/limits.h"

static const char *const jurisdictions[3] = { "GD", "HK", "MO" };

/* json as compact text with sorted keys, owned by the caller (hb_free). */
static char *canonical(const json_t *json)
{
    size_t flags = JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII;
    size_t n = json_dumpb(json, NULL, 0, flags);
    char *text = n ? hb_malloc(n + 1) : NULL;
    if (text) {
        json_dumpb(json, text, n, flags);
        text[n] = '\0';
    } else if (n == 0) {
        hb_error_set(HB_ERROR, "cannot serialise a notification");
    }
    return text;
}

static int exists(hb_store *store, const char *kind, const char *from, const char *to,
                  const char *dedup, bool *found)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT 1 FROM hb_notifications WHERE kind = ? AND"
                              " from_jurisdiction = ? AND to_jurisdiction = ? AND dedup_key = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, kind)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, from)) == 0 && (rc = hb_stmt_bind_cstr(st, 3, to)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, dedup)) == 0)
        rc = hb_stmt_step(st);
    *found = rc == HB_STORE_ROW;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int insert(hb_store *store, const char *kind, const char *from, const char *to,
                  const char *created_at, const char *dedup, const char *payload,
                  const char *key_id, const char *signature, int64_t reminder_of)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_notifications (kind, from_jurisdiction,"
                              " to_jurisdiction, created_at, dedup_key, payload, key_id,"
                              " signature, reminder_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, kind)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, from)) == 0 && (rc = hb_stmt_bind_cstr(st, 3, to)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, created_at)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, dedup)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, payload)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, key_id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 8, signature)) == 0 &&
        (rc = reminder_of ? hb_stmt_bind_int64(st, 9, reminder_of) : hb_stmt_bind_null(st, 9)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

typedef struct message {
    const char *kind, *from, *to, *dedup, *subject;
    json_t *body; /* borrowed */
    int64_t reminder_of;
} message;

/* Sign and store one message unless it was sent before. */
static int send(hb_store *store, const char *key_dir, const message *m, hb_notify_report *report)
{
    bool found;
    int rc = exists(store, m->kind, m->from, m->to, m->dedup, &found);
    if (rc < 0 || found) {
        report->already += found;
        return rc;
    }
    char now[HB_TIMESTAMP_STRLEN], key_id[HB_KEY_ID_HEXLEN + 1];
    hb_timestamp_now(now);
    json_t *p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "kind", m->kind, "from", m->from, "to",
                          m->to, "created_at", now, "subject", m->subject, "body", m->body);
    char *payload = p ? canonical(p) : NULL, *signature = NULL;
    json_decref(p);
    if (!payload)
        return HB_ENOMEM;
    rc = hb_signing_sign(store, key_dir, m->from, payload, strlen(payload), &signature, key_id);
    if (rc == HB_ENOTFOUND) { /* this installation does not hold the sender's key */
        report->unsigned_++;
        rc = 0;
    } else if (rc == 0) {
        rc = insert(store, m->kind, m->from, m->to, now, m->dedup, payload, key_id, signature,
                    m->reminder_of);
        report->sent += rc == 0;
    }
    hb_free(payload);
    hb_free(signature);
    return rc;
}

/* The body of J's daily notification: its bulletin for the day and its open alerts. */
static int daily_body(hb_store *store, const char *j, hb_date date, json_t **out)
{
    hb_bulletin_request req = { date, j, "en", HB_EDITION_DAILY };
    hb_doc *doc = NULL;
    hb_table *alerts = NULL;
    hb_buf text;
    hb_buf_init(&text, 0);
    int rc = hb_bulletin_build(store, &req, &doc);
    if (rc == 0)
        rc = hb_doc_render(doc, HB_DOC_JSON, &text);
    hb_alert_filter filter = { j, "open", NULL, 0 };
    if (rc == 0)
        rc = hb_alerts_list(store, &filter, &alerts);
    json_t *bulletin = rc == 0 ? json_loads(hb_buf_cstr(&text), 0, NULL) : NULL;
    char day[HB_DATE_STRLEN];
    if (rc == 0 && bulletin)
        *out = json_pack("{s:s, s:o, s:o}", "date", hb_date_format(day, date), "bulletin", bulletin,
                         "open_alerts", hb_table_to_json(alerts));
    if (rc == 0 && (!bulletin || !*out))
        rc = hb_error_set(HB_ENOMEM, "cannot build the daily notification");
    hb_table_free(alerts);
    hb_doc_free(doc);
    hb_buf_dispose(&text);
    return rc;
}

/* End the caller's transaction: commit when rc is 0, roll back otherwise. */
static int end_transaction(hb_store *store, int rc)
{
    if (rc == 0)
        return hb_store_commit(store);
    hb_store_rollback(store);
    return rc;
}

int hb_notify_daily(hb_store *store, const char *key_dir, hb_date date, hb_notify_report *report)
{
    char day[HB_DATE_STRLEN], subject[128];
    memset(report, 0, sizeof *report);
    int rc = hb_store_begin(store);
    for (size_t i = 0; rc == 0 && i < 3; i++) {
        const char *j = jurisdictions[i];
        json_t *body = NULL;
        rc = daily_body(store, j, date, &body);
        snprintf(subject, sizeof subject, "%s: daily epidemic situation up to %s", j,
                 hb_date_format(day, date));
        for (size_t k = 0; rc == 0 && k < 3; k++)
            if (k != i) {
                message m = { "daily", j, jurisdictions[k], day, subject, body, 0 };
                rc = send(store, key_dir, &m, report);
            }
        json_decref(body);
    }
    return end_transaction(store, rc);
}

int hb_notify_alert(hb_store *store, const char *key_dir, int64_t alert_id, hb_alert_level level,
                    hb_notify_report *report)
{
    memset(report, 0, sizeof *report);
    char id[24], dedup[48], subject[256];
    snprintf(id, sizeof id, "%lld", (long long)alert_id);
    hb_alert_filter one = { NULL, NULL, NULL, alert_id };
    hb_table *t = NULL;
    int rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_alerts_list(store, &one, &t);
    if (rc == 0 && hb_table_row_count(t) == 0)
        rc = hb_error_set(HB_ENOTFOUND, "no alert %s", id);
    json_t *rows = rc == 0 ? hb_table_to_json(t) : NULL;
    json_t *body = rows ? json_incref(json_array_get(rows, 0)) : NULL;
    json_decref(rows);
    if (rc == 0) {
        const char *from = hb_table_cell(t, 0, 1);
        snprintf(dedup, sizeof dedup, "%s:%s", id, hb_alert_level_name(level));
        snprintf(subject, sizeof subject, "%s: %s — %s %s in %s (alert %s)", from,
                 hb_alert_level_name(level), hb_table_cell(t, 0, 3), hb_table_cell(t, 0, 4),
                 hb_table_cell(t, 0, 2), id);
        for (size_t k = 0; rc == 0 && k < 3; k++)
            if (strcmp(jurisdictions[k], from) != 0) {
                message m = { "alert", from, jurisdictions[k], dedup, subject, body, 0 };
                rc = send(store, key_dir, &m, report);
            }
    }
    json_decref(body);
    hb_table_free(t);
    return end_transaction(store, rc);
}

/* A stored notification as read back. */
typedef struct stored {
    int64_t id;
    char kind[16], from[8], to[8], created_at[HB_TIMESTAMP_STRLEN];
    char key_id[HB_KEY_ID_HEXLEN + 1];
    char *payload, *signature;
    char acknowledged_at[HB_TIMESTAMP_STRLEN], acknowledged_by[128];
    int64_t reminders;
    int64_t reminder_of; /* 0 unless a reminder */
} stored;

#define STORED_COLUMNS                                                                      \
    "id, kind, from_jurisdiction, to_jurisdiction, created_at, key_id, payload, signature," \
    " acknowledged_at, acknowledged_by, reminders, reminder_of"

static void copy_text(char *out, size_t size, hb_stmt *st, int col)
{
    snprintf(out, size, "%s", hb_stmt_is_null(st, col) ? "" : hb_stmt_text(st, col, NULL));
}

static int read_stored(hb_stmt *st, stored *s)
{
    memset(s, 0, sizeof *s);
    s->id = hb_stmt_int64(st, 0);
    copy_text(s->kind, sizeof s->kind, st, 1);
    copy_text(s->from, sizeof s->from, st, 2);
    copy_text(s->to, sizeof s->to, st, 3);
    copy_text(s->created_at, sizeof s->created_at, st, 4);
    copy_text(s->key_id, sizeof s->key_id, st, 5);
    s->payload = hb_strdup(hb_stmt_text(st, 6, NULL));
    s->signature = hb_strdup(hb_stmt_text(st, 7, NULL));
    copy_text(s->acknowledged_at, sizeof s->acknowledged_at, st, 8);
    copy_text(s->acknowledged_by, sizeof s->acknowledged_by, st, 9);
    s->reminders = hb_stmt_int64(st, 10);
    s->reminder_of = hb_stmt_is_null(st, 11) ? 0 : hb_stmt_int64(st, 11);
    return s->payload && s->signature ? 0 : HB_ENOMEM;
}

static void stored_dispose(stored *s)
{
    hb_free(s->payload);
    hb_free(s->signature);
}

static bool field_is(const json_t *o, const char *key, const char *want)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v && strcmp(v, want) == 0;
}

/* Verify a stored notification; *payload gets the parsed message when it verifies. HB_EPERM
 * (the message says why) when it must be refused. */
static int verify(hb_store *store, const stored *s, json_t **payload)
{
    *payload = NULL;
    json_t *p = json_loads(s->payload, 0, NULL);
    if (!p)
        return hb_error_set(HB_EPERM, "the payload is not JSON");
    if (!field_is(p, "kind", s->kind) || !field_is(p, "from", s->from) ||
        !field_is(p, "to", s->to) || !field_is(p, "created_at", s->created_at)) {
        json_decref(p);
        return hb_error_set(HB_EPERM, "the stored fields do not match the signed payload");
    }
    int rc = hb_signing_verify(store, s->from, s->key_id, s->created_at, s->payload,
                               strlen(s->payload), s->signature);
    if (rc < 0) {
        json_decref(p);
        return rc == HB_EPERM ? rc : hb_error_set(HB_EPERM, "%s", hb_error_last());
    }
    *payload = p;
    return 0;
}

int hb_notify_inbox(hb_store *store, const char *jurisdiction, bool all, hb_table **out)
{
    static const char *const names[] = { "id",
                                         "kind",
                                         "from",
                                         "created_at",
                                         "subject",
                                         "status",
                                         "acknowledged_at",
                                         "acknowledged_by",
                                         "reminders" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT };
    hb_stmt *st = NULL;
    int rc = hb_table_new(out, 9, names, kinds);
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "SELECT " STORED_COLUMNS " FROM hb_notifications WHERE"
                              " to_jurisdiction = ? AND (? = 1 OR acknowledged_at IS NULL)"
                              " ORDER BY created_at DESC, id DESC");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, jurisdiction)) == 0)
        rc = hb_stmt_bind_int64(st, 2, all ? 1 : 0);
    while (rc == 0 && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        stored s;
        json_t *p = NULL;
        rc = read_stored(st, &s);
        char id[24], reminders[24], status[HB_ERROR_MESSAGE_MAX + 16];
        if (rc == 0) {
            int v = verify(store, &s, &p);
            snprintf(status, sizeof status, "%s%s",
                     v == 0 ? "verified" : "refused: ", v == 0 ? "" : hb_error_last());
            snprintf(id, sizeof id, "%lld", (long long)s.id);
            snprintf(reminders, sizeof reminders, "%lld", (long long)s.reminders);
            const char *subject = p ? json_string_value(json_object_get(p, "subject")) : NULL;
            const char *row[] = { id,
                                  s.kind,
                                  s.from,
                                  s.created_at,
                                  subject ? subject : "",
                                  status,
                                  s.acknowledged_at[0] ? s.acknowledged_at : NULL,
                                  s.acknowledged_at[0] ? s.acknowledged_by : NULL,
                                  reminders };
            rc = hb_table_add_row(*out, row);
        }
        json_decref(p);
        stored_dispose(&s);
    }
    hb_stmt_finalize(st);
    if (rc < 0) {
        hb_table_free(*out);
        *out = NULL;
    }
    return rc;
}

/* The notification id if it was sent to jurisdiction. */
static int load(hb_store *store, const char *jurisdiction, int64_t id, stored *s)
{
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT " STORED_COLUMNS " FROM hb_notifications WHERE id = ?"
                              " AND to_jurisdiction = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, jurisdiction)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_ROW)
        rc = read_stored(st, s);
    else if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "no notification %lld for %s", (long long)id, jurisdiction);
    hb_stmt_finalize(st);
    return rc;
}

int hb_notify_get(hb_store *store, const char *jurisdiction, int64_t id, char **json)
{
    stored s;
    json_t *p = NULL;
    int rc = load(store, jurisdiction, id, &s);
    if (rc < 0)
        return rc;
    rc = verify(store, &s, &p);
    char status[HB_ERROR_MESSAGE_MAX + 16] = "verified";
    if (rc == HB_EPERM) { /* shown as refused, with the stored fields and without the payload */
        snprintf(status, sizeof status, "refused: %s", hb_error_last());
        p = json_pack("{s:s, s:s, s:s, s:s}", "kind", s.kind, "from", s.from, "to", s.to,
                      "created_at", s.created_at);
        rc = p ? 0 : HB_ENOMEM;
    }
    if (rc == 0) {
        json_object_set_new(p, "id", json_integer(s.id));
        json_object_set_new(p, "status", json_string(status));
        json_object_set_new(p, "acknowledged_at",
                            s.acknowledged_at[0] ? json_string(s.acknowledged_at) : json_null());
        json_object_set_new(p, "acknowledged_by",
                            s.acknowledged_at[0] ? json_string(s.acknowledged_by) : json_null());
        *json = canonical(p);
        rc = *json ? 0 : HB_ENOMEM;
    }
    json_decref(p);
    stored_dispose(&s);
    return rc;
}

int hb_notify_ack(hb_store *store, const char *jurisdiction, int64_t id, const char *actor)
{
    stored s;
    json_t *p = NULL;
    int rc = load(store, jurisdiction, id, &s);
    if (rc < 0)
        return rc;
    rc = verify(store, &s, &p);
    int64_t root = s.reminder_of ? s.reminder_of : s.id; /* a reminder acknowledges its original */
    json_decref(p);
    stored_dispose(&s);
    if (rc < 0)
        return hb_error_prefix("notification %lld refused: ", (long long)id);
    char now[HB_TIMESTAMP_STRLEN];
    hb_stmt *st = NULL;
    rc = hb_store_prepare(store, &st,
                          "UPDATE hb_notifications SET acknowledged_at = ?, acknowledged_by = ?"
                          " WHERE (id = ? OR reminder_of = ?) AND acknowledged_at IS NULL");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, hb_timestamp_now(now))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, actor)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, root)) == 0 && (rc = hb_stmt_bind_int64(st, 4, root)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* A signed reminder of notification id from its sender, and the count on the original. */
static int remind_one(hb_store *store, const char *key_dir, int64_t id, const char *now,
                      hb_notify_report *report)
{
    stored s;
    hb_stmt *st = NULL;
    int rc = hb_store_prepare(store, &st,
                              "SELECT " STORED_COLUMNS " FROM hb_notifications WHERE id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, id)) == 0 &&
        (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        rc = read_stored(st, &s);
    hb_stmt_finalize(st);
    if (rc < 0)
        return rc;
    json_t *p = NULL;
    if (verify(store, &s, &p) < 0) { /* a refused notification is not pressed on anyone */
        stored_dispose(&s);
        return 0;
    }
    const char *subject = json_string_value(json_object_get(p, "subject"));
    char dedup[48], text[384];
    snprintf(dedup, sizeof dedup, "%lld:%lld", (long long)id, (long long)s.reminders + 1);
    snprintf(text, sizeof text, "Reminder %lld, not yet acknowledged: %s",
             (long long)s.reminders + 1, subject ? subject : "");
    json_t *body = json_pack("{s:I, s:s, s:s}", "original", (json_int_t)id, "original_subject",
                             subject ? subject : "", "original_created_at", s.created_at);
    message m = { "reminder", s.from, s.to, dedup, text, body, id };
    rc = body ? send(store, key_dir, &m, report) : HB_ENOMEM;
    json_decref(body);
    json_decref(p);
    stored_dispose(&s);
    if (rc == 0 &&
        (rc = hb_store_prepare(store, &st,
                               "UPDATE hb_notifications SET reminders = reminders + 1,"
                               " last_reminded_at = ? WHERE id = ?")) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 1, now)) == 0 && (rc = hb_stmt_bind_int64(st, 2, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

int hb_notify_remind(hb_store *store, const char *key_dir, int reminder_hours,
                     hb_notify_report *report)
{
    char now[HB_TIMESTAMP_STRLEN], cutoff[HB_TIMESTAMP_STRLEN];
    memset(report, 0, sizeof *report);
    int rc = hb_timestamp_add(cutoff, hb_timestamp_now(now), -(int64_t)reminder_hours * 3600);
    if (rc < 0)
        return rc;
    /* Collect the due ids first (a page at a time: the next call reminds the rest), so no read
     * is open on the table while reminders are inserted into it. */
    int64_t due[HB_PAGE_LIMIT_MAX];
    size_t ndue = 0;
    hb_stmt *st = NULL;
    rc = hb_store_begin(store);
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "SELECT id FROM hb_notifications WHERE acknowledged_at IS NULL AND"
                              " kind <> 'reminder' AND created_at < ? AND (last_reminded_at IS"
                              " NULL OR last_reminded_at < ?) ORDER BY id");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, cutoff)) == 0)
        rc = hb_stmt_bind_cstr(st, 2, cutoff);
    while (rc == 0 && ndue < HB_PAGE_LIMIT_MAX && (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        due[ndue++] = hb_stmt_int64(st, 0);
        rc = 0;
    }
    hb_stmt_finalize(st);
    for (size_t i = 0; rc == 0 && i < ndue; i++)
        rc = remind_one(store, key_dir, due[i], now, report);
    return end_transaction(store, rc);
}
