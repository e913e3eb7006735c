/*
 * The permission matrix over HTTP (issue #3): every route × every role × caller kind (the HK
 * health authority, an HK hospital) × object (the caller's own organisation's, another
 * organisation's in HK, one in GD), each request made for real against the running server and
 * its answer checked against the table below — written from the policy in docs/api.md, not
 * derived from the code. Allowed means a 2xx answer; denied means 403 or 404, never anything
 * else. A route missing from the table, or from request_for(), fails the test.
 */
#include <stdio.h>
#include <string.h>

#include "core/accounts.h"
#include "harness.h"
#include "registry/fixture.h"
#include "healthybay/date.h"
#include "server/routes.h"
#include "blood_fixture.h"
#include "settle/settlement.h"
#include "settle_world.h"
#include "support.h"
#include "vaccine_world.h"

/* Roles in hb_role order; each cell string: authority caller on (own org, same jurisdiction,
 * other jurisdiction), "/", hospital caller on the same three. */
#define EVERYONE                                                                    \
    {                                                                               \
        "YYY/YYY", "YYY/YYY", "YYY/YYY", "YYY/YYY", "YYY/YYY", "YYY/YYY", "YYY/YYY" \
    }
#define ADMINS                                                                      \
    {                                                                               \
        "YYN/YNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" \
    }
/* Settlement: only reporters act for their organisation's payers and providers. */
#define REPORTERS(cells)                                                        \
    {                                                                           \
        "NNN/NNN", "NNN/NNN", cells, "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" \
    }
#define REPORTERS_AUDITORS(cells)                                           \
    {                                                                       \
        "NNN/NNN", "NNN/NNN", cells, "NNN/NNN", "NNN/NNN", cells, "NNN/NNN" \
    }
#define BLOOD_BANKS(cells)                                                      \
    {                                                                           \
        "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", cells, "NNN/NNN", "NNN/NNN" \
    }

/* Vaccination records: clinicians work with persons' records. */
#define CLINICIANS(cells)                                                       \
    {                                                                           \
        "NNN/NNN", "NNN/NNN", "NNN/NNN", cells, "NNN/NNN", "NNN/NNN", "NNN/NNN" \
    }

#define EPIDEMIOLOGISTS_SHARE                                                       \
    {                                                                               \
        "NNN/NNN", "YYY/YYN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" \
    }
#define AUTHORITY_EPIDEMIOLOGIST                                                    \
    {                                                                               \
        "NNN/NNN", "YYN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" \
    }

