/*
 * blood/request.c — the request state machine (see request.h).
 *
 * The transition table below is the whole workflow; hb_blood_request_step() looks the action up,
 * checks the party, applies the unit's side of the step (reserve, ship, receive, release) and
 * moves the request, all in one transaction. The request is updated with "WHERE state = <the
 * state we read>", so two concurrent steps cannot both succeed: the second changes nothing and
 * fails with HB_ECONFLICT. The unit is reserved with "WHERE status = 'available'" for the same
 * reason: two centres' offers — or two requests for one unit — cannot both reserve it.
 */
#include "blood/request.h"

#include <stdio.h>
#include <string.h>

#include "blood/din.h"
#include "blood/phenotype.h"
#include "healthybay/date.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/limits.h"

static const char *const state_names[HB_REQ_STATE_COUNT] = {
    "requested", "offered", "declined", "accepted", "shipped", "received", "cancelled",
};
static const char *const action_names[HB_REQ_ACTION_COUNT] = {
    "offer", "decline", "accept", "ship", "receive", "cancel",
};

#define NO (-1)
static const signed char transitions[HB_REQ_STATE_COUNT][HB_REQ_ACTION_COUNT] = {
    /*              offer           decline          accept           ship
                    receive         cancel */
    [HB_REQ_REQUESTED] = { HB_REQ_OFFERED, HB_REQ_DECLINED, NO, NO, NO, HB_REQ_CANCELLED },
    [HB_REQ_OFFERED] = { NO, NO, HB_REQ_ACCEPTED, NO, NO, HB_REQ_CANCELLED },
    [HB_REQ_DECLINED] = { NO, NO, NO, NO, NO, NO },
    [HB_REQ_ACCEPTED] = { NO, NO, NO, HB_REQ_SHIPPED, NO, HB_REQ_CANCELLED },
    [HB_REQ_SHIPPED] = { NO, NO, NO, NO, HB_REQ_RECEIVED, NO },
    [HB_REQ_RECEIVED] = { NO, NO, NO, NO, NO, NO },
    [HB_REQ_CANCELLED] = { NO, NO, NO, NO, NO, NO },
};

/* Who takes each step: the owning centre, the requesting hospital, or either. */
enum { BY_CENTRE = 1, BY_REQUESTER = 2 };
static const unsigned char party[HB_REQ_ACTION_COUNT] = {
    BY_CENTRE, BY_CENTRE, BY_REQUESTER, BY_CENTRE, BY_REQUESTER, BY_CENTRE | BY_REQUESTER,
};

/* The column that records when a request entered each state (static: pasted into SQL). */
static const char *const state_time[HB_REQ_STATE_COUNT] = {
    "requested_at", "offered_at",  "declined_at",  "accepted_at",
    "shipped_at",   "received_at", "cancelled_at",
};

const char *hb_blood_request_state_name(hb_blood_request_state state)
{
    return (unsigned)state < HB_REQ_STATE_COUNT ? state_names[state] : "?";
}

const char *hb_blood_request_action_name(hb_blood_request_action action)
{
    return (unsigned)action < HB_REQ_ACTION_COUNT ? action_names[action] : "?";
}

int hb_blood_request_action_parse(hb_blood_request_action *out, const char *name)
{
    for (int i = 0; i < HB_REQ_ACTION_COUNT; i++)
        if (strcmp(name, action_names[i]) == 0) {
            *out = (hb_blood_request_action)i;
            return 0;
        }
    return hb_error_set(HB_EINVAL,
                        "'%s' is not a request step (offer, decline, accept, ship, receive, "
                        "cancel)",
                        name);
}

int hb_blood_request_next(hb_blood_request_state state, hb_blood_request_action action)
{
    if ((unsigned)state >= HB_REQ_STATE_COUNT || (unsigned)action >= HB_REQ_ACTION_COUNT)
        return NO;
    return transitions[state][action];
}

static void today(char out[HB_DATE_STRLEN])
{
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    snprintf(out, HB_DATE_STRLEN, "%.10s", now);
}

