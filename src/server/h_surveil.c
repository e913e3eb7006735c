/*
 * server/h_surveil.c — the early-warning API: counts (POST /api/v1/surveillance/counts), the
 * overview and one series (GET /api/v1/surveillance/…), alerts and their workflow
 * (/api/v1/alerts…), the cross-border notification inbox (/api/v1/notifications…) and bulletins
 * (/api/v1/bulletins…).
 *
 * Aggregates are shared among the three health authorities: the policy (counts.read, alert.read,
 * bulletin.read) lets an authority read the other jurisdictions' and everyone else their own, and
 * these handlers ask it about the object's jurisdiction. Acting on an alert, and the inbox, are
 * the own authority's.
 */
#include <stdio.h>
#include <string.h>

#include "bulletin/bulletin.h"
#include "healthybay/date.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/parse.h"
#include "warn/alerts.h"
#include "warn/ingest.h"
#include "warn/notify.h"
#include "warn/view.h"

static const char *const count_columns[] = { "date",  "region",    "disease", "measure",
                                             "value", "age_group", "sex" };
#define NCOUNT_COLUMNS 7

/* The caller, as recorded with alert actions and acknowledgements: "hk-dh/<token id>". */
static void actor_of(const hb_request *req, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", req->who->org, req->who->token_id);
}

/* One JSON row as a CSV record, in count_columns order; bad shapes become field errors. */
static int row_to_csv(hb_request *req, json_t *row, size_t i, hb_buf *csv)
{
    char pointer[64];
    if (!json_is_object(row)) {
        snprintf(pointer, sizeof pointer, "/rows/%zu", i);
        hb_field_error(&req->errors, pointer, "must be an object");
        return 0;
    }
    const char *key;
    json_t *value;
    json_object_foreach(row, key, value)
    {
        size_t c;
        for (c = 0; c < NCOUNT_COLUMNS && strcmp(count_columns[c], key) != 0; c++)
            ;
        if (c == NCOUNT_COLUMNS) {
            snprintf(pointer, sizeof pointer, "/rows/%zu/%.32s", i, key);
            hb_field_error(&req->errors, pointer, "unknown field");
        }
    }
    int rc = 0;
    for (size_t c = 0; rc == 0 && c < NCOUNT_COLUMNS; c++) {
        json_t *v = json_object_get(row, count_columns[c]);
        char number[40];
        const char *text = json_is_string(v) ? json_string_value(v) : "";
        if (json_is_integer(v) || json_is_real(v)) {
            snprintf(number, sizeof number, "%.17g", json_number_value(v));
            text = number;
        } else if (v && !json_is_string(v)) {
            snprintf(pointer, sizeof pointer, "/rows/%zu/%s", i, count_columns[c]);
            hb_field_error(&req->errors, pointer, "must be a string%s",
                           c == 4 ? " or a number" : "");
        }
        if (c > 0)
            rc = hb_buf_putc(csv, ',');
        if (rc == 0)
            rc = hb_csv_put_field(csv, text, strlen(text));
    }
    return rc == 0 ? hb_buf_putc(csv, '\n') : rc;
}

/*
 * The ingestion's "body:LINE:COL: field 'NAME': reason" lines as field errors: at /rows/N/NAME
 * for a JSON body (line 2 of the CSV made from it is row 0), at line, column and field for a
 * CSV body.
 */
static void report_errors(hb_request *req, const char *errors, bool csv)
{
    for (const char *p = errors; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        unsigned long line = 0, col = 0;
        char field[32] = "", pointer[64];
        int n = sscanf(p, "body:%lu:%lu: field '%31[^']'", &line, &col, field);
        const char *reason = strstr(p, "': ");
        if (reason && (size_t)(reason - p) < len)
            reason += 3;
        else
            reason = p;
        int reason_len = (int)(len - (size_t)(reason - p));
        if (csv) {
            hb_field_error_csv(&req->errors, line, col, field, "%.*s", reason_len, reason);
        } else {
            if (n >= 1 && line >= 2)
                snprintf(pointer, sizeof pointer, "/rows/%lu%s%s", line - 2, field[0] ? "/" : "",
                         field);
            else
                snprintf(pointer, sizeof pointer, "/rows");
            hb_field_error(&req->errors, pointer, "%.*s", reason_len, reason);
        }
        p = nl ? nl + 1 : p + len;
    }
}

