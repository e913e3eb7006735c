/*
 * server/h_blood.c — the rare-blood exchange (docs/blood.md): a blood centre's registry uploads
 * (CSV) and listings, the search across Guangdong, Hong Kong and Macao, and the request workflow.
 *
 * The acting organisation is always the token's; nothing in a request can name another. The
 * module (src/blood/) keeps its own rules — only a blood centre keeps a registry and only it sees
 * its donors' identities, a request is visible to its two parties only, each step belongs to one
 * party — so a handler asks the policy about the object, calls the module and maps its answer:
 * HB_EPERM 403, HB_ECONFLICT 409 (a unit taken, a step not allowed now), a bad reference or a
 * unit that does not suit the patient 422 at the field that named it.
 */
#include <stdio.h>
#include <string.h>

#include "blood/din.h"
#include "blood/finder.h"
#include "blood/phenotype.h"
#include "blood/registry.h"
#include "blood/request.h"
#include "healthybay/date.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/parse.h"

/* What an uploaded file is called in the importer's messages, as in the registries' imports. */
#define UPLOAD "body"

/* Hits a search returns when the client does not say: a screen's worth. */
#define SEARCH_LIMIT_DEFAULT 20

static hb_blood_actor actor_of(const hb_request *req)
{
    return (hb_blood_actor){ req->who->org, req->who->jurisdiction };
}

/* The caller's own registry or request list. */
static int authorize_own(hb_request *req, hb_action action)
{
    hb_policy_target own = { req->who->jurisdiction, req->who->org, false };
    return hb_http_authorize(req, action, &own, true);
}

/* ---- registry: uploads and the centre's own listings ---- */

/* The file was rejected: every listed problem at its line, column and field, the importer's
 * summary (or, for a file it could not read, where it stopped) as detail. Those messages begin
 * with the file's name; any other failure (a database constraint) is not the client's to see and
 * is passed up: a 500. */
static int rejected(hb_request *req, int rc, const hb_blood_import_report *r)
{
    char detail[HB_ERROR_MESSAGE_MAX];
    snprintf(detail, sizeof detail, "%s", hb_error_last());
    if (strncmp(detail, UPLOAD ":", strlen(UPLOAD ":")) != 0)
        return rc;
    for (size_t i = 0; i < r->nlisted; i++)
        hb_field_error_csv(&req->errors, r->errors[i].line, r->errors[i].column, r->errors[i].field,
                           "%s", r->errors[i].reason);
    return hb_http_fail(req, HB_PROBLEM_VALIDATION, "%s", detail);
}

static int upload(hb_request *req, hb_response *res, hb_blood_kind kind)
{
    hb_blood_actor actor = actor_of(req);
    snprintf(req->object, sizeof req->object, "blood/%s/%s",
             kind == HB_BLOOD_DONOR ? "donors" : "units", actor.org);
    int rc = authorize_own(req, HB_ACT_BLOOD_REGISTRY_WRITE);
    if (rc < 0)
        return rc;
    hb_blood_import_report r;
    rc = hb_blood_import_memory(req->db, &actor, kind, UPLOAD, req->body, req->body_len, false, &r);
    if (rc == HB_EPERM)
        rc = hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    else if (rc == HB_EINVAL || rc == HB_ELIMIT)
        rc = rejected(req, rc, &r);
    else if (rc == 0)
        rc = hb_http_json(res, 200,
                          json_pack("{s:I, s:I, s:I, s:I}", "rows", (json_int_t)r.rows, "inserted",
                                    (json_int_t)r.inserted, "updated", (json_int_t)r.updated,
                                    "unchanged", (json_int_t)r.unchanged));
    hb_blood_import_report_dispose(&r);
    return rc;
}

int hb_h_blood_donors_upload(hb_request *req, hb_response *res)
{
    return upload(req, res, HB_BLOOD_DONOR);
}

int hb_h_blood_units_upload(hb_request *req, hb_response *res)
{
    return upload(req, res, HB_BLOOD_UNIT);
}

typedef int (*own_listing)(hb_store *, const hb_blood_actor *, const char *, size_t, hb_table **);

