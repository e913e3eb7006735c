/*
 * The rare-blood API over HTTP (issue #8), on SQLite and on PostgreSQL: uploads by a blood
 * centre, its own listings, the search across the border, the request workflow, and the rule the
 * exchange is built on — a donor's identity never leaves the blood centre that keeps it.
 */
#include <stdio.h>
#include <string.h>

#include "blood_fixture.h"
#include "harness.h"
#include "support.h"

#define PROBLEMS "https://healthybay.invalid/problems/"

static const char *const csv_type[] = { "Content-Type: text/csv", NULL };

static const char *str(const hb_test_response *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

static size_t items(const hb_test_response *r)
{
    return json_array_size(json_object_get(r->json, "items"));
}

static const char *item_str(const hb_test_response *r, size_t i, const char *key)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), i), key));
}

static void expect_status(const hb_test_response *r, long status, const char *problem)
{
    CHECK_MSG(r->status == status, "%ld, expected %ld: %s", r->status, status, r->body);
    if (problem) {
        char type[96];
        snprintf(type, sizeof type, PROBLEMS "%s", problem);
        CHECK_STR_EQ(str(r, "type"), type);
    }
}

/* The first entry of a problem's errors[]. */
static json_t *first_error(const hb_test_response *r)
{
    return json_array_get(json_object_get(r->json, "errors"), 0);
}

static long long audited(hb_test_world *w, const char *where)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM hb_audit WHERE %s", where);
    return hb_test_count(w, sql);
}

#define DONORS "local_ref,abo,rhd,phenotype,predicted,last_donation,eligible\n"