/*
 * Does unit din suit the patient, and may it be given now? Fills *owner (when not NULL).
 * HB_ENOTFOUND, HB_ECONFLICT (not available or expired), HB_EINVAL (ABO, RhD or antigens).
 */
static int unit_suits(hb_store *store, const char *din, const hb_blood_request_info *r,
                      char owner[HB_ORG_CODE_MAX + 1])
{
    hb_stmt *st;
    char day[HB_DATE_STRLEN];
    today(day);
    int rc = hb_store_prepare(store, &st,
                              "SELECT centre, status, abo, rhd, neg_mask, expiry FROM"
                              " hb_blood_units WHERE din = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, din)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "no unit with DIN %s", din);
    if (rc == HB_STORE_ROW) {
        hb_blood_abo abo;
        hb_blood_rhd rhd;
        const char *a = hb_stmt_text(st, 2, NULL), *d = hb_stmt_text(st, 3, NULL);
        rc = hb_blood_abo_parse(&abo, a, strlen(a));
        if (rc == 0)
            rc = hb_blood_rhd_parse(&rhd, d, strlen(d));
        uint64_t neg = (uint64_t)hb_stmt_int64(st, 4);
        if (owner)
            snprintf(owner, HB_ORG_CODE_MAX + 1, "%s", hb_stmt_text(st, 0, NULL));
        if (rc == 0 && strcmp(hb_stmt_text(st, 1, NULL), "available") != 0)
            rc = hb_error_set(HB_ECONFLICT, "unit %s is %s", din, hb_stmt_text(st, 1, NULL));
        else if (rc == 0 && strcmp(hb_stmt_text(st, 5, NULL), day) < 0)
            rc =
                hb_error_set(HB_ECONFLICT, "unit %s expired on %s", din, hb_stmt_text(st, 5, NULL));
        else if (rc == 0 &&
                 (!hb_blood_abo_compatible(r->abo, abo) || !hb_blood_rhd_compatible(r->rhd, rhd)))
            rc = hb_error_set(HB_EINVAL, "unit %s is %s %s: not for a %s %s patient", din, a, d,
                              hb_blood_abo_name(r->abo), hb_blood_rhd_name(r->rhd));
        else if (rc == 0 && (neg & r->needs) != r->needs)
            rc = hb_error_set(HB_EINVAL,
                              "unit %s is not known to lack every antigen the patient needs "
                              "absent (unknown is not negative)",
                              din);
    }
    hb_stmt_finalize(st);
    return rc;
}

/* A donor request: the donor must exist, be eligible and suit the patient. */
static int donor_suits(hb_store *store, const char *pseudonym, const hb_blood_request_info *r,
                       char owner[HB_ORG_CODE_MAX + 1])
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "SELECT centre, eligible, abo, rhd, neg_mask FROM hb_blood_donors"
                              " WHERE pseudonym = ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, pseudonym)) == 0)
        rc = hb_stmt_step(st);
    if (rc == HB_STORE_DONE)
        rc = hb_error_set(HB_ENOTFOUND, "no donor %s", pseudonym);
    if (rc == HB_STORE_ROW) {
        hb_blood_abo abo;
        hb_blood_rhd rhd;
        const char *a = hb_stmt_text(st, 2, NULL), *d = hb_stmt_text(st, 3, NULL);
        snprintf(owner, HB_ORG_CODE_MAX + 1, "%s", hb_stmt_text(st, 0, NULL));
        rc = hb_blood_abo_parse(&abo, a, strlen(a));
        if (rc == 0)
            rc = hb_blood_rhd_parse(&rhd, d, strlen(d));
        if (rc == 0 && hb_stmt_int64(st, 1) != 1)
            rc = hb_error_set(HB_ECONFLICT, "donor %s is not eligible to donate", pseudonym);
        else if (rc == 0 &&
                 (!hb_blood_abo_compatible(r->abo, abo) || !hb_blood_rhd_compatible(r->rhd, rhd) ||
                  ((uint64_t)hb_stmt_int64(st, 4) & r->needs) != r->needs))
            rc = hb_error_set(HB_EINVAL, "donor %s does not suit the patient", pseudonym);
    }
    hb_stmt_finalize(st);
    return rc;
}

