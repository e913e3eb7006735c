/*
 * Integration tests of the HTTP API: the server runs in-process on a random loopback port and
 * is driven over real HTTP with libcurl, on SQLite and on PostgreSQL (issue #3).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "harness.h"
#include "util/clock.h"
#include "support.h"

#define CALL(w, r, method, path, token, body)                            \
    do {                                                                 \
        hb_test_call((w), (r), (method), (path), (token), (body), NULL); \
    } while (0)

static const char *str(const hb_test_response *r, const char *key)
{
    return json_string_value(json_object_get(r->json, key));
}

static const char *problem_type(const hb_test_response *r)
{
    const char *t = str(r, "type");
    return t ? t : "(no problem type)";
}

/* The server answers: a bad request before this one did not take it down. */
static void check_alive(hb_test_world *w)
{
    hb_test_response r;
    CALL(w, &r, "GET", "/healthz", NULL, NULL);
    CHECK_INT_EQ(r.status, 200);
    hb_test_response_dispose(&r);
}

static size_t items(const hb_test_response *r)
{
    return json_array_size(json_object_get(r->json, "items"));
}

TEST(server__reference_data_needs_a_token)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *token = hb_test_token(&w, "gd-szh", "reporter");
    hb_test_response r;

    CALL(&w, &r, "GET", "/api/v1/regions", NULL, NULL);
    CHECK_INT_EQ(r.status, 401);
    CHECK_STR_EQ(hb_test_header(&r, "WWW-Authenticate"), "Bearer realm=\"healthybay\"");
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "application/problem+json");
    CHECK_STR_EQ(problem_type(&r), "https://healthybay.invalid/problems/unauthenticated");
    CHECK_INT_EQ(json_integer_value(json_object_get(r.json, "status")), 401);
    CHECK_STR_EQ(hb_test_header(&r, "Cache-Control"), "no-store");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/regions", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 38);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/regions?jurisdiction=HK&level=district", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 18);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/diseases?notifiable_in=HK", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK(items(&r) > 30);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/holidays?jurisdiction=GD&year=2024", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_CONTAINS(r.body, "\"2024-02-04\"");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/regions?jurisdiction=XX", token, NULL);
    CHECK_INT_EQ(r.status, 400);
    CHECK_STR_EQ(problem_type(&r), "https://healthybay.invalid/problems/malformed-request");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/holidays?year=twenty", token, NULL);
    CHECK_INT_EQ(r.status, 400);
    CHECK_CONTAINS(str(&r, "detail"), "'year'");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* Reference listings carry the schema version as ETag; they change only with a migration. */
