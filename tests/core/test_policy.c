/*
 * Tests for core/policy.c: the whole decision matrix — every action × every role × caller kind
 * (health authority, hospital) × object (the caller's own organisation's, another organisation's
 * in the same jurisdiction, one in another jurisdiction) — against an expected table written
 * here from the policy as documented in docs/api.md, not derived from policy.c.
 */
#include <string.h>

#include "core/policy.h"
#include "harness.h"

/* Cells: authority caller's own org, same jurisdiction, other jurisdiction, then "/", then the
 * same for a hospital caller. A role not listed for an action is denied everywhere. */
static const struct {
    hb_action action;
    hb_role role;
    const char *cells;
} expected[] = {
    { HB_ACT_REFERENCE_READ, HB_ROLE_ADMIN, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_REPORTER, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_CLINICIAN, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_BLOOD_BANK, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_AUDITOR, "YYY/YYY" },
    { HB_ACT_REFERENCE_READ, HB_ROLE_MONITOR, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_ADMIN, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_REPORTER, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_CLINICIAN, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_BLOOD_BANK, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_AUDITOR, "YYY/YYY" },
    { HB_ACT_ORG_READ, HB_ROLE_MONITOR, "YYY/YYY" },
    /* An authority registers organisations of its own jurisdiction; nobody else does. */
    { HB_ACT_ORG_CREATE, HB_ROLE_ADMIN, "YYN/YNN" },
    /* Admins manage their own organisation's tokens; an authority's, its jurisdiction's. */
    { HB_ACT_TOKEN_READ, HB_ROLE_ADMIN, "YYN/YNN" },
    { HB_ACT_TOKEN_CREATE, HB_ROLE_ADMIN, "YYN/YNN" },
    { HB_ACT_TOKEN_REVOKE, HB_ROLE_ADMIN, "YYN/YNN" },
    { HB_ACT_AUDIT_READ, HB_ROLE_AUDITOR, "YYN/YNN" },
    /* Metrics belong to no jurisdiction; the other-jurisdiction cells never arise. */
    { HB_ACT_METRICS_READ, HB_ROLE_ADMIN, "YYN/YYN" },
    { HB_ACT_METRICS_READ, HB_ROLE_MONITOR, "YYN/YYN" },
    /* Counts are reported for one's own jurisdiction by its reporters and epidemiologists. */
    { HB_ACT_COUNTS_WRITE, HB_ROLE_REPORTER, "YYN/YYN" },
    { HB_ACT_COUNTS_WRITE, HB_ROLE_EPIDEMIOLOGIST, "YYN/YYN" },
    /* Aggregates: the whole own jurisdiction; across the border, only to health authorities. */
    { HB_ACT_COUNTS_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYN" },
    { HB_ACT_ALERT_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYN" },
    { HB_ACT_BULLETIN_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYN" },
    { HB_ACT_BULLETIN_READ, HB_ROLE_REPORTER, "YYY/YYN" },
    /* The authority acts on its own jurisdiction's alerts and reads its own inbox. */
    { HB_ACT_ALERT_ACT, HB_ROLE_EPIDEMIOLOGIST, "YYN/YNN" },
    { HB_ACT_NOTICE_READ, HB_ROLE_EPIDEMIOLOGIST, "YYN/YNN" },
    { HB_ACT_NOTICE_ACK, HB_ROLE_EPIDEMIOLOGIST, "YYN/YNN" },
    /* The registries are public registers. */
    { HB_ACT_REGISTRY_READ, HB_ROLE_ADMIN, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_REPORTER, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_CLINICIAN, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_BLOOD_BANK, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_AUDITOR, "YYY/YYY" },
    { HB_ACT_REGISTRY_READ, HB_ROLE_MONITOR, "YYY/YYY" },
    /* Reporters submit registry files: an authority's reach crosses the border (the registers
     * are kept jointly; the registry narrows it row by row), an institution's is its own. */
    { HB_ACT_REGISTRY_WRITE, HB_ROLE_REPORTER, "YYY/YNN" },
    /* Practitioners' restricted fields: at home the authority and the employer; across the
     * border only under a sharing rule (none in these targets). */
    { HB_ACT_REGISTRY_PERSONAL_READ, HB_ROLE_REPORTER, "YYN/YNN" },
    /* Usage figures: aggregates shared by the authorities; an institution's own. */
    { HB_ACT_REGISTRY_USAGE_READ, HB_ROLE_REPORTER, "YYY/YNN" },
    { HB_ACT_REGISTRY_USAGE_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YNN" },
    /* Settlement: the organisation acting for a provider submits and reads its claims; the one
     * acting for a payer decides them. Reading across the border is by sharing only (below). */
    { HB_ACT_CLAIM_SUBMIT, HB_ROLE_REPORTER, "YNN/YNN" },
    { HB_ACT_CLAIM_READ, HB_ROLE_REPORTER, "YNN/YNN" },
    { HB_ACT_CLAIM_ADJUDICATE, HB_ROLE_REPORTER, "YNN/YNN" },
    { HB_ACT_CLAIM_REVERSE, HB_ROLE_REPORTER, "YNN/YNN" },
    { HB_ACT_VOUCHER_READ, HB_ROLE_REPORTER, "YNN/YNN" },
    /* An authority settles for the whole area (its object names no jurisdiction: the own column).
     */
    { HB_ACT_SETTLEMENT_RUN, HB_ROLE_REPORTER, "YYN/YNN" },
    /* Statements: the three authorities see every payer's, anyone else its own payer's. */
    { HB_ACT_SETTLEMENT_READ, HB_ROLE_REPORTER, "YYY/YNN" },
    { HB_ACT_SETTLEMENT_READ, HB_ROLE_AUDITOR, "YYY/YNN" },
    /* Rare blood: a centre's registry is its own; search reaches all three jurisdictions; a
     * request is seen by its two parties only (these targets share none with the caller). */
    { HB_ACT_BLOOD_REGISTRY_READ, HB_ROLE_BLOOD_BANK, "YNN/YNN" },
    { HB_ACT_BLOOD_REGISTRY_WRITE, HB_ROLE_BLOOD_BANK, "YNN/YNN" },
    { HB_ACT_BLOOD_SEARCH, HB_ROLE_BLOOD_BANK, "YYY/YYY" },
    { HB_ACT_BLOOD_REQUEST_READ, HB_ROLE_BLOOD_BANK, "YNN/YNN" },
    { HB_ACT_BLOOD_REQUEST_WRITE, HB_ROLE_BLOOD_BANK, "YNN/YNN" },
    /* Vaccination: doses are recorded at home by any reporting organisation; a person's record
     * is read at home by the authority and the site that recorded it, across the border only by
     * sharing (below); coverage is an aggregate of the authorities; certificates are signed by
     * an authority; anyone verifies. */
    { HB_ACT_VACCINE_WRITE, HB_ROLE_REPORTER, "YYN/YYN" },
    { HB_ACT_VACCINE_READ, HB_ROLE_CLINICIAN, "YYN/YNN" },
    { HB_ACT_VACCINE_COVERAGE_READ, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYN" },
    { HB_ACT_VACCINE_CERT_ISSUE, HB_ROLE_CLINICIAN, "YYN/YNN" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_ADMIN, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_EPIDEMIOLOGIST, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_REPORTER, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_CLINICIAN, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_BLOOD_BANK, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_AUDITOR, "YYY/YYY" },
    { HB_ACT_VACCINE_CERT_VERIFY, HB_ROLE_MONITOR, "YYY/YYY" },
};

static hb_principal caller(hb_org_kind kind, hb_roles roles)
{
    hb_principal p = { .org_kind = kind, .roles = roles };
    strcpy(p.token_id, "0123456789abcdef");
    strcpy(p.org, kind == HB_ORG_HEALTH_AUTHORITY ? "hk-dh" : "hk-qmh");
    strcpy(p.jurisdiction, "HK");
    return p;
}

static const char *expected_cells(hb_action action, hb_role role)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (expected[i].action == action && expected[i].role == role)
            return expected[i].cells;
    return "NNN/NNN";
}

TEST(policy__the_whole_matrix)
{
    size_t checked = 0;
    for (int a = 0; a < HB_ACTION_COUNT; a++)
        for (int r = 0; r < HB_ROLE_COUNT; r++)
            for (int k = 0; k < 2; k++) {
                hb_principal who =
                    caller(k == 0 ? HB_ORG_HEALTH_AUTHORITY : HB_ORG_HOSPITAL, 1u << r);
                const hb_policy_target targets[3] = {
                    { "HK", who.org, false },    /* its own organisation's */
                    { "HK", "hk-other", false }, /* another's in HK */
                    { "GD", "gd-szh", false },   /* one in GD */
                };
                const char *cells = expected_cells((hb_action)a, (hb_role)r) + k * 4;
                for (int t = 0; t < 3; t++) {
                    bool allowed = hb_policy_check(&who, (hb_action)a, &targets[t]) == 0;
                    CHECK_MSG(allowed == (cells[t] == 'Y'),
                              "%s by %s at a %s on target %d: %s, expected %s",
                              hb_action_name((hb_action)a), hb_role_name((hb_role)r),
                              k == 0 ? "health authority" : "hospital", t,
                              allowed ? "allowed" : "denied",
                              cells[t] == 'Y' ? "allowed" : "denied");
                    checked++;
                }
            }
    CHECK_INT_EQ(checked, (size_t)HB_ACTION_COUNT * HB_ROLE_COUNT * 2 * 3);
}

TEST(policy__objects_of_no_jurisdiction_use_the_own_column)
{
    hb_principal monitor = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_MONITOR);
    hb_principal clinician = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_CLINICIAN);
    hb_policy_target metrics = { NULL, NULL, false };
    CHECK_OK(hb_policy_check(&monitor, HB_ACT_METRICS_READ, &metrics));
    CHECK_FAILS(hb_policy_check(&clinician, HB_ACT_METRICS_READ, &metrics), HB_EPERM,
                "metrics.read");
}

TEST(policy__several_roles_get_the_widest_reach)
{
    hb_principal who = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_REPORTER | 1u << HB_ROLE_AUDITOR);
    hb_policy_target own = { "HK", "hk-qmh", false };
    CHECK_OK(hb_policy_check(&who, HB_ACT_AUDIT_READ, &own));
    CHECK(hb_policy_allows_some(&who, HB_ACT_AUDIT_READ));
    CHECK(!hb_policy_allows_some(&who, HB_ACT_TOKEN_CREATE));
    CHECK_INT_EQ(hb_policy_reach(&who, HB_ACT_AUDIT_READ, true), HB_REACH_OWN_ORG);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_AUDITOR);
    CHECK_INT_EQ(hb_policy_reach(&authority, HB_ACT_AUDIT_READ, true), HB_REACH_ALL);
    CHECK_INT_EQ(hb_policy_reach(&authority, HB_ACT_AUDIT_READ, false), HB_REACH_NONE);
    hb_principal nobody = caller(HB_ORG_HEALTH_AUTHORITY, 0);
    CHECK(!hb_policy_allows_some(&nobody, HB_ACT_REFERENCE_READ));
}