/* One page of the centre's own donors or units; key_column is what the next page starts after. */
static int own_list(hb_request *req, hb_response *res, const char *what, own_listing list,
                    size_t key_column)
{
    hb_blood_actor actor = actor_of(req);
    snprintf(req->object, sizeof req->object, "blood/%s/%s", what, actor.org);
    size_t limit;
    char after[HB_ROUTE_PARAM_MAX + 1];
    int rc = hb_http_page(req, &limit, after, sizeof after);
    if (rc == 0)
        rc = authorize_own(req, HB_ACT_BLOOD_REGISTRY_READ);
    if (rc < 0)
        return rc;
    hb_table *t = NULL;
    rc = list(req->db, &actor, after, limit + 1, &t);
    if (rc == HB_EPERM)
        return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    if (rc == HB_EINVAL) /* a unit cursor that is not a DIN */
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'cursor' is not a cursor this server gave out");
    bool more = rc == 0 && hb_table_row_count(t) > limit;
    char last[HB_ROUTE_PARAM_MAX + 1] = "";
    if (more)
        snprintf(last, sizeof last, "%s", hb_table_cell(t, limit - 1, key_column));
    if (rc == 0) {
        hb_table_truncate(t, limit);
        rc = hb_http_table_page(res, t, more, last);
    }
    hb_table_free(t);
    return rc;
}

int hb_h_blood_donors_list(hb_request *req, hb_response *res)
{
    return own_list(req, res, "donors", hb_blood_donors_list, 1 /* local_ref */);
}

int hb_h_blood_units_list(hb_request *req, hb_response *res)
{
    return own_list(req, res, "units", hb_blood_units_list, 0 /* din */);
}

/* ---- search ---- */

/* 400 for query parameter name: missing when it is required (value NULL), else what its parser
 * said of value. */
static int bad_query(hb_request *req, const char *name, const char *value)
{
    if (!value)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' is required", name);
    return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s': %s", name,
                        hb_error_last());
}

/* ?kind=unit|donor (absent: both). */
static int query_kind(hb_request *req, unsigned *kinds)
{
    const char *v = hb_http_query(req, "kind");
    *kinds = !v                        ? 0
             : strcmp(v, "unit") == 0  ? 1u << HB_BLOOD_UNIT
             : strcmp(v, "donor") == 0 ? 1u << HB_BLOOD_DONOR
                                       : ~0u;
    return *kinds == ~0u ? hb_http_fail(req, HB_PROBLEM_MALFORMED,
                                        "query parameter 'kind' must be unit or donor")
                         : 0;
}

/* ?jurisdictions=GD,HK (absent: all three), each asked of the policy: a registry is searched only
 * where the caller may search. out gets the list searched, "GD,HK,MO" at most. */
static int query_jurisdictions(hb_request *req, char out[9])
{
    static const char *const all[] = { "GD", "HK", "MO" };
    const char *v = hb_http_query(req, "jurisdictions");
    bool asked[3] = { !v, !v, !v }, known = true;
    for (const char *p = v; p && *p && known;) {
        size_t len = strcspn(p, ","), i = 0;
        while (i < 3 && !(len == 2 && memcmp(p, all[i], 2) == 0))
            i++;
        known = i < 3;
        asked[i % 3] |= known;
        p += len + (p[len] == ',');
    }
    if (!known || !(asked[0] || asked[1] || asked[2]))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'jurisdictions' must list GD, HK or MO, separated by "
                            "commas");
    out[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        hb_policy_target registry = { all[i], NULL, false };
        int rc = asked[i] ? hb_http_authorize(req, HB_ACT_BLOOD_SEARCH, &registry, true) : 0;
        if (rc < 0)
            return rc;
        if (asked[i])
            snprintf(out + strlen(out), 9 - strlen(out), "%s%s", out[0] ? "," : "", all[i]);
    }
    return 0;
}