TEST(server__reference_data_is_revalidated_by_etag)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *token = hb_test_token(&w, "mo-ssm", "epidemiologist");
    hb_test_response r;
    CALL(&w, &r, "GET", "/api/v1/regions?jurisdiction=MO&level=parish", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    char etag[64], first[4096];
    snprintf(etag, sizeof etag, "%s", hb_test_header(&r, "ETag"));
    snprintf(first, sizeof first, "%s", r.body);
    CHECK_STR_EQ(hb_test_header(&r, "Cache-Control"), "private, no-cache");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/regions?jurisdiction=MO&level=parish", token, NULL);
    CHECK_STR_EQ(r.body, first); /* the second answer (from the cache) is the same */
    hb_test_response_dispose(&r);

    char inm[96];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *conditional[] = { inm, NULL };
    hb_test_call(&w, &r, "GET", "/api/v1/regions?jurisdiction=MO&level=parish", token, NULL,
                 conditional);
    CHECK_INT_EQ(r.status, 304);
    CHECK_INT_EQ(r.len, 0);
    hb_test_response_dispose(&r);

    /* A data migration (simulated) renames a parish: every server sees it at the next request. */
    CHECK_OK(hb_store_exec(w.db, "UPDATE hb_regions SET name_en = 'Sé (Cathedral)'"
                                 " WHERE code = 'MO-SE';"
                                 "INSERT INTO hb_schema_migrations (version, module, name,"
                                 " checksum, applied_at) VALUES (99, 'core', 'test', 'x', 'now')"));
    hb_test_call(&w, &r, "GET", "/api/v1/regions?jurisdiction=MO&level=parish", token, NULL,
                 conditional);
    CHECK_INT_EQ(r.status, 200);
    CHECK_CONTAINS(r.body, "Sé (Cathedral)");
    CHECK_STR_EQ(hb_test_header(&r, "ETag"), "\"ref-99\"");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

static void check_problem(hb_test_response *r, long status, const char *type)
{
    char want[128];
    snprintf(want, sizeof want, "https://healthybay.invalid/problems/%s", type);
    CHECK_MSG(r->status == status, "status %ld, expected %ld: %s", r->status, status, r->body);
    CHECK_STR_EQ(hb_test_header(r, "Content-Type"), "application/problem+json");
    CHECK_STR_EQ(problem_type(r), want);
}

/* The JSON pointer of the first validation error. */
static const char *first_pointer(const hb_test_response *r)
{
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    return json_string_value(json_object_get(e, "pointer"));
}

/* Follow next_cursor from path to the last page; returns the items seen. */
static size_t walk_pages(hb_test_world *w, const char *token, const char *first, size_t *pages)
{
    char path[256];
    snprintf(path, sizeof path, "%s", first);
    size_t seen = 0;
    hb_test_response r;
    for (*pages = 1;; ++*pages) {
        CALL(w, &r, "GET", path, token, NULL);
        CHECK_INT_EQ(r.status, 200);
        seen += items(&r);
        const char *next = json_string_value(json_object_get(r.json, "next_cursor"));
        if (!next) {
            CHECK(json_is_null(json_object_get(r.json, "next_cursor")));
            hb_test_response_dispose(&r);
            return seen;
        }
        snprintf(path, sizeof path, "%s&cursor=%s", first, next);
        hb_test_response_dispose(&r);
        CHECK(*pages < 10);
    }
}

TEST(server__organisations_register_read_and_list)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *hk_admin = hb_test_token(&w, "hk-dh", "admin");
    const char *reader = hb_test_token(&w, "gd-szh", "epidemiologist");
    hb_test_response r;

    CALL(&w, &r, "POST", "/api/v1/orgs", hk_admin,
         "{\"code\": \"hk-pyneh\", \"name\": \"Pamela Youde Nethersole Eastern Hospital\","
         " \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}");
    CHECK_MSG(r.status == 201, "%ld %s", r.status, r.body);
    CHECK_STR_EQ(hb_test_header(&r, "Location"), "/api/v1/orgs/hk-pyneh");
    CHECK_STR_EQ(str(&r, "kind"), "hospital");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/orgs/hk-pyneh", reader, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(&r, "name"), "Pamela Youde Nethersole Eastern Hospital");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "POST", "/api/v1/orgs", hk_admin,
         "{\"code\": \"hk-pyneh\", \"name\": \"Again\", \"kind\": \"hospital\","
         " \"jurisdiction\": \"HK\"}");
    check_problem(&r, 409, "conflict");
    hb_test_response_dispose(&r);

    /* HK's authority registers HK institutions only. */
    CALL(&w, &r, "POST", "/api/v1/orgs", hk_admin,
         "{\"code\": \"gd-new\", \"name\": \"New\", \"kind\": \"clinic\", \"jurisdiction\": "
         "\"GD\"}");
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/orgs/no-such-org", reader, NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);

    /* 7 organisations, by pages of 3: 3 + 3 + 1, each page pointing to the next. */
    size_t pages;
    CHECK_INT_EQ(walk_pages(&w, reader, "/api/v1/orgs?limit=3", &pages), 7);
    CHECK_INT_EQ(pages, 3);

    CALL(&w, &r, "GET", "/api/v1/orgs?jurisdiction=HK", reader, NULL);
    CHECK_INT_EQ(items(&r), 4);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/orgs?cursor=%%%", reader, NULL);
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);

    /* Every write attempt is in the audit log, with its outcome. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'org.create'"
                                   " AND outcome = 'ok' AND object = 'org/hk-pyneh'"),
                 1);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'rejected'"), 1);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'denied'"
                                   " AND object = 'org/gd-new' AND org = 'hk-dh'"),
                 1);
    /* Reads of non-personal data are not audited. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'org.read'"), 0);
    hb_test_world_stop(&w);
}

TEST(server__tokens_issue_use_list_revoke)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *hk_admin = hb_test_token(&w, "hk-dh", "admin");
    const char *qmh_admin = hb_test_token(&w, "hk-qmh", "admin");
    const char *gd_admin = hb_test_token(&w, "gd-hc", "admin");
    hb_test_response r;

    /* The authority issues a hospital's first token. */
    CALL(&w, &r, "POST", "/api/v1/orgs/hk-kwh/tokens", hk_admin,
         "{\"roles\": [\"reporter\", \"clinician\"], \"label\": \"LIS upload\","
         " \"lifetime_days\": 30}");
    CHECK_MSG(r.status == 201, "%ld %s", r.status, r.body);
    char token[128], id[32];
    snprintf(token, sizeof token, "%s", str(&r, "token"));
    snprintf(id, sizeof id, "%s", str(&r, "id"));
    CHECK_INT_EQ(strlen(token), 84);
    CHECK(strncmp(token, "hb_", 3) == 0 && strncmp(token + 3, id, 16) == 0);
    hb_test_response_dispose(&r);
    /* The database holds its hash, never the token. */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM hb_tokens WHERE secret_sha256 LIKE '%%%s%%'",
             token + 20);
    CHECK_INT_EQ(hb_test_count(&w, sql), 0);

    CALL(&w, &r, "GET", "/api/v1/regions", token, NULL);
    CHECK_INT_EQ(r.status, 200);
    hb_test_response_dispose(&r);

    /* Listing shows the token without any secret. */
    CALL(&w, &r, "GET", "/api/v1/orgs/hk-kwh/tokens", hk_admin, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 1);
    CHECK(strstr(r.body, token + 20) == NULL);
    CHECK(strstr(r.body, "secret") == NULL);
    hb_test_response_dispose(&r);

    /* Another hospital's admin: 403 on the list (the organisation is public), 404 on the
     * token (it may not know it exists); GD's authority likewise. */
    CALL(&w, &r, "GET", "/api/v1/orgs/hk-kwh/tokens", qmh_admin, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    snprintf(sql, sizeof sql, "/api/v1/tokens/%s", id);
    CALL(&w, &r, "DELETE", sql, qmh_admin, NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "DELETE", sql, gd_admin, NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/regions", token, NULL);
    CHECK_INT_EQ(r.status, 200); /* still valid */
    hb_test_response_dispose(&r);

    CALL(&w, &r, "DELETE", sql, hk_admin, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK(json_is_string(json_object_get(r.json, "revoked_at")));
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/regions", token, NULL);
    check_problem(&r, 401, "unauthenticated");
    CHECK_STR_EQ(hb_test_header(&r, "WWW-Authenticate"),
                 "Bearer realm=\"healthybay\", error=\"invalid_token\"");
    hb_test_response_dispose(&r);

    hb_test_world_stop(&w);
}

TEST(server__tokens_that_are_not_valid_get_401)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *hk_admin = hb_test_token(&w, "hk-dh", "admin");
    hb_test_response r;
    /* Expired: the same answer as unknown or revoked. */
    const char *soon = hb_test_token(&w, "hk-qmh", "reporter");
    char update[256];
    snprintf(update, sizeof update,
             "UPDATE hb_tokens SET expires_at = '2001-01-01T00:00:00.000Z' WHERE id = '%.16s'",
             soon + 3);
    CHECK_OK(hb_store_exec(w.db, update));
    CALL(&w, &r, "GET", "/api/v1/regions", soon, NULL);
    check_problem(&r, 401, "unauthenticated");
    hb_test_response_dispose(&r);

    /* Unknown id, right shape; wrong secret of a real id; not our format; another scheme. */
    char forged[128];
    snprintf(forged, sizeof forged, "%s", hk_admin);
    forged[40] = forged[40] == 'a' ? 'b' : 'a';
    const char *bad[] = { "hb_0000000000000000_00000000000000000000000000000000000000000000000000"
                          "00000000000000",
                          forged, "abc", NULL };
    for (const char **t = bad; *t; t++) {
        CALL(&w, &r, "GET", "/api/v1/regions", *t, NULL);
        check_problem(&r, 401, "unauthenticated");
        hb_test_response_dispose(&r);
    }
    const char *basic[] = { "Authorization: Basic aGs6aGs=", NULL };
    hb_test_call(&w, &r, "GET", "/api/v1/regions", NULL, NULL, basic);
    check_problem(&r, 401, "unauthenticated");
    hb_test_response_dispose(&r);

    /* Validation of a token request. */
    CALL(&w, &r, "POST", "/api/v1/orgs/hk-kwh/tokens", hk_admin,
         "{\"roles\": [\"reporter\", \"superuser\"], \"lifetime_days\": 9999}");
    check_problem(&r, 422, "validation");
    CHECK_CONTAINS(r.body, "\"/lifetime_days\"");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", "/api/v1/orgs/hk-kwh/tokens", hk_admin, "{\"roles\": [\"superuser\"]}");
    check_problem(&r, 422, "validation");
    CHECK_STR_EQ(first_pointer(&r), "/roles/0");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(server__bad_bodies_get_the_right_4xx_and_the_server_stays_up)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    hb_test_response r;
    static const struct {
        const char *body;
        long status;
        const char *type;
        const char *pointer; /* of the first error, for validation failures */
    } cases[] = {
        { "{\"code\": \"hk-x\", ", 400, "malformed-request", NULL },
        { "[1, 2, 3]", 400, "malformed-request", NULL },
        { "{\"code\": \"a\", \"code\": \"b\"}", 400, "malformed-request", NULL },
        { "{\"code\": \"hk-\xff\"}", 400, "malformed-request", NULL },
        { "{\"code\": 7, \"name\": \"N\", \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}", 422,
          "validation", "/code" },
        { "{\"code\": \"hk-x\", \"name\": \"N\", \"kind\": \"hospital\", \"jurisdiction\": \"HK\","
          " \"beds\": 500}",
          422, "validation", "/beds" },
        { "{\"code\": \"hk-x\", \"name\": \"N\", \"kind\": \"hospital\"}", 422, "validation",
          "/jurisdiction" },
        { "{\"code\": \"hk-x\", \"name\": \"N\", \"kind\": \"hopsital\", \"jurisdiction\": \"HK\"}",
          422, "validation", "/kind" },
        { "{\"code\": \"HK_X\", \"name\": \"N\", \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}",
          422, "validation", "/code" },
        { "{\"a/b~c\": 1, \"code\": \"hk-x\", \"name\": \"N\", \"kind\": \"hospital\","
          " \"jurisdiction\": \"HK\"}",
          422, "validation", "/a~1b~0c" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CALL(&w, &r, "POST", "/api/v1/orgs", admin, cases[i].body);
        check_problem(&r, cases[i].status, cases[i].type);
        if (cases[i].pointer)
            CHECK_STR_EQ(first_pointer(&r), cases[i].pointer);
        hb_test_response_dispose(&r);
    }

    /* Nested deeper than the limit: refused before parsing. */
    char deep[200] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    CALL(&w, &r, "POST", "/api/v1/orgs", admin, deep);
    check_problem(&r, 400, "json-too-deep");
    hb_test_response_dispose(&r);

    check_alive(&w);
    hb_test_world_stop(&w);
}

TEST(server__bad_requests_get_the_right_4xx_and_the_server_stays_up)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    hb_test_response r;
    /* Over the route's 8 KiB: refused from Content-Length, before the body is read. */
    static char big[20000];
    memset(big, ' ', sizeof big - 1);
    big[0] = '{';
    big[sizeof big - 2] = '}';
    CALL(&w, &r, "POST", "/api/v1/orgs", admin, big);
    check_problem(&r, 413, "payload-too-large");
    hb_test_response_dispose(&r);
    /* … and without Content-Length (chunked): refused once it outgrows the limit. */
    const char *chunked[] = { "Transfer-Encoding: chunked", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/orgs", admin, big, chunked);
    check_problem(&r, 413, "payload-too-large");
    hb_test_response_dispose(&r);

    const char *text[] = { "Content-Type: text/plain", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/orgs", admin, "{}", text);
    check_problem(&r, 415, "unsupported-media-type");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "DELETE", "/api/v1/tokens/0123456789abcdef", admin, "{}");
    check_problem(&r, 413, "payload-too-large");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "PUT", "/api/v1/orgs", admin, NULL);
    check_problem(&r, 405, "method-not-allowed");
    CHECK_STR_EQ(hb_test_header(&r, "Allow"), "GET, POST");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/nothing-here", admin, NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/orgs/", admin, NULL);
    check_problem(&r, 404, "not-found");
    hb_test_response_dispose(&r);
    static char long_path[3000] = "/api/v1/orgs/";
    memset(long_path + 13, 'a', 2900);
    CALL(&w, &r, "GET", long_path, admin, NULL);
    check_problem(&r, 400, "malformed-request");
    hb_test_response_dispose(&r);

    /* Headers beyond the connection's memory: libmicrohttpd answers 431 itself. */
    static char huge[40000];
    snprintf(huge, sizeof huge, "X-Padding: ");
    memset(huge + 11, 'x', sizeof huge - 12);
    const char *huge_headers[] = { huge, NULL };
    hb_test_call(&w, &r, "GET", "/api/v1/regions", admin, NULL, huge_headers);
    CHECK_INT_EQ(r.status, 431);
    hb_test_response_dispose(&r);

    check_alive(&w);
    /* None of it wrote anything but refusals into the audit log. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs"), 6);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'ok'"), 0);
    hb_test_world_stop(&w);
}

TEST(server__slow_clients_are_cut_off)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    int closed;
    /* Headers that stop half way: at the header deadline (2 s here) a 408 problem, then the
     * connection is closed. */
    const char *partial = "GET /api/v1/regions HTTP/1.1\r\nHost: x\r\n";
    const char *got = hb_test_raw(&w, partial, strlen(partial), 0, 4000, &closed);
    CHECK(closed);
    CHECK_CONTAINS(got, "HTTP/1.1 408 Request Timeout\r\n");
    CHECK_CONTAINS(got, "\"type\":\"https://healthybay.invalid/problems/request-timeout\"");
    check_alive(&w);

    /* Headers trickled a byte every 300 ms never trip the idle timeout; the deadline cuts them
     * off all the same. */
    uint64_t start = hb_monotonic_ns();
    CHECK(hb_test_trickle(&w, "GET /api/v1/regions HTTP/1.1\r\nX-Slow: ", 30, 300, &got));
    uint64_t took_ms = (hb_monotonic_ns() - start) / 1000000;
    CHECK_MSG(took_ms >= 1900 && took_ms < 5000, "cut after %llu ms", (unsigned long long)took_ms);
    CHECK_CONTAINS(got, "HTTP/1.1 408 Request Timeout\r\n");
    /* Before a complete request line there is nothing to answer: just closed. */
    CHECK(hb_test_trickle(&w, "GET /api/v1/reg", 30, 300, &got));
    CHECK_STR_EQ(got, "");
    check_alive(&w);

    /* A body trickled slower than the request time limit (1 s): the connection is closed. */
    char head[512];
    snprintf(head, sizeof head,
             "POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"code\":",
             admin);
    start = hb_monotonic_ns();
    CHECK(hb_test_trickle(&w, head, 20, 300, &got)); /* would take 6 s to finish */
    CHECK((hb_monotonic_ns() - start) / 1000000 < 4000);
    CHECK(strstr(got, "201") == NULL);
    check_alive(&w);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs"), 6);
    hb_test_world_stop(&w);
}

