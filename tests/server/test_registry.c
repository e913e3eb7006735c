/*
 * The registries over HTTP (issue #11): the synthetic registry data set (tests/registry/
 * fixture.h) behind a running server, driven with libcurl on both backends. Who sees a
 * practitioner's restricted fields, CSV imports (validation by line and field, refused rows,
 * Idempotency-Key, audit), the questions, the reports, paging and the FHIR export.
 */
#include <stdio.h>
#include <string.h>

#include "core/accounts.h"
#include "harness.h"
#include "registry/fixture.h"
#include "support.h"

/* The institutions of the data set, as organisations with tokens. */
static void add_institutions(hb_test_world *w)
{
    static const struct {
        const char *code, *jurisdiction;
        hb_org_kind kind;
    } orgs[] = {
        { "syn-hq-clinic", "GD", HB_ORG_CLINIC },     /* employs SYN-MO-1 (Hengqin) */
        { "syn-gz-clinic", "GD", HB_ORG_CLINIC },     /* employs nobody */
        { "gd-hku-szh", "GD", HB_ORG_HOSPITAL },      /* employs SYN-HK-1; approvals */
        { "syn-mo-hospital", "MO", HB_ORG_HOSPITAL }, /* employs SYN-MO-1 at home */
    };
    for (size_t i = 0; i < sizeof orgs / sizeof orgs[0]; i++) {
        hb_org org = { .kind = orgs[i].kind };
        snprintf(org.code, sizeof org.code, "%s", orgs[i].code);
        snprintf(org.name, sizeof org.name, "%s", orgs[i].code);
        snprintf(org.jurisdiction, sizeof org.jurisdiction, "%s", orgs[i].jurisdiction);
        CHECK_OK(hb_org_create(w->db, &org));
    }
}

static void start(hb_test_world *w)
{
    hb_test_world_start(w);
    fx_load_all(w->db);
    add_institutions(w);
}

static void get(hb_test_world *w, hb_test_response *r, const char *token, const char *path)
{
    hb_test_call(w, r, "GET", path, token, NULL, NULL);
}

/* Member key of the first item of a list response. */
static const char *first(const hb_test_response *r, const char *key)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), key));
}

static void check_problem(const hb_test_response *r, long status, const char *type)
{
    const char *t = json_string_value(json_object_get(r->json, "type"));
    CHECK_MSG(r->status == status && t && strstr(t, type), "expected %ld %s, got %ld %s", status,
              type, r->status, r->body);
}

/* The item of a list response whose member key is id. */
static const json_t *row(const hb_test_response *r, const char *key, const char *id)
{
    const json_t *items = json_object_get(r->json, "items"), *item;
    size_t i;
    json_array_foreach(items, i, item)
    {
        if (strcmp(json_string_value(json_object_get(item, key)), id) == 0)
            return item;
    }
    hb_test_fail(__FILE__, __LINE__, "no item %s = %s in %s", key, id, r->body);
}

/* Whose restricted fields the token sees in the practitioners' listing on 2025-01-01: "M" when
 * SYN-MO-1's date of birth shows, "H" when SYN-HK-1's sex shows, "-" when neither. */
static const char *sees(hb_test_world *w, const char *token)
{
    static char out[3];
    hb_test_response r;
    get(w, &r, token, "/api/v1/registry/items/practitioners?on=2025-01-01");
    CHECK_MSG(r.status == 200, "%s", r.body);
    bool mo = json_is_string(json_object_get(row(&r, "id", "SYN-MO-1"), "date_of_birth"));
    bool hk = json_is_string(json_object_get(row(&r, "id", "SYN-HK-1"), "sex"));
    CHECK(json_is_string(json_object_get(row(&r, "id", "SYN-MO-1"), "name_en"))); /* public */
    snprintf(out, sizeof out, "%s%s", mo ? "M" : "", hk ? "H" : "");
    if (!mo && !hk)
        snprintf(out, sizeof out, "-");
    hb_test_response_dispose(&r);
    return out;
}

