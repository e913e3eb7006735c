/*
 * server/routes.c — THE route table: every HTTP resource healthybay serves is one row here.
 *
 * A row says: method, path pattern, handler, who may call it (a bearer token whose roles the
 * policy allows the action, or anyone), the largest body it accepts (0 = none) and its media type
 * (JSON; CSV for bulk imports), and whether it reads personal data (then every call is audited,
 * reads included; writes always are).
 *
 * What the server does for every row, so a handler does not:
 *   - 404 / 405 (with Allow) for paths and methods not in the table;
 *   - 413 for a body over the limit, 415 for a body not of the route's media type;
 *   - 401 without a valid token, 403 when none of the token's roles is granted the action;
 *   - for writes (and personal reads): one transaction around the handler's writes, its audit
 *     entry and the stored Idempotency-Key response; the failure of any rolls all back;
 *   - RFC 9457 problem responses, metrics, the 500 that hides internal detail.
 *
 * What the handler does: read its parameters and body strictly (hb_http_body with a field
 * table: unknown fields are errors), find the object, ask the policy about *this* object
 * (hb_http_authorize: own or other jurisdiction, own organisation, sharing rules), call the module,
 * render JSON, and name the object it acted on in req->object for the audit log. It reports
 * errors with hb_http_fail() and never starts or ends transactions.
 *
 * HOW TO ADD A ROUTE (a module "blood" adding GET /api/v1/blood/units/{unit}):
 *   1. core/policy.h: append the action (HB_ACT_BLOOD_UNIT_READ) and, in policy.c, its name and
 *      rules — which roles, what reach in the own and in the other jurisdictions;
 *   2. src/server/h_blood.c: the handler, int hb_h_blood_unit_get(hb_request *, hb_response *),
 *      declared in routes.h;
 *   3. a row below (personal = true: a blood unit names its donor);
 *   4. src/server/openapi.json: the path, its parameters, responses and schemas;
 *   5. tests: the expected row in tests/core/test_policy.c, a request in the permission matrix
 *      (tests/server/test_matrix.c), and the module's own tests. The route table test fails
 *      until 4 is done; the policy test until 5's first part is.
 */
#include "server/routes.h"

#include "util/embedded.h"

#define KIB 1024
#define MIB (1024 * KIB)

#define TOKEN    HB_ACCESS_TOKEN
#define PUBLIC   HB_ACCESS_PUBLIC
#define PERSONAL true
#define NO_BODY  0
#define JSON     HB_MEDIA_JSON
#define CSV      HB_MEDIA_CSV