/* The body {"rows": [{date, region, disease, measure, value, age_group?, sex?}, …]} as CSV. */
static int body_to_csv(hb_request *req, hb_buf *csv)
{
    if (!hb_json_depth_ok(req->body, req->body_len, HB_JSON_DEPTH_MAX))
        return hb_http_fail(req, HB_PROBLEM_JSON_TOO_DEEP, "the body nests too deeply");
    char why[256];
    json_t *doc = hb_json_parse_object(req->body, req->body_len, why, sizeof why);
    if (!doc)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "%s", why);
    json_t *rows = json_object_get(doc, "rows");
    const char *key;
    json_t *value;
    json_object_foreach(doc, key, value)
    {
        if (strcmp(key, "rows") != 0) {
            char pointer[64];
            hb_json_pointer(pointer, sizeof pointer, key);
            hb_field_error(&req->errors, pointer, "unknown field");
        }
    }
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        hb_field_error(&req->errors, "/rows", "must be a non-empty array of rows");
    int rc = hb_buf_puts(csv, "date,region,disease,measure,value,age_group,sex\n");
    for (size_t i = 0; rc == 0 && rows && i < json_array_size(rows); i++)
        rc = row_to_csv(req, json_array_get(rows, i), i, csv);
    json_decref(doc);
    if (rc == 0 && req->errors.count > 0)
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "%zu field%s invalid", req->errors.count,
                          req->errors.count == 1 ? " is" : "s are");
    return rc;
}

/* The counts as CSV: a text/csv body as it is (the format of `healthybay ingest`), a JSON body
 * converted row by row. */
int hb_h_counts_post(hb_request *req, hb_response *res)
{
    bool csv = hb_http_body_media(req) == HB_MEDIA_CSV;
    hb_buf converted;
    hb_buf_init(&converted, 0);
    int rc = csv ? 0 : body_to_csv(req, &converted);
    const char *text = csv ? req->body : hb_buf_cstr(&converted);
    size_t len = csv ? req->body_len : converted.len;
    hb_ingest_report report = { 0 };
    hb_ingest_options opt = { .source = csv ? "api (text/csv)" : "api (json)",
                              .organisation = req->who->org,
                              .jurisdiction = req->who->jurisdiction };
    if (rc == 0)
        rc = hb_ingest_memory(req->db, "body", text, len, &opt, &report);
    hb_buf_dispose(&converted);
    /* Regions of another jurisdiction are a question of rights: the policy answers (403). */
    hb_policy_target foreign = { report.foreign, NULL, false };
    int denied = rc == HB_EINVAL && report.foreign[0]
                     ? hb_http_authorize(req, HB_ACT_COUNTS_WRITE, &foreign, true)
                     : 0;
    if (denied < 0) {
        rc = denied;
    } else if (rc == HB_EINVAL && report.errors) {
        report_errors(req, report.errors, csv);
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "%llu bad field%s; nothing was stored",
                          (unsigned long long)report.nerrors, report.nerrors == 1 ? "" : "s");
    } else if (rc == HB_EINVAL && csv) { /* the file as a whole: no header, not CSV */
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "%s", hb_error_last());
    }
    hb_ingest_report_dispose(&report);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "counts/batch/%lld", (long long)report.batch_id);
    return hb_http_json(res, report.batch_id ? 201 : 200,
                        json_pack("{s:I, s:I, s:I, s:I, s:o}", "rows", (json_int_t)report.rows,
                                  "inserted", (json_int_t)report.inserted, "revised",
                                  (json_int_t)report.revised, "unchanged",
                                  (json_int_t)report.unchanged, "batch",
                                  report.batch_id ? json_integer(report.batch_id) : json_null()));
}