/* The policy's registry.personal.read over HTTP: at home the regulator and the employer; across
 * the border only under the registry's sharing rules (a permit Guangdong issued, an employment
 * at the institution); only for roles granted the action. */
TEST(registry_http__restricted_fields_follow_the_policy)
{
    hb_test_world w;
    start(&w);
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "mo-ssm", "reporter")), "M");
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "hk-dh", "reporter")), "H");
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "gd-hc", "reporter")), "MH"); /* permits */
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "syn-hq-clinic", "reporter")), "M");
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "gd-hku-szh", "reporter")), "H");
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "syn-gz-clinic", "reporter")), "-");
    CHECK_STR_EQ(sees(&w, hb_test_token(&w, "hk-qmh", "reporter")), "-");
    /* Roles without registry.personal.read read the public register, even at home. */
    const char *hk_epi = hb_test_token(&w, "hk-dh", "epidemiologist,clinician,admin,auditor");
    CHECK_STR_EQ(sees(&w, hk_epi), "-");
    const char *hk = hb_test_token(&w, "hk-dh", "reporter");
    const char *mo = hb_test_token(&w, "mo-ssm", "reporter");
    hb_test_response r;
    /* Disciplinary actions are public; the case reference and summary are not. */
    get(&w, &r, mo, "/api/v1/registry/items/disciplinary");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(json_string_value(json_object_get(row(&r, "practitioner", "SYN-HK-1"), "action")),
                 "suspension");
    CHECK(json_is_null(json_object_get(row(&r, "practitioner", "SYN-HK-1"), "case_ref")));
    hb_test_response_dispose(&r);
    get(&w, &r, hk, "/api/v1/registry/items/disciplinary");
    CHECK_STR_EQ(
        json_string_value(json_object_get(row(&r, "practitioner", "SYN-HK-1"), "case_ref")),
        "SYN-CASE-1");
    hb_test_response_dispose(&r);
    /* Filtering on a restricted field would answer "is X's date of birth D?". */
    get(&w, &r, hk, "/api/v1/registry/items/practitioners?where=date_of_birth:1970-05-06");
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    /* Histories hold every field. */
    get(&w, &r, mo, "/api/v1/registry/items/practitioners/history?item=SYN-MO-1");
    CHECK_INT_EQ(r.status, 200);
    CHECK_CONTAINS(r.body, "1980-02-03");
    hb_test_response_dispose(&r);
    get(&w, &r, hk, "/api/v1/registry/items/practitioners/history?item=SYN-MO-1");
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    /* A case the caller may not see is as absent as one that does not exist. */
    get(&w, &r, mo, "/api/v1/registry/items/disciplinary/history?item=HK/SYN-CASE-1");
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    get(&w, &r, hk, "/api/v1/registry/items/disciplinary/history?item=HK/SYN-CASE-1");
    CHECK_INT_EQ(r.status, 200);
    CHECK_CONTAINS(r.body, "synthetic summary");
    hb_test_response_dispose(&r);
    /* The FHIR export: gender, birthDate and telecom under the same policy. */
    get(&w, &r, hk_epi, "/api/v1/registry/fhir?resources=Practitioner&on=2025-01-01");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "application/fhir+json");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "resourceType")), "Bundle");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "entry")), 3);
    CHECK(strstr(r.body, "birthDate") == NULL && strstr(r.body, "telecom") == NULL);
    hb_test_response_dispose(&r);
    get(&w, &r, mo, "/api/v1/registry/fhir?resources=Practitioner&on=2025-01-01");
    CHECK_CONTAINS(r.body, "\"birthDate\":\"1980-02-03\"");
    CHECK(strstr(r.body, "1970-05-06") == NULL); /* Hong Kong's doctor: not Macao's to see */
    hb_test_response_dispose(&r);
    /* Every read that may hold personal data is audited, with what was read; refusals too. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'registry.read'"
                                   " AND object = 'registry/practitioners' AND outcome = 'ok'"),
                 8);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'denied'"
                                   " AND object = 'registry/practitioners/SYN-MO-1'"),
                 1);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'rejected'"
                                   " AND object = 'registry/disciplinary/HK/SYN-CASE-1'"),
                 1);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE org = 'mo-ssm'"
                                   " AND object = 'registry/fhir/Practitioner'"),
                 1);
    hb_test_world_stop(&w);
}

#define PRODUCTS                                                                         \
    "code,kind,hk_reg_no,mo_reg_no,name_en,name_zh_hans,name_zh_hant,inn,form,strength," \
    "device_class,holder,home_use_evidence\n"

static void post_csv(hb_test_world *w, hb_test_response *r, const char *token, const char *kind,
                     const char *csv, const char *key)
{
    char path[128], idem[128];
    snprintf(path, sizeof path, "/api/v1/registry/items/%s", kind);
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", key ? key : "");
    const char *headers[] = { "Content-Type: text/csv; charset=utf-8", key ? idem : NULL, NULL };
    hb_test_call(w, r, "POST", path, token, csv, headers);
}

static long long integer(const hb_test_response *r, const char *key)
{
    return (long long)json_integer_value(json_object_get(r->json, key));
}

/* A CSV import: validated whole with each problem at its line, column and field; written with
 * its audit entry naming the batch; replayed by its Idempotency-Key. */