static const struct {
    const char *method, *pattern;
    const char *cells[HB_ROLE_COUNT];
} expected[] = {
    { "GET", "/healthz", EVERYONE },
    { "GET", "/api/v1/openapi.json", EVERYONE },
    { "GET",
      "/metrics",
      { "YYY/YYY", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "YYY/YYY" } },
    { "GET", "/api/v1/regions", EVERYONE },
    { "GET", "/api/v1/diseases", EVERYONE },
    { "GET", "/api/v1/holidays", EVERYONE },
    { "GET", "/api/v1/orgs", EVERYONE },
    { "GET", "/api/v1/orgs/{org}", EVERYONE },
    /* Only an authority registers organisations, and only in its own jurisdiction. */
    { "POST",
      "/api/v1/orgs",
      { "YYN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    { "GET", "/api/v1/orgs/{org}/tokens", ADMINS },
    { "POST", "/api/v1/orgs/{org}/tokens", ADMINS },
    { "DELETE", "/api/v1/tokens/{token}", ADMINS },
    { "GET",
      "/api/v1/audit",
      { "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "YYN/YNN", "NNN/NNN" } },
    /* Counts are reported for one's own jurisdiction by any of its organisations. */
    { "POST",
      "/api/v1/surveillance/counts",
      { "NNN/NNN", "YYN/YYN", "YYN/YYN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    /* Aggregates: read at home, and shared among the three authorities only. */
    { "GET", "/api/v1/surveillance/overview", EPIDEMIOLOGISTS_SHARE },
    { "GET", "/api/v1/surveillance/series", EPIDEMIOLOGISTS_SHARE },
    { "GET", "/api/v1/alerts", EPIDEMIOLOGISTS_SHARE },
    { "GET", "/api/v1/alerts/{alert}", EPIDEMIOLOGISTS_SHARE },
    /* Acting on an alert and the inbox are the own authority's. */
    { "POST", "/api/v1/alerts/{alert}/actions", AUTHORITY_EPIDEMIOLOGIST },
    /* The inbox is always the caller's own: the list does not depend on the target. */
    { "GET",
      "/api/v1/notifications",
      { "NNN/NNN", "YYY/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    { "GET", "/api/v1/notifications/{notification}", AUTHORITY_EPIDEMIOLOGIST },
    { "POST", "/api/v1/notifications/{notification}/ack", AUTHORITY_EPIDEMIOLOGIST },
    /* Bulletins: for reporters too, at home; an authority's across the border. */
    { "GET",
      "/api/v1/bulletins",
      { "NNN/NNN", "YYY/YYN", "YYY/YYN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    { "GET",
      "/api/v1/bulletins/{date}",
      { "NNN/NNN", "YYY/YYN", "YYY/YYN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    /* The registries are public registers. */
    { "GET", "/api/v1/registry/items/{kind}", EVERYONE },
    /* Reporters import; the request registers an institution of the target's jurisdiction,
     * which only that jurisdiction's authority may do. */
    { "POST",
      "/api/v1/registry/items/{kind}",
      { "NNN/NNN", "NNN/NNN", "YYN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    { "GET", "/api/v1/registry/items/{kind}/history", EVERYONE },
    { "GET", "/api/v1/registry/may-use", EVERYONE },
    { "GET", "/api/v1/registry/may-practise", EVERYONE },
    { "GET", "/api/v1/registry/expiring", EVERYONE },
    /* Usage figures of the target organisation: the authorities share them, an institution
     * sees its own. */
    { "GET",
      "/api/v1/registry/usage",
      { "NNN/NNN", "YYY/YNN", "YYY/YNN", "NNN/NNN", "NNN/NNN", "NNN/NNN", "NNN/NNN" } },
    { "GET", "/api/v1/registry/accreditations", EVERYONE },
    { "GET", "/api/v1/registry/fhir", EVERYONE },
    /* Claims (the object: the target organisation's provider's claim, or for deciding one
     * charged to its payer): each organisation its own, never another's, across no border. A
     * list is everyone's own part of it. */
    { "POST", "/api/v1/claims", REPORTERS("YNN/YNN") },
    { "GET", "/api/v1/claims", REPORTERS("YYY/YYY") },
    { "GET", "/api/v1/claims/{claim}", REPORTERS("YNN/YNN") },
    { "POST", "/api/v1/claims/{claim}/adjudication", REPORTERS("YNN/YNN") },
    { "POST", "/api/v1/claims/{claim}/reversal", REPORTERS("YNN/YNN") },
    /* A voucher is the scheme's (hk-dh acts for it); hk-qmh is no service point. */
    { "GET", "/api/v1/vouchers/{holder}", REPORTERS("YYY/NNN") },
    { "GET", "/api/v1/vouchers/{holder}/statement", REPORTERS("YYY/NNN") },
    /* The run belongs to the whole area: authorities only. Statements: the target's payer's. */
    { "POST", "/api/v1/settlement/runs", REPORTERS("YYY/NNN") },
    { "GET", "/api/v1/settlement/runs/{period}", REPORTERS_AUDITORS("YYY/NNN") },
    { "GET", "/api/v1/settlement/runs/{period}/statements/{payer}", REPORTERS_AUDITORS("YYY/YNN") },
    /* Rare blood. A registry is a blood centre's own, and neither caller here is one: the policy
     * lets a blood bank at its own organisation through, then the module refuses (403).
     * tests/server/test_blood.c runs a blood centre's roles against these routes. */
    { "POST", "/api/v1/blood/donors", BLOOD_BANKS("NNN/NNN") },
    { "GET", "/api/v1/blood/donors", BLOOD_BANKS("NNN/NNN") },
    { "POST", "/api/v1/blood/units", BLOOD_BANKS("NNN/NNN") },
    { "GET", "/api/v1/blood/units", BLOOD_BANKS("NNN/NNN") },
    /* Any blood bank searches every jurisdiction's registry, and makes requests anywhere. */
    { "GET", "/api/v1/blood/search", BLOOD_BANKS("YYY/YYY") },
    { "GET", "/api/v1/blood/requests", BLOOD_BANKS("YYY/YYY") },
    { "POST", "/api/v1/blood/requests", BLOOD_BANKS("YYY/YYY") },
    /* A request is seen and stepped by its parties only: here, a request the target made. */
    { "GET", "/api/v1/blood/requests/{request}", BLOOD_BANKS("YNN/YNN") },
    { "GET", "/api/v1/blood/requests/{request}/events", BLOOD_BANKS("YNN/YNN") },
    { "POST", "/api/v1/blood/requests/{request}/events", BLOOD_BANKS("YNN/YNN") },
    /* Vaccination (the object: a dose given in the target's jurisdiction; the record of the
     * person the target organisation vaccinated there, a resident). Doses are recorded at home;
     * a record is read by its jurisdiction's authority and by the site that recorded it (the
     * sharing across the border is tests/server/test_vaccine.c's); a certificate is an
     * authority's act; coverage is an aggregate; anyone verifies. */
    { "POST", "/api/v1/vaccinations", REPORTERS("YYN/YYN") },
    { "GET", "/api/v1/vaccinations/status", CLINICIANS("YYN/YNN") },
    { "GET", "/api/v1/vaccinations/coverage", EPIDEMIOLOGISTS_SHARE },
    { "POST", "/api/v1/vaccinations/certificates", CLINICIANS("YYN/NNN") },
    { "POST", "/api/v1/vaccinations/certificates/verification", EVERYONE },
};

typedef struct target {
    const char *org, *jurisdiction;
} target;

/* The jurisdiction's seeded region (hb_test_world_surveillance). */
static const char *region_of(const target *t)
{
    return strcmp(t->jurisdiction, "HK") == 0 ? "810000" : "440000";
}

static long long alert_in(hb_test_world *w, const char *jurisdiction)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM hb_alerts WHERE jurisdiction = '%s'", jurisdiction);
    hb_stmt *st;
    CHECK_OK(hb_store_prepare(w->db, &st, sql));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    long long id = (long long)hb_stmt_int64(st, 0);
    hb_stmt_finalize(st);
    return id;
}

/* The registry routes, on the synthetic registry data (tests/registry/fixture.h). */
static void registry_request_for(const hb_route *r, const target *t, int serial, char *path,
                                 char *body)
{
    const char *p = r->pattern;
    if (strcmp(p, "/api/v1/registry/items/{kind}") == 0 && strcmp(r->method, "GET") == 0)
        snprintf(path, 256, "/api/v1/registry/items/products");
    else if (strcmp(p, "/api/v1/registry/items/{kind}") == 0) {
        snprintf(path, 256, "/api/v1/registry/items/institutions");
        snprintf(body, 512,
                 "code,jurisdiction,region,zone,kind,name_en,name_zh_hans,name_zh_hant,name_pt,"
                 "source\nmatrix-%d,%s,%s,,clinic,Matrix Clinic,,,,test\n",
                 serial, t->jurisdiction, strcmp(t->jurisdiction, "HK") == 0 ? "HK-A" : "440100");
    } else if (strcmp(p, "/api/v1/registry/items/{kind}/history") == 0)
        snprintf(path, 256, "/api/v1/registry/items/institutions/history?item=gd-hku-szh");
    else if (strcmp(p, "/api/v1/registry/may-use") == 0)
        snprintf(path, 256, "%s?product=SYN-DRUG-1&institution=gd-hku-szh&on=2025-01-01", p);
    else if (strcmp(p, "/api/v1/registry/may-practise") == 0)
        snprintf(path, 256, "%s?person=SYN-MO-1&institution=syn-hq-clinic&on=2025-01-01", p);
    else if (strcmp(p, "/api/v1/registry/usage") == 0)
        snprintf(path, 256, "%s?institution=%s", p, t->org);
    else if (strcmp(p, "/api/v1/registry/fhir") == 0)
        snprintf(path, 256, "%s?resources=Organization", p);
    else
        snprintf(path, 256, "%s", p); /* expiring, accreditations */
}

/* Settlement requests on target t: a claim of t's provider, one charged to t's payer (from
 * GD-HKUSZH for the HK resident HM1, or HK-KWH for the GD resident GM1: both paid), a voucher
 * of the scheme, t's payer's statement of the period settled in the world. */
static bool settle_request_for(hb_test_world *w, const hb_route *r, const target *t, int serial,
                               char *path, char *body)
{
    const char *p = r->pattern, *payer = hb_test_settle_payer(t->org);
    bool gd = strcmp(t->jurisdiction, "GD") == 0;
    char episode[32];
    snprintf(episode, sizeof episode, "M-%d", serial);
    if (strcmp(p, "/api/v1/claims") == 0 && strcmp(r->method, "POST") == 0) {
        const char *provider = hb_test_settle_provider(t->org);
        snprintf(path, 256, "%s", p);
        snprintf(body, 512,
                 "{\"provider\": \"%s\", \"episode\": \"%s\", \"patient\": \"%s\","
                 " \"payer\": \"MO-SSM\", \"currency\": \"%s\", \"service_date\": \"%s\","
                 " \"items\": [{\"code\": \"c\", \"category\": \"outpatient\", \"quantity\": 1,"
                 " \"unit_minor\": 10000}]}",
                 provider, episode, gd ? "HM1" : "GM1", gd ? "CNY" : "HKD", hb_test_settle_day(1));
    } else if (strcmp(p, "/api/v1/claims") == 0) {
        snprintf(path, 256, "%s", p);
    } else if (strcmp(p, "/api/v1/claims/{claim}") == 0) {
        snprintf(path, 256, "/api/v1/claims/%lld",
                 (long long)hb_test_settle_claim(w, hb_test_settle_provider(t->org), episode,
                                                 gd ? "HM1" : "GM1", "MO-SSM", false));
    } else if (strncmp(p, "/api/v1/claims/{claim}/", 23) == 0) {
        bool reversal = strcmp(p + 23, "reversal") == 0;
        int64_t id = hb_test_settle_claim(w, gd ? "HK-KWH" : "GD-HKUSZH", episode,
                                          gd ? "GM1" : "HM1", payer, reversal);
        snprintf(path, 256, "/api/v1/claims/%lld/%s", (long long)id, p + 23);
        if (reversal)
            snprintf(body, 512, "{\"reason\": \"matrix\"}");
    } else if (strcmp(p, "/api/v1/vouchers/{holder}") == 0) {
        snprintf(path, 256, "/api/v1/vouchers/HM1");
    } else if (strcmp(p, "/api/v1/vouchers/{holder}/statement") == 0) {
        snprintf(path, 256, "/api/v1/vouchers/HM1/statement");
    } else if (strcmp(p, "/api/v1/settlement/runs") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512, "{\"period\": \"2024-01\"}");
    } else if (strcmp(p, "/api/v1/settlement/runs/{period}") == 0) {
        snprintf(path, 256, "/api/v1/settlement/runs/2024-01");
    } else if (strcmp(p, "/api/v1/settlement/runs/{period}/statements/{payer}") == 0) {
        snprintf(path, 256, "/api/v1/settlement/runs/2024-01/statements/%s", payer);
    } else {
        return false;
    }
    return true;
}

/* Rare blood: uploads as the caller's own registry; a search of the target's jurisdiction; a new
 * request for a unit there; a request the target made (shown, its history, cancelled). */
static void blood_request_for(hb_test_world *w, const hb_route *r, const target *t, char *path,
                              char *body)
{
    const char *p = r->pattern;
    bool post = strcmp(r->method, "POST") == 0;
    if (strcmp(p, "/api/v1/blood/search") == 0) {
        snprintf(path, 256, "%s?abo=O&rhd=neg&jurisdictions=%s", p, t->jurisdiction);
    } else if (strstr(p, "{request}")) {
        int64_t id = hb_test_blood_request(w, t->org, t->jurisdiction);
        snprintf(path, 256, "/api/v1/blood/requests/%lld%s", (long long)id,
                 strstr(p, "/events") ? "/events" : "");
        if (post)
            snprintf(body, 512, "{\"action\": \"cancel\"}");
    } else {
        snprintf(path, 256, "%s", p);
        if (post && strcmp(p, "/api/v1/blood/requests") == 0)
            snprintf(body, 512, "{\"din\": \"%s\", \"abo\": \"O\", \"rhd\": \"neg\"}",
                     hb_test_blood_unit(t->jurisdiction, 1));
        else if (post)
            snprintf(body, 512, "%s",
                     strstr(p, "donors") ? "local_ref,abo,rhd,eligible\nX-1,O,neg,yes\n"
                                         : "din,component,storage,abo,rhd,expiry\n");
    }
}

/* Vaccination requests on target t (tests/server/vaccine_world.h): a new dose given in t's
 * jurisdiction, the person t's organisation vaccinated, coverage of t's jurisdiction. */
static bool vaccine_request_for(const hb_route *r, const target *t, int serial, char *path,
                                char *body)
{
    const char *p = r->pattern, *person = hb_test_vaccine_person(t->org);
    if (strcmp(p, "/api/v1/vaccinations") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512,
                 "{\"doses\": [{\"person\": \"MATRIX-%d\", \"residence\": \"%s\","
                 " \"product\": \"CoronaVac\", \"dose_number\": 1, \"series_doses\": 2,"
                 " \"date\": \"2021-06-01\", \"administered_in\": \"%s\", \"site\": \"M\"}]}",
                 serial, t->jurisdiction, t->jurisdiction);
    } else if (strcmp(p, "/api/v1/vaccinations/status") == 0) {
        snprintf(path, 256, "%s?person=%s&under=HK&on=2021-08-20", p, person);
    } else if (strcmp(p, "/api/v1/vaccinations/coverage") == 0) {
        snprintf(path, 256, "%s?administered_in=%s&from=2021-06-01&to=2021-06-30", p,
                 t->jurisdiction);
    } else if (strcmp(p, "/api/v1/vaccinations/certificates") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512,
                 "{\"person\": \"%s\", \"family_name\": \"Chan\", \"given_name\": \"Tai Man\","
                 " \"dob\": \"1980-01-02\", \"qr\": \"none\"}",
                 person);
    } else if (strcmp(p, "/api/v1/vaccinations/certificates/verification") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512, "{\"certificate\": \"HC1:NCF\"}");
    } else {
        return false;
    }
    return true;
}

/* The request exercising route r on object t: path and body into the buffers. */
static void request_for(hb_test_world *w, const hb_route *r, const target *t, int serial,
                        char *path, char *body)
{
    const char *p = r->pattern;
    body[0] = '\0';
    if (strcmp(p, "/healthz") == 0 || strcmp(p, "/api/v1/openapi.json") == 0 ||
        strcmp(p, "/metrics") == 0)
        snprintf(path, 256, "%s", p);
    else if (strcmp(p, "/api/v1/regions") == 0 || strcmp(p, "/api/v1/holidays") == 0 ||
             (strcmp(p, "/api/v1/orgs") == 0 && strcmp(r->method, "GET") == 0))
        snprintf(path, 256, "%s?jurisdiction=%s", p, t->jurisdiction);
    else if (strcmp(p, "/api/v1/diseases") == 0)
        snprintf(path, 256, "%s?notifiable_in=%s", p, t->jurisdiction);
    else if (strcmp(p, "/api/v1/orgs") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512,
                 "{\"code\": \"%c%c-new-%d\", \"name\": \"New clinic\", \"kind\": \"clinic\","
                 " \"jurisdiction\": \"%s\"}",
                 t->jurisdiction[0] + 32, t->jurisdiction[1] + 32, serial, t->jurisdiction);
    } else if (strcmp(p, "/api/v1/orgs/{org}") == 0)
        snprintf(path, 256, "/api/v1/orgs/%s", t->org);
    else if (strcmp(p, "/api/v1/orgs/{org}/tokens") == 0) {
        snprintf(path, 256, "/api/v1/orgs/%s/tokens", t->org);
        if (strcmp(r->method, "POST") == 0)
            snprintf(body, 512, "{\"roles\": [\"reporter\"], \"lifetime_days\": 1}");
    } else if (strcmp(p, "/api/v1/tokens/{token}") == 0) {
        hb_token_info info;
        char text[HB_TOKEN_TEXT_LEN + 1];
        CHECK_OK(hb_token_create(w->db, &info, text, t->org, 1u << HB_ROLE_REPORTER, "", 1));
        snprintf(path, 256, "/api/v1/tokens/%s", info.id);
    } else if (strcmp(p, "/api/v1/audit") == 0)
        snprintf(path, 256, "%s?jurisdiction=%s&org=%s", p, t->jurisdiction, t->org);
    else if (strcmp(p, "/api/v1/surveillance/counts") == 0) {
        snprintf(path, 256, "%s", p);
        snprintf(body, 512,
                 "{\"rows\": [{\"date\": \"2019-03-17\", \"region\": \"%s\","
                 " \"disease\": \"influenza\", \"measure\": \"cases\", \"value\": %d}]}",
                 region_of(t), serial);
    } else if (strcmp(p, "/api/v1/surveillance/series") == 0)
        snprintf(path, 256, "%s?region=%s&disease=influenza&measure=cases", p, region_of(t));
    else if (strcmp(p, "/api/v1/surveillance/overview") == 0 || strcmp(p, "/api/v1/alerts") == 0 ||
             strcmp(p, "/api/v1/bulletins") == 0)
        snprintf(path, 256, "%s?jurisdiction=%s", p, t->jurisdiction);
    else if (strcmp(p, "/api/v1/alerts/{alert}") == 0)
        snprintf(path, 256, "/api/v1/alerts/%lld", alert_in(w, t->jurisdiction));
    else if (strcmp(p, "/api/v1/alerts/{alert}/actions") == 0) {
        snprintf(path, 256, "/api/v1/alerts/%lld/actions", alert_in(w, t->jurisdiction));
        snprintf(body, 512, "{\"action\": \"comment\", \"comment\": \"seen\"}");
    } else if (strcmp(p, "/api/v1/notifications") == 0)
        snprintf(path, 256, "%s?all=1", p);
    else if (strcmp(p, "/api/v1/notifications/{notification}") == 0)
        snprintf(path, 256, "/api/v1/notifications/%lld",
                 hb_test_notification_to(w, t->jurisdiction));
    else if (strcmp(p, "/api/v1/notifications/{notification}/ack") == 0)
        snprintf(path, 256, "/api/v1/notifications/%lld/ack",
                 hb_test_notification_to(w, t->jurisdiction));
    else if (strcmp(p, "/api/v1/bulletins/{date}") == 0)
        snprintf(path, 256, "/api/v1/bulletins/2019-03-10?jurisdiction=%s", t->jurisdiction);
    else if (strncmp(p, "/api/v1/registry/", 17) == 0)
        registry_request_for(r, t, serial, path, body);
    else if (strncmp(p, "/api/v1/blood/", 14) == 0)
        blood_request_for(w, r, t, path, body);
    else if (!settle_request_for(w, r, t, serial, path, body) &&
             !vaccine_request_for(r, t, serial, path, body))
        hb_test_fail(__FILE__, __LINE__, "add a request for %s %s to the matrix", r->method, p);
}

static const char *cells_for(const hb_route *r, hb_role role)
{
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++)
        if (strcmp(expected[i].method, r->method) == 0 &&
            strcmp(expected[i].pattern, r->pattern) == 0)
            return expected[i].cells[role];
    hb_test_fail(__FILE__, __LINE__, "%s %s has no row in the expected matrix", r->method,
                 r->pattern);
}

TEST(matrix__every_role_on_every_route_in_every_jurisdiction)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_world_surveillance(&w);
    hb_test_blood_start(&w);
    fx_load_all(w.db);
    static const char *const csv[] = { "Content-Type: text/csv", NULL };
    hb_test_settle_world(&w);
    hb_test_vaccine_world(&w);
    hb_settle_caller settler;
    hb_settle_caller_init(&settler);
    hb_settlement_result run;
    CHECK_OK(hb_settlement_run(&run, w.db, &settler, hb_date_from_ymd(2024, 1, 1)));
    static const char *const callers[2] = { "hk-dh", "hk-qmh" };
    static const target targets[2][3] = {
        { { "hk-dh", "HK" }, { "hk-qmh", "HK" }, { "gd-szh", "GD" } },
        { { "hk-qmh", "HK" }, { "hk-kwh", "HK" }, { "gd-szh", "GD" } },
    };
    const char *tokens[2][HB_ROLE_COUNT];
    for (int k = 0; k < 2; k++)
        for (int role = 0; role < HB_ROLE_COUNT; role++)
            tokens[k][role] = hb_test_token(&w, callers[k], hb_role_name((hb_role)role));
    size_t n, checked = 0;
    const hb_route *routes = hb_routes(&n);
    int serial = 0;
    for (size_t i = 0; i < n; i++)
        for (int role = 0; role < HB_ROLE_COUNT; role++)
            for (int k = 0; k < 2; k++)
                for (int t = 0; t < 3; t++) {
                    char path[256], body[512];
                    request_for(&w, &routes[i], &targets[k][t], serial++, path, body);
                    hb_test_response res;
                    hb_test_call(&w, &res, routes[i].method, path, tokens[k][role],
                                 body[0] ? body : NULL,
                                 (routes[i].media & HB_MEDIA_JSON) ? NULL : csv);
                    bool want = cells_for(&routes[i], (hb_role)role)[k * 4 + t] == 'Y';
                    bool allowed = res.status >= 200 && res.status < 300;
                    CHECK_MSG(allowed == want &&
                                  (allowed || res.status == 403 || res.status == 404),
                              "%s %s as %s of %s: %ld, expected %s: %s", routes[i].method, path,
                              hb_role_name((hb_role)role), callers[k], res.status,
                              want ? "2xx" : "403 or 404", res.body);
                    hb_test_response_dispose(&res);
                    checked++;
                }
    CHECK_INT_EQ(checked, n * HB_ROLE_COUNT * 6);
    CHECK_INT_EQ(n, sizeof expected / sizeof expected[0]);
    /* Without a token, only the public routes answer. */
    for (size_t i = 0; i < n; i++) {
        char path[256], body[512];
        request_for(&w, &routes[i], &targets[0][0], serial++, path, body);
        hb_test_response res;
        hb_test_call(&w, &res, routes[i].method, path, NULL, body[0] ? body : NULL,
                     (routes[i].media & HB_MEDIA_JSON) ? NULL : csv);
        CHECK_INT_EQ(res.status, routes[i].access == HB_ACCESS_PUBLIC ? 200 : 401);
        hb_test_response_dispose(&res);
    }
    hb_test_world_stop(&w);
}