/*
 * Append one event to the request's history. Every create and every step goes through here
 * exactly once, inside its transaction: the audit entry for the step belongs beside it.
 */
static int record_event(hb_store *store, const hb_blood_actor *actor, int64_t id,
                        const char *action, const char *from, const char *to, const char *note,
                        const char *at)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_blood_request_events (request_id, seq, at,"
                              " organisation, action, from_state, to_state, note) SELECT"
                              " CAST(? AS BIGINT),"
                              " COALESCE(MAX(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM"
                              " hb_blood_request_events WHERE request_id = ?");
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_int64(st, 1, id)) == 0 && (rc = hb_stmt_bind_cstr(st, 2, at)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, actor->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, action)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, from)) == 0 && (rc = hb_stmt_bind_cstr(st, 6, to)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, note)) == 0 && (rc = hb_stmt_bind_int64(st, 8, id)) == 0)
        rc = hb_stmt_step(st);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

static int check_note(const char *note)
{
    if (note && strlen(note) > HB_BLOOD_NOTE_MAX)
        return hb_error_set(HB_ELIMIT, "a note has at most %d bytes", HB_BLOOD_NOTE_MAX);
    return 0;
}

/* Check the new request and find the owning centre; r gets the patient's needs. */
static int check_new(hb_store *store, const hb_blood_actor *actor, const hb_blood_request_new *n,
                     hb_blood_request_info *r)
{
    int rc = hb_blood__check_actor(actor);
    if (rc == 0)
        rc = check_note(n->note);
    if (rc == 0 && !n->din == !n->donor)
        rc = hb_error_set(HB_EINVAL, "ask for one unit (DIN) or one donor (pseudonym)");
    if (rc == 0 && (n->needs & ~HB_BLOOD_MASK_ALL))
        rc = hb_error_set(HB_EINVAL, "antigen bit 63 is not used");
    if (rc < 0)
        return rc;
    r->abo = n->abo;
    r->rhd = n->rhd;
    r->needs = n->needs;
    if (n->din) {
        rc = hb_blood_din_parse(r->din, n->din, strlen(n->din));
        if (rc == 0)
            rc = unit_suits(store, r->din, r, r->centre);
    } else {
        snprintf(r->donor, sizeof r->donor, "%s", n->donor);
        rc = donor_suits(store, n->donor, r, r->centre);
    }
    if (rc == 0 && strcmp(r->centre, actor->org) == 0)
        rc = hb_error_set(HB_EINVAL, "%s owns this %s: there is nothing to request", actor->org,
                          n->din ? "unit" : "donor");
    return rc;
}

static int insert_request(hb_store *store, const hb_blood_actor *actor,
                          const hb_blood_request_info *r, const char *note, const char *now,
                          int64_t *id)
{
    hb_buf needs;
    hb_buf_init(&needs, 0);
    hb_stmt *st = NULL;
    int rc = hb_blood_antigen_list_format(&needs, r->needs);
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              "INSERT INTO hb_blood_requests (requester, requester_jurisdiction,"
                              " centre, din, donor, patient_abo, patient_rhd, patient_needs,"
                              " state, requested_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                              " 'requested', ?, ?) RETURNING id");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, actor->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, actor->jurisdiction)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, r->centre)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 4, r->din[0] ? r->din : NULL)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, r->donor[0] ? r->donor : NULL)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 6, hb_blood_abo_name(r->abo))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 7, hb_blood_rhd_name(r->rhd))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 8, hb_buf_cstr(&needs))) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 9, now)) == 0 && (rc = hb_stmt_bind_cstr(st, 10, note)) == 0 &&
        (rc = hb_stmt_step(st)) == HB_STORE_ROW) {
        *id = hb_stmt_int64(st, 0);
        rc = 0;
    }
    hb_stmt_finalize(st);
    hb_buf_dispose(&needs);
    return rc < 0 ? rc : 0;
}

