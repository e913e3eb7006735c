/*
 * The early-warning API over HTTP (issue #5): counts in, series, alerts and their workflow, the
 * signed notification inbox and bulletins, on SQLite and on PostgreSQL. Who may do what is the
 * permission matrix's (test_matrix.c); these tests check what each route answers.
 */
#include <string.h>

#include "harness.h"
#include "support.h"

#define CALL(w, r, method, path, token, body)                            \
    do {                                                                 \
        hb_test_call((w), (r), (method), (path), (token), (body), NULL); \
    } while (0)

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static long long num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

static json_t *item(const hb_test_response *r, size_t i)
{
    return json_array_get(json_object_get(r->json, "items"), i);
}

static size_t items(const hb_test_response *r)
{
    return json_array_size(json_object_get(r->json, "items"));
}

/* The pointer of the i-th field error of a 422. */
static const char *pointer(const hb_test_response *r, size_t i)
{
    return str(json_array_get(json_object_get(r->json, "errors"), i), "pointer");
}

TEST(surveil__counts_are_checked_whole_then_stored_with_revisions)
{
    hb_test_world w;
    hb_test_world_start(&w);
    const char *reporter = hb_test_token(&w, "hk-qmh", "reporter");
    const char *epi = hb_test_token(&w, "hk-dh", "epidemiologist");
    hb_test_response r;
    const char *two =
        "{\"rows\": ["
        "{\"date\": \"2024-01-07\", \"region\": \"810000\", \"disease\": \"influenza\","
        " \"measure\": \"positives\", \"value\": 412},"
        "{\"date\": \"2024-01-14\", \"region\": \"810000\", \"disease\": \"influenza\","
        " \"measure\": \"positives\", \"value\": \"530\", \"age_group\": \"all\"}]}";
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, two);
    CHECK_INT_EQ(r.status, 201);
    CHECK_INT_EQ(num(r.json, "inserted"), 2);
    CHECK(num(r.json, "batch") > 0);
    hb_test_response_dispose(&r);

    /* The same batch again (a client retrying) changes nothing. */
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, two);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(num(r.json, "unchanged"), 2);
    CHECK(json_is_null(json_object_get(r.json, "batch")));
    hb_test_response_dispose(&r);

    /* A correction is a revision; the series shows the current value and its revision. */
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
         "{\"rows\": [{\"date\": \"2024-01-14\", \"region\": \"810000\", \"disease\":"
         " \"influenza\", \"measure\": \"positives\", \"value\": 545}]}");
    CHECK_INT_EQ(r.status, 201);
    CHECK_INT_EQ(num(r.json, "revised"), 1);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET",
         "/api/v1/surveillance/series?region=810000&disease=influenza&measure=positives", epi,
         NULL);
    CHECK_INT_EQ(r.status, 200);
    json_t *points = json_object_get(r.json, "points");
    CHECK_INT_EQ(json_array_size(points), 2);
    CHECK_STR_EQ(str(json_array_get(points, 1), "date"), "2024-01-14");
    CHECK(json_number_value(json_object_get(json_array_get(points, 1), "value")) == 545.0);
    CHECK_INT_EQ(num(json_array_get(points, 1), "revision"), 2);
    CHECK(json_is_null(json_object_get(r.json, "forecast")));
    hb_test_response_dispose(&r);

    /* Every bad field is named at its row; nothing of the batch is stored. */
    long long before = hb_test_count(&w, "SELECT COUNT(*) FROM hb_counts");
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
         "{\"rows\": ["
         "{\"date\": \"2024-01-21\", \"region\": \"810000\", \"disease\": \"influenza\","
         " \"measure\": \"positives\", \"value\": 600},"
         "{\"date\": \"2024-01-28\", \"region\": \"810000\", \"disease\": \"flu\","
         " \"measure\": \"positives\", \"value\": -3},"
         "{\"date\": \"2024-02-04\", \"region\": \"810000\", \"disease\": \"influenza\","
         " \"measure\": \"positives\", \"value\": 1, \"ward\": \"A\"}]}");
    CHECK_INT_EQ(r.status, 422);
    CHECK_STR_EQ(pointer(&r, 0), "/rows/2/ward");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
         "{\"rows\": ["
         "{\"date\": \"2024-01-21\", \"region\": \"810000\", \"disease\": \"influenza\","
         " \"measure\": \"positives\", \"value\": 600},"
         "{\"date\": \"2024-01-28\", \"region\": \"810000\", \"disease\": \"flu\","
         " \"measure\": \"positives\", \"value\": -3}]}");
    CHECK_INT_EQ(r.status, 422);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "errors")), 2);
    CHECK_STR_EQ(pointer(&r, 0), "/rows/1/disease");
    CHECK_STR_EQ(pointer(&r, 1), "/rows/1/value");
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT COUNT(*) FROM hb_counts"), before);

    /* Guangdong's regions are not Hong Kong's to report: a question of rights, 403. */
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
         "{\"rows\": [{\"date\": \"2024-01-07\", \"region\": \"440100\", \"disease\":"
         " \"influenza\", \"measure\": \"positives\", \"value\": 9}]}");
    CHECK_INT_EQ(r.status, 403);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, "{\"rows\": []}");
    CHECK_INT_EQ(r.status, 422);
    CHECK_STR_EQ(pointer(&r, 0), "/rows");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, "{\"rows\": [");
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);

    /* The same rows as a text/csv body: the format of `healthybay ingest`, errors by line. */
    static const char *const csv[] = { "Content-Type: text/csv; charset=utf-8", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
                 "date,region,disease,measure,value\n"
                 "2024-01-21,810000,influenza,positives,600\n"
                 "2024-01-28,810000,influenza,positives,612\n",
                 csv);
    CHECK_INT_EQ(r.status, 201);
    CHECK_INT_EQ(num(r.json, "inserted"), 2);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/surveillance/counts", reporter,
                 "date,region,disease,measure,value\n"
                 "2024-02-04,810000,influenza,positives,1\n"
                 "2024-02-11,810000,influenza,positives,-1\n",
                 csv);
    CHECK_INT_EQ(r.status, 422);
    json_t *e = json_array_get(json_object_get(r.json, "errors"), 0);
    CHECK_INT_EQ(num(e, "line"), 3);
    CHECK_STR_EQ(str(e, "field"), "value");
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "errors")), 1);
    hb_test_response_dispose(&r);
    hb_test_call(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, "region,value\n", csv);
    CHECK_INT_EQ(r.status, 422);
    hb_test_response_dispose(&r);
    static const char *const xml[] = { "Content-Type: application/xml", NULL };
    hb_test_call(&w, &r, "POST", "/api/v1/surveillance/counts", reporter, "<rows/>", xml);
    CHECK_INT_EQ(r.status, 415);
    CHECK(strstr(r.body, "application/json or text/csv") != NULL);
    hb_test_response_dispose(&r);
    CHECK_INT_EQ(hb_test_count(&w, "SELECT COUNT(*) FROM hb_counts"), before + 2);

    CALL(&w, &r, "GET", "/api/v1/surveillance/series?region=810000", epi, NULL);
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/surveillance/series?region=999999&disease=influenza&measure=cases",
         epi, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/surveillance/series?region=810000&disease=dengue&measure=cases",
         epi, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(surveil__alerts_are_shared_and_worked_by_their_authority)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_world_surveillance(&w);
    const char *hk = hb_test_token(&w, "hk-dh", "epidemiologist");
    const char *hospital = hb_test_token(&w, "hk-qmh", "epidemiologist");
    hb_test_response r;

    CALL(&w, &r, "GET", "/api/v1/alerts?status=open", hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 2); /* Hong Kong's and Guangdong's */
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/alerts", hospital, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_STR_EQ(str(item(&r, 0), "jurisdiction"), "HK");
    long long id = num(item(&r, 0), "id");
    CHECK_STR_EQ(str(item(&r, 0), "level"), "warning");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/alerts?jurisdiction=XX", hk, NULL);
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/surveillance/overview", hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(json_array_size(json_object_get(r.json, "jurisdictions")), 3);
    json_t *regions = json_object_get(r.json, "regions"), *region;
    size_t i, hk_levels = 0;
    json_array_foreach(regions, i, region)
    {
        if (strcmp(str(region, "code"), "810000") == 0) {
            CHECK_STR_EQ(str(region, "level"), "warning");
            CHECK_INT_EQ(num(region, "open_alerts"), 1);
            hk_levels++;
        }
    }
    CHECK_INT_EQ(hk_levels, 1);
    hb_test_response_dispose(&r);

    char path[96];
    snprintf(path, sizeof path, "/api/v1/alerts/%lld/actions", id);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"assess\", \"comment\": \"checking with CHP\"}");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(r.json, "status"), "assessing");
    json_t *history = json_object_get(r.json, "history");
    CHECK_INT_EQ(json_array_size(history), 2);
    CHECK_STR_EQ(str(json_array_get(history, 1), "comment"), "checking with CHP");
    CHECK(strncmp(str(json_array_get(history, 1), "actor"), "hk-dh/", 6) == 0);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"close\"}");
    CHECK_INT_EQ(r.status, 409); /* only a confirmed alert is closed */
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"escalate\"}");
    CHECK_INT_EQ(r.status, 422);
    CHECK_STR_EQ(pointer(&r, 0), "/action");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"confirm\", \"by\": \"me\"}");
    CHECK_INT_EQ(r.status, 422);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"confirm\"}");
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(r.json, "status"), "confirmed");
    hb_test_response_dispose(&r);

    /* Guangdong's alert: Hong Kong reads it but does not act on it; a hospital does neither. */
    CALL(&w, &r, "GET", "/api/v1/alerts?jurisdiction=GD", hk, NULL);
    long long gd = num(item(&r, 0), "id");
    hb_test_response_dispose(&r);
    snprintf(path, sizeof path, "/api/v1/alerts/%lld", gd);
    CALL(&w, &r, "GET", path, hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(r.json, "jurisdiction"), "GD");
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", path, hospital, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    snprintf(path, sizeof path, "/api/v1/alerts/%lld/actions", gd);
    CALL(&w, &r, "POST", path, hk, "{\"action\": \"comment\", \"comment\": \"seen in HK too\"}");
    CHECK_INT_EQ(r.status, 403);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/alerts/999999", hk, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/alerts/x1", hk, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(surveil__the_inbox_verifies_and_acknowledges)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_world_surveillance(&w);
    const char *hk = hb_test_token(&w, "hk-dh", "epidemiologist");
    hb_test_response r;

    CALL(&w, &r, "GET", "/api/v1/notifications", hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 2); /* Guangdong's and Macao's daily notifications */
    CHECK_STR_EQ(str(item(&r, 0), "status"), "verified");
    hb_test_response_dispose(&r);

    long long id = hb_test_notification_to(&w, "HK");
    char path[96];
    snprintf(path, sizeof path, "/api/v1/notifications/%lld", id);
    CALL(&w, &r, "GET", path, hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(str(r.json, "kind"), "daily");
    CHECK_STR_EQ(str(r.json, "to"), "HK");
    CHECK(json_is_object(json_object_get(r.json, "body")));
    CHECK(json_is_null(json_object_get(r.json, "acknowledged_at")));
    hb_test_response_dispose(&r);

    snprintf(path, sizeof path, "/api/v1/notifications/%lld/ack", id);
    CALL(&w, &r, "POST", path, hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK(strncmp(str(r.json, "acknowledged_by"), "hk-dh/", 6) == 0);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/notifications", hk, NULL);
    CHECK_INT_EQ(items(&r), 1); /* unacknowledged only, by default */
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/notifications?all=1", hk, NULL);
    CHECK_INT_EQ(items(&r), 2);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/notifications?all=yes", hk, NULL);
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);

    /* Guangdong's inbox is not Hong Kong's. */
    snprintf(path, sizeof path, "/api/v1/notifications/%lld", hb_test_notification_to(&w, "GD"));
    CALL(&w, &r, "GET", path, hk, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);

    /* A payload altered in the database no longer verifies: shown refused, never acknowledged. */
    long long other = hb_test_count(&w, "SELECT MAX(id) FROM hb_notifications"
                                        " WHERE to_jurisdiction = 'HK'");
    char sql[160];
    snprintf(sql, sizeof sql,
             "UPDATE hb_notifications SET payload = REPLACE(payload, 'daily', 'dai1y')"
             " WHERE id = %lld",
             other);
    CHECK_OK(hb_store_run(w.db, sql));
    snprintf(path, sizeof path, "/api/v1/notifications/%lld", other);
    CALL(&w, &r, "GET", path, hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK(strncmp(str(r.json, "status"), "refused", 7) == 0);
    hb_test_response_dispose(&r);
    snprintf(path, sizeof path, "/api/v1/notifications/%lld/ack", other);
    CALL(&w, &r, "POST", path, hk, NULL);
    CHECK_INT_EQ(r.status, 409);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}

TEST(surveil__bulletins_in_three_formats)
{
    hb_test_world w;
    hb_test_world_start(&w);
    hb_test_world_surveillance(&w);
    const char *hk = hb_test_token(&w, "hk-dh", "epidemiologist");
    const char *reporter = hb_test_token(&w, "hk-qmh", "reporter");
    hb_test_response r;

    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10?jurisdiction=HK", reporter, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "application/json");
    CHECK(json_array_size(json_object_get(r.json, "blocks")) > 0);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10?jurisdiction=HK&format=html&lang=zh-Hant",
         reporter, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "text/html; charset=utf-8");
    CHECK(strstr(r.body, "<html") != NULL && strstr(r.body, "流行性感冒") != NULL);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10?format=pdf&edition=weekly", hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_STR_EQ(hb_test_header(&r, "Content-Type"), "application/pdf");
    CHECK(r.len > 1000 && memcmp(r.body, "%PDF-", 5) == 0);
    hb_test_response_dispose(&r);

    /* The Bay Area edition is the authorities'. */
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10", reporter, NULL);
    CHECK_INT_EQ(r.status, 403);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-02-30", hk, NULL);
    CHECK_INT_EQ(r.status, 404);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10?format=docx", hk, NULL);
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);
    CALL(&w, &r, "GET", "/api/v1/bulletins/2019-03-10?lang=fr", hk, NULL);
    CHECK_INT_EQ(r.status, 400);
    hb_test_response_dispose(&r);

    CALL(&w, &r, "GET", "/api/v1/bulletins", hk, NULL);
    CHECK_INT_EQ(r.status, 200);
    CHECK_INT_EQ(items(&r), 0);
    hb_test_response_dispose(&r);
    CHECK_OK(hb_store_run(w.db, "INSERT INTO hb_warn_runs (run_date, status, started_at,"
                                " finished_at, series_screened, signals, alerts_raised) VALUES"
                                " ('2019-03-10', 'done', '2019-03-10T06:00:00Z',"
                                " '2019-03-10T06:00:02Z', 2, 1, 1)"));
    CALL(&w, &r, "GET", "/api/v1/bulletins", hk, NULL);
    CHECK_INT_EQ(items(&r), 1);
    CHECK_STR_EQ(str(item(&r, 0), "date"), "2019-03-10");
    CHECK_INT_EQ(num(item(&r, 0), "series_screened"), 2);
    hb_test_response_dispose(&r);
    hb_test_world_stop(&w);
}