/* The reaches a module's rules may use, personal records' `shared` among them. */
TEST(policy__reaches_admit_what_they_say)
{
    hb_principal hospital = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_CLINICIAN);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_CLINICIAN);
    const hb_policy_target own = { "HK", "hk-qmh", false };
    const hb_policy_target foreign = { "GD", "gd-szh", false };
    const hb_policy_target shared = { "GD", "gd-szh", true };
    CHECK(!hb_policy__reach_admits(HB_REACH_NONE, &hospital, &own));
    CHECK(hb_policy__reach_admits(HB_REACH_OWN_ORG, &hospital, &own));
    CHECK(!hb_policy__reach_admits(HB_REACH_OWN_ORG, &hospital, &shared));
    CHECK(hb_policy__reach_admits(HB_REACH_SHARED, &hospital, &own));
    CHECK(hb_policy__reach_admits(HB_REACH_SHARED, &hospital, &shared));
    CHECK(!hb_policy__reach_admits(HB_REACH_SHARED, &hospital, &foreign));
    /* Aggregates across the border: authorities yes, a hospital only its own. */
    CHECK(!hb_policy__reach_admits(HB_REACH_AUTHORITY, &hospital, &foreign));
    CHECK(hb_policy__reach_admits(HB_REACH_AUTHORITY, &authority, &foreign));
    CHECK(hb_policy__reach_admits(HB_REACH_ALL, &hospital, &foreign));
    const hb_policy_target unowned = { "HK", NULL, false };
    CHECK(!hb_policy__reach_admits(HB_REACH_OWN_ORG, &hospital, &unowned));
}