/*
 * The jurisdiction a listing covers: the one asked for (?jurisdiction), which must be within the
 * caller's reach for action, or when none is asked, all three for a caller who may read the
 * others' (an authority) and the caller's own for everyone else. *j = NULL means all three.
 */
static int listing_scope(hb_request *req, hb_action action, const char **j)
{
    *j = hb_http_query(req, "jurisdiction");
    if (*j && hb_jurisdiction_check(*j) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'jurisdiction' must be GD, HK or MO");
    if (*j) {
        hb_policy_target target = { *j, NULL, false };
        return hb_http_authorize(req, action, &target, true);
    }
    if (hb_policy_reach(req->who, action, false) != HB_REACH_ALL)
        *j = req->who->jurisdiction;
    return 0;
}

int hb_h_overview(hb_request *req, hb_response *res)
{
    const char *j;
    json_t *doc = NULL;
    int rc = listing_scope(req, HB_ACT_COUNTS_READ, &j);
    if (rc == 0)
        rc = hb_warn_overview(req->db, j, &doc);
    return rc < 0 ? rc : hb_http_json(res, 200, doc);
}

int hb_h_series(hb_request *req, hb_response *res)
{
    hb_series_key key = { hb_http_query(req, "region"), hb_http_query(req, "disease"),
                          hb_http_query(req, "measure"), hb_http_query(req, "age_group"),
                          hb_http_query(req, "sex") };
    if (!key.region || !key.disease || !key.measure)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameters 'region', 'disease' and 'measure' are required");
    key.age_group = key.age_group ? key.age_group : "all";
    key.sex = key.sex ? key.sex : "all";
    char j[8];
    int rc = hb_warn_region_jurisdiction(req->db, key.region, j);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no region '%s'", key.region);
    hb_policy_target target = { j, NULL, false };
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_COUNTS_READ, &target, true);
    json_t *doc = NULL;
    if (rc == 0 && (rc = hb_warn_series_view(req->db, &key, &doc)) == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "nothing was reported for this series");
    return rc < 0 ? rc : hb_http_json(res, 200, doc);
}

int hb_h_alert_list(hb_request *req, hb_response *res)
{
    hb_alert_filter filter = { NULL, hb_http_query(req, "status"), hb_http_query(req, "disease"),
                               0 };
    hb_table *t = NULL;
    int rc = listing_scope(req, HB_ACT_ALERT_READ, &filter.jurisdiction);
    if (rc == 0)
        rc = hb_alerts_list(req->db, &filter, &t);
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

/* The alert named in the path as a one-row table, authorised for action (404 when the caller
 * may not know of it). */
static int find_alert(hb_request *req, hb_action action, int64_t *id, hb_table **alert)
{
    const char *text = hb_route_param(&req->params, "alert");
    *alert = NULL;
    if (hb_parse_int64(id, text, strlen(text)) < 0 || *id <= 0)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no alert '%s'", text);
    snprintf(req->object, sizeof req->object, "alert/%lld", (long long)*id);
    hb_alert_filter one = { NULL, NULL, NULL, *id };
    int rc = hb_alerts_list(req->db, &one, alert);
    if (rc == 0 && hb_table_row_count(*alert) == 0)
        rc = hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no alert %lld", (long long)*id);
    hb_policy_target target = { rc == 0 ? hb_table_cell(*alert, 0, 1) : NULL, NULL, false };
    /* 403 to whoever may read the alert, 404 to the rest: no probing for others' alerts. */
    if (rc == 0)
        rc = hb_http_authorize(req, action, &target,
                               hb_policy_check(req->who, HB_ACT_ALERT_READ, &target) == 0);
    return rc;
}

int hb_h_alert_get(hb_request *req, hb_response *res)
{
    int64_t id;
    hb_table *alert = NULL, *history = NULL;
    int rc = find_alert(req, HB_ACT_ALERT_READ, &id, &alert);
    if (rc == 0)
        rc = hb_alert_history(req->db, id, &history);
    json_t *rows = rc == 0 ? hb_table_to_json(alert) : NULL;
    json_t *doc = json_incref(json_array_get(rows, 0));
    json_decref(rows);
    if (doc && json_object_set_new(doc, "history", hb_table_to_json(history)) < 0) {
        json_decref(doc);
        doc = NULL;
    }
    hb_table_free(alert);
    hb_table_free(history);
    if (rc == 0 && !doc)
        rc = HB_ENOMEM;
    return rc < 0 ? rc : hb_http_json(res, 200, doc);
}

static const hb_field action_fields[] = {
    { "action", HB_FIELD_STRING, true, 1, 16, 0 },
    { "comment", HB_FIELD_STRING, false, 0, 4000, 0 },
};

int hb_h_alert_act(hb_request *req, hb_response *res)
{
    int64_t id;
    hb_table *alert = NULL;
    json_t *body = NULL;
    hb_alert_action action;
    char actor[160];
    int rc = find_alert(req, HB_ACT_ALERT_ACT, &id, &alert);
    hb_table_free(alert);
    if (rc == 0)
        rc = hb_http_body(req, action_fields, 2, &body);
    if (rc == 0 && hb_alert_action_parse(&action, hb_http_body_str(body, "action")) < 0) {
        hb_field_error(&req->errors, "/action", "%s", hb_error_last());
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "1 field is invalid");
    }
    actor_of(req, actor, sizeof actor);
    if (rc == 0) {
        rc = hb_alert_act(req->db, id, action, actor, hb_http_body_str(body, "comment"));
        if (rc == HB_ECONFLICT) /* not from the alert's status */
            rc = hb_http_fail(req, HB_PROBLEM_CONFLICT, "%s", hb_error_last());
        else if (rc == HB_EINVAL)
            rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "%s", hb_error_last());
    }
    json_decref(body);
    return rc < 0 ? rc : hb_h_alert_get(req, res);
}