int hb_blood_request_create(hb_store *store, const hb_blood_actor *actor,
                            const hb_blood_request_new *request, int64_t *id)
{
    hb_blood_request_info r = { 0 };
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    *id = 0;
    bool own;
    int rc = hb_blood__begin(store, &own);
    if (rc < 0)
        return rc;
    rc = check_new(store, actor, request, &r);
    if (rc == 0)
        rc = insert_request(store, actor, &r, request->note, now, id);
    if (rc == 0)
        rc = record_event(store, actor, *id, "request", NULL, "requested", request->note, now);
    rc = hb_blood__end(store, own, rc);
    if (rc < 0)
        *id = 0;
    return rc;
}

#define REQUEST_COLUMNS                                                                         \
    "SELECT r.id, r.state, r.requester, r.requester_jurisdiction, r.centre, c.jurisdiction,"    \
    " r.din, r.donor, r.patient_abo, r.patient_rhd, r.patient_needs, r.requested_at,"           \
    " r.offered_at, r.declined_at, r.accepted_at, r.shipped_at, r.received_at, r.cancelled_at," \
    " r.note FROM hb_blood_requests r JOIN hb_blood_centres c ON c.code = r.centre"
#define FIRST_TIME_COLUMN 11 /* requested_at; the others follow in the order of state_time[] */

static void copy_text(char *out, size_t size, hb_stmt *st, int col)
{
    snprintf(out, size, "%s", hb_stmt_text(st, col, NULL));
}

/* The current row of a REQUEST_COLUMNS query into r. */
static int read_request(hb_stmt *st, hb_blood_request_info *r)
{
    memset(r, 0, sizeof *r);
    r->id = hb_stmt_int64(st, 0);
    for (int s = 0; s < HB_REQ_STATE_COUNT; s++)
        if (strcmp(hb_stmt_text(st, 1, NULL), state_names[s]) == 0)
            r->state = (hb_blood_request_state)s;
    copy_text(r->requester, sizeof r->requester, st, 2);
    copy_text(r->requester_jurisdiction, sizeof r->requester_jurisdiction, st, 3);
    copy_text(r->centre, sizeof r->centre, st, 4);
    copy_text(r->centre_jurisdiction, sizeof r->centre_jurisdiction, st, 5);
    copy_text(r->din, sizeof r->din, st, 6);
    copy_text(r->donor, sizeof r->donor, st, 7);
    for (int s = 0; s < HB_REQ_STATE_COUNT; s++)
        copy_text(r->at[s], sizeof r->at[s], st, FIRST_TIME_COLUMN + s);
    copy_text(r->note, sizeof r->note, st, FIRST_TIME_COLUMN + HB_REQ_STATE_COUNT);
    size_t len;
    const char *a = hb_stmt_text(st, 8, NULL), *d = hb_stmt_text(st, 9, NULL);
    const char *n = hb_stmt_text(st, 10, &len);
    int rc = hb_blood_abo_parse(&r->abo, a, strlen(a));
    if (rc == 0)
        rc = hb_blood_rhd_parse(&r->rhd, d, strlen(d));
    return rc == 0 ? hb_blood_antigen_list_parse(&r->needs, n, len) : rc;
}

/* Read request id: the one place that decides who sees a request. HB_ENOTFOUND unless the actor
 * is one of its two parties, so that nobody else can even tell the number is taken. */
static int load_request(hb_store *store, const hb_blood_actor *actor, int64_t id,
                        hb_blood_request_info *r)
{
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, REQUEST_COLUMNS " WHERE r.id = ?");
    if (rc == 0 && (rc = hb_stmt_bind_int64(st, 1, id)) == 0)
        rc = hb_stmt_step(st);
    bool visible = rc == HB_STORE_ROW && (strcmp(hb_stmt_text(st, 2, NULL), actor->org) == 0 ||
                                          strcmp(hb_stmt_text(st, 4, NULL), actor->org) == 0);
    if (rc >= 0 && !visible)
        rc = hb_error_set(HB_ENOTFOUND, "no request %lld of yours", (long long)id);
    if (rc == HB_STORE_ROW)
        rc = read_request(st, r);
    hb_stmt_finalize(st);
    return rc;
}