/* A practitioner's restricted fields cross the border only under the registry's sharing rules
 * (a permit the authority issued, an employment at the institution). */
TEST(policy__registry_personal_data_crosses_only_when_shared)
{
    hb_principal hospital = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_REPORTER);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_REPORTER);
    const hb_policy_target macao = { "MO", NULL, false };
    const hb_policy_target macao_shared = { "MO", NULL, true };
    const hb_policy_target at_home = { "HK", NULL, false };
    CHECK_OK(hb_policy_check(&authority, HB_ACT_REGISTRY_PERSONAL_READ, &at_home));
    CHECK_FAILS(hb_policy_check(&authority, HB_ACT_REGISTRY_PERSONAL_READ, &macao), HB_EPERM,
                "another jurisdiction");
    CHECK_OK(hb_policy_check(&authority, HB_ACT_REGISTRY_PERSONAL_READ, &macao_shared));
    CHECK_FAILS(hb_policy_check(&hospital, HB_ACT_REGISTRY_PERSONAL_READ, &at_home), HB_EPERM,
                NULL);
    CHECK_OK(hb_policy_check(&hospital, HB_ACT_REGISTRY_PERSONAL_READ, &macao_shared));
    hb_principal clinician = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_CLINICIAN);
    CHECK(!hb_policy_allows_some(&clinician, HB_ACT_REGISTRY_PERSONAL_READ));
}