static int search_query(hb_request *req, hb_blood_find_query *q, char jurisdictions[9])
{
    const char *abo = hb_http_query(req, "abo"), *rhd = hb_http_query(req, "rhd");
    const char *neg = hb_http_query(req, "negative"), *pref = hb_http_query(req, "prefer_negative");
    const char *on = hb_http_query(req, "on");
    char now[HB_TIMESTAMP_STRLEN];
    if (!abo || hb_blood_abo_parse(&q->abo, abo, strlen(abo)) < 0)
        return bad_query(req, "abo", abo);
    if (!rhd || hb_blood_rhd_parse(&q->rhd, rhd, strlen(rhd)) < 0)
        return bad_query(req, "rhd", rhd);
    if (neg && hb_blood_antigen_list_parse(&q->negative, neg, strlen(neg)) < 0)
        return bad_query(req, "negative", neg);
    if (pref && hb_blood_antigen_list_parse(&q->prefer, pref, strlen(pref)) < 0)
        return bad_query(req, "prefer_negative", pref);
    /* Units expiring before ?on= are left out; by default, those expired today. */
    if (hb_date_parse(&q->on, on ? on : hb_timestamp_now(now), on ? strlen(on) : 10) < 0)
        return bad_query(req, "on", on);
    int64_t limit = SEARCH_LIMIT_DEFAULT;
    int rc = query_kind(req, &q->kinds);
    if (rc == 0)
        rc = hb_http_query_int(req, "limit", 1, HB_BLOOD_HITS_MAX, SEARCH_LIMIT_DEFAULT, &limit);
    if (rc == 0)
        rc = query_jurisdictions(req, jurisdictions);
    q->limit = (size_t)limit;
    q->near = hb_http_query(req, "near");
    q->jurisdictions = jurisdictions;
    return rc;
}

int hb_h_blood_search(hb_request *req, hb_response *res)
{
    hb_blood_find_query q = { 0 };
    char jurisdictions[9];
    int rc = search_query(req, &q, jurisdictions);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "blood/search/%s", jurisdictions);
    hb_blood_actor actor = actor_of(req);
    hb_table *t = NULL;
    uint64_t matched = 0;
    rc = hb_blood_find(req->db, &actor, &q, &t, &matched);
    if (rc == HB_EINVAL) /* ?near= is not a blood centre */
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "%s", hb_error_last());
    if (rc < 0)
        return rc;
    hb_buf_reset(&res->body);
    rc = hb_buf_puts(&res->body, "{\"items\": ");
    if (rc == 0)
        rc = hb_table_render(t, HB_FORMAT_JSON, &res->body);
    if (rc == 0)
        rc = hb_buf_printf(&res->body, ", \"matched\": %llu}\n", (unsigned long long)matched);
    hb_table_free(t);
    res->status = 200;
    snprintf(res->content_type, sizeof res->content_type, "application/json");
    return rc;
}

/* ---- requests ---- */

static json_t *antigens_json(uint64_t mask)
{
    size_t n;
    const hb_blood_antigen *antigens = hb_blood_antigens(&n);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++)
        if (mask & UINT64_C(1) << antigens[i].bit)
            json_array_append_new(list, json_string(antigens[i].code));
    return list;
}

static json_t *text_or_null(const char *text)
{
    return text[0] ? json_string(text) : json_null();
}

/* A request as both parties see it: what the patient needs, never who the patient is. */
static json_t *request_json(const hb_blood_request_info *r)
{
    char din[20];
    if (r->din[0])
        hb_blood_din_format(din, r->din);
    json_t *doc =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "id",
                  (json_int_t)r->id, "state", hb_blood_request_state_name(r->state), "requester",
                  r->requester, "requester_jurisdiction", r->requester_jurisdiction, "centre",
                  r->centre, "centre_jurisdiction", r->centre_jurisdiction, "din",
                  r->din[0] ? json_string(din) : json_null(), "donor", text_or_null(r->donor),
                  "abo", hb_blood_abo_name(r->abo), "rhd", hb_blood_rhd_name(r->rhd), "needs",
                  antigens_json(r->needs), "note", text_or_null(r->note));
    for (int s = 0; doc && s < HB_REQ_STATE_COUNT; s++) {
        char key[32];
        snprintf(key, sizeof key, "%s_at", hb_blood_request_state_name((hb_blood_request_state)s));
        json_object_set_new(doc, key, text_or_null(r->at[s]));
    }
    return doc;
}

/* The request named in the path, if the caller is one of its parties (the module decides that);
 * then the policy is asked about it for action. A number that is not one, or a request of
 * others, is a 404: request numbers do not leak. */
static int path_request(hb_request *req, hb_action action, hb_blood_request_info *r)
{
    const char *text = hb_route_param(&req->params, "request");
    snprintf(req->object, sizeof req->object, "blood/request/%s", text);
    hb_blood_actor actor = actor_of(req);
    int64_t id = 0;
    int rc = hb_parse_int64(&id, text, strlen(text)) == 0 && id > 0 ? 0 : HB_ENOTFOUND;
    if (rc == 0)
        rc = hb_blood_request_get(req->db, &actor, id, r);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no request %s of yours", text);
    if (rc < 0)
        return rc;
    /* Owned by the requester; the module returned it, so it is shared with the caller. */
    hb_policy_target target = { r->requester_jurisdiction, r->requester, true };
    bool visible = hb_policy_check(req->who, HB_ACT_BLOOD_REQUEST_READ, &target) == 0;
    return hb_http_authorize(req, action, &target, visible);
}