TEST(server__idempotency_key_replays_the_first_response)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    const char *gd_admin = hb_test_token(&w, "gd-hc", "admin");
    const char *key[] = { "Idempotency-Key: 7d7f1e0c-8d5e-4c39-9a77-2b1f0c0e9d11", NULL };
    const char *body = "{\"code\": \"hk-cmc\", \"name\": \"Caritas Medical Centre\","
                       " \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}";
    hb_test_response first, again;
    hb_test_call(&w, &first, "POST", "/api/v1/orgs", admin, body, key);
    CHECK_INT_EQ(first.status, 201);
    long long audit = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", admin, body, key);
    CHECK_INT_EQ(again.status, 201);
    CHECK_STR_EQ(again.body, first.body); /* byte for byte */
    CHECK_STR_EQ(hb_test_header(&again, "Location"), "/api/v1/orgs/hk-cmc");
    CHECK_STR_EQ(hb_test_header(&again, "Idempotent-Replayed"), "true");
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs WHERE code = 'hk-cmc'"), 1);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit"), audit); /* nothing new */
    hb_test_response_dispose(&again);

    /* The same key for another request is refused, and writes nothing. */
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", admin,
                 "{\"code\": \"hk-uch\", \"name\": \"United Christian Hospital\","
                 " \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}",
                 key);
    check_problem(&again, 422, "idempotency-key-reused");
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs WHERE code = 'hk-uch'"), 0);
    hb_test_response_dispose(&again);

    /* Keys are per organisation: GD's admin may use the same key for its own request. */
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", gd_admin,
                 "{\"code\": \"gd-zsh\", \"name\": \"Zhongshan Hospital\","
                 " \"kind\": \"hospital\", \"jurisdiction\": \"GD\"}",
                 key);
    CHECK_INT_EQ(again.status, 201);
    hb_test_response_dispose(&again);

    /* A failed request stores nothing: fixing it and retrying with the key works. */
    const char *key2[] = { "Idempotency-Key: retry-after-fix", NULL };
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", admin,
                 "{\"code\": \"hk-tmh\", \"name\": \"\", \"kind\": \"hospital\","
                 " \"jurisdiction\": \"HK\"}",
                 key2);
    CHECK_INT_EQ(again.status, 422);
    hb_test_response_dispose(&again);
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", admin,
                 "{\"code\": \"hk-tmh\", \"name\": \"Tuen Mun Hospital\", \"kind\": \"hospital\","
                 " \"jurisdiction\": \"HK\"}",
                 key2);
    CHECK_INT_EQ(again.status, 201);
    hb_test_response_dispose(&again);

    const char *bad_key[] = { "Idempotency-Key: has space", NULL };
    hb_test_call(&w, &again, "POST", "/api/v1/orgs", admin, body, bad_key);
    check_problem(&again, 400, "malformed-request");
    hb_test_response_dispose(&again);
    hb_test_response_dispose(&first);
    hb_test_world_stop(&w);
}