/* Claims and vouchers cross the border by the settlement module's sharing rules: a payer reads
 * the claims charged to it, a service point a holder's vouchers; deciding never goes by sharing. */
TEST(policy__settlement_sharing)
{
    hb_principal insurer = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_REPORTER);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_REPORTER);
    const hb_policy_target charged = { "GD", "gd-szh",
                                       true }; /* a GD claim to the caller's payer */
    const hb_policy_target other = { "GD", "gd-szh", false };
    CHECK_OK(hb_policy_check(&insurer, HB_ACT_CLAIM_READ, &charged));
    CHECK_FAILS(hb_policy_check(&insurer, HB_ACT_CLAIM_READ, &other), HB_EPERM, "claim.read");
    CHECK_FAILS(hb_policy_check(&insurer, HB_ACT_CLAIM_ADJUDICATE, &charged), HB_EPERM, NULL);
    CHECK_FAILS(hb_policy_check(&insurer, HB_ACT_CLAIM_SUBMIT, &charged), HB_EPERM, NULL);
    CHECK_OK(hb_policy_check(&insurer, HB_ACT_VOUCHER_READ, &charged));
    /* Authorities get no oversight of claims: they are personal records, not aggregates. */
    CHECK_FAILS(hb_policy_check(&authority, HB_ACT_CLAIM_READ, &other), HB_EPERM, NULL);
    const hb_policy_target area = { NULL, NULL, false };
    CHECK_OK(hb_policy_check(&authority, HB_ACT_SETTLEMENT_RUN, &area));
    CHECK_FAILS(hb_policy_check(&insurer, HB_ACT_SETTLEMENT_RUN, &area), HB_EPERM, NULL);
}

/* A blood request crosses the border to its other party through the sharing rule, and only to
 * the blood bank role there. */
TEST(policy__blood_requests_are_shared_with_the_other_party)
{
    hb_principal centre = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_BLOOD_BANK);
    hb_principal clinician = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_CLINICIAN);
    const hb_policy_target asked = { "GD", "gd-szh", true }; /* a GD hospital's request to it */
    const hb_policy_target other = { "GD", "gd-szh", false };
    CHECK_OK(hb_policy_check(&centre, HB_ACT_BLOOD_REQUEST_READ, &asked));
    CHECK_OK(hb_policy_check(&centre, HB_ACT_BLOOD_REQUEST_WRITE, &asked));
    CHECK_FAILS(hb_policy_check(&centre, HB_ACT_BLOOD_REQUEST_READ, &other), HB_EPERM,
                "blood.request.read");
    CHECK_FAILS(hb_policy_check(&clinician, HB_ACT_BLOOD_REQUEST_READ, &asked), HB_EPERM, NULL);
    /* A registry is never shared, not even under a rule. */
    CHECK_FAILS(hb_policy_check(&centre, HB_ACT_BLOOD_REGISTRY_READ, &asked), HB_EPERM, NULL);
}

/* A person's vaccination record crosses the border only by the vaccine module's sharing rules
 * (the site that recorded a dose; the authority of a jurisdiction where one was given), and a
 * certificate is signed only with the caller's own jurisdiction's key, by its authority. */