/* Respond with request id as it is now. */
static int respond_request(hb_request *req, hb_response *res, unsigned status, int64_t id)
{
    hb_blood_actor actor = actor_of(req);
    hb_blood_request_info r;
    int rc = hb_blood_request_get(req->db, &actor, id, &r);
    return rc < 0 ? rc : hb_http_json(res, status, request_json(&r));
}

static const hb_field request_fields[] = {
    { "din", HB_FIELD_STRING, false, 1, 32, 0 },
    { "donor", HB_FIELD_STRING, false, 1, HB_BLOOD_PSEUDONYM_LEN, 0 },
    { "abo", HB_FIELD_STRING, true, 1, 2, 0 },
    { "rhd", HB_FIELD_STRING, true, 1, 3, 0 },
    { "needs", HB_FIELD_STRING_LIST, false, 0, HB_BLOOD_ANTIGEN_BITS, 16 },
    { "note", HB_FIELD_STRING, false, 0, HB_BLOOD_NOTE_MAX, 0 },
};

/* A DIN field checked as the module will read it, so that a mistyped one is named at its field. */
static void check_din(hb_request *req, const char *din)
{
    char stored[HB_BLOOD_DIN_LEN + 1];
    if (din && hb_blood_din_parse(stored, din, strlen(din)) < 0)
        hb_field_error(&req->errors, "/din", "%s", hb_error_last());
}

/* The body of a new request into n (strings borrowed from body). */
static int read_new_request(hb_request *req, const json_t *body, hb_blood_request_new *n)
{
    const char *abo = hb_http_body_str(body, "abo"), *rhd = hb_http_body_str(body, "rhd");
    n->din = hb_http_body_str(body, "din");
    n->donor = hb_http_body_str(body, "donor");
    n->note = hb_http_body_str(body, "note");
    if (!n->din == !n->donor)
        hb_field_error(&req->errors, "", "give one of 'din' (a unit) or 'donor' (a recall)");
    check_din(req, n->din);
    if (hb_blood_abo_parse(&n->abo, abo, strlen(abo)) < 0)
        hb_field_error(&req->errors, "/abo", "%s", hb_error_last());
    if (hb_blood_rhd_parse(&n->rhd, rhd, strlen(rhd)) < 0)
        hb_field_error(&req->errors, "/rhd", "%s", hb_error_last());
    const json_t *needs = json_object_get(body, "needs");
    for (size_t i = 0; i < json_array_size(needs); i++) {
        const char *code = json_string_value(json_array_get(needs, i));
        const hb_blood_antigen *a = hb_blood_antigen_find(code, strlen(code));
        char ptr[32];
        snprintf(ptr, sizeof ptr, "/needs/%zu", i);
        if (a)
            n->needs |= UINT64_C(1) << a->bit;
        else
            hb_field_error(&req->errors, ptr, "unknown antigen '%.32s'", code);
    }
    return req->errors.count ? hb_http_fail(req, HB_PROBLEM_VALIDATION, "the request is not valid")
                             : 0;
}

/* What the module said about the unit or donor a request or an offer names, at that field. */
static int reference_fail(hb_request *req, int rc, const char *pointer)
{
    if (rc == HB_ECONFLICT)
        return hb_http_fail(req, HB_PROBLEM_CONFLICT, "%s", hb_error_last());
    if (rc == HB_EPERM)
        return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    if (rc != HB_EINVAL && rc != HB_ENOTFOUND)
        return rc;
    hb_field_error(&req->errors, pointer, "%s", hb_error_last());
    return hb_http_fail(req, HB_PROBLEM_VALIDATION, "%s", hb_error_last());
}