/* The inbox belongs to the caller's authority: ?all=1 lists acknowledged ones too. */
int hb_h_notice_list(hb_request *req, hb_response *res)
{
    hb_policy_target own = { req->who->jurisdiction, NULL, false };
    int64_t all = 0;
    int rc = hb_http_authorize(req, HB_ACT_NOTICE_READ, &own, false);
    if (rc == 0)
        rc = hb_http_query_int(req, "all", 0, 1, 0, &all);
    hb_table *t = NULL;
    if (rc == 0)
        rc = hb_notify_inbox(req->db, req->who->jurisdiction, all == 1, &t);
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

/* The notification id in the path, after the caller's authority was checked for action. */
static int notice_id(hb_request *req, hb_action action, int64_t *id)
{
    const char *text = hb_route_param(&req->params, "notification");
    hb_policy_target own = { req->who->jurisdiction, NULL, false };
    int rc = hb_http_authorize(req, action, &own, false);
    if (rc == 0 && (hb_parse_int64(id, text, strlen(text)) < 0 || *id <= 0))
        rc = hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no notification '%s'", text);
    if (rc == 0)
        snprintf(req->object, sizeof req->object, "notification/%lld", (long long)*id);
    return rc;
}

static int notice_reply(hb_request *req, hb_response *res, int64_t id)
{
    char *text = NULL;
    int rc = hb_notify_get(req->db, req->who->jurisdiction, id, &text);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no notification %lld in the inbox of %s",
                            (long long)id, req->who->jurisdiction);
    json_t *doc = NULL;
    if (rc == 0 && !(doc = json_loads(text, 0, NULL)))
        rc = HB_ENOMEM;
    hb_free(text);
    return rc < 0 ? rc : hb_http_json(res, 200, doc);
}

int hb_h_notice_get(hb_request *req, hb_response *res)
{
    int64_t id;
    int rc = notice_id(req, HB_ACT_NOTICE_READ, &id);
    return rc < 0 ? rc : notice_reply(req, res, id);
}