TEST(server__token_replays_do_not_hold_the_secret)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    /* A token's secret is not kept for replays: the replay has the record, token null. */
    const char *key3[] = { "Idempotency-Key: token-1", NULL };
    hb_test_response t1, t2;
    hb_test_call(&w, &t1, "POST", "/api/v1/orgs/hk-kwh/tokens", admin,
                 "{\"roles\": [\"reporter\"]}", key3);
    hb_test_call(&w, &t2, "POST", "/api/v1/orgs/hk-kwh/tokens", admin,
                 "{\"roles\": [\"reporter\"]}", key3);
    CHECK_INT_EQ(t1.status, 201);
    CHECK_INT_EQ(t2.status, 201);
    CHECK(json_is_string(json_object_get(t1.json, "token")));
    CHECK(json_is_null(json_object_get(t2.json, "token")));
    CHECK_STR_EQ(str(&t1, "id"), str(&t2, "id"));
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_tokens WHERE org = 'hk-kwh'"), 1);
    CHECK(strstr(t2.body, str(&t1, "token") + 20) == NULL);
    hb_test_response_dispose(&t1);
    hb_test_response_dispose(&t2);

    hb_test_world_stop(&w);
}

TEST(server__audit_log_is_readable_by_auditors_and_verifies)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *hk_admin = hb_test_token(&w, "hk-dh", "admin");
    const char *qmh_admin = hb_test_token(&w, "hk-qmh", "admin");
    const char *hk_auditor = hb_test_token(&w, "hk-dh", "auditor");
    const char *qmh_auditor = hb_test_token(&w, "hk-qmh", "auditor");
    const char *gd_auditor = hb_test_token(&w, "gd-hc", "auditor");
    hb_test_response r;
    CALL(&w, &r, "POST", "/api/v1/orgs/hk-qmh/tokens", qmh_admin, "{\"roles\": [\"clinician\"]}");
    CHECK_INT_EQ(r.status, 201);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", "/api/v1/orgs", hk_admin,
         "{\"code\": \"hk-ych\", \"name\": \"Yan Chai Hospital\", \"kind\": \"hospital\","
         " \"jurisdiction\": \"HK\"}");
    CHECK_INT_EQ(r.status, 201);
    hb_test_response_dispose(&r);

    /* HK's authority auditor sees HK's entries; the hospital's auditor only its own. */
    CALL(&w, &r, "GET", "/api/v1/audit", hk_auditor, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 2);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/audit", qmh_auditor, NULL);
    CHECK_INT_EQ(r.status, 200);
    json_t *list = json_object_get(r.json, "items");
    CHECK_INT_EQ(json_array_size(list), 1);
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 0), "org")), "hk-qmh");
    CHECK_STR_EQ(json_string_value(json_object_get(json_array_get(list, 0), "action")),
                 "token.create");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/audit?org=hk-dh", qmh_auditor, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/audit?jurisdiction=HK", gd_auditor, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/audit", hk_admin, NULL);
    check_problem(&r, 403, "forbidden");
    hb_test_response_dispose(&r);

    /* Reading the log is itself audited, refusals included. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'audit.read'"
                                   " AND outcome = 'ok'"),
                 2);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'audit.read'"
                                   " AND outcome = 'denied'"),
                 3);
    hb_audit_report report;
    CHECK_OK(hb_audit_verify(w.db, &report, NULL));
    CHECK_MSG(report.intact, "%s", report.problem);
    CHECK_INT_EQ(report.entries, 7);
    hb_test_world_stop(&w);
}

TEST(server__internal_errors_reveal_nothing)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    /* Break the database under the server: the idempotency table disappears. */
    CHECK_OK(hb_store_exec(w.db, "DROP TABLE hb_idempotency"));
    const char *key[] = { "Idempotency-Key: k1", NULL };
    hb_test_response r;
    hb_test_call(
        &w, &r, "POST", "/api/v1/orgs", admin,
        "{\"code\": \"hk-x\", \"name\": \"X\", \"kind\": \"clinic\", \"jurisdiction\": \"HK\"}",
        key);
    check_problem(&r, 500, "internal");
    const char *leaks[] = { "sqlite", "postgres", "SQL", "hb_", "table", "relation", "/" };
    const char *detail = str(&r, "detail");
    for (size_t i = 0; i < sizeof leaks / sizeof leaks[0]; i++)
        CHECK_MSG(strstr(detail, leaks[i]) == NULL, "detail leaks '%s': %s", leaks[i], detail);
    hb_test_response_dispose(&r);
    /* Nothing was written, and the failure is in the audit log. */
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs WHERE code = 'hk-x'"), 0);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE outcome = 'failed'"), 1);
    check_alive(&w);
    hb_test_world_stop(&w);
}