/* Move the unit with the step: reserve on offer, ship, receive, release on cancel. */
static int move_unit(hb_store *store, const hb_blood_request_info *r,
                     hb_blood_request_action action, const char *now)
{
    static const char *const sql[] = {
        [HB_REQ_OFFER] = "UPDATE hb_blood_units SET status = 'reserved', request_id = ?,"
                         " updated_at = ? WHERE din = ? AND status = 'available'",
        [HB_REQ_SHIP] = "UPDATE hb_blood_units SET status = 'shipped', updated_at = ?"
                        " WHERE request_id = ? AND din = ?",
        [HB_REQ_RECEIVE] = "UPDATE hb_blood_units SET status = 'received', updated_at = ?"
                           " WHERE request_id = ? AND din = ?",
        [HB_REQ_CANCEL] = "UPDATE hb_blood_units SET status = 'available', request_id = NULL,"
                          " updated_at = ? WHERE request_id = ? AND din = ?",
    };
    bool holds = r->state == HB_REQ_OFFERED || r->state == HB_REQ_ACCEPTED;
    if (!sql[action] || (action == HB_REQ_CANCEL && !holds))
        return 0;
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql[action]);
    if (rc < 0)
        return rc;
    bool offer = action == HB_REQ_OFFER;
    if ((rc = offer ? hb_stmt_bind_int64(st, 1, r->id) : hb_stmt_bind_cstr(st, 1, now)) == 0 &&
        (rc = offer ? hb_stmt_bind_cstr(st, 2, now) : hb_stmt_bind_int64(st, 2, r->id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, r->din)) == 0)
        rc = hb_stmt_step(st);
    if (rc >= 0 && hb_stmt_changes(st) != 1)
        rc = offer ? hb_error_set(HB_ECONFLICT, "unit %s was taken meanwhile", r->din)
                   : hb_error_set(HB_ERROR, "unit %s is not held by request %lld", r->din,
                                  (long long)r->id);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* The unit an offer names: the one given, else the one requested; it must be the centre's own,
 * available and suit the patient. */
static int choose_offer(hb_store *store, hb_blood_request_info *r, const char *din)
{
    char owner[HB_ORG_CODE_MAX + 1];
    if (din) {
        int rc = hb_blood_din_parse(r->din, din, strlen(din));
        if (rc < 0)
            return rc;
    } else if (!r->din[0]) {
        return hb_error_set(HB_EINVAL, "name the unit offered for donor %s (its DIN)", r->donor);
    }
    int rc = unit_suits(store, r->din, r, owner);
    if (rc == 0 && strcmp(owner, r->centre) != 0)
        rc = hb_error_set(HB_EPERM, "unit %s belongs to %s, not %s", r->din, owner, r->centre);
    return rc;
}

static int move_request(hb_store *store, const hb_blood_request_info *r, hb_blood_request_state to,
                        const char *now)
{
    char sql[200];
    snprintf(sql, sizeof sql,
             "UPDATE hb_blood_requests SET state = ?, %s = ?, din = ? WHERE id = ? AND state = ?",
             state_time[to]);
    hb_stmt *st;
    int rc = hb_store_prepare(store, &st, sql);
    if (rc < 0)
        return rc;
    if ((rc = hb_stmt_bind_cstr(st, 1, state_names[to])) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, now)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 3, r->din[0] ? r->din : NULL)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 4, r->id)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 5, state_names[r->state])) == 0)
        rc = hb_stmt_step(st);
    if (rc >= 0 && hb_stmt_changes(st) != 1)
        rc = hb_error_set(HB_ECONFLICT, "request %lld changed meanwhile", (long long)r->id);
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}

/* Is this step allowed, and is the actor the party that takes it? */
static int check_step(const hb_blood_actor *actor, const hb_blood_request_info *r,
                      hb_blood_request_action action)
{
    unsigned who = (strcmp(actor->org, r->centre) == 0 ? BY_CENTRE : 0) |
                   (strcmp(actor->org, r->requester) == 0 ? BY_REQUESTER : 0);
    if (!(who & party[action]))
        return hb_error_set(HB_EPERM, "only %s can %s request %lld",
                            party[action] == BY_CENTRE      ? r->centre
                            : party[action] == BY_REQUESTER ? r->requester
                                                            : "either party",
                            action_names[action], (long long)r->id);
    if (hb_blood_request_next(r->state, action) == NO)
        return hb_error_set(HB_ECONFLICT, "request %lld is %s: it cannot be %s now",
                            (long long)r->id, state_names[r->state], action_names[action]);
    return 0;
}

