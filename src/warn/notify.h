/*
 * warn/notify.h — cross-border notifications under the joint prevention and control mechanism.
 *
 * After each daily run, each jurisdiction tells the other two how its epidemic is progressing
 * (kind "daily": its daily bulletin as JSON and its open alerts); an alert that reaches the
 * configured level notifies the other two at once (kind "alert", again when its level rises).
 * Every notification is signed with the sender jurisdiction's key (core/signing.h) and verified
 * on receipt: the inbox shows only what verifies, marks the rest as refused with the reason, and
 * a refused notification cannot be acknowledged. An authority acknowledges what it received;
 * one left unacknowledged for [notify] reminder_hours gets a signed reminder, and another after
 * each further period.
 *
 * Sending is idempotent: the same daily notification or the same alert level is sent once.
 */
#ifndef HB_WARN_NOTIFY_H
#define HB_WARN_NOTIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "healthybay/common.h"
#include "store/store.h"
#include "util/table.h"
#include "warn/alerts.h"

typedef struct hb_notify_report {
    size_t sent;      /* notifications created */
    size_t already;   /* existed already (idempotent re-send) */
    size_t unsigned_; /* not sent: the sender has no signing key here */
} hb_notify_report;

/* Each jurisdiction's daily notification to the other two, for run date; keys from key_dir
 * (NULL: the default, see core/signing.h). A jurisdiction without a key file is skipped and
 * counted in report->unsigned_. Runs its own transaction. */
int hb_notify_daily(hb_store *store, const char *key_dir, hb_date date, hb_notify_report *report);

/* Notify the other two jurisdictions of alert_id at level (call when it is opened or raised to
 * level >= the configured notify level). Runs its own transaction. */
int hb_notify_alert(hb_store *store, const char *key_dir, int64_t alert_id, hb_alert_level level,
                    hb_notify_report *report);

/* Send reminders for notifications unacknowledged for reminder_hours (see the file comment). */
int hb_notify_remind(hb_store *store, const char *key_dir, int reminder_hours,
                     hb_notify_report *report);

/*
 * The inbox of jurisdiction: id, kind, from, created_at, subject, status (verified, or
 * "refused: <reason>"), acknowledged_at, acknowledged_by, reminders; newest first. Unacknowledged
 * only unless all.
 */
int hb_notify_inbox(hb_store *store, const char *jurisdiction, bool all, hb_table **out);

/* One notification as JSON text: its verified payload plus id, status ("verified"), and the
 * acknowledgement; one that does not verify has only the stored kind, from, to, created_at, id
 * and status "refused: <reason>". *json is owned by the caller (hb_free). HB_ENOTFOUND unless it
 * was sent to jurisdiction. */
int hb_notify_get(hb_store *store, const char *jurisdiction, int64_t id, char **json);

/* Acknowledge notification id on behalf of jurisdiction by actor (an organisation or person).
 * HB_ENOTFOUND unless it was sent to jurisdiction; HB_EPERM when it does not verify (refused);
 * acknowledging twice is not an error (the first acknowledgement stays). Acknowledging a
 * notification also acknowledges its reminders. */
int hb_notify_ack(hb_store *store, const char *jurisdiction, int64_t id, const char *actor);

#endif