int hb_h_notice_ack(hb_request *req, hb_response *res)
{
    int64_t id;
    char actor[160];
    int rc = notice_id(req, HB_ACT_NOTICE_ACK, &id);
    actor_of(req, actor, sizeof actor);
    if (rc < 0)
        return rc;
    rc = hb_notify_ack(req->db, req->who->jurisdiction, id, actor);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no notification %lld in the inbox of %s",
                            (long long)id, req->who->jurisdiction);
    if (rc == HB_EPERM) /* it does not verify */
        return hb_http_fail(req, HB_PROBLEM_CONFLICT, "%s", hb_error_last());
    return rc < 0 ? rc : notice_reply(req, res, id);
}

/* The days with a finished daily run, newest first: what a bulletin can be asked for. */
int hb_h_bulletin_list(hb_request *req, hb_response *res)
{
    const char *j; /* the days are the same for every jurisdiction: only the right is checked */
    int rc = listing_scope(req, HB_ACT_BULLETIN_READ, &j);
    static const char *const names[] = { "date", "finished_at", "series_screened", "signals",
                                         "alerts_raised" };
    static const hb_col_kind kinds[] = { HB_COL_TEXT, HB_COL_TEXT, HB_COL_INT, HB_COL_INT,
                                         HB_COL_INT };
    hb_table *t = NULL;
    if (rc == 0)
        rc = hb_store_query_table(req->db,
                                  "SELECT run_date, finished_at, series_screened, signals,"
                                  " alerts_raised FROM hb_warn_runs WHERE status = 'done'"
                                  " ORDER BY run_date DESC LIMIT 400",
                                  NULL, 0, 5, names, kinds, &t);
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

static const char *const content_types[] = { "application/json", "text/html; charset=utf-8",
                                             "application/pdf" };

/* GET /api/v1/bulletins/{date}?jurisdiction=GD|HK|MO|GBA&lang=&edition=daily|weekly&format= */
int hb_h_bulletin_get(hb_request *req, hb_response *res)
{
    const char *date = hb_route_param(&req->params, "date"), *edition, *format_name;
    hb_bulletin_request b = { 0, hb_http_query(req, "jurisdiction"), hb_http_query(req, "lang"),
                              HB_EDITION_DAILY };
    hb_doc_format format = HB_DOC_JSON;
    b.jurisdiction = b.jurisdiction ? b.jurisdiction : "GBA";
    b.lang = b.lang ? b.lang : "en";
    edition = hb_http_query(req, "edition");
    format_name = hb_http_query(req, "format");
    if (hb_date_parse(&b.date, date, strlen(date)) < 0)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no bulletin for '%s': %s", date,
                            hb_error_last());
    if (edition && strcmp(edition, "daily") != 0 && strcmp(edition, "weekly") != 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'edition' must be daily or weekly");
    if (edition && strcmp(edition, "weekly") == 0)
        b.edition = HB_EDITION_WEEKLY;
    if (format_name && hb_doc_format_parse(&format, format_name) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter 'format': %s",
                            hb_error_last());
    if (hb_bulletin_check(&b) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "%s", hb_error_last());
    /* The Bay Area edition holds all three jurisdictions' figures: an authority's to read. */
    hb_policy_target target = { strcmp(b.jurisdiction, "GBA") == 0 ? NULL : b.jurisdiction, NULL,
                                false };
    snprintf(req->object, sizeof req->object, "bulletin/%s/%s", date, b.jurisdiction);
    int rc = 0;
    if (!target.jurisdiction &&
        hb_policy_reach(req->who, HB_ACT_BULLETIN_READ, false) != HB_REACH_ALL)
        rc = hb_http_fail(req, HB_PROBLEM_FORBIDDEN,
                          "the Bay Area bulletin is for the health authorities; ask for your"
                          " jurisdiction's (?jurisdiction=%s)",
                          req->who->jurisdiction);
    else if (target.jurisdiction)
        rc = hb_http_authorize(req, HB_ACT_BULLETIN_READ, &target, true);
    hb_doc *doc = NULL;
    if (rc == 0)
        rc = hb_bulletin_build(req->db, &b, &doc);
    if (rc == 0) {
        rc = hb_doc_render(doc, format, &res->body);
        res->status = 200;
        snprintf(res->content_type, sizeof res->content_type, "%s", content_types[format]);
    }
    hb_doc_free(doc);
    return rc;
}