TEST(server__health_metrics_and_openapi)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *monitor = hb_test_token(&w, "hk-dh", "monitor");
    const char *reporter = hb_test_token(&w, "hk-qmh", "reporter");
    hb_test_response r;
    CALL(&w, &r, "GET", "/healthz", NULL, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(&r, "status"), "ok");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/regions", reporter, NULL);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/nowhere", reporter, NULL);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/metrics", NULL, NULL);
    CHECK_INT_EQ(r.status, 401);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/metrics", reporter, NULL);
    CHECK_INT_EQ(r.status, 403);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/metrics", monitor, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "text/plain; version=0.0.4");
    CHECK_CONTAINS(r.body, "healthybay_http_requests_total{method=\"GET\","
                           "route=\"/api/v1/regions\",status=\"200\"} 1\n");
    CHECK_CONTAINS(r.body, "healthybay_http_requests_total{method=\"GET\","
                           "route=\"/metrics\",status=\"401\"} 1\n");
    CHECK_CONTAINS(r.body, "route=\"unmatched\",status=\"404\"} 1\n");
    CHECK_CONTAINS(r.body, "healthybay_http_request_duration_seconds_count{method=\"GET\","
                           "route=\"/api/v1/regions\"} 1\n");
    CHECK_CONTAINS(r.body, "healthybay_db_up 1\n");
    CHECK_CONTAINS(r.body, "# TYPE healthybay_http_request_duration_seconds histogram\n");
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/openapi.json", NULL, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(&r, "openapi"), "3.1.0");
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

