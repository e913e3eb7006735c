/*
 * core/policy.c — the rule table and the one function that reads it (see policy.h).
 *
 * Reading the table: a row grants its roles the action with the given reach in the caller's own
 * jurisdiction and in the other two. A caller with several roles gets the widest reach any of
 * them gives. An action nobody is granted is denied to everyone: the default is no.
 */
#include "core/policy.h"

#include <string.h>

#include "util/error.h"

#define ROLE(r)   (1u << (HB_ROLE_##r))
#define ANY_ROLE  HB_ROLES_ALL
#define NONE      HB_REACH_NONE
#define OWN_ORG   HB_REACH_OWN_ORG
#define SHARED    HB_REACH_SHARED
#define AUTHORITY HB_REACH_AUTHORITY
#define SHARED    HB_REACH_SHARED
#define ALL       HB_REACH_ALL

/* clang-format off */
static const hb_policy_rule rules[] = {
    /* action                 roles                       own jurisdiction  other */
    /* Reference data is public knowledge every client needs to build a report. */
    { HB_ACT_REFERENCE_READ,  ANY_ROLE,                   ALL,              ALL },
    /* The directory: a hospital arranging a cross-border transfer must find the other side. */
    { HB_ACT_ORG_READ,        ANY_ROLE,                   ALL,              ALL },
    /* Each authority registers the institutions of its own jurisdiction, nobody else's. */
    { HB_ACT_ORG_CREATE,      ROLE(ADMIN),                AUTHORITY,        NONE },
    /* An organisation's admin manages its own tokens; its authority's admin may too (issuing a
     * new hospital's first token, revoking a leaked one). */
    { HB_ACT_TOKEN_READ,      ROLE(ADMIN),                AUTHORITY,        NONE },
    { HB_ACT_TOKEN_CREATE,    ROLE(ADMIN),                AUTHORITY,        NONE },
    { HB_ACT_TOKEN_REVOKE,    ROLE(ADMIN),                AUTHORITY,        NONE },
    /* Auditors see their organisation's trail; an authority's auditors their jurisdiction's. */
    { HB_ACT_AUDIT_READ,      ROLE(AUDITOR),              AUTHORITY,        NONE },
    /* Metrics hold no health data, only request counts and latencies. */
    { HB_ACT_METRICS_READ,    ROLE(ADMIN) | ROLE(MONITOR), ALL,             NONE },
    /* Surveillance. Counts are reported for one's own jurisdiction, by any of its reporting
     * organisations. Aggregates — series, alerts, bulletins — are read within the jurisdiction
     * and shared with the other two authorities (the joint prevention and control mechanism),
     * with no one else across the border. Acting on an alert and the notification inbox are the
     * own authority's business. */
    { HB_ACT_COUNTS_WRITE,    ROLE(REPORTER) | ROLE(EPIDEMIOLOGIST), ALL,   NONE },
    { HB_ACT_COUNTS_READ,     ROLE(EPIDEMIOLOGIST),       ALL,              AUTHORITY },
    { HB_ACT_ALERT_READ,      ROLE(EPIDEMIOLOGIST),       ALL,              AUTHORITY },
    { HB_ACT_ALERT_ACT,       ROLE(EPIDEMIOLOGIST),       AUTHORITY,        NONE },
    { HB_ACT_NOTICE_READ,     ROLE(EPIDEMIOLOGIST),       AUTHORITY,        NONE },
    { HB_ACT_NOTICE_ACK,      ROLE(EPIDEMIOLOGIST),       AUTHORITY,        NONE },
    { HB_ACT_BULLETIN_READ,   ROLE(EPIDEMIOLOGIST) | ROLE(REPORTER), ALL,   AUTHORITY },
    /* The registries are public registers: who may use which product where, who may practise
     * where, which hospital holds which accreditation. */
    { HB_ACT_REGISTRY_READ,   ANY_ROLE,                   ALL,              ALL },
    /* Those who submit their organisation's data submit its registry files. The registers are
     * kept jointly (Guangdong approves HK/Macao products and permits HK/Macao practitioners), so
     * an authority's reach crosses the border; which rows exactly each may write is the
     * registry's per-row table (docs/registries.md), checked on every row. Anyone else: its own
     * rows only (an institution's usage reports). */
    { HB_ACT_REGISTRY_WRITE,  ROLE(REPORTER),             AUTHORITY,        AUTHORITY },
    /* A practitioner's sex, date of birth, phone, email and disciplinary case details: for
     * those who keep the record. At home, the authority (the regulator) and the employing
     * institution (own_org: its staff); across the border only under a sharing rule the
     * registry holds — a permit the authority issued, an employment at the institution. */
    { HB_ACT_REGISTRY_PERSONAL_READ, ROLE(REPORTER),      AUTHORITY,        SHARED },
    /* Usage figures are aggregates: the three authorities share them; an institution sees its
     * own. */
    { HB_ACT_REGISTRY_USAGE_READ, ROLE(REPORTER) | ROLE(EPIDEMIOLOGIST), AUTHORITY, AUTHORITY },
    /* Settlement: an organisation acts for the payers and providers registered to it
     * (settle/rules.h). A provider's organisation submits and reads its own claims; a payer's
     * reads the claims charged to it — the sharing rule that takes a claim across the border —
     * but only decides and reverses claims it owes itself, never by sharing. */
    { HB_ACT_CLAIM_SUBMIT,    ROLE(REPORTER),             OWN_ORG,          NONE },
    { HB_ACT_CLAIM_READ,      ROLE(REPORTER),             SHARED,           SHARED },
    { HB_ACT_CLAIM_ADJUDICATE, ROLE(REPORTER),            OWN_ORG,          NONE },
    { HB_ACT_CLAIM_REVERSE,   ROLE(REPORTER),             OWN_ORG,          NONE },
    /* A holder's vouchers are the scheme's records; a designated service point may read them
     * (sharing rule: it acts for a provider that is a service point on the day). */
    { HB_ACT_VOUCHER_READ,    ROLE(REPORTER),             SHARED,           SHARED },
    /* The monthly run settles all three jurisdictions at once: any one authority starts it. */
    { HB_ACT_SETTLEMENT_RUN,  ROLE(REPORTER),             AUTHORITY,        NONE },
    /* Statements hold amounts per claim and provider, no patient: a payer's organisation reads
     * its own, the three authorities (the voucher scheme among them) read them all. */
    { HB_ACT_SETTLEMENT_READ, ROLE(REPORTER) | ROLE(AUDITOR), AUTHORITY,    AUTHORITY },
    /* Rare blood (docs/blood.md). A blood centre's registry is its own: only it imports it, and
     * only it sees its donors' identities — not even its authority. */
    { HB_ACT_BLOOD_REGISTRY_READ,  ROLE(BLOOD_BANK),      OWN_ORG,          NONE },
    { HB_ACT_BLOOD_REGISTRY_WRITE, ROLE(BLOOD_BANK),      OWN_ORG,          NONE },
    /* Every blood bank searches all three registries: units, donor pseudonyms and phenotypes
     * cross the border; the search never reads a donor's identity. */
    { HB_ACT_BLOOD_SEARCH,         ROLE(BLOOD_BANK),      ALL,              ALL },
    /* A request is shared by its two parties — the hospital that asks and the centre that owns
     * the blood — in whichever jurisdictions they are, and seen by nobody else. */
    { HB_ACT_BLOOD_REQUEST_READ,   ROLE(BLOOD_BANK),      SHARED,           SHARED },
    { HB_ACT_BLOOD_REQUEST_WRITE,  ROLE(BLOOD_BANK),      SHARED,           SHARED },
    /* Vaccination. Any reporting organisation records the doses given in its own jurisdiction
     * (each dose keeps its recording organisation); none across the border. */
    { HB_ACT_VACCINE_WRITE,   ROLE(REPORTER),             ALL,              NONE },
    /* A person's record belongs to their jurisdiction of residence: its authority reads every
     * one, a vaccination site those of the persons it vaccinated. Across the border only under
     * the module's sharing rules (vaccine.h, hb_vaccine_holders): the site that recorded a dose,
     * and the authority of a jurisdiction where one was given — residence and administration
     * are the two legitimate interests. */
    { HB_ACT_VACCINE_READ,    ROLE(CLINICIAN),            AUTHORITY,        SHARED },
    /* Coverage figures are aggregates, shared among the three authorities like counts. */
    { HB_ACT_VACCINE_COVERAGE_READ, ROLE(EPIDEMIOLOGIST), ALL,              AUTHORITY },
    /* A certificate is signed with the issuing jurisdiction's document-signer key, which its
     * authority holds: the object is that key, owned by no organisation. */
    { HB_ACT_VACCINE_CERT_ISSUE, ROLE(CLINICIAN),         AUTHORITY,        NONE },
    /* Verifying needs no personal data from the hub and stores none: any token, anywhere. */
    { HB_ACT_VACCINE_CERT_VERIFY, ANY_ROLE,               ALL,              ALL },
};
/* clang-format on */

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const action_names[] = {
    "reference.read",      "org.read",
    "org.create",          "token.read",
    "token.create",        "token.revoke",
    "audit.read",          "metrics.read",
    "counts.write",        "counts.read",
    "alert.read",          "alert.act",
    "notice.read",         "notice.ack",
    "bulletin.read",       "registry.read",
    "registry.write",      "registry.personal.read",
    "registry.usage.read", "claim.submit",
    "claim.read",          "claim.adjudicate",
    "claim.reverse",       "voucher.read",
    "settlement.run",      "settlement.read",
    "blood.registry.read", "blood.registry.write",
    "blood.search",        "blood.request.read",
    "blood.request.write", "vaccine.write",
    "vaccine.read",        "vaccine.coverage.read",
    "vaccine.cert.issue",  "vaccine.cert.verify",
};
_Static_assert(COUNT(action_names) == HB_ACTION_COUNT, "a name for every action");

