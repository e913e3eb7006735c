/*
 * Vaccination over HTTP (issue #9): doses recorded as CSV or JSON (checked whole, each problem at
 * its line and field or its JSON Pointer, all or nothing, harmless when sent again), a person's
 * status under the sharing rules (residence and administration; 404 alike for the unknown and
 * the unreachable; every read audited), coverage shared among the authorities, certificates
 * issued with the authority's key and verified by anyone — with nothing that names a holder
 * kept by the server. Driven with libcurl on both backends.
 */
#include <stdio.h>
#include <string.h>

#include "core/accounts.h"
#include "harness.h"
#include "support.h"
#include "util/alloc.h"
#include "util/crypto.h"
#include "vaccine_world.h"

static const char *const csv_type[] = { "Content-Type: text/csv", NULL };

static const char csv_header[] = "person,residence,product,manufacturer,dose_number,series_doses,"
                                 "date,administered_in,site,region,lot\n";

static void check_problem(const hb_test_response *r, long status, const char *type)
{
    const char *t = json_string_value(json_object_get(r->json, "type"));
    CHECK_MSG(r->status == status && t && strstr(t, type), "expected %ld %s, got %ld %s", status,
              type, r->status, r->body);
}

/* Member name of the problem's errors[i], as a string (or "" when absent). */
static const char *problem_error(const hb_test_response *r, size_t i, const char *name)
{
    const json_t *e = json_array_get(json_object_get(r->json, "errors"), i);
    const char *v = json_string_value(json_object_get(e, name));
    return v ? v : "";
}

static long long problem_number(const hb_test_response *r, size_t i, const char *name)
{
    const json_t *e = json_array_get(json_object_get(r->json, "errors"), i);
    return (long long)json_integer_value(json_object_get(e, name));
}

static long long member(const hb_test_response *r, const char *name)
{
    return (long long)json_integer_value(json_object_get(r->json, name));
}

static long long doses_of(hb_test_world *w, const char *person)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM hb_vaccine_doses WHERE person = '%s'", person);
    return hb_test_count(w, sql);
}

static void post_csv(hb_test_world *w, hb_test_response *r, const char *token, const char *rows)
{
    char body[2048];
    snprintf(body, sizeof body, "%s%s", csv_header, rows);
    hb_test_call(w, r, "POST", "/api/v1/vaccinations", token, body, csv_type);
}