TEST(blood__a_centre_uploads_and_lists_its_own_registry)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *hk = hb_test_token(&w, "hk-rcbts", "blood_bank");
    hb_test_response r;
    const char *donors = DONORS "HK-0002,B,pos,Mi(a-),,2025-01-02,yes\n"
                                "HK-0001,O,neg,\"C+ c- E- e+ Jk(a-b-)\",Dib-,,yes\n"
                                "HK-0003,A,pos,,,,no\n";
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", hk, donors, csv_type);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(json_integer_value(json_object_get(r.json, "inserted")), 3);
    hb_test_response_dispose(&r);
    const char *again[] = { "Content-Type: text/csv; charset=utf-8", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", hk, donors, again);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(json_integer_value(json_object_get(r.json, "unchanged")), 3);
    hb_test_response_dispose(&r);

    /* Its own donors, with its donor numbers, two pages of two and one. */
    hb_test_call(&w, &r, "GET", "/api/v1/blood/donors?limit=2", hk, NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(items(&r), 2);
    CHECK_STR_EQ(item_str(&r, 0, "local_ref"), "HK-0001");
    CHECK_STR_EQ(item_str(&r, 0, "phenotype"), "C+ c- E- e+ Jka- Jkb-");
    CHECK_STR_EQ(item_str(&r, 0, "predicted"), "Dib-");
    CHECK(strncmp(item_str(&r, 0, "pseudonym"), "RD-", 3) == 0);
    char next[256];
    snprintf(next, sizeof next, "/api/v1/blood/donors?limit=2&cursor=%s", str(&r, "next_cursor"));
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", next, hk, NULL, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_STR_EQ(item_str(&r, 0, "local_ref"), "HK-0003");
    CHECK_STR_EQ(item_str(&r, 0, "eligible"), "no");
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    hb_test_response_dispose(&r);

    /* Units page by DIN, the request holding one as a number. */
    const char *gd = hb_test_token(&w, "gd-gzbc", "blood_bank");
    hb_test_blood_request(&w, "hk-qmh", "HK");
    hb_test_call(&w, &r, "GET", "/api/v1/blood/units?limit=1", gd, NULL, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_STR_EQ(item_str(&r, 0, "din"), hb_test_blood_unit("GD", 1));
    CHECK_STR_EQ(item_str(&r, 0, "status"), "available");
    CHECK(json_is_null(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "request")));
    snprintf(next, sizeof next, "/api/v1/blood/units?cursor=%s", str(&r, "next_cursor"));
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", next, gd, NULL, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_STR_EQ(item_str(&r, 0, "din"), hb_test_blood_unit("GD", 2));
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/blood/units?cursor=bm90LWEtZGlu", gd, NULL, NULL);
    expect_status(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);

    /* Uploads and donor listings are audited, naming the registry touched. */
    CHECK_INT_EQ(audited(&w, "action = 'blood.registry.write' AND object = 'blood/donors/hk-rcbts'"
                             " AND org = 'hk-rcbts' AND outcome = 'ok'"),
                 2);
    CHECK_INT_EQ(audited(&w, "action = 'blood.registry.read' AND object = 'blood/donors/hk-rcbts'"),
                 2);
    CHECK_INT_EQ(audited(&w, "action = 'blood.registry.read' AND object LIKE 'blood/units/%'"), 0);
    hb_test_world_stop(&w);
}

/* A file with problems is rejected whole, each problem at its line and field; nothing is
 * written. */
TEST(blood__a_bad_upload_is_rejected_whole_at_its_lines)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *hk = hb_test_token(&w, "hk-rcbts", "blood_bank");
    hb_test_response r;
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", hk,
                 DONORS "HK-1,O,neg,,,,yes\nHK-2,C,neg,Jkx-,,,yes\nHK-1,O,neg,,,,yes\n"
                        "HK-3,O,neg,,,,maybe\n",
                 csv_type);
    expect_status(&r, 422, "validation");
    CHECK_CONTAINS(str(&r, "detail"), "4 problems in 4 rows; nothing was written");
    json_t *e = first_error(&r);
    CHECK_INT_EQ(json_integer_value(json_object_get(e, "line")), 3);
    CHECK_INT_EQ(json_integer_value(json_object_get(e, "column")), 6);
    CHECK_STR_EQ(json_string_value(json_object_get(e, "field")), "abo");
    CHECK_STR_EQ(json_string_value(json_object_get(e, "detail")),
                 "'C' is not an ABO group (O, A, B or AB)");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "errors")), 4);
    CHECK_CONTAINS(r.body, "\"field\":\"phenotype\"");
    CHECK_CONTAINS(r.body, "\"line\":5,\"column\":15,\"field\":\"eligible\"");
    CHECK_CONTAINS(r.body, "{\"line\":4,\"column\":1,\"field\":\"local_ref\","
                           "\"detail\":\"donor HK-1 is also on line 2\"}");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_blood_donors WHERE centre ="
                                   " 'hk-rcbts'"),
                 0);

    /* A file that cannot be read names where it stops: a missing column on the first line, an
     * unterminated quote where it opens. */
    hb_test_call(&w, &r, "POST", "/api/v1/blood/units", hk, "din,abo\n", csv_type);
    expect_status(&r, 422, "validation");
    CHECK_STR_EQ(str(&r, "detail"), "body:1: missing column 'rhd'");
    CHECK(json_object_get(r.json, "errors") == NULL);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", hk, DONORS "HK-1,O,\"neg,,,,yes\n",
                 csv_type);
    expect_status(&r, 422, "validation");
    CHECK_CONTAINS(str(&r, "detail"), "body:2:8: quoted field is never closed");
    hb_test_response_dispose(&r);

    /* The body must be sent as CSV; a hospital keeps no registry. */
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", hk, DONORS, NULL);
    expect_status(&r, 415, "unsupported-media-type");
    CHECK_CONTAINS(str(&r, "detail"), "text/csv");
    hb_test_response_dispose(&r);
    const char *qmh = hb_test_token(&w, "hk-qmh", "blood_bank");
    hb_test_call(&w, &r, "POST", "/api/v1/blood/donors", qmh, DONORS "Q-1,O,neg,,,,yes\n",
                 csv_type);
    expect_status(&r, 403, "forbidden");
    CHECK_CONTAINS(str(&r, "detail"), "hk-qmh is not a blood centre");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(audited(&w, "action = 'blood.registry.write' AND outcome = 'rejected'"), 3);
    CHECK_INT_EQ(audited(&w, "action = 'blood.registry.write' AND outcome = 'denied' AND"
                             " object = 'blood/donors/hk-qmh'"),
                 1);
    hb_test_world_stop(&w);
}