const char *hb_action_name(hb_action action)
{
    return (unsigned)action < HB_ACTION_COUNT ? action_names[action] : "unknown";
}

const char *hb_reach_name(hb_reach reach)
{
    static const char *const names[] = { "none", "own_org", "shared", "authority", "all" };
    return (unsigned)reach < COUNT(names) ? names[reach] : "unknown";
}

const hb_policy_rule *hb_policy_rules(size_t *count)
{
    *count = COUNT(rules);
    return rules;
}

static hb_reach resolve(hb_reach reach, const hb_principal *who)
{
    if (reach != HB_REACH_AUTHORITY)
        return reach;
    return who->org_kind == HB_ORG_HEALTH_AUTHORITY ? HB_REACH_ALL : HB_REACH_OWN_ORG;
}

hb_reach hb_policy_reach(const hb_principal *who, hb_action action, bool own)
{
    hb_reach best = HB_REACH_NONE;
    for (size_t i = 0; i < COUNT(rules); i++) {
        if (rules[i].action != action || !(rules[i].roles & who->roles))
            continue;
        hb_reach r = resolve(own ? rules[i].own : rules[i].other, who);
        if (r > best)
            best = r;
    }
    return best;
}

bool hb_policy_allows_some(const hb_principal *who, hb_action action)
{
    return hb_policy_reach(who, action, true) != HB_REACH_NONE ||
           hb_policy_reach(who, action, false) != HB_REACH_NONE;
}