/* A POST whose body arrives in two halves, 250 ms apart, on its own thread. */
typedef struct slow_post {
    const char *url, *token, *body;
    size_t sent;
    long status;
} slow_post;

static size_t slow_read(char *out, size_t size, size_t n, void *payload)
{
    slow_post *p = payload;
    size_t len = strlen(p->body), half = len / 2;
    if (p->sent == half) {
        struct timespec t = { 0, 250 * 1000 * 1000 };
        nanosleep(&t, NULL);
    }
    size_t chunk = p->sent < half ? half - p->sent : len - p->sent;
    if (chunk > size * n)
        chunk = size * n;
    memcpy(out, p->body + p->sent, chunk);
    p->sent += chunk;
    return chunk;
}

static size_t discard(char *data, size_t size, size_t n, void *payload)
{
    (void)data;
    (void)payload;
    return size * n;
}

static void *run_slow_post(void *arg)
{
    slow_post *p = arg;
    CURL *c = curl_easy_init();
    char auth[160];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", p->token);
    struct curl_slist *h = curl_slist_append(NULL, auth);
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, p->url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, slow_read);
    curl_easy_setopt(c, CURLOPT_READDATA, p);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(p->body));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &p->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return NULL;
}

TEST(server__shutdown_finishes_requests_in_flight)
{
    hb_test_world w;
    hb_test_world_start(&w);
    char url[128];
    snprintf(url, sizeof url, "%s/api/v1/orgs", w.base);
    slow_post p = { url, hb_test_token(&w, "hk-dh", "admin"),
                    "{\"code\": \"hk-ppsh\", \"name\": \"Pok Oi Hospital\", \"kind\": \"hospital\","
                    " \"jurisdiction\": \"HK\"}",
                    0, 0 };
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, run_slow_post, &p) == 0);
    struct timespec t = { 0, 120 * 1000 * 1000 }; /* the first half is in */
    nanosleep(&t, NULL);
    hb_server_stop(w.server); /* returns once the request in flight is answered */
    w.server = NULL;
    pthread_join(thread, NULL);
    CHECK_INT_EQ(p.status, 201);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_orgs WHERE code = 'hk-ppsh'"), 1);
    /* The listener is closed: a new connection is refused. */
    CURL *c = curl_easy_init();
    snprintf(url, sizeof url, "%s/healthz", w.base);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CHECK(curl_easy_perform(c) == CURLE_COULDNT_CONNECT);
    curl_easy_cleanup(c);
    hb_test_world_stop(&w);
}