/* A retried upload with its Idempotency-Key gets the first answer and writes nothing. */
TEST(blood__an_upload_retried_with_its_key_is_not_repeated)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *hk = hb_test_token(&w, "hk-rcbts", "blood_bank");
    const char *headers[] = { "Content-Type: text/csv", "Idempotency-Key: hk-donors-2026-11-23",
                              NULL };
    hb_test_response first, again;
    hb_test_call(&w, &first, "POST", "/api/v1/blood/donors", hk, DONORS "HK-1,O,neg,,,,yes\n",
                 headers);
    expect_status(&first, 200, NULL);
    long long entries = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    hb_test_call(&w, &again, "POST", "/api/v1/blood/donors", hk, DONORS "HK-1,O,neg,,,,yes\n",
                 headers);
    expect_status(&again, 200, NULL);
    CHECK_STR_EQ(again.body, first.body); /* "inserted": 1, not "unchanged": 1 */
    CHECK_STR_EQ(hb_test_header(&again, "Idempotent-Replayed"), "true");
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit"), entries);
    hb_test_response_dispose(&again);
    hb_test_call(&w, &again, "POST", "/api/v1/blood/donors", hk, DONORS "HK-2,O,neg,,,,yes\n",
                 headers);
    expect_status(&again, 422, "idempotency-key-reused");
    hb_test_response_dispose(&again);
    hb_test_response_dispose(&first);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_blood_donors WHERE centre ="
                                   " 'hk-rcbts'"),
                 1);
    hb_test_world_stop(&w);
}

/* The blood centre's own roles: only its blood bank reaches its registry. (The permission matrix
 * runs an authority and a hospital, neither of which keeps one.) */
TEST(blood__only_a_centres_blood_bank_reaches_its_registry)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    static const char *const roles[] = { "admin",      "epidemiologist", "reporter", "clinician",
                                         "blood_bank", "auditor",        "monitor" };
    static const struct {
        const char *method, *path, *body;
    } routes[] = {
        { "GET", "/api/v1/blood/donors", NULL },
        { "GET", "/api/v1/blood/units", NULL },
        { "POST", "/api/v1/blood/donors", DONORS },
        { "POST", "/api/v1/blood/units", "din,component,storage,abo,rhd,expiry\n" },
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        const char *token = hb_test_token(&w, "gd-gzbc", roles[i]);
        for (size_t k = 0; k < sizeof routes / sizeof routes[0]; k++) {
            hb_test_response r;
            hb_test_call(&w, &r, routes[k].method, routes[k].path, token, routes[k].body, csv_type);
            long want = strcmp(roles[i], "blood_bank") == 0 ? 200 : 403;
            CHECK_MSG(r.status == want, "%s %s as %s: %ld", routes[k].method, routes[k].path,
                      roles[i], r.status);
            hb_test_response_dispose(&r);
        }
    }
    hb_test_world_stop(&w);
}