bool hb_policy__reach_admits(hb_reach reach, const hb_principal *who,
                             const hb_policy_target *target)
{
    bool own_org = target->owner_org && strcmp(target->owner_org, who->org) == 0;
    switch (resolve(reach, who)) {
    case HB_REACH_ALL:
        return true;
    case HB_REACH_SHARED:
        return own_org || target->shared;
    case HB_REACH_OWN_ORG:
        return own_org;
    default:
        return false;
    }
}

static bool is_own(const hb_principal *who, const char *jurisdiction)
{
    return !jurisdiction || strcmp(jurisdiction, who->jurisdiction) == 0;
}

int hb_policy_check(const hb_principal *who, hb_action action, const hb_policy_target *target)
{
    bool own = is_own(who, target->jurisdiction);
    hb_reach reach = hb_policy_reach(who, action, own);
    if (hb_policy__reach_admits(reach, who, target))
        return 0;
    return hb_error_set(HB_EPERM, "%s is not allowed to %s %s%s", who->org, hb_action_name(action),
                        own ? "in its own jurisdiction" : "in another jurisdiction",
                        reach == HB_REACH_NONE ? "" : " on this object");
}

int hb_policy_scope_for(hb_policy_scope *out, const hb_principal *who, hb_action action,
                        const char *jurisdiction, const char *org)
{
    out->jurisdiction = jurisdiction ? jurisdiction : who->jurisdiction;
    out->org = org;
    out->with_shared = false;
    bool own = is_own(who, out->jurisdiction);
    hb_reach reach = hb_policy_reach(who, action, own);
    if (reach == HB_REACH_ALL)
        return 0;
    if (reach == HB_REACH_NONE)
        return hb_error_set(HB_EPERM, "%s may not %s in %s", who->org, hb_action_name(action),
                            out->jurisdiction);
    if (org && strcmp(org, who->org) != 0)
        return hb_error_set(HB_EPERM, "%s may not %s for another organisation", who->org,
                            hb_action_name(action));
    out->org = who->org;
    out->with_shared = reach == HB_REACH_SHARED;
    return 0;
}