TEST(registry_http__import_csv)
{
    hb_test_world w;
    start(&w);
    const char *gd = hb_test_token(&w, "gd-hc", "reporter");
    hb_test_response r, again;
    const char *csv = PRODUCTS "SYN-DRUG-7,drug,HK-7,,Seventh,,,,tablet,5 mg,,,\n";
    post_csv(&w, &r, gd, "products", csv, "import-1");
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK_INT_EQ(integer(&r, "rows"), 1);
    CHECK_INT_EQ(integer(&r, "created"), 1);
    long long batch = integer(&r, "batch");
    CHECK(batch > 0);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM hb_audit WHERE action = 'registry.write' AND outcome = 'ok'"
             " AND org = 'gd-hc' AND object = 'registry/products/batch/%lld'",
             batch);
    CHECK_INT_EQ(hb_test_count(&w, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM hb_registry_batches WHERE id = %lld AND org = 'gd-hc'"
             " AND actor = 'http 127.0.0.1'",
             batch);
    CHECK_INT_EQ(hb_test_count(&w, sql), 1);
    /* A retry with the key replays the answer and writes nothing, not even an audit entry. */
    long long audit = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    post_csv(&w, &again, gd, "products", csv, "import-1");
    CHECK_INT_EQ(again.status, 200);
    CHECK_STR_EQ(again.body, r.body);
    CHECK_STR_EQ(hb_test_header(&again, "Idempotent-Replayed"), "true");
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit"), audit);
    hb_test_response_dispose(&again);
    post_csv(&w, &again, gd, "products", PRODUCTS "SYN-DRUG-8,drug,HK-8,,Eight,,,,tablet,1 mg,,,\n",
             "import-1");
    check_problem(&again, 422, "idempotency-key-reused");
    hb_test_response_dispose(&again);
    hb_test_response_dispose(&r);
    /* The same file again changes nothing: no batch. */
    post_csv(&w, &r, gd, "products", csv, NULL);
    CHECK_INT_EQ(integer(&r, "unchanged"), 1);
    CHECK(json_is_null(json_object_get(r.json, "batch")));
    hb_test_response_dispose(&r);
    /* Bad fields: 422 listing each at its line, column and field; nothing written. */
    post_csv(&w, &r, gd, "products",
             PRODUCTS "SYN-DRUG-9,medicine,HK-9,,Bad,,,,tablet,5 mg,,,\n"
                      "SYN-DRUG-9,drug,HK-9,,Twice,,,,tablet,5 mg,,,\n",
             NULL);
    check_problem(&r, 422, "validation");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "nothing was written");
    const json_t *errors = json_object_get(r.json, "errors");
    CHECK_INT_EQ(json_array_size(errors), 1);
    const json_t *e = json_array_get(errors, 0);
    CHECK_INT_EQ(json_integer_value(json_object_get(e, "line")), 2);
    CHECK_INT_EQ(json_integer_value(json_object_get(e, "column")), 12);
    CHECK_STR_EQ(json_string_value(json_object_get(e, "field")), "kind");
    CHECK_STR_EQ(json_string_value(json_object_get(e, "detail")),
                 "'medicine' is not one of drug|device");
    CHECK(json_object_get(e, "pointer") == NULL);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_registry_products"
                                   " WHERE code = 'SYN-DRUG-9'"),
                 0);
    /* A header that is not the kind's. */
    post_csv(&w, &r, gd, "products", "code,kind,colour\nA,drug,red\n", NULL);
    check_problem(&r, 422, "validation");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "missing column");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'registry.write'"
                                   " AND outcome = 'rejected' AND object = 'registry/products'"),
                 2);
    hb_test_world_stop(&w);
}