typedef struct writer {
    hb_test_world *w;
    const char *base, *token, *prefix;
    int ok;
} writer;

static void *write_orgs(void *arg)
{
    writer *wr = arg;
    hb_test_world own = *wr->w;
    own.curl = curl_easy_init();
    for (int i = 0; i < 15; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"code\": \"%s-%d\", \"name\": \"Clinic %d\", \"kind\": \"clinic\","
                 " \"jurisdiction\": \"HK\"}",
                 wr->prefix, i, i);
        hb_test_response r;
        hb_test_call_at(&own, wr->base, &r, "POST", "/api/v1/orgs", wr->token, body, NULL);
        wr->ok += r.status == 201;
        hb_test_response_dispose(&r);
    }
    curl_easy_cleanup(own.curl);
    return NULL;
}

TEST(server__two_servers_on_one_database_behave_as_one)
{
    hb_test_world w;
    hb_test_world_start(&w);
    char base_b[64];
    hb_server *b = hb_test_server_on(w.db_url, base_b);
    const char *admin = hb_test_token(&w, "hk-dh", "admin");
    hb_test_response r;

    /* A token issued through A works at B; revoked through B, A refuses it. */
    hb_test_call(&w, &r, "POST", "/api/v1/orgs/hk-qmh/tokens", admin, "{\"roles\": [\"admin\"]}",
                 NULL);
    CHECK_INT_EQ(r.status, 201);
    char token[128], path[64];
    snprintf(token, sizeof token, "%s", str(&r, "token"));
    snprintf(path, sizeof path, "/api/v1/tokens/%s", str(&r, "id"));
    hb_test_response_dispose(&r);
    hb_test_call_at(&w, base_b, &r, "GET", "/api/v1/orgs/hk-qmh/tokens", token, NULL, NULL);
    CHECK_INT_EQ(r.status, 200);
    hb_test_response_dispose(&r);
    hb_test_call_at(&w, base_b, &r, "DELETE", path, admin, NULL, NULL);
    CHECK_INT_EQ(r.status, 200);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "GET", "/api/v1/orgs/hk-qmh/tokens", token, NULL, NULL);
    CHECK_INT_EQ(r.status, 401);
    hb_test_response_dispose(&r);

    /* An Idempotency-Key used at A is replayed by B. */
    const char *key[] = { "Idempotency-Key: across-servers", NULL };
    const char *body = "{\"code\": \"hk-nlth\", \"name\": \"North Lantau Hospital\","
                       " \"kind\": \"hospital\", \"jurisdiction\": \"HK\"}";
    hb_test_response ra, rb;
    hb_test_call(&w, &ra, "POST", "/api/v1/orgs", admin, body, key);
    hb_test_call_at(&w, base_b, &rb, "POST", "/api/v1/orgs", admin, body, key);
    CHECK_INT_EQ(ra.status, 201);
    CHECK_INT_EQ(rb.status, 201);
    CHECK_STR_EQ(rb.body, ra.body);
    CHECK_STR_EQ(hb_test_header(&rb, "Idempotent-Replayed"), "true");
    hb_test_response_dispose(&ra);
    hb_test_response_dispose(&rb);

    /* Writes through both at once: one audit chain, no fork, nothing lost. */
    writer wa = { &w, w.base, admin, "hk-a", 0 }, wb = { &w, base_b, admin, "hk-b", 0 };
    pthread_t ta, tb;
    CHECK(pthread_create(&ta, NULL, write_orgs, &wa) == 0);
    CHECK(pthread_create(&tb, NULL, write_orgs, &wb) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK_INT_EQ(wa.ok + wb.ok, 30);
    long long entries = hb_test_count(&w, "SELECT count(*) FROM hb_audit");
    CHECK_INT_EQ(hb_test_count(&w, "SELECT max(seq) FROM hb_audit"), entries);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT count(*) FROM hb_audit WHERE action = 'org.create'"
                                   " AND outcome = 'ok'"),
                 31);
    hb_audit_report report;
    CHECK_OK(hb_audit_verify(w.db, &report, NULL));
    CHECK_MSG(report.intact, "%s", report.problem);
    CHECK_INT_EQ(report.entries, entries);
    hb_server_stop(b);
    hb_test_world_stop(&w);
}
