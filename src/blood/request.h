/*
 * blood/request.h — cross-border requests for rare blood, as a state machine.
 *
 *                      offer (centre: reserves the unit)
 *     requested ──────────────────────────► offered ──accept──► accepted ──ship──► shipped
 *         │  decline (centre)                 │      (hospital)    │     (centre)     │
 *         ▼                                   │                    │          receive │ (hospital)
 *      declined                               │                    │                  ▼
 *                                             │                    │               received
 *     requested | offered | accepted ──cancel (either party: a reserved unit is released)──►
 *                                                                                 cancelled
 *
 * A hospital blood bank (any organisation of any jurisdiction) asks the owning blood centre for a
 * unit it found (by DIN) or for a donor to be recalled (by pseudonym). Only the owning centre
 * can offer — the unit is reserved at that moment and not before, so the owner approves every
 * reservation — and it offers a specific available unit of its own (for a donor request, the
 * unit it collected). The patient is described only by what the blood must match: ABO, RhD and
 * the antigens that must be absent; the unit must satisfy them, checked at request and at offer.
 *
 * Every step records its time in the request and appends one event (who, when, from which state
 * to which, a note) to the request's history; an illegal step changes nothing and fails with
 * HB_ECONFLICT, a step by the wrong party with HB_EPERM. Each step is one transaction: the
 * caller's when one is open (the HTTP request's, with its audit entry), else its own.
 *
 * A request is visible to its two parties only — the requester and the owning centre; to anyone
 * else every function here answers HB_ENOTFOUND, so request numbers do not leak.
 */
#ifndef HB_BLOOD_REQUEST_H
#define HB_BLOOD_REQUEST_H

#include <stdint.h>

#include "blood/din.h"
#include "blood/registry.h"
#include "healthybay/blood.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/limits.h"
#include "util/table.h"

typedef enum hb_blood_request_state {
    HB_REQ_REQUESTED,
    HB_REQ_OFFERED,
    HB_REQ_DECLINED,
    HB_REQ_ACCEPTED,
    HB_REQ_SHIPPED,
    HB_REQ_RECEIVED,
    HB_REQ_CANCELLED,
    HB_REQ_STATE_COUNT
} hb_blood_request_state;

typedef enum hb_blood_request_action {
    HB_REQ_OFFER,
    HB_REQ_DECLINE,
    HB_REQ_ACCEPT,
    HB_REQ_SHIP,
    HB_REQ_RECEIVE,
    HB_REQ_CANCEL,
    HB_REQ_ACTION_COUNT
} hb_blood_request_action;

const char *hb_blood_request_state_name(hb_blood_request_state state);
const char *hb_blood_request_action_name(hb_blood_request_action action);
int hb_blood_request_action_parse(hb_blood_request_action *out, const char *name);

/* The state an action leads to from state, or -1 when the action is not allowed there. Pure: the
 * transition table, for the documentation and the tests. */
int hb_blood_request_next(hb_blood_request_state state, hb_blood_request_action action);

typedef struct hb_blood_request_new {
    const char *din;   /* the unit asked for, as printed (with its check character) … */
    const char *donor; /* … or the donor's pseudonym, for a recall; exactly one of the two */
    hb_blood_abo abo;  /* the patient's */
    hb_blood_rhd rhd;
    uint64_t needs;   /* antigens that must be absent */
    const char *note; /* optional, at most HB_BLOOD_NOTE_MAX bytes */
} hb_blood_request_new;

/* A hospital's request; *id gets its number. HB_ENOTFOUND for an unknown unit or donor,
 * HB_ECONFLICT for a unit that is not available, HB_EINVAL when the unit does not suit the
 * patient (ABO, RhD, or a needed absence not known) or when a centre asks for its own. */
int hb_blood_request_create(hb_store *store, const hb_blood_actor *actor,
                            const hb_blood_request_new *request, int64_t *id);

/*
 * Take one step. din is the unit offered (as printed): required when offering on a donor request,
 * optional on a unit request (then the requested unit; another unit of the same centre may be
 * offered instead). note is optional. Errors: HB_ENOTFOUND (no such request, or not visible to
 * the actor), HB_EPERM (the other party's step), HB_ECONFLICT (not allowed in the current state,
 * or the unit was taken meanwhile), HB_EINVAL (the offered unit does not suit the patient).
 */
int hb_blood_request_step(hb_store *store, const hb_blood_actor *actor, int64_t id,
                          hb_blood_request_action action, const char *din, const char *note);

/* A request, as its parties see it. */
typedef struct hb_blood_request_info {
    int64_t id;
    hb_blood_request_state state;
    char requester[HB_ORG_CODE_MAX + 1]; /* the hospital blood bank that asked */
    char requester_jurisdiction[3];
    char centre[HB_ORG_CODE_MAX + 1]; /* the blood centre that owns the unit or donor */
    char centre_jurisdiction[3];
    char din[HB_BLOOD_DIN_LEN + 1]; /* the unit asked for or offered (13 characters); "" if none */
    char donor[HB_BLOOD_PSEUDONYM_LEN + 1]; /* the donor to recall; "" for a unit request */
    hb_blood_abo abo;                       /* what the patient needs — never who it is */
    hb_blood_rhd rhd;
    uint64_t needs;
    char at[HB_REQ_STATE_COUNT][HB_TIMESTAMP_STRLEN]; /* when it entered each state; "" if not */
    char note[HB_BLOOD_NOTE_MAX + 1];                 /* the requester's note; "" if none */
} hb_blood_request_info;

/* One request. */
int hb_blood_request_get(hb_store *store, const hb_blood_actor *actor, int64_t id,
                         hb_blood_request_info *out);
/* Its history as a table: seq, at, organisation, action, from_state, to_state, note. */
int hb_blood_request_events(hb_store *store, const hb_blood_actor *actor, int64_t id,
                            hb_table **out);
/* The requests the actor made or was asked, newest first: at most limit (>= 1) of those
 * numbered below `before` (0 = from the newest) into out[0..limit); *count gets how many. */
int hb_blood_request_list(hb_store *store, const hb_blood_actor *actor, int64_t before,
                          size_t limit, hb_blood_request_info *out, size_t *count);

#endif