TEST(policy__vaccination_records_cross_only_when_shared)
{
    hb_principal site = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_CLINICIAN);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_CLINICIAN);
    const hb_policy_target resident_of_gd = { "GD", NULL, false };
    const hb_policy_target vaccinated_here = { "GD", NULL, true };
    const hb_policy_target recorded_here = { "GD", "hk-qmh", false };
    CHECK_FAILS(hb_policy_check(&authority, HB_ACT_VACCINE_READ, &resident_of_gd), HB_EPERM,
                "another jurisdiction");
    CHECK_OK(hb_policy_check(&authority, HB_ACT_VACCINE_READ, &vaccinated_here));
    CHECK_OK(hb_policy_check(&site, HB_ACT_VACCINE_READ, &recorded_here));
    CHECK_FAILS(hb_policy_check(&site, HB_ACT_VACCINE_READ, &resident_of_gd), HB_EPERM, NULL);
    const hb_policy_target hk_key = { "HK", NULL, false };
    CHECK_OK(hb_policy_check(&authority, HB_ACT_VACCINE_CERT_ISSUE, &hk_key));
    CHECK_FAILS(hb_policy_check(&site, HB_ACT_VACCINE_CERT_ISSUE, &hk_key), HB_EPERM, NULL);
    const hb_policy_target gd_key = { "GD", NULL, true };
    CHECK_FAILS(hb_policy_check(&authority, HB_ACT_VACCINE_CERT_ISSUE, &gd_key), HB_EPERM, NULL);
    /* Aggregates, not records: coverage reaches the other authorities, no hospital abroad. */
    hb_principal epi = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_EPIDEMIOLOGIST);
    hb_principal hospital_epi = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_EPIDEMIOLOGIST);
    CHECK_OK(hb_policy_check(&epi, HB_ACT_VACCINE_COVERAGE_READ, &resident_of_gd));
    CHECK_FAILS(hb_policy_check(&hospital_epi, HB_ACT_VACCINE_COVERAGE_READ, &resident_of_gd),
                HB_EPERM, NULL);
}

TEST(policy__list_scopes)
{
    hb_policy_scope s;
    hb_principal hospital = caller(HB_ORG_HOSPITAL, 1u << HB_ROLE_AUDITOR);
    hb_principal authority = caller(HB_ORG_HEALTH_AUTHORITY, 1u << HB_ROLE_AUDITOR);
    CHECK_OK(hb_policy_scope_for(&s, &authority, HB_ACT_AUDIT_READ, NULL, NULL));
    CHECK_STR_EQ(s.jurisdiction, "HK");
    CHECK(s.org == NULL);
    CHECK_OK(hb_policy_scope_for(&s, &authority, HB_ACT_AUDIT_READ, "HK", "hk-qmh"));
    CHECK_STR_EQ(s.org, "hk-qmh");
    CHECK_FAILS(hb_policy_scope_for(&s, &authority, HB_ACT_AUDIT_READ, "GD", NULL), HB_EPERM, NULL);
    /* A hospital's auditor is narrowed to its own organisation. */
    CHECK_OK(hb_policy_scope_for(&s, &hospital, HB_ACT_AUDIT_READ, NULL, NULL));
    CHECK_STR_EQ(s.org, "hk-qmh");
    CHECK_FAILS(hb_policy_scope_for(&s, &hospital, HB_ACT_AUDIT_READ, NULL, "hk-dh"), HB_EPERM,
                "another organisation");
}

TEST(policy__the_table_is_well_formed)
{
    size_t n;
    const hb_policy_rule *rules = hb_policy_rules(&n);
    CHECK(n > 0);
    for (size_t i = 0; i < n; i++) {
        CHECK((unsigned)rules[i].action < HB_ACTION_COUNT);
        CHECK(rules[i].roles != 0 && (rules[i].roles & ~(hb_roles)HB_ROLES_ALL) == 0);
        CHECK(rules[i].own <= HB_REACH_ALL && rules[i].other <= HB_REACH_ALL);
    }
    for (int a = 0; a < HB_ACTION_COUNT; a++)
        for (int b = a + 1; b < HB_ACTION_COUNT; b++)
            CHECK(strcmp(hb_action_name((hb_action)a), hb_action_name((hb_action)b)) != 0);
}