TEST(blood__search_across_the_border)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *qmh = hb_test_token(&w, "hk-qmh", "blood_bank");
    hb_test_response r;
    /* Near Hong Kong: the HK unit (0 km), the two GD units, then the GD donor. */
    hb_test_call(&w, &r, "GET", "/api/v1/blood/search?abo=A&rhd=neg&negative=Jk3&near=hk-rcbts",
                 qmh, NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(json_integer_value(json_object_get(r.json, "matched")), 4);
    CHECK_INT_EQ(items(&r), 4);
    CHECK_STR_EQ(item_str(&r, 0, "id"), hb_test_blood_unit("HK", 1));
    CHECK_STR_EQ(item_str(&r, 0, "jurisdiction"), "HK");
    json_t *first = json_array_get(json_object_get(r.json, "items"), 0);
    CHECK_INT_EQ(json_integer_value(json_object_get(first, "rank")), 1);
    CHECK_INT_EQ(json_integer_value(json_object_get(first, "distance_km")), 0);
    CHECK_INT_EQ(json_integer_value(json_object_get(first, "exactness")), 1); /* A patient, O */
    CHECK_STR_EQ(item_str(&r, 3, "kind"), "donor");
    CHECK_STR_EQ(item_str(&r, 3, "id"), hb_test_blood_donor(&w));
    CHECK_STR_EQ(item_str(&r, 3, "centre"), "gd-gzbc");
    hb_test_response_dispose(&r);
    /* Narrower: donors only, Macao only, a limit, an antigen nobody is typed for. */
    static const struct {
        const char *query;
        size_t hits;
    } narrower[] = {
        { "abo=O&rhd=neg&kind=donor", 1 },
        { "abo=O&rhd=neg&jurisdictions=MO", 0 },
        { "abo=O&rhd=neg&jurisdictions=GD,HK&limit=2", 2 },
        { "abo=O&rhd=neg&negative=Fya", 1 }, /* the HK unit is Fy(a-b+) */
        { "abo=O&rhd=pos&negative=Fya,Jk3&kind=unit&on=2034-01-02", 0 },
    };
    for (size_t i = 0; i < sizeof narrower / sizeof narrower[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/api/v1/blood/search?%s", narrower[i].query);
        hb_test_call(&w, &r, "GET", path, qmh, NULL, NULL);
        expect_status(&r, 200, NULL);
        CHECK_MSG(items(&r) == narrower[i].hits, "%s: %zu hits", narrower[i].query, items(&r));
        hb_test_response_dispose(&r);
    }
    static const char *const bad[] = {
        "rhd=neg",
        "abo=C&rhd=neg",
        "abo=O&rhd=maybe",
        "abo=O&rhd=neg&negative=Jkx",
        "abo=O&rhd=neg&kind=plasma",
        "abo=O&rhd=neg&jurisdictions=HK,XX",
        "abo=O&rhd=neg&jurisdictions=",
        "abo=O&rhd=neg&near=hk-qmh",
        "abo=O&rhd=neg&on=2026-02-30",
        "abo=O&rhd=neg&limit=0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/api/v1/blood/search?%s", bad[i]);
        hb_test_call(&w, &r, "GET", path, qmh, NULL, NULL);
        CHECK_MSG(r.status == 400, "%s: %ld %s", bad[i], r.status, r.body);
        hb_test_response_dispose(&r);
    }
    /* Every search is audited with the registries it read. */
    CHECK_INT_EQ(audited(&w, "action = 'blood.search' AND outcome = 'ok' AND org = 'hk-qmh'"
                             " AND object = 'blood/search/GD,HK,MO'"),
                 4);
    CHECK_INT_EQ(audited(&w, "action = 'blood.search' AND object = 'blood/search/MO'"), 1);
    /* Only blood banks search. */
    hb_test_call(&w, &r, "GET", "/api/v1/blood/search?abo=O&rhd=neg",
                 hb_test_token(&w, "hk-qmh", "clinician"), NULL, NULL);
    expect_status(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* POST a JSON body; the response's "id" (a request number). */
static long long post_json(hb_test_world *w, hb_test_response *r, const char *path,
                           const char *token, const char *body)
{
    hb_test_call(w, r, "POST", path, token, body, NULL);
    return (long long)json_integer_value(json_object_get(r->json, "id"));
}

/* Take step `body` on request id as token; the state reached (NULL on refusal). */
static void step(hb_test_world *w, hb_test_response *r, long long id, const char *token,
                 const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/api/v1/blood/requests/%lld/events", id);
    hb_test_call(w, r, "POST", path, token, body, NULL);
}

static const char *unit_status(hb_test_world *w, int i)
{
    static char out[16];
    hb_stmt *st;
    char din[14];
    const char *printed = hb_test_blood_unit("GD", i);
    snprintf(din, sizeof din, "%.5s%.2s%.6s", printed, printed + 6, printed + 9);
    CHECK_OK(hb_store_prepare(w->db, &st, "SELECT status FROM hb_blood_units WHERE din = ?"));
    CHECK_OK(hb_stmt_bind_cstr(st, 1, din));
    CHECK_INT_EQ(hb_stmt_step(st), HB_STORE_ROW);
    snprintf(out, sizeof out, "%s", hb_stmt_text(st, 0, NULL));
    hb_stmt_finalize(st);
    return out;
}

TEST(blood__a_request_from_hong_kong_to_guangdong_end_to_end)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *qmh = hb_test_token(&w, "hk-qmh", "blood_bank");
    const char *gz = hb_test_token(&w, "gd-gzbc", "blood_bank");
    hb_test_response r;
    char body[512], path[96];
    snprintf(body, sizeof body,
             "{\"din\": \"%s\", \"abo\": \"A\", \"rhd\": \"neg\", \"needs\": [\"Jk3\", \"Jka\"],"
             " \"note\": \"anti-Jk3, thalassaemia major\"}",
             hb_test_blood_unit("GD", 1));
    long long id = post_json(&w, &r, "/api/v1/blood/requests", qmh, body);
    expect_status(&r, 201, NULL);
    snprintf(path, sizeof path, "/api/v1/blood/requests/%lld", id);
    CHECK_STR_EQ(hb_test_header(&r, "Location"), path);
    CHECK_STR_EQ(str(&r, "state"), "requested");
    CHECK_STR_EQ(str(&r, "centre"), "gd-gzbc");
    CHECK_STR_EQ(str(&r, "centre_jurisdiction"), "GD");
    CHECK_STR_EQ(str(&r, "din"), hb_test_blood_unit("GD", 1));
    CHECK(json_is_null(json_object_get(r.json, "donor")));
    CHECK_STR_EQ(json_string_value(json_array_get(json_object_get(r.json, "needs"), 1)), "Jk3");
    CHECK(json_is_string(json_object_get(r.json, "requested_at")));
    CHECK(json_is_null(json_object_get(r.json, "offered_at")));
    hb_test_response_dispose(&r);
    CHECK_STR_EQ(unit_status(&w, 1), "available"); /* nothing reserved before the centre offers */

    /* The hospital cannot offer; the centre does, and the unit is reserved. */
    step(&w, &r, id, qmh, "{\"action\": \"offer\"}");
    expect_status(&r, 403, "forbidden");
    CHECK_CONTAINS(str(&r, "detail"), "only gd-gzbc can offer");
    hb_test_response_dispose(&r);
    step(&w, &r, id, gz, "{\"action\": \"offer\", \"note\": \"frozen; thawed on acceptance\"}");
    expect_status(&r, 200, NULL);
    CHECK_STR_EQ(str(&r, "state"), "offered");
    hb_test_response_dispose(&r);
    CHECK_STR_EQ(unit_status(&w, 1), "reserved");
    static const struct {
        const char *by, *body, *state;
    } rest[] = {
        { "qmh", "{\"action\": \"accept\"}", "accepted" },
        { "gz", "{\"action\": \"ship\", \"note\": \"courier via the HZMB\"}", "shipped" },
        { "qmh", "{\"action\": \"receive\"}", "received" },
    };
    for (size_t i = 0; i < sizeof rest / sizeof rest[0]; i++) {
        step(&w, &r, id, strcmp(rest[i].by, "gz") == 0 ? gz : qmh, rest[i].body);
        expect_status(&r, 200, NULL);
        CHECK_STR_EQ(str(&r, "state"), rest[i].state);
        hb_test_response_dispose(&r);
    }
    CHECK_STR_EQ(unit_status(&w, 1), "received");
    step(&w, &r, id, qmh, "{\"action\": \"cancel\"}");
    expect_status(&r, 409, "conflict");
    CHECK_CONTAINS(str(&r, "detail"), "is received: it cannot be cancel");
    hb_test_response_dispose(&r);

    /* Both parties read it and its history; nobody else can tell it exists. */
    snprintf(path, sizeof path, "/api/v1/blood/requests/%lld/events", id);
    hb_test_call(&w, &r, "GET", path, gz, NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(items(&r), 5);
    CHECK_STR_EQ(item_str(&r, 3, "action"), "ship");
    CHECK_STR_EQ(item_str(&r, 3, "organisation"), "gd-gzbc");
    CHECK_STR_EQ(item_str(&r, 3, "note"), "courier via the HZMB");
    hb_test_response_dispose(&r);
    const char *others[] = { hb_test_token(&w, "hk-kwh", "blood_bank"),
                             hb_test_token(&w, "hk-rcbts", "blood_bank"),
                             hb_test_token(&w, "gd-szh", "blood_bank") };
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "/api/v1/blood/requests/%lld", id);
        hb_test_call(&w, &r, "GET", path, others[i], NULL, NULL);
        expect_status(&r, 404, "not-found");
        hb_test_response_dispose(&r);
        step(&w, &r, id, others[i], "{\"action\": \"cancel\"}");
        expect_status(&r, 404, "not-found");
        hb_test_response_dispose(&r);
    }
    hb_test_call(&w, &r, "GET", "/api/v1/blood/requests/999999", qmh, NULL, NULL);
    expect_status(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/blood/requests/0x10", qmh, NULL, NULL);
    expect_status(&r, 404, "not-found");
    hb_test_response_dispose(&r);

    /* Every step is audited with the request it touched; the third parties' attempts too. */
    snprintf(body, sizeof body,
             "object = 'blood/request/%lld' AND action = 'blood.request.write'"
             " AND outcome = 'ok'",
             id);
    CHECK_INT_EQ(audited(&w, body), 5);
    snprintf(body, sizeof body, "object = 'blood/request/%lld' AND org = 'gd-szh'", id);
    CHECK_INT_EQ(audited(&w, body), 2);
    hb_test_world_stop(&w);
}

TEST(blood__requests_and_steps_are_checked_field_by_field)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *qmh = hb_test_token(&w, "hk-qmh", "blood_bank");
    const char *gz = hb_test_token(&w, "gd-gzbc", "blood_bank");
    char good[160], wrong_check[160];
    const char *d1 = hb_test_blood_unit("GD", 1);
    snprintf(good, sizeof good, "\"din\": \"%s\", \"abo\": \"O\", \"rhd\": \"neg\"", d1);
    snprintf(wrong_check, sizeof wrong_check, "%.16s%c", d1, d1[16] == 'A' ? 'B' : 'A');
    static const struct {
        const char *body, *pointer;
        long status;
    } cases[] = {
        { "{\"abo\": \"O\", \"rhd\": \"neg\"}", "", 422 },
        { "{\"din\": \"@\", \"donor\": \"RD-0000-0000-0000-0000\", \"abo\": \"O\", \"rhd\": "
          "\"neg\"}",
          "", 422 },
        { "{\"din\": \"@\", \"abo\": \"C\", \"rhd\": \"neg\"}", "/abo", 422 },
        { "{\"din\": \"@\", \"abo\": \"O\", \"rhd\": \"neg\", \"needs\": [\"Jk3\", \"Jkx\"]}",
          "/needs/1", 422 },
        { "{\"din\": \"@\", \"abo\": \"O\", \"rhd\": \"neg\", \"blood\": 1}", "/blood", 422 },
        /* a unit that is not known to lack Fya; an unknown donor */
        { "{\"din\": \"@\", \"abo\": \"O\", \"rhd\": \"neg\", \"needs\": [\"Fya\"]}", "/din", 422 },
        { "{\"donor\": \"RD-0000-0000-0000-0000\", \"abo\": \"O\", \"rhd\": \"neg\"}", "/donor",
          422 },
    };
    hb_test_response r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        const char *at = strchr(cases[i].body, '@');
        snprintf(body, sizeof body, "%.*s%s%s", at ? (int)(at - cases[i].body) : 256, cases[i].body,
                 at ? d1 : "", at ? at + 1 : "");
        post_json(&w, &r, "/api/v1/blood/requests", qmh, body);
        CHECK_MSG(r.status == cases[i].status, "%s: %ld %s", body, r.status, r.body);
        CHECK_MSG(strcmp(json_string_value(json_object_get(first_error(&r), "pointer")),
                         cases[i].pointer) == 0,
                  "%s: %s", body, r.body);
        hb_test_response_dispose(&r);
    }
    char body[256];
    snprintf(body, sizeof body, "{\"din\": \"%s\", \"abo\": \"O\", \"rhd\": \"neg\"}", wrong_check);
    post_json(&w, &r, "/api/v1/blood/requests", qmh, body);
    expect_status(&r, 422, "validation");
    CHECK_CONTAINS(json_string_value(json_object_get(first_error(&r), "detail")),
                   "check character");
    hb_test_response_dispose(&r);
    /* A centre does not request its own unit. */
    snprintf(body, sizeof body, "{%s}", good);
    post_json(&w, &r, "/api/v1/blood/requests", gz, body);
    expect_status(&r, 422, "validation");
    CHECK_CONTAINS(r.body, "owns this unit");
    hb_test_response_dispose(&r);

    /* Retried with its key, a request is made once. */
    const char *key[] = { "Idempotency-Key: qmh-req-1", NULL };
    hb_test_response first;
    hb_test_call(&w, &first, "POST", "/api/v1/blood/requests", qmh, body, key);
    expect_status(&first, 201, NULL);
    hb_test_call(&w, &r, "POST", "/api/v1/blood/requests", qmh, body, key);
    CHECK_STR_EQ(r.body, first.body);
    CHECK_STR_EQ(hb_test_header(&r, "Location"), hb_test_header(&first, "Location"));
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_blood_requests"), 1);
    long long id = (long long)json_integer_value(json_object_get(first.json, "id"));
    hb_test_response_dispose(&first);

    /* Steps: an unknown action, a unit named off an offer, another centre's unit, a unit taken. */
    step(&w, &r, id, gz, "{\"action\": \"approve\"}");
    expect_status(&r, 422, "validation");
    CHECK_STR_EQ(json_string_value(json_object_get(first_error(&r), "pointer")), "/action");
    hb_test_response_dispose(&r);
    step(&w, &r, id, gz, "{\"action\": \"decline\", \"din\": \"W1234 24 000001 X\"}");
    expect_status(&r, 422, "validation");
    CHECK_STR_EQ(json_string_value(json_object_get(first_error(&r), "pointer")), "/din");
    hb_test_response_dispose(&r);
    snprintf(body, sizeof body, "{\"action\": \"offer\", \"din\": \"%s\"}",
             hb_test_blood_unit("HK", 1));
    step(&w, &r, id, gz, body);
    expect_status(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    long long other = (long long)hb_test_blood_request(&w, "hk-kwh", "HK");
    step(&w, &r, other, gz, "{\"action\": \"offer\"}");
    expect_status(&r, 200, NULL);
    hb_test_response_dispose(&r);
    step(&w, &r, id, gz, "{\"action\": \"offer\"}");
    expect_status(&r, 409, "conflict");
    CHECK_CONTAINS(str(&r, "detail"), "is reserved");
    hb_test_response_dispose(&r);
    snprintf(body, sizeof body, "{\"action\": \"offer\", \"din\": \"%s\"}",
             hb_test_blood_unit("GD", 2));
    step(&w, &r, id, gz, body);
    expect_status(&r, 200, NULL);
    CHECK_STR_EQ(str(&r, "din"), hb_test_blood_unit("GD", 2));
    hb_test_response_dispose(&r);
    CHECK_STR_EQ(unit_status(&w, 2), "reserved");
    /* Nothing refused above changed anything: a refused write leaves no trace but its audit. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_blood_request_events"), 4);
    hb_test_world_stop(&w);
}

TEST(blood__request_lists_are_the_parties_own_newest_first)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    long long a = (long long)hb_test_blood_request(&w, "hk-qmh", "HK");
    long long b = (long long)hb_test_blood_request(&w, "hk-kwh", "HK");
    long long c = (long long)hb_test_blood_request(&w, "hk-qmh", "HK");
    hb_test_response r;
    const char *gz = hb_test_token(&w, "gd-gzbc", "blood_bank");
    hb_test_call(&w, &r, "GET", "/api/v1/blood/requests?limit=2", gz, NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(items(&r), 2);
    json_t *list = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_integer_value(json_object_get(json_array_get(list, 0), "id")), c);
    CHECK_INT_EQ(json_integer_value(json_object_get(json_array_get(list, 1), "id")), b);
    char next[128];
    snprintf(next, sizeof next, "/api/v1/blood/requests?limit=2&cursor=%s", str(&r, "next_cursor"));
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", next, gz, NULL, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_INT_EQ(json_integer_value(
                     json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id")),
                 a);
    CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
    hb_test_response_dispose(&r);
    /* The requester sees its own two; another hospital sees its one; a bystander none. */
    static const struct {
        const char *org;
        size_t n;
    } who[] = { { "hk-qmh", 2 }, { "hk-kwh", 1 }, { "hk-rcbts", 0 }, { "gd-szh", 0 } };
    for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
        hb_test_call(&w, &r, "GET", "/api/v1/blood/requests",
                     hb_test_token(&w, who[i].org, "blood_bank"), NULL, NULL);
        CHECK_MSG(items(&r) == who[i].n, "%s: %zu", who[i].org, items(&r));
        hb_test_response_dispose(&r);
    }
    hb_test_call(&w, &r, "GET", "/api/v1/blood/requests?cursor=eHg", gz, NULL, NULL);
    expect_status(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(audited(&w, "action = 'blood.request.read' AND object ="
                             " 'blood/requests/gd-gzbc' AND outcome = 'ok'"),
                 2);
    hb_test_world_stop(&w);
}