/* clang-format off */
static const hb_route routes[] = {
    /* method   pattern                       handler            access  action (policy.h)
     *          body limit  body type  personal  summary */
    { "GET",    "/healthz",                   hb_h_healthz,      PUBLIC, HB_ACT_REFERENCE_READ,
                NO_BODY,    JSON,      false,    "liveness and database check" },
    { "GET",    "/metrics",                   hb_h_metrics,      TOKEN,  HB_ACT_METRICS_READ,
                NO_BODY,    JSON,      false,    "Prometheus metrics" },
    { "GET",    "/api/v1/openapi.json",       hb_h_openapi,      PUBLIC, HB_ACT_REFERENCE_READ,
                NO_BODY,    JSON,      false,    "this API's OpenAPI 3.1 description" },
    { "GET",    "/api/v1/regions",            hb_h_regions,      TOKEN,  HB_ACT_REFERENCE_READ,
                NO_BODY,    JSON,      false,    "regions of the three jurisdictions" },
    { "GET",    "/api/v1/diseases",           hb_h_diseases,     TOKEN,  HB_ACT_REFERENCE_READ,
                NO_BODY,    JSON,      false,    "notifiable diseases" },
    { "GET",    "/api/v1/holidays",           hb_h_holidays,     TOKEN,  HB_ACT_REFERENCE_READ,
                NO_BODY,    JSON,      false,    "public holidays and make-up working days" },
    { "GET",    "/api/v1/orgs",               hb_h_org_list,     TOKEN,  HB_ACT_ORG_READ,
                NO_BODY,    JSON,      false,    "list organisations" },
    { "POST",   "/api/v1/orgs",               hb_h_org_create,   TOKEN,  HB_ACT_ORG_CREATE,
                8 * KIB,    JSON,      false,    "register an organisation" },
    { "GET",    "/api/v1/orgs/{org}",         hb_h_org_get,      TOKEN,  HB_ACT_ORG_READ,
                NO_BODY,    JSON,      false,    "one organisation" },
    { "GET",    "/api/v1/orgs/{org}/tokens",  hb_h_token_list,   TOKEN,  HB_ACT_TOKEN_READ,
                NO_BODY,    JSON,      false,    "an organisation's tokens" },
    { "POST",   "/api/v1/orgs/{org}/tokens",  hb_h_token_create, TOKEN,  HB_ACT_TOKEN_CREATE,
                8 * KIB,    JSON,      false,    "issue a token" },
    { "DELETE", "/api/v1/tokens/{token}",     hb_h_token_revoke, TOKEN,  HB_ACT_TOKEN_REVOKE,
                NO_BODY,    JSON,      false,    "revoke a token" },
    { "GET",    "/api/v1/audit",              hb_h_audit_list,   TOKEN,  HB_ACT_AUDIT_READ,
                NO_BODY,    JSON,      PERSONAL, "read the audit log" },
    /* The early warning (h_surveil.c). */
    { "POST",   "/api/v1/surveillance/counts", hb_h_counts_post, TOKEN,  HB_ACT_COUNTS_WRITE,
                16 * MIB,   JSON | CSV, false,   "report aggregate case counts" },
    { "GET",    "/api/v1/surveillance/overview", hb_h_overview,  TOKEN,  HB_ACT_COUNTS_READ,
                NO_BODY,    JSON,      false,    "regions' alert levels, open alerts, latest run" },
    { "GET",    "/api/v1/surveillance/series", hb_h_series,      TOKEN,  HB_ACT_COUNTS_READ,
                NO_BODY,    JSON,      false,    "one series: counts, signals, Rt, forecast" },
    { "GET",    "/api/v1/alerts",             hb_h_alert_list,   TOKEN,  HB_ACT_ALERT_READ,
                NO_BODY,    JSON,      false,    "list alerts" },
    { "GET",    "/api/v1/alerts/{alert}",     hb_h_alert_get,    TOKEN,  HB_ACT_ALERT_READ,
                NO_BODY,    JSON,      false,    "one alert and its history" },
    { "POST",   "/api/v1/alerts/{alert}/actions", hb_h_alert_act, TOKEN, HB_ACT_ALERT_ACT,
                8 * KIB,    JSON,      false,    "assess, confirm, dismiss, close, reopen or comment" },
    { "GET",    "/api/v1/notifications",      hb_h_notice_list,  TOKEN,  HB_ACT_NOTICE_READ,
                NO_BODY,    JSON,      false,    "the authority's cross-border notification inbox" },
    { "GET",    "/api/v1/notifications/{notification}", hb_h_notice_get, TOKEN,
                HB_ACT_NOTICE_READ, NO_BODY, JSON, false, "one notification, verified" },
    { "POST",   "/api/v1/notifications/{notification}/ack", hb_h_notice_ack, TOKEN,
                HB_ACT_NOTICE_ACK, NO_BODY, JSON, false, "acknowledge a notification" },
    { "GET",    "/api/v1/bulletins",          hb_h_bulletin_list, TOKEN, HB_ACT_BULLETIN_READ,
                NO_BODY,    JSON,      false,    "days with a finished daily run" },
    { "GET",    "/api/v1/bulletins/{date}",   hb_h_bulletin_get, TOKEN,  HB_ACT_BULLETIN_READ,
                NO_BODY,    JSON,      false,    "a daily or weekly bulletin as JSON, HTML or PDF" },
    /* The registries (h_registry.c). Listings, histories and the FHIR export may hold
     * practitioners' restricted fields, so every call of those is audited. */
    { "GET",    "/api/v1/registry/items/{kind}", hb_h_registry_list, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      PERSONAL, "list the items of a registry kind" },
    { "POST",   "/api/v1/registry/items/{kind}", hb_h_registry_import, TOKEN,
                HB_ACT_REGISTRY_WRITE,
                HB_REGISTRY_HTTP_BODY_MAX, CSV, false, "import a registry CSV file" },
    { "GET",    "/api/v1/registry/items/{kind}/history", hb_h_registry_history, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      PERSONAL, "every version of a registry item" },
    { "GET",    "/api/v1/registry/may-use",   hb_h_registry_may_use, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      false,    "may a HK/Macao product be used there on a day?" },
    { "GET",    "/api/v1/registry/may-practise", hb_h_registry_may_practise, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      false,    "may a practitioner practise there on a day?" },
    { "GET",    "/api/v1/registry/expiring",  hb_h_registry_expiring, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      false,    "registry items that expire soon" },
    { "GET",    "/api/v1/registry/usage",     hb_h_registry_usage, TOKEN,
                HB_ACT_REGISTRY_USAGE_READ,
                NO_BODY,    JSON,      false,    "usage of HK/Macao products per institution" },
    { "GET",    "/api/v1/registry/accreditations", hb_h_registry_accreditations, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      false,    "hospital accreditations by standard" },
    { "GET",    "/api/v1/registry/fhir",      hb_h_registry_fhir, TOKEN,
                HB_ACT_REGISTRY_READ,
                NO_BODY,    JSON,      PERSONAL, "the registries as a FHIR R4 Bundle" },
    /* Settlement (h_settle.c): claims and vouchers name patients; statements do not. */
    { "POST",   "/api/v1/claims",             hb_h_claim_submit, TOKEN,  HB_ACT_CLAIM_SUBMIT,
                HB_SETTLE_CLAIM_BODY_MAX, JSON, PERSONAL, "submit a claim for cross-border care" },
    { "GET",    "/api/v1/claims",             hb_h_claim_list,   TOKEN,  HB_ACT_CLAIM_READ,
                NO_BODY,    JSON,      PERSONAL, "list the claims of one's providers and payers" },
    { "GET",    "/api/v1/claims/{claim}",     hb_h_claim_get,    TOKEN,  HB_ACT_CLAIM_READ,
                NO_BODY,    JSON,      PERSONAL, "one claim, its items and its decision" },
    { "POST",   "/api/v1/claims/{claim}/adjudication", hb_h_claim_adjudicate, TOKEN,
                HB_ACT_CLAIM_ADJUDICATE,
                NO_BODY,    JSON,      PERSONAL, "decide a claim by its payer's rules" },
    { "POST",   "/api/v1/claims/{claim}/reversal", hb_h_claim_reverse, TOKEN,
                HB_ACT_CLAIM_REVERSE,
                8 * KIB,    JSON,      PERSONAL, "reverse a paid, unsettled claim" },
    { "GET",    "/api/v1/vouchers/{holder}",  hb_h_voucher_get,  TOKEN,  HB_ACT_VOUCHER_READ,
                NO_BODY,    JSON,      PERSONAL, "an Elderly Health Care Voucher holder's balance" },
    { "GET",    "/api/v1/vouchers/{holder}/statement", hb_h_voucher_statement, TOKEN,
                HB_ACT_VOUCHER_READ,
                NO_BODY,    JSON,      PERSONAL, "every movement of a holder's vouchers" },
    { "POST",   "/api/v1/settlement/runs",    hb_h_settlement_run, TOKEN, HB_ACT_SETTLEMENT_RUN,
                8 * KIB,    JSON,      false,    "settle a month between the payers" },
    { "GET",    "/api/v1/settlement/runs/{period}", hb_h_settlement_get, TOKEN,
                HB_ACT_SETTLEMENT_READ,
                NO_BODY,    JSON,      false,    "a settled month and its payments" },
    { "GET",    "/api/v1/settlement/runs/{period}/statements/{payer}", hb_h_settlement_statement,
                TOKEN,      HB_ACT_SETTLEMENT_READ,
                NO_BODY,    JSON,      false,    "a payer's statement of a settled month" },
    /* Rare blood (h_blood.c, docs/blood.md). A donor listing names the donors; a search returns
     * donor pseudonyms and phenotypes; a request describes a patient's blood. */
    { "POST",   "/api/v1/blood/donors",       hb_h_blood_donors_upload, TOKEN,
                HB_ACT_BLOOD_REGISTRY_WRITE,
                HB_BLOOD_UPLOAD_MAX, CSV, false,  "upload a blood centre's rare donors (CSV)" },
    { "GET",    "/api/v1/blood/donors",       hb_h_blood_donors_list, TOKEN,
                HB_ACT_BLOOD_REGISTRY_READ,
                NO_BODY,    JSON,      PERSONAL, "a blood centre's own donors, with their identities" },
    { "POST",   "/api/v1/blood/units",        hb_h_blood_units_upload, TOKEN,
                HB_ACT_BLOOD_REGISTRY_WRITE,
                HB_BLOOD_UPLOAD_MAX, CSV, false,  "upload a blood centre's rare units (CSV)" },
    { "GET",    "/api/v1/blood/units",        hb_h_blood_units_list, TOKEN,
                HB_ACT_BLOOD_REGISTRY_READ,
                NO_BODY,    JSON,      false,    "a blood centre's own units" },
    { "GET",    "/api/v1/blood/search",       hb_h_blood_search, TOKEN, HB_ACT_BLOOD_SEARCH,
                NO_BODY,    JSON,      PERSONAL, "find rare units and donors in GD, HK and MO" },
    { "GET",    "/api/v1/blood/requests",     hb_h_blood_request_list, TOKEN,
                HB_ACT_BLOOD_REQUEST_READ,
                NO_BODY,    JSON,      PERSONAL, "the requests one made or was asked" },
    { "POST",   "/api/v1/blood/requests",     hb_h_blood_request_create, TOKEN,
                HB_ACT_BLOOD_REQUEST_WRITE,
                16 * KIB,   JSON,      false,    "request a rare unit, or a donor's recall" },
    { "GET",    "/api/v1/blood/requests/{request}", hb_h_blood_request_get, TOKEN,
                HB_ACT_BLOOD_REQUEST_READ,
                NO_BODY,    JSON,      PERSONAL, "one request" },
    { "GET",    "/api/v1/blood/requests/{request}/events", hb_h_blood_request_events, TOKEN,
                HB_ACT_BLOOD_REQUEST_READ,
                NO_BODY,    JSON,      PERSONAL, "a request's history" },
    { "POST",   "/api/v1/blood/requests/{request}/events", hb_h_blood_request_step, TOKEN,
                HB_ACT_BLOOD_REQUEST_WRITE,
                16 * KIB,   JSON,      false,    "take a step: offer, decline, accept, ship, "
                                                 "receive, cancel" },
    /* Vaccination (h_vaccine.c, docs/vaccination.md). A status names a person's doses; an issue
     * writes a certificate with the holder's name, and a verification reads one (both writes:
     * audited, and kept for replays without the certificate or the payload). */
    { "POST",   "/api/v1/vaccinations",       hb_h_vaccine_import, TOKEN, HB_ACT_VACCINE_WRITE,
                HB_VACCINE_HTTP_BODY_MAX, JSON | CSV, false, "record doses (CSV file or JSON)" },
    { "GET",    "/api/v1/vaccinations/status", hb_h_vaccine_status, TOKEN, HB_ACT_VACCINE_READ,
                NO_BODY,    JSON,      PERSONAL, "is a person fully vaccinated under a "
                                                 "jurisdiction's rules on a day, and why" },
    { "GET",    "/api/v1/vaccinations/coverage", hb_h_vaccine_coverage, TOKEN,
                HB_ACT_VACCINE_COVERAGE_READ,
                NO_BODY,    JSON,      false,    "persons vaccinated with a first dose and the full "
                                                 "course, per day" },
    { "POST",   "/api/v1/vaccinations/certificates", hb_h_vaccine_certificate_issue, TOKEN,
                HB_ACT_VACCINE_CERT_ISSUE,
                8 * KIB,    JSON,      PERSONAL, "sign a vaccination certificate (EU DCC) for a "
                                                 "person's latest dose" },
    { "POST",   "/api/v1/vaccinations/certificates/verification",
                hb_h_vaccine_certificate_verify, TOKEN, HB_ACT_VACCINE_CERT_VERIFY,
                16 * KIB,   JSON,      false,    "verify a certificate: verdict, reason, payload" },
};
/* clang-format on */

const hb_route *hb_routes(size_t *count)
{
    *count = sizeof routes / sizeof routes[0];
    return routes;
}

/* Generated from src/server/openapi.json by tools/embed.c. */
extern const hb_embedded_file hb_openapi_files[];
extern const size_t hb_openapi_files_count;

const char *hb_openapi_document(size_t *len)
{
    const hb_embedded_file *f =
        hb_embedded_find(hb_openapi_files, hb_openapi_files_count, "openapi.json");
    *len = f ? f->size : 0;
    return f ? f->data : "";
}