TEST(vaccine_http__doses_as_csv_checked_whole_and_harmless_when_sent_again)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *qmh = hb_test_token(&w, "hk-qmh", "reporter");
    const char *good = "HK-P0000001,HK,CoronaVac,,1,2,2021-06-01,HK,QMH,HK-A,\n"
                       "HK-P0000001,HK,CoronaVac,,2,2,2021-06-29,HK,QMH,HK-A,L7\n";
    hb_test_response r;
    post_csv(&w, &r, qmh, good);
    CHECK_MSG(r.status == 201, "%s", r.body);
    CHECK_INT_EQ(member(&r, "inserted"), 2);
    hb_test_response_dispose(&r);
    /* The same file again (a lost answer, retried without a key): nothing changes. */
    post_csv(&w, &r, qmh, good);
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK_INT_EQ(member(&r, "unchanged"), 2);
    CHECK_INT_EQ(member(&r, "inserted"), 0);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_vaccine_doses WHERE recorded_by = "
                                   "'hk-qmh'"),
                 2);
    /* Every bad field by line, column and field; nothing of the file is written. */
    post_csv(&w, &r, qmh,
             "HK-P0000002,HK,CoronaVac,,1,2,2021-06-01,HK,QMH,,\n"
             "HK-P0000003,XX,CoronaVac,,1,2,2021-02-30,HK,QMH,,\n");
    check_problem(&r, 422, "validation");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "errors")), 2);
    CHECK_STR_EQ(problem_error(&r, 0, "field"), "residence");
    CHECK_INT_EQ(problem_number(&r, 0, "line"), 3);
    CHECK_INT_EQ(problem_number(&r, 0, "column"), 13);
    CHECK_STR_EQ(problem_error(&r, 1, "field"), "date");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "2 problems in 2 doses");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(doses_of(&w, "HK-P0000002"), 0);
    /* A dose recorded differently under the same person, product and day is refused. */
    post_csv(&w, &r, qmh, "HK-P0000001,HK,CoronaVac,,1,2,2021-06-01,HK,Tuen Mun,HK-A,\n");
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "field"), "site");
    hb_test_response_dispose(&r);
    /* The file as a whole: a column missing. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations", qmh, "person,residence\nX,HK\n", csv_type);
    check_problem(&r, 422, "validation");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "missing column");
    hb_test_response_dispose(&r);
    /* Doses given in another jurisdiction are not the caller's to record: 403, each listed. */
    post_csv(&w, &r, qmh,
             "HK-P0000004,HK,CoronaVac,,1,2,2021-06-01,HK,QMH,,\n"
             "HK-P0000004,HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n");
    check_problem(&r, 403, "forbidden");
    CHECK_STR_EQ(problem_error(&r, 0, "field"), "administered_in");
    CHECK_INT_EQ(problem_number(&r, 0, "line"), 3);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(doses_of(&w, "HK-P0000004"), 0);
    /* Every write is audited, refused or not. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'vaccine.write'"
                                   " AND object = 'vaccinations' AND org = 'hk-qmh'"),
                 6);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'vaccine.write'"
                                   " AND outcome = 'denied'"),
                 1);
    hb_test_world_stop(&w);
}

TEST(vaccine_http__doses_as_json_each_problem_at_its_pointer)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *szh = hb_test_token(&w, "gd-szh", "reporter");
    hb_test_response r;
    /* The shape first: types, required and unknown members. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations", szh,
                 "{\"doses\": [{\"person\": \"GD-P0000001\", \"residence\": \"HK\","
                 " \"product\": \"CoronaVac\", \"dose_number\": \"1\", \"series_doses\": 2,"
                 " \"date\": \"2021-06-01\", \"administered_in\": \"GD\", \"site\": \"Futian\"},"
                 " {\"person\": \"GD-P0000002\", \"residence\": \"HK\", \"product\": \"CoronaVac\","
                 " \"dose_number\": 1, \"series_doses\": 2, \"date\": \"2021-06-01\","
                 " \"administered_in\": \"GD\", \"nurse\": \"Li\"}]}",
                 NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/doses/0/dose_number");
    CHECK_STR_EQ(problem_error(&r, 1, "pointer"), "/doses/1/nurse");
    CHECK_STR_EQ(problem_error(&r, 2, "pointer"), "/doses/1/site");
    hb_test_response_dispose(&r);
    /* Then the values, by the module, as for a CSV file: dose N is /doses/N. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations", szh,
                 "{\"doses\": [{\"person\": \"GD-P0000001\", \"residence\": \"HK\","
                 " \"product\": \"CoronaVac\", \"dose_number\": 1, \"series_doses\": 2,"
                 " \"date\": \"2021-06-01\", \"administered_in\": \"GD\", \"site\": \"Futian\","
                 " \"region\": \"440300\"},"
                 " {\"person\": \"GD-P0000002\", \"residence\": \"HK\", \"product\": \"Sinovac\","
                 " \"dose_number\": 1, \"series_doses\": 2, \"date\": \"2021-06-01\","
                 " \"administered_in\": \"GD\", \"site\": \"Futian\", \"region\": \"810000\"}]}",
                 NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/doses/1/product");
    CHECK_CONTAINS(problem_error(&r, 0, "detail"), "'Sinovac' is not a known product");
    CHECK_STR_EQ(problem_error(&r, 1, "pointer"), "/doses/1/region");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(doses_of(&w, "GD-P0000001"), 0);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations", szh,
                 "{\"doses\": [{\"person\": \"GD-P0000001\", \"residence\": \"HK\","
                 " \"product\": \"CoronaVac\", \"dose_number\": 1, \"series_doses\": 2,"
                 " \"date\": \"2021-06-01\", \"administered_in\": \"GD\","
                 " \"site\": \"Futian, \\\"Clinic\\\"\\n2\", \"lot\": \"A1\"}]}",
                 NULL);
    CHECK_MSG(r.status == 201, "%s", r.body);
    CHECK_INT_EQ(member(&r, "rows"), 1);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_vaccine_doses WHERE site LIKE "
                                   "'Futian, \"Clinic\"_2' AND lot = 'A1'"),
                 1); /* quote, comma and line break survive the way through CSV */
    /* Neither media type: 415 before the body is read. */
    static const char *const xml[] = { "Content-Type: application/xml", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations", szh, "<doses/>", xml);
    CHECK_INT_EQ(r.status, 415);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* The body of a status request's answer, for comparing two 404s. */
static char *status_of(hb_test_world *w, const char *token, const char *person, long *status)
{
    char path[256];
    hb_test_response r;
    snprintf(path, sizeof path, "/api/v1/vaccinations/status?person=%s&under=HK&on=2021-08-20",
             person);
    hb_test_call(w, &r, "GET", path, token, NULL, NULL);
    *status = r.status;
    char *body = hb_strdup(r.body);
    hb_test_response_dispose(&r);
    return body;
}

static long status_code(hb_test_world *w, const char *org, const char *person)
{
    long status;
    hb_free(status_of(w, hb_test_token(w, org, "clinician"), person, &status));
    return status;
}

/* Residence and administration are the legitimate interests: an HK resident vaccinated in
 * Guangdong is read by HK's authority, by Guangdong's, and by the site that recorded the doses —
 * by no one else, who cannot tell the record exists. */
TEST(vaccine_http__status_follows_the_sharing_rules)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_response r;
    post_csv(&w, &r, hb_test_token(&w, "gd-szh", "reporter"),
             "HK-P0000001,HK,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n"
             "HK-P0000001,HK,CoronaVac,,2,2,2021-06-29,GD,Futian,440300,\n");
    CHECK_MSG(r.status == 201, "%s", r.body);
    hb_test_response_dispose(&r);
    const char *hk = hb_test_token(&w, "hk-dh", "clinician");
    hb_test_call(&w, &r, "GET",
                 "/api/v1/vaccinations/status?person=HK-P0000001&under=HK&on=2021-08-20", hk, NULL,
                 NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK(json_is_true(json_object_get(r.json, "full")));
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "full_from")), "2021-07-13");
    CHECK_CONTAINS(json_string_value(json_array_get(json_object_get(r.json, "why"), 1)),
                   "primary course complete");
    hb_test_response_dispose(&r);
    /* The rules default to the caller's own jurisdiction. */
    const char *gd = hb_test_token(&w, "gd-hc", "clinician");
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/status?person=HK-P0000001&on=2021-06-10", gd,
                 NULL, NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "under")), "GD");
    CHECK(json_is_false(json_object_get(r.json, "full")));
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(status_code(&w, "gd-szh", "HK-P0000001"), 200); /* the recorder */
    CHECK_INT_EQ(status_code(&w, "mo-ssm", "HK-P0000001"), 404); /* no interest */
    CHECK_INT_EQ(status_code(&w, "hk-qmh", "HK-P0000001"), 404); /* not its patient */
    /* Out of reach and unknown answer alike: a pseudonym cannot be probed. */
    long s1, s2;
    const char *mo = hb_test_token(&w, "mo-ssm", "clinician");
    char *reachless = status_of(&w, mo, "HK-P0000001", &s1);
    char *unknown = status_of(&w, hk, "HK-P9999999", &s2);
    CHECK_INT_EQ(s1, 404);
    CHECK_STR_EQ(reachless, unknown);
    hb_free(reachless);
    hb_free(unknown);
    /* A role without vaccine.read is refused before anything is looked up. */
    CHECK_INT_EQ(status_code(&w, "hk-dh", "HK-P0000001"), 200);
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/status?person=HK-P0000001",
                 hb_test_token(&w, "hk-dh", "epidemiologist,reporter"), NULL, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/status?person=HK-P0000001&under=XX", hk, NULL,
                 NULL);
    check_problem(&r, 400, "malformed");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/status", hk, NULL, NULL);
    check_problem(&r, 400, "malformed");
    hb_test_response_dispose(&r);
    /* Every read of the record is audited, the refused ones too, naming the pseudonym. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'vaccine.read'"
                                   " AND object = 'vaccination/HK-P0000001' AND outcome = 'ok'"),
                 4);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'vaccine.read'"
                                   " AND object = 'vaccination/HK-P0000001' AND outcome != 'ok'"),
                 3);
    hb_test_world_stop(&w);
}

TEST(vaccine_http__coverage_is_shared_among_the_authorities)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_vaccine_world(&w);
    hb_test_response r;
    const char *hk = hb_test_token(&w, "hk-dh", "epidemiologist");
    hb_test_call(&w, &r, "GET",
                 "/api/v1/vaccinations/coverage?administered_in=GD&from=2021-06-28&to=2021-06-29",
                 hk, NULL, NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    const json_t *items = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_array_size(items), 2);
    const json_t *last = json_array_get(items, 1);
    CHECK_STR_EQ(json_string_value(json_object_get(last, "residence")), "GD");
    CHECK_INT_EQ(json_integer_value(json_object_get(last, "at_least_one_dose")), 1);
    CHECK_INT_EQ(json_integer_value(json_object_get(last, "full_course")), 1);
    hb_test_response_dispose(&r);
    /* A hospital sees its own jurisdiction's figures only: the default. */
    const char *qmh = hb_test_token(&w, "hk-qmh", "epidemiologist");
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/coverage?administered_in=GD", qmh, NULL,
                 NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET",
                 "/api/v1/vaccinations/coverage?from=2021-06-01&to=2021-06-30&by_product=true", qmh,
                 NULL, NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    items = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_array_size(items), 30);
    last = json_array_get(items, 29);
    CHECK_STR_EQ(json_string_value(json_object_get(last, "product")), "CoronaVac");
    CHECK_INT_EQ(json_integer_value(json_object_get(last, "full_course")), 3);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/coverage?from=2018-01-01&to=2021-06-30", qmh,
                 NULL, NULL);
    check_problem(&r, 400, "malformed");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/vaccinations/coverage?by_product=yes", qmh, NULL, NULL);
    check_problem(&r, 400, "malformed");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* Whether the database holds text anywhere the server keeps responses and audit entries. */
