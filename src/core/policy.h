/*
 * core/policy.h — authorisation, in one place: may this caller do this action to this object?
 *
 * The policy is data: a table of rules (policy.c), each granting a set of roles an action with a
 * reach in the caller's own jurisdiction and a reach in the other two. One function reads it.
 * The HTTP server, the CLI and every module ask here; none decides on its own.
 *
 * Reaches, from narrowest to widest:
 *
 *   none       never
 *   own_org    objects owned by the caller's own organisation
 *   shared     those, and objects another organisation shares with the caller's under an
 *              explicit sharing rule (a cross-border transfer, a blood request): the owning
 *              module knows its sharing rules and says so in the target's `shared`
 *   authority  a health authority: every object; any other organisation: its own (own_org).
 *              In the own column this is oversight of one's jurisdiction; in the other column it
 *              is how aggregates (counts, alerts, bulletins) are shared among the three
 *              authorities and no one else
 *   all        every object
 *
 * Personal records use at most `shared` in the other-jurisdiction column, so they cross the
 * border only under a sharing rule. Objects that belong to no jurisdiction (reference data, the
 * server's metrics) are judged by the own-jurisdiction column.
 *
 * WHEN ADDING AN ACTION: append it to hb_action, add its name and its rules in policy.c, add a
 * row for it to the expected matrix in tests/core/test_policy.c (the test fails until you do),
 * and to the policy table in docs/api.md (`healthybay policy` prints it).
 */
#ifndef HB_CORE_POLICY_H
#define HB_CORE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/accounts.h"

typedef enum hb_action {
    HB_ACT_REFERENCE_READ, /* regions, diseases, holidays */
    HB_ACT_ORG_READ,       /* the directory of organisations */
    HB_ACT_ORG_CREATE,     /* register an organisation */
    HB_ACT_TOKEN_READ,     /* list an organisation's tokens (never their secrets) */
    HB_ACT_TOKEN_CREATE,   /* issue a token to an organisation */
    HB_ACT_TOKEN_REVOKE,   /* revoke a token */
    HB_ACT_AUDIT_READ,     /* read the audit log */
    HB_ACT_METRICS_READ,   /* scrape the server's metrics */
    HB_ACT_COUNTS_WRITE,   /* report surveillance counts for regions of a jurisdiction */
    HB_ACT_COUNTS_READ,    /* read surveillance series, signals, Rt and forecasts */
    HB_ACT_ALERT_READ,     /* read alerts and their history */
    HB_ACT_ALERT_ACT,      /* assess, confirm, dismiss, close, reopen, comment an alert */
    HB_ACT_NOTICE_READ,    /* read an authority's cross-border notification inbox */
    HB_ACT_NOTICE_ACK,     /* acknowledge a cross-border notification */
    HB_ACT_BULLETIN_READ,  /* read epidemic bulletins */
    HB_ACT_REGISTRY_READ,  /* the public registers: products, practitioners, accreditation */
    HB_ACT_REGISTRY_WRITE, /* import registry data (each row checked by the registry) */
    HB_ACT_REGISTRY_PERSONAL_READ, /* practitioners' restricted fields (see policy.c) */
    HB_ACT_REGISTRY_USAGE_READ,    /* usage of HK/Macao medicines and devices */
    /* Cross-border settlement (settle/). A claim's object is its provider's (where the care was
     * given); for deciding and reversing, its payer's, who owes the money. */
    HB_ACT_CLAIM_SUBMIT,     /* a provider's claim for care it gave */
    HB_ACT_CLAIM_READ,       /* claims, their items and decisions (they name patients) */
    HB_ACT_CLAIM_ADJUDICATE, /* decide a claim charged to one's payer */
    HB_ACT_CLAIM_REVERSE,    /* reverse a paid, unsettled decision */
    HB_ACT_VOUCHER_READ,     /* an Elderly Health Care Voucher holder's balance and statement */
    HB_ACT_SETTLEMENT_RUN,   /* settle a month between all payers */
    HB_ACT_SETTLEMENT_READ,  /* a payer's statement of a settled month */
    /* Rare blood (blood/). A blood centre's registry is its own; a request is shared by its two
     * parties, the hospital that asks and the centre that owns the blood. */
    HB_ACT_BLOOD_REGISTRY_READ,  /* a blood centre's own donors (with identities) and units */
    HB_ACT_BLOOD_REGISTRY_WRITE, /* import a blood centre's own donors and units */
    HB_ACT_BLOOD_SEARCH,         /* search the rare-blood registries of the three jurisdictions */
    HB_ACT_BLOOD_REQUEST_READ,   /* a rare-blood request and its history */
    HB_ACT_BLOOD_REQUEST_WRITE,  /* make a rare-blood request, take its steps */
    /* Vaccination (vaccine/, docs/vaccination.md). A dose record's object is its administering
     * jurisdiction's; a person's record is their jurisdiction of residence's, shared under the
     * module's sharing rules. */
    HB_ACT_VACCINE_WRITE,         /* record doses given in a jurisdiction */
    HB_ACT_VACCINE_READ,          /* a person's vaccination status (names their doses) */
    HB_ACT_VACCINE_COVERAGE_READ, /* coverage figures of the doses given in a jurisdiction */
    HB_ACT_VACCINE_CERT_ISSUE,    /* sign a certificate with the jurisdiction's DSC key */
    HB_ACT_VACCINE_CERT_VERIFY,   /* verify a certificate against the trust list */
    HB_ACTION_COUNT
} hb_action;