int hb_h_blood_request_create(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "blood/requests/%s", req->who->org);
    int rc = authorize_own(req, HB_ACT_BLOOD_REQUEST_WRITE);
    json_t *body = NULL;
    if (rc == 0)
        rc = hb_http_body(req, request_fields, sizeof request_fields / sizeof request_fields[0],
                          &body);
    hb_blood_request_new n = { 0 };
    if (rc == 0)
        rc = read_new_request(req, body, &n);
    hb_blood_actor actor = actor_of(req);
    int64_t id = 0;
    if (rc == 0 && (rc = hb_blood_request_create(req->db, &actor, &n, &id)) < 0)
        rc = reference_fail(req, rc, n.din ? "/din" : "/donor");
    json_decref(body);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "blood/request/%lld", (long long)id);
    snprintf(res->location, sizeof res->location, "/api/v1/blood/requests/%lld", (long long)id);
    return respond_request(req, res, 201, id);
}

int hb_h_blood_request_get(hb_request *req, hb_response *res)
{
    hb_blood_request_info r;
    int rc = path_request(req, HB_ACT_BLOOD_REQUEST_READ, &r);
    return rc < 0 ? rc : hb_http_json(res, 200, request_json(&r));
}

int hb_h_blood_request_events(hb_request *req, hb_response *res)
{
    hb_blood_request_info r;
    int rc = path_request(req, HB_ACT_BLOOD_REQUEST_READ, &r);
    if (rc < 0)
        return rc;
    hb_blood_actor actor = actor_of(req);
    hb_table *t = NULL;
    rc = hb_blood_request_events(req->db, &actor, r.id, &t);
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

static const hb_field step_fields[] = {
    { "action", HB_FIELD_STRING, true, 1, 16, 0 },
    { "din", HB_FIELD_STRING, false, 1, 32, 0 },
    { "note", HB_FIELD_STRING, false, 0, HB_BLOOD_NOTE_MAX, 0 },
};

/* A step is an event appended to the request's history: POST what GET lists. */
int hb_h_blood_request_step(hb_request *req, hb_response *res)
{
    hb_blood_request_info r;
    int rc = path_request(req, HB_ACT_BLOOD_REQUEST_WRITE, &r);
    json_t *body = NULL;
    if (rc == 0)
        rc = hb_http_body(req, step_fields, sizeof step_fields / sizeof step_fields[0], &body);
    hb_blood_request_action action = HB_REQ_OFFER;
    const char *din = hb_http_body_str(body, "din");
    if (rc == 0 && hb_blood_request_action_parse(&action, hb_http_body_str(body, "action")) < 0)
        hb_field_error(&req->errors, "/action", "%s", hb_error_last());
    if (rc == 0)
        check_din(req, din);
    if (rc == 0 && req->errors.count)
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "the step is not valid");
    hb_blood_actor actor = actor_of(req);
    if (rc == 0 && (rc = hb_blood_request_step(req->db, &actor, r.id, action, din,
                                               hb_http_body_str(body, "note"))) < 0)
        rc = reference_fail(req, rc, "/din");
    json_decref(body);
    return rc < 0 ? rc : respond_request(req, res, 200, r.id);
}

int hb_h_blood_request_list(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "blood/requests/%s", req->who->org);
    size_t limit, count = 0;
    char after[24];
    int64_t before = 0;
    int rc = hb_http_page(req, &limit, after, sizeof after);
    if (rc == 0 && after[0] && (hb_parse_int64(&before, after, strlen(after)) < 0 || before < 1))
        rc = hb_http_fail(req, HB_PROBLEM_MALFORMED,
                          "query parameter 'cursor' is not a cursor this server gave out");
    if (rc == 0)
        rc = authorize_own(req, HB_ACT_BLOOD_REQUEST_READ);
    if (rc < 0)
        return rc;
    hb_blood_actor actor = actor_of(req);
    hb_blood_request_info *list = hb_xcalloc(limit + 1, sizeof *list);
    rc = hb_blood_request_list(req->db, &actor, before, limit + 1, list, &count);
    json_t *items = json_array();
    for (size_t i = 0; rc == 0 && i < count && i < limit; i++)
        if (json_array_append_new(items, request_json(&list[i])) < 0)
            rc = HB_ENOMEM;
    json_t *doc = json_pack("{s:o}", "items", items);
    char last[24];
    snprintf(last, sizeof last, "%lld", count > limit ? (long long)list[limit - 1].id : 0LL);
    if (rc == 0 && doc)
        rc = hb_http_page_end(doc, count > limit, last);
    hb_free(list);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    return hb_http_json(res, 200, doc);
}