/* Who may import: each row is checked against the registry's write table. */
TEST(registry_http__import_refuses_rows_not_the_callers)
{
    hb_test_world w;
    start(&w);
    const char *hk = hb_test_token(&w, "hk-dh", "reporter");
    const char *hospital = hb_test_token(&w, "gd-hku-szh", "reporter");
    hb_test_response r;
    /* Approvals are Guangdong's. */
    post_csv(&w, &r, hk, "approvals",
             "approval_no,product,institution,approved_on,valid_from,valid_to,quantity_max,unit,"
             "indications,departments\n"
             "SYN-AP-9,SYN-DRUG-1,gd-hku-szh,,2025-01-01,2025-12-31,,,,\n",
             NULL);
    check_problem(&r, 403, "forbidden");
    const json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
    CHECK_INT_EQ(json_integer_value(json_object_get(e, "line")), 2);
    CHECK_CONTAINS(json_string_value(json_object_get(e, "detail")), "only the GD authority");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'denied'"
                                   " AND object = 'registry/approvals' AND org = 'hk-dh'"),
                 1);
    /* An institution reports its own usage, no one else's. */
    const char *usage = "institution,product,month,patients,quantity,unit\n"
                        "gd-hku-szh,SYN-DRUG-1,2025-01,4,9,vial\n";
    post_csv(&w, &r, hospital, "usage", usage, NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    hb_test_response_dispose(&r);
    post_csv(&w, &r, hb_test_token(&w, "syn-hq-clinic", "reporter"), "usage", usage, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    /* Roles without registry.write are refused before the body is read. */
    post_csv(&w, &r, hb_test_token(&w, "gd-hc", "admin,epidemiologist"), "products",
             PRODUCTS "SYN-X,drug,HK-1,,X,,,,tablet,1 mg,,,\n", NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    /* The body must be CSV, and the kind one the registry has. */
    hb_test_call(&w, &r, "POST", "/api/v1/registry/items/products", hk, "{\"code\": 1}", NULL);
    check_problem(&r, 415, "unsupported-media-type");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "text/csv");
    hb_test_response_dispose(&r);
    post_csv(&w, &r, hk, "nonsense", "a\n1\n", NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* may-use, may-practise, expiring, usage, accreditations: answers and their parameter errors. */
TEST(registry_http__questions_and_reports)
{
    hb_test_world w;
    start(&w);
    const char *anyone = hb_test_token(&w, "hk-qmh", "clinician");
    hb_test_response r;
    get(&w, &r, anyone,
        "/api/v1/registry/may-use?product=SYN-DRUG-1&institution=gd-hku-szh&on=2025-03-01"
        "&department=oncology");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "answer")), "yes");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "basis")), "SYN-AP-1");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "on")), "2025-03-01");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone,
        "/api/v1/registry/may-use?product=SYN-DRUG-1&institution=gd-hku-szh&on=2026-01-01");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "answer")), "no");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "reason")), "ended on 2025-12-31");
    CHECK(json_is_null(json_object_get(r.json, "basis")));
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/may-use?product=SYN-NONE&institution=gd-hku-szh");
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/may-use?institution=gd-hku-szh");
    check_problem(&r, 400, "malformed-request");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "'product'");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone,
        "/api/v1/registry/may-use?product=SYN-DRUG-1&institution=gd-hku-szh&on=2025-02-30");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone,
        "/api/v1/registry/may-practise?person=SYN-HK-1&institution=gd-hku-szh&on=2025-04-01");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "answer")), "no");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "reason")), "suspension");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone,
        "/api/v1/registry/may-practise?person=SYN-MO-1&institution=syn-hq-clinic&on=2025-04-01");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "answer")), "yes");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "basis")), "SYN-HQ-1");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/expiring?on=2026-06-01&within=70&kind=permits");
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_INT_EQ(json_integer_value(json_object_get(row(&r, "item", "SYN-HQ-1"), "days_left")), 70);
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/expiring?kind=products");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/expiring?within=9999");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/accreditations?standard=jci&on=2024-06-01");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(json_string_value(json_object_get(row(&r, "reference", "SYN-JCI-1"), "status")),
                 "active");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/accreditations?all=yes");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    /* Usage: the authorities see every institution's, an institution its own. */
    CHECK_OK(fx_import(w.db, &hb_registry_operator, "usage",
                       "institution,product,month,patients,quantity,unit\n"
                       "gd-hku-szh,SYN-DRUG-1,2024-05,2,3,vial\n",
                       NULL));
    get(&w, &r, hb_test_token(&w, "mo-ssm", "epidemiologist"),
        "/api/v1/registry/usage?from=2024-01&to=2024-12");
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(
        json_integer_value(json_object_get(row(&r, "institution", "gd-hku-szh"), "patients")), 2);
    hb_test_response_dispose(&r);
    const char *hq = hb_test_token(&w, "syn-hq-clinic", "reporter");
    get(&w, &r, hq, "/api/v1/registry/usage?institution=gd-hku-szh");
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    get(&w, &r, hq, "/api/v1/registry/usage");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 0); /* its own: none */
    hb_test_response_dispose(&r);
    get(&w, &r, hq, "/api/v1/registry/usage?from=2024-13");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/usage");
    check_problem(&r, 403, "forbidden"); /* a clinician's roles have no usage.read */
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* Listings come in pages; filters, histories and the FHIR export check their parameters. */
TEST(registry_http__listing_pages_and_parameters)
{
    hb_test_world w;
    start(&w);
    const char *anyone = hb_test_token(&w, "hk-kwh", "monitor");
    hb_test_response r;
    get(&w, &r, anyone, "/api/v1/registry/items/practitioners?limit=2");
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 2);
    const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
    CHECK(next != NULL);
    char path[256];
    snprintf(path, sizeof path, "/api/v1/registry/items/practitioners?limit=2&cursor=%s", next);
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, path);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_STR_EQ(first(&r, "id"), "SYN-MO-2");
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/practitioners?cursor=bm90LWEtbnVtYmVy");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    /* Filters, and the status on a day. */
    get(&w, &r, anyone, "/api/v1/registry/items/permits?where=practitioner:SYN-MO-1&on=2026-09-01");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "items")), 1);
    CHECK_STR_EQ(json_string_value(json_object_get(row(&r, "permit_no", "SYN-HQ-1"), "status")),
                 "expired");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/permits?where=colour:red");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/permits?where=practitioner");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/nonsense");
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    /* Usage rows are not for the public register. */
    get(&w, &r, anyone, "/api/v1/registry/items/usage");
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    /* Histories: every version, with the batch that brought it. */
    get(&w, &r, anyone, "/api/v1/registry/items/approvals/history?item=SYN-AP-1");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(first(&r, "what"), "created");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/approvals/history?item=SYN-AP-404");
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/items/approvals/history");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/fhir?resources=Patient");
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    get(&w, &r, anyone, "/api/v1/registry/fhir?resources=Organization,Medication,Device");
    CHECK_INT_EQ(r.status, 200);
    CHECK_CONTAINS(r.body, "\"resourceType\":\"Medication\"");
    CHECK(strstr(r.body, "\"resourceType\":\"Practitioner\"") == NULL);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}