/* Everything a Hong Kong hospital receives, to search for a Guangdong donor's number. */
typedef struct transcript {
    char text[65536];
    size_t len, responses;
} transcript;

static void keep(transcript *t, const hb_test_response *r)
{
    int n = snprintf(t->text + t->len, sizeof t->text - t->len, "%s%s\n", r->headers, r->body);
    CHECK(n > 0 && (size_t)n < sizeof t->text - t->len);
    t->len += (size_t)n;
    t->responses++;
}

/* The rule: a donor's identity never leaves its blood centre. A Hong Kong hospital finds
 * a Guangdong donor, asks for a recall and follows it to the end; nothing it is sent — results,
 * requests, histories, lists, refusals, headers — carries the donor's number, which the
 * Guangdong centre itself does see. */
TEST(blood__a_donor_identity_never_leaves_its_centre)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_blood_start(&w);
    const char *qmh = hb_test_token(&w, "hk-qmh", "blood_bank");
    const char *gz = hb_test_token(&w, "gd-gzbc", "blood_bank");
    static transcript t;
    memset(&t, 0, sizeof t);
    hb_test_response r;

    hb_test_call(&w, &r, "GET", "/api/v1/blood/search?abo=O&rhd=neg&negative=Jk3&kind=donor", qmh,
                 NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_INT_EQ(items(&r), 1);
    char pseudonym[32], body[256], path[96];
    snprintf(pseudonym, sizeof pseudonym, "%s", item_str(&r, 0, "id"));
    CHECK_STR_EQ(pseudonym, hb_test_blood_donor(&w));
    keep(&t, &r);
    hb_test_response_dispose(&r);
    snprintf(body, sizeof body,
             "{\"donor\": \"%s\", \"abo\": \"O\", \"rhd\": \"neg\", \"needs\": [\"Fya\"]}",
             pseudonym);
    hb_test_call(&w, &r, "POST", "/api/v1/blood/requests", qmh, body, NULL);
    expect_status(&r, 422, "validation"); /* the donor is not typed for Fya */
    keep(&t, &r);
    hb_test_response_dispose(&r);
    snprintf(body, sizeof body,
             "{\"donor\": \"%s\", \"abo\": \"O\", \"rhd\": \"neg\", \"needs\": [\"Jk3\"]}",
             pseudonym);
    long long id = post_json(&w, &r, "/api/v1/blood/requests", qmh, body);
    expect_status(&r, 201, NULL);
    CHECK_STR_EQ(str(&r, "donor"), pseudonym);
    keep(&t, &r);
    hb_test_response_dispose(&r);

    /* The centre recalls the donor and offers the unit collected. */
    snprintf(body, sizeof body, "{\"action\": \"offer\", \"din\": \"%s\"}",
             hb_test_blood_unit("GD", 2));
    step(&w, &r, id, gz, body);
    expect_status(&r, 200, NULL);
    hb_test_response_dispose(&r);

    snprintf(path, sizeof path, "/api/v1/blood/requests/%lld", id);
    const char *reads[] = { path, "/api/v1/blood/requests", "/api/v1/blood/search?abo=O&rhd=neg",
                            NULL };
    char events[112];
    snprintf(events, sizeof events, "%s/events", path);
    reads[3] = events;
    for (size_t i = 0; i < 4; i++) {
        hb_test_call(&w, &r, "GET", reads[i], qmh, NULL, NULL);
        expect_status(&r, 200, NULL);
        keep(&t, &r);
        hb_test_response_dispose(&r);
    }
    step(&w, &r, id, qmh, "{\"action\": \"accept\"}");
    expect_status(&r, 200, NULL);
    keep(&t, &r);
    hb_test_response_dispose(&r);
    /* Asking for the centre's donors is refused, and the refusal names no donor either. */
    hb_test_call(&w, &r, "GET", "/api/v1/blood/donors", qmh, NULL, NULL);
    expect_status(&r, 403, "forbidden");
    keep(&t, &r);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(t.responses, 9);
    CHECK_MSG(strstr(t.text, HB_TEST_GD_DONOR_REF) == NULL, "a donor number crossed the border");
    CHECK_MSG(strstr(t.text, pseudonym) != NULL, "the transcript is not what the hospital saw");

    /* No other organisation lists GD's donors: not HK's centre (it sees its own registry, empty),
     * not GD's authority, not the centre's own staff without the blood bank role. */
    static const struct {
        const char *org, *role;
        long status;
    } others[] = { { "hk-rcbts", "blood_bank", 200 },
                   { "gd-hc", "blood_bank", 403 },
                   { "gd-szh", "blood_bank", 403 },
                   { "gd-gzbc", "auditor", 403 },
                   { "gd-gzbc", "admin", 403 } };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        hb_test_call(&w, &r, "GET", "/api/v1/blood/donors",
                     hb_test_token(&w, others[i].org, others[i].role), NULL, NULL);
        CHECK_MSG(r.status == others[i].status, "%s %s: %ld", others[i].org, others[i].role,
                  r.status);
        CHECK_MSG(strstr(r.body, "GZ-SECRET") == NULL, "%s %s: %s", others[i].org, others[i].role,
                  r.body);
        hb_test_response_dispose(&r);
    }
    /* The centre itself sees its donor's number; the audit log never holds it. */
    hb_test_call(&w, &r, "GET", "/api/v1/blood/donors", gz, NULL, NULL);
    expect_status(&r, 200, NULL);
    CHECK_STR_EQ(item_str(&r, 0, "local_ref"), HB_TEST_GD_DONOR_REF);
    CHECK_STR_EQ(item_str(&r, 0, "pseudonym"), pseudonym);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(audited(&w, "object LIKE '%GZ-SECRET%' OR source LIKE '%GZ-SECRET%'"), 0);
    hb_test_world_stop(&w);
}