int hb_blood_request_step(hb_store *store, const hb_blood_actor *actor, int64_t id,
                          hb_blood_request_action action, const char *din, const char *note)
{
    hb_blood_request_info r = { 0 };
    char now[HB_TIMESTAMP_STRLEN];
    hb_timestamp_now(now);
    if ((unsigned)action >= HB_REQ_ACTION_COUNT)
        return hb_error_set(HB_EINVAL, "unknown request step");
    int rc = hb_blood__check_actor(actor);
    if (rc == 0)
        rc = check_note(note);
    if (rc == 0 && din && action != HB_REQ_OFFER)
        rc = hb_error_set(HB_EINVAL, "a unit is named only when offering");
    bool own;
    if (rc < 0 || (rc = hb_blood__begin(store, &own)) < 0)
        return rc;
    rc = load_request(store, actor, id, &r);
    if (rc == 0)
        rc = check_step(actor, &r, action);
    if (rc == 0 && action == HB_REQ_OFFER)
        rc = choose_offer(store, &r, din);
    hb_blood_request_state to = (hb_blood_request_state)hb_blood_request_next(r.state, action);
    if (rc == 0)
        rc = move_unit(store, &r, action, now);
    if (rc == 0)
        rc = move_request(store, &r, to, now);
    if (rc == 0)
        rc = record_event(store, actor, id, action_names[action], state_names[r.state],
                          state_names[to], note, now);
    return hb_blood__end(store, own, rc);
}

int hb_blood_request_get(hb_store *store, const hb_blood_actor *actor, int64_t id,
                         hb_blood_request_info *out)
{
    int rc = hb_blood__check_actor(actor);
    return rc < 0 ? rc : load_request(store, actor, id, out);
}

int hb_blood_request_events(hb_store *store, const hb_blood_actor *actor, int64_t id,
                            hb_table **out)
{
    static const char *const names[] = { "seq",        "at",       "organisation", "action",
                                         "from_state", "to_state", "note" };
    static const hb_col_kind kinds[] = { HB_COL_INT,  HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT,
                                         HB_COL_TEXT, HB_COL_TEXT, HB_COL_TEXT };
    hb_blood_request_info r = { 0 };
    char id_text[24];
    int rc = hb_blood__check_actor(actor);
    if (rc == 0)
        rc = load_request(store, actor, id, &r);
    if (rc < 0)
        return rc;
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    const char *params[] = { id_text };
    return hb_store_query_table(store,
                                "SELECT seq, at, organisation, action, from_state, to_state, note"
                                " FROM hb_blood_request_events WHERE request_id = CAST(? AS BIGINT)"
                                " ORDER BY seq",
                                params, 1, 7, names, kinds, out);
}

int hb_blood_request_list(hb_store *store, const hb_blood_actor *actor, int64_t before,
                          size_t limit, hb_blood_request_info *out, size_t *count)
{
    hb_stmt *st = NULL;
    *count = 0;
    int rc = hb_blood__check_actor(actor);
    if (rc == 0)
        rc = hb_store_prepare(store, &st,
                              REQUEST_COLUMNS " WHERE (r.requester = ? OR r.centre = ?)"
                                              " AND r.id < ? ORDER BY r.id DESC LIMIT ?");
    if (rc == 0 && (rc = hb_stmt_bind_cstr(st, 1, actor->org)) == 0 &&
        (rc = hb_stmt_bind_cstr(st, 2, actor->org)) == 0 &&
        (rc = hb_stmt_bind_int64(st, 3, before > 0 ? before : INT64_MAX)) == 0)
        rc = hb_stmt_bind_int64(st, 4, (int64_t)limit);
    while (rc == 0 && *count < limit && (rc = hb_stmt_step(st)) == HB_STORE_ROW)
        if ((rc = read_request(st, &out[*count])) == 0)
            ++*count;
    hb_stmt_finalize(st);
    return rc < 0 ? rc : 0;
}