typedef enum hb_reach {
    HB_REACH_NONE,
    HB_REACH_OWN_ORG,
    HB_REACH_SHARED,
    HB_REACH_AUTHORITY,
    HB_REACH_ALL
} hb_reach;

typedef struct hb_policy_rule {
    hb_action action;
    hb_roles roles; /* the roles this rule grants the action to */
    hb_reach own;   /* reach in the caller's own jurisdiction */
    hb_reach other; /* reach in the other jurisdictions */
} hb_policy_rule;

/* The object of an action. */
typedef struct hb_policy_target {
    const char *jurisdiction; /* NULL: belongs to no jurisdiction */
    const char *owner_org;    /* NULL: not owned by one organisation */
    bool shared;              /* a sharing rule grants the caller's organisation access */
} hb_policy_target;

/* "org.create" … ; never NULL. */
const char *hb_action_name(hb_action action);
const char *hb_reach_name(hb_reach reach);

/* The rule table; *count gets its length. */
const hb_policy_rule *hb_policy_rules(size_t *count);

/*
 * The reach the caller's roles give for action in its own jurisdiction (own = true) or in the
 * others: the widest over its roles, with `authority` already resolved to `all` or `own_org`
 * by the caller's organisation kind. Never HB_REACH_AUTHORITY.
 */
hb_reach hb_policy_reach(const hb_principal *who, hb_action action, bool own);

/* Whether the caller may do action to some object at all: the server answers 403 before reading
 * a request when not. */
bool hb_policy_allows_some(const hb_principal *who, hb_action action);

/* 0 when the caller may do action to target; HB_EPERM with the reason otherwise. */
int hb_policy_check(const hb_principal *who, hb_action action, const hb_policy_target *target);

/* Which part of a list the caller may see. */
typedef struct hb_policy_scope {
    const char *jurisdiction; /* the jurisdiction listed (borrowed) */
    const char *org;          /* only this organisation's items; NULL = every organisation's */
    bool with_shared;         /* also items shared with org under a sharing rule */
} hb_policy_scope;

/*
 * The scope of a list request for action: jurisdiction (NULL = the caller's) and org (NULL = no
 * filter asked). A caller whose reach there is only its own organisation gets org forced to its
 * own; asking for another organisation's, or a jurisdiction out of reach, is HB_EPERM. Borrowed
 * strings in out point into who or the arguments.
 */
int hb_policy_scope_for(hb_policy_scope *out, const hb_principal *who, hb_action action,
                        const char *jurisdiction, const char *org);

/* For the tests: whether an already resolved reach admits target. */
bool hb_policy__reach_admits(hb_reach reach, const hb_principal *who,
                             const hb_policy_target *target);

#endif