static long long kept(hb_test_world *w, const char *text)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT (SELECT count(*) FROM hb_idempotency WHERE body LIKE '%%%s%%')"
             " + (SELECT count(*) FROM hb_audit WHERE object LIKE '%%%s%%')",
             text, text);
    return hb_test_count(w, sql);
}

static const char *issue_body(const char *person, const char *family, const char *qr)
{
    static char body[512];
    snprintf(body, sizeof body,
             "{\"person\": \"%s\", \"family_name\": \"%s\", \"given_name\": \"Tai Man\","
             " \"dob\": \"1980-01-02\", \"qr\": \"%s\"}",
             person, family, qr);
    return body;
}

TEST(vaccine_http__certificates_issued_by_an_authority_verified_by_anyone)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_vaccine_world(&w);
    const char *hk = hb_test_token(&w, "hk-dh", "clinician");
    const char *person = hb_test_vaccine_person("hk-qmh");
    static const char *const key[] = { "Idempotency-Key: issue-1", NULL };
    hb_test_response r;
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", hk,
                 issue_body(person, "Chan", "png"), key);
    CHECK_MSG(r.status == 201, "%s", r.body);
    char certificate[4400], uvci[96];
    snprintf(certificate, sizeof certificate, "%s",
             json_string_value(json_object_get(r.json, "certificate")));
    snprintf(uvci, sizeof uvci, "%s", json_string_value(json_object_get(r.json, "uvci")));
    CHECK(strncmp(certificate, "HC1:", 4) == 0);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "issuer")), "HK");
    CHECK_INT_EQ(
        json_integer_value(json_object_get(json_object_get(r.json, "dose"), "dose_number")), 2);
    const char *qr = json_string_value(json_object_get(r.json, "qr"));
    CHECK(qr && strncmp(qr, "data:image/png;base64,", 22) == 0);
    unsigned char *png;
    size_t len;
    CHECK_OK(hb_base64_decode(&png, &len, qr + 22));
    CHECK(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
    hb_free(png);
    hb_test_response_dispose(&r);
    /* A replay with the key: the same issue, without the certificate — nothing stored names the
     * holder, so a lost certificate is issued again. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", hk,
                 issue_body(person, "Chan", "png"), key);
    CHECK_INT_EQ(r.status, 201);
    CHECK_STR_EQ(hb_test_header(&r, "Idempotent-Replayed"), "true");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "uvci")), uvci);
    CHECK(json_is_null(json_object_get(r.json, "certificate")));
    CHECK(json_is_null(json_object_get(r.json, "qr")));
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(kept(&w, "1980-01-02"), 0);
    CHECK_INT_EQ(kept(&w, "HC1:"), 0);
    CHECK_INT_EQ(kept(&w, uvci), 2); /* the audit entry and the replay name what was issued */

    /* Anyone with a token verifies, against the database trust list. */
    const char *anyone = hb_test_token(&w, "hk-kwh", "monitor");
    static const char *const vkey[] = { "Idempotency-Key: verify-1", NULL };
    char body[4600];
    snprintf(body, sizeof body, "{\"certificate\": \"%s\"}", certificate);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates/verification", anyone, body,
                 vkey);
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "verdict")), "valid");
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "signer")), "HK");
    const json_t *payload = json_object_get(r.json, "payload");
    CHECK_STR_EQ(json_string_value(json_object_get(payload, "dob")), "1980-01-02");
    CHECK_STR_EQ(json_string_value(json_object_get(json_object_get(payload, "nam"), "fnt")),
                 "CHAN");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(kept(&w, "1980-01-02"), 0);
    CHECK_INT_EQ(kept(&w, "CHAN"), 0);
    snprintf(body, sizeof body, "{\"certificate\": \"%s\", \"at\": \"2099-01-01T00:00:00Z\"}",
             certificate);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates/verification", anyone, body,
                 NULL);
    CHECK_MSG(r.status == 200, "%s", r.body);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "reason")), "expired");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates/verification", anyone,
                 "{\"certificate\": \"HC2:6BF\"}", NULL);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "reason")), "bad_prefix");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates/verification", anyone,
                 "{\"certificate\": \"HC1:6BF\", \"at\": \"yesterday\"}", NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/at");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(vaccine_http__who_may_issue_and_what_a_certificate_needs)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_vaccine_world(&w);
    hb_test_response r;
    /* A Macao resident vaccinated in Guangdong: Macao's authority may read the record, but this
     * server holds no Macao key. */
    post_csv(&w, &r, hb_test_token(&w, "gd-szh", "reporter"),
             "MO-P0000001,MO,CoronaVac,,1,2,2021-06-01,GD,Futian,440300,\n");
    CHECK_MSG(r.status == 201, "%s", r.body);
    hb_test_response_dispose(&r);
    const char *mo = hb_test_token(&w, "mo-ssm", "clinician");
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", mo,
                 issue_body("MO-P0000001", "Chan", "none"), NULL);
    check_problem(&r, 409, "conflict");
    CHECK_CONTAINS(json_string_value(json_object_get(r.json, "detail")), "no document-signer key");
    hb_test_response_dispose(&r);
    /* Guangdong's authority issues for the dose given there, with its own key, as SVG. */
    const char *gd = hb_test_token(&w, "gd-hc", "clinician");
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", gd,
                 issue_body("MO-P0000001", "Chan", "svg"), NULL);
    CHECK_MSG(r.status == 201, "%s", r.body);
    CHECK_STR_EQ(json_string_value(json_object_get(r.json, "issuer")), "GD");
    CHECK(strncmp(json_string_value(json_object_get(r.json, "qr")), "data:image/svg+xml;base64,",
                  26) == 0);
    hb_test_response_dispose(&r);
    /* The site that recorded the doses reads the record but signs nothing: 403. Whoever may not
     * read the record learns nothing: 404. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates",
                 hb_test_token(&w, "gd-szh", "clinician"),
                 issue_body("MO-P0000001", "Chan", "none"), NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates",
                 hb_test_token(&w, "hk-dh", "clinician"), issue_body("MO-P0000001", "Chan", "none"),
                 NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    /* What the DCC refuses is a field of the request. */
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", gd,
                 issue_body("MO-P0000001", "陳", "none"), NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/family_name");
    CHECK_CONTAINS(problem_error(&r, 0, "detail"), "ICAO 9303");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", gd,
                 "{\"person\": \"MO-P0000001\", \"family_name\": \"Chan\", \"dob\": \"1980\","
                 " \"valid_days\": 3000}",
                 NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/valid_days");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/vaccinations/certificates", gd,
                 issue_body("MO-P0000001", "Chan", "gif"), NULL);
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(problem_error(&r, 0, "pointer"), "/qr");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}
