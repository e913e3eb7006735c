/*
 * server/h_settle.c — cross-border settlement (settle/, docs/settlement.md):
 *
 *   POST /api/v1/claims                                      submit a claim
 *   GET  /api/v1/claims                                      list the claims one may see
 *   GET  /api/v1/claims/{claim}                              one claim with its items
 *   POST /api/v1/claims/{claim}/adjudication                 decide it (its payer)
 *   POST /api/v1/claims/{claim}/reversal                     reverse a paid decision (its payer)
 *   GET  /api/v1/vouchers/{holder}                           an EHCV holder's balance
 *   GET  /api/v1/vouchers/{holder}/statement                 every movement of the vouchers
 *   POST /api/v1/settlement/runs                             settle a month
 *   GET  /api/v1/settlement/runs/{period}                    the run and its payments
 *   GET  /api/v1/settlement/runs/{period}/statements/{payer} a payer's statement
 *
 * The policy decides (core/policy.c); the module says which organisation acts for a payer or a
 * provider (hb_settle_party). A claim is its provider's object, in the provider's jurisdiction,
 * shared with the organisation acting for its payer; deciding or reversing it is the payer's
 * act, judged on the payer's side. A voucher is the scheme's object, shared with designated
 * service points for the balance only. Claims and vouchers are invisible to anyone else (a
 * refusal is a 404); payers are public reference data (refusing a statement is a 403).
 *
 * Amounts are integer minor units named *_minor beside their currency, never floats. The
 * module's writes join the request's transaction, which the server commits together with the
 * audit entry and the stored Idempotency-Key response; the module's own refusals are worded for
 * the caller and passed on, the database's never are.
 */
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "server/routes.h"
#include "settle/claims.h"
#include "settle/rules.h"
#include "settle/settlement.h"
#include "settle/voucher.h"
#include "util/alloc.h"
#include "util/parse.h"

/* The caller as the module knows it: the token's organisation, today in the Bay Area. */
static hb_settle_caller caller_of(const hb_request *req)
{
    hb_settle_caller c;
    hb_settle_caller_init(&c);
    c.organisation = req->who->org;
    return c;
}

/* A refusal by the module, for the client; anything from the database is a 500 (or, for a
 * unique key lost to a concurrent request, a 409 that says only that). */
static int settle_fail(hb_request *req, int rc)
{
    const char *why = hb_error_last();
    if (strncmp(why, "sqlite:", 7) == 0 || strncmp(why, "postgresql:", 11) == 0)
        return rc == HB_ECONFLICT ? hb_http_fail(req, HB_PROBLEM_CONFLICT,
                                                 "a concurrent request changed this; retry")
                                  : rc;
    if (rc == HB_EINVAL) {
        hb_field_error(&req->errors, "", "%s", why);
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "%s", why);
    }
    if (rc == HB_ECONFLICT || rc == HB_ENOTFOUND) /* a settled period, a missing rate */
        return hb_http_fail(req, HB_PROBLEM_CONFLICT, "%s", why);
    return rc;
}

/* A table rendered as a JSON array of objects (money columns already integers). */
static json_t *rows_json(const hb_table *t)
{
    hb_buf b;
    hb_buf_init(&b, 0);
    json_t *rows = hb_table_render(t, HB_FORMAT_JSON, &b) == 0
                       ? json_loadb(b.ptr ? b.ptr : "[]", b.ptr ? b.len : 2, 0, NULL)
                       : NULL;
    hb_buf_dispose(&b);
    return rows;
}

/* The claim as the API shows it: the listing's row and the items. */
static int claim_json(hb_request *req, int64_t id, json_t **out)
{
    hb_claim_filter f = { .id = id };
    hb_table *row = NULL, *items = NULL;
    int rc = hb_claims_list(req->db, &f, HB_MONEY_MINOR, &row);
    if (rc == 0)
        rc = hb_claim_items(req->db, id, HB_MONEY_MINOR, &items);
    json_t *rows = rc == 0 ? rows_json(row) : NULL, *lines = rc == 0 ? rows_json(items) : NULL;
    hb_table_free(row);
    hb_table_free(items);
    *out = json_incref(json_array_get(rows, 0));
    if (!*out || !lines || json_object_set_new(*out, "items", lines) < 0) {
        json_decref(*out);
        rc = rc < 0 ? rc : hb_error_set(HB_ENOMEM, "out of memory");
    }
    json_decref(rows);
    return rc;
}

static int respond_claim(hb_request *req, hb_response *res, unsigned status, int64_t id)
{
    json_t *doc;
    int rc = claim_json(req, id, &doc);
    return rc < 0 ? rc : hb_http_json(res, status, doc);
}

/* ---- submitting ---- */

static const hb_field claim_fields[] = {
    { "provider", HB_FIELD_STRING, true, 1, HB_SETTLE_ID_MAX, 0 },
    { "episode", HB_FIELD_STRING, true, 1, HB_SETTLE_ID_MAX, 0 },
    { "patient", HB_FIELD_STRING, true, 1, HB_SETTLE_ID_MAX, 0 },
    { "payer", HB_FIELD_STRING, true, 1, HB_SETTLE_ID_MAX, 0 },
    { "currency", HB_FIELD_STRING, true, 3, 3, 0 },
    { "service_date", HB_FIELD_STRING, true, 10, 10, 0 },
    { "mainland_insured", HB_FIELD_BOOLEAN, false, 0, 0, 0 },
    { "items", HB_FIELD_OBJECT_LIST, true, 1, HB_CLAIM_ITEMS_MAX, 0 },
};
static const hb_field item_fields[] = {
    { "code", HB_FIELD_STRING, true, 1, HB_SETTLE_ID_MAX, 0 },
    { "category", HB_FIELD_STRING, true, 1, 32, 0 },
    { "quantity", HB_FIELD_INTEGER, true, 1, HB_CLAIM_QUANTITY_MAX, 0 },
    { "unit_minor", HB_FIELD_INTEGER, true, 0, HB_MONEY_MINOR_MAX, 0 },
};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The items of a checked body into items[], each problem at its pointer. */
static void read_items(hb_request *req, const json_t *list, hb_claim_item *items)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const json_t *it = json_array_get(list, i);
        char ptr[48];
        snprintf(ptr, sizeof ptr, "/items/%zu", i);
        if (hb_json_check_fields_at(it, item_fields, COUNT(item_fields), ptr, &req->errors) > 0)
            continue;
        items[i] = (hb_claim_item){ hb_http_body_str(it, "code"), hb_http_body_str(it, "category"),
                                    json_integer_value(json_object_get(it, "quantity")),
                                    json_integer_value(json_object_get(it, "unit_minor")) };
        snprintf(ptr, sizeof ptr, "/items/%zu/category", i);
        if (!hb_claim_category_valid(items[i].category))
            hb_field_error(&req->errors, ptr, "unknown category (use %s)", hb_claim_categories);
    }
}

/* The fields that name things, checked against the reference data; provider gets the provider. */
static void read_parties(hb_request *req, const hb_claim *c, hb_date today,
                         hb_settle_party *provider)
{
    hb_settle_party payer;
    if (hb_currency_check(c->currency) < 0)
        hb_field_error(&req->errors, "/currency", "%s", hb_error_last());
    if (hb_settle_party_get(req->db, "provider", c->provider, provider) < 0)
        hb_field_error(&req->errors, "/provider", "%s", hb_error_last());
    else if (strcmp(provider->currency, c->currency) != 0)
        hb_field_error(&req->errors, "/currency", "provider %s charges in %s", c->provider,
                       provider->currency);
    if (hb_settle_party_get(req->db, "payer", c->payer, &payer) < 0)
        hb_field_error(&req->errors, "/payer", "%s", hb_error_last());
    if (c->service_date > today)
        hb_field_error(&req->errors, "/service_date", "is in the future");
}

/* The body as a claim (strings borrowed from body, items into items[]). */
static int read_claim(hb_request *req, const json_t *body, hb_claim *c, hb_claim_item *items,
                      hb_date today, hb_settle_party *provider)
{
    const json_t *list = json_object_get(body, "items");
    *c = (hb_claim){ hb_http_body_str(body, "provider"),
                     hb_http_body_str(body, "episode"),
                     hb_http_body_str(body, "patient"),
                     hb_http_body_str(body, "payer"),
                     hb_http_body_str(body, "currency"),
                     0,
                     json_is_true(json_object_get(body, "mainland_insured")),
                     items,
                     json_array_size(list) };
    const char *day = hb_http_body_str(body, "service_date");
    if (hb_date_parse(&c->service_date, day, strlen(day)) < 0)
        hb_field_error(&req->errors, "/service_date", "%s", hb_error_last());
    read_items(req, list, items);
    read_parties(req, c, today, provider);
    return req->errors.count ? hb_http_fail(req, HB_PROBLEM_VALIDATION, "the claim is not valid")
                             : 0;
}

int hb_h_claim_submit(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "claims");
    hb_settle_caller caller = caller_of(req);
    json_t *body;
    int rc = hb_http_body(req, claim_fields, COUNT(claim_fields), &body);
    if (rc < 0)
        return rc;
    hb_claim c;
    hb_settle_party provider = { 0 };
    hb_claim_item *items =
        hb_xcalloc(json_array_size(json_object_get(body, "items")), sizeof *items);
    rc = read_claim(req, body, &c, items, caller.today, &provider);
    /* The provider's organisation submits; the directory of providers is public: 403. */
    hb_policy_target target = { provider.jurisdiction, provider.org, false };
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_CLAIM_SUBMIT, &target, true);
    int64_t id = 0;
    bool existing = false;
    if (rc == 0 && (rc = hb_claim_submit(&id, &existing, req->db, &caller, &c)) < 0)
        rc = settle_fail(req, rc);
    hb_free(items);
    json_decref(body);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "claim/%lld", (long long)id);
    if (!existing)
        snprintf(res->location, sizeof res->location, "/api/v1/claims/%lld", (long long)id);
    return respond_claim(req, res, existing ? 200 : 201, id);
}

/* ---- reading ---- */

/* The claim named in the path, and what the policy judges it by: *read for reading (the
 * provider's, shared with the payer's organisation), *owed for deciding (the payer's). 404 when
 * there is no such claim. */
static int path_claim(hb_request *req, hb_claim_decision *d, hb_settle_party *provider,
                      hb_settle_party *payer)
{
    const char *text = hb_route_param(&req->params, "claim");
    int64_t id = 0;
    snprintf(req->object, sizeof req->object, "claim/%s", text);
    if (hb_parse_int64(&id, text, strlen(text)) < 0 || id <= 0)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "there is no claim %s", text);
    int rc = hb_claim_get(d, req->db, id);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "there is no claim %s", text);
    if (rc == 0)
        rc = hb_settle_party_get(req->db, "provider", d->provider, provider);
    if (rc == 0)
        rc = hb_settle_party_get(req->db, "payer", d->payer, payer);
    return rc;
}

static hb_policy_target read_target(const hb_request *req, const hb_settle_party *provider,
                                    const hb_settle_party *payer)
{
    return (hb_policy_target){ provider->jurisdiction, provider->org,
                               payer->org[0] && strcmp(payer->org, req->who->org) == 0 };
}

int hb_h_claim_get(hb_request *req, hb_response *res)
{
    hb_claim_decision d;
    hb_settle_party provider, payer;
    int rc = path_claim(req, &d, &provider, &payer);
    hb_policy_target target = read_target(req, &provider, &payer);
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_CLAIM_READ, &target, false);
    return rc < 0 ? rc : respond_claim(req, res, 200, d.claim_id);
}

static const char *const statuses[] = { "submitted", "approved", "partial", "rejected",
                                        "reversed" };

/* ?status, ?payer, ?provider, ?patient and the page into f; the policy's scope narrows it. */
static int read_claim_filter(hb_request *req, hb_claim_filter *f, char *after, size_t size)
{
    memset(f, 0, sizeof *f);
    int rc = hb_http_page(req, &f->limit, after, size);
    if (rc < 0)
        return rc;
    f->status = hb_http_query(req, "status");
    f->payer = hb_http_query(req, "payer");
    f->provider = hb_http_query(req, "provider");
    f->patient = hb_http_query(req, "patient");
    size_t s = 0;
    while (f->status && s < COUNT(statuses) && strcmp(f->status, statuses[s]) != 0)
        s++;
    if (s == COUNT(statuses))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'status' must be submitted, approved, partial, "
                            "rejected or reversed");
    if (after[0] && (hb_parse_int64(&f->before_id, after, strlen(after)) < 0 || f->before_id <= 0))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'cursor' is not a cursor this server gave out");
    hb_policy_scope scope;
    if (hb_policy_scope_for(&scope, req->who, HB_ACT_CLAIM_READ, NULL, NULL) < 0)
        return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    f->org = scope.org;
    f->with_payer = scope.with_shared;
    snprintf(req->object, sizeof req->object, "claims/%s", scope.org ? scope.org : "*");
    return 0;
}

int hb_h_claim_list(hb_request *req, hb_response *res)
{
    hb_claim_filter f;
    char after[24];
    int rc = read_claim_filter(req, &f, after, sizeof after);
    if (rc < 0)
        return rc;
    size_t limit = f.limit;
    f.limit = limit + 1; /* one more tells whether there is a next page */
    hb_table *t = NULL;
    rc = hb_claims_list(req->db, &f, HB_MONEY_MINOR, &t);
    json_t *items = rc == 0 ? rows_json(t) : NULL;
    size_t n = rc == 0 ? hb_table_row_count(t) : 0;
    char last[24] = "";
    if (n > limit) {
        snprintf(last, sizeof last, "%s", hb_table_cell(t, limit - 1, 0));
        json_array_remove(items, limit);
    }
    hb_table_free(t);
    json_t *doc = items ? json_pack("{s:o}", "items", items) : NULL;
    if (rc == 0 && (!doc || hb_http_page_end(doc, n > limit, last) < 0))
        rc = hb_error_set(HB_ENOMEM, "out of memory");
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    return hb_http_json(res, 200, doc);
}

/* ---- deciding ---- */

/* The claim in the path, if the caller acts for its payer: 403 when it may see the claim
 * (it submitted it), 404 when it may not even see it. */
static int owed_claim(hb_request *req, hb_action action, int64_t *id)
{
    hb_claim_decision d;
    hb_settle_party provider, payer;
    int rc = path_claim(req, &d, &provider, &payer);
    if (rc < 0)
        return rc;
    hb_policy_target read = read_target(req, &provider, &payer);
    hb_policy_target owed = { payer.jurisdiction, payer.org, false };
    bool visible = hb_policy_check(req->who, HB_ACT_CLAIM_READ, &read) == 0;
    *id = d.claim_id;
    return hb_http_authorize(req, action, &owed, visible);
}

int hb_h_claim_adjudicate(hb_request *req, hb_response *res)
{
    int64_t id;
    int rc = owed_claim(req, HB_ACT_CLAIM_ADJUDICATE, &id);
    if (rc < 0)
        return rc;
    hb_settle_caller caller = caller_of(req);
    hb_claim_decision d;
    rc = hb_claim_adjudicate(&d, req->db, &caller, id);
    return rc < 0 ? settle_fail(req, rc) : respond_claim(req, res, 200, id);
}

static const hb_field reversal_fields[] = {
    { "reason", HB_FIELD_STRING, true, 1, HB_NAME_MAX, 0 },
};

int hb_h_claim_reverse(hb_request *req, hb_response *res)
{
    int64_t id;
    int rc = owed_claim(req, HB_ACT_CLAIM_REVERSE, &id);
    json_t *body = NULL;
    if (rc == 0)
        rc = hb_http_body(req, reversal_fields, COUNT(reversal_fields), &body);
    const char *reason = body ? hb_http_body_str(body, "reason") : NULL;
    if (rc == 0 && hb_text_check("reason", reason, true) < 0) {
        hb_field_error(&req->errors, "/reason", "%s", hb_error_last());
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "the reversal is not valid");
    }
    hb_settle_caller caller = caller_of(req);
    hb_claim_decision d;
    if (rc == 0 && (rc = hb_claim_reverse(&d, req->db, &caller, id, reason)) < 0)
        rc = settle_fail(req, rc);
    json_decref(body);
    return rc < 0 ? rc : respond_claim(req, res, 200, id);
}

/* ---- vouchers ---- */

/* The holder in the path, if the caller may see their vouchers: the scheme's organisation, or
 * for the balance (shareable) a designated service point's. */
static int path_holder(hb_request *req, bool shareable, const char **holder, hb_date *today)
{
    *holder = hb_route_param(&req->params, "holder");
    snprintf(req->object, sizeof req->object, "voucher/%s", *holder);
    hb_settle_caller caller = caller_of(req);
    *today = caller.today;
    hb_settle_party scheme;
    bool serves = false;
    int rc = hb_settle_voucher_scheme(req->db, &scheme);
    if (rc == 0 && shareable)
        rc = hb_settle_org_serves_vouchers(req->db, req->who->org, *today, &serves);
    if (rc < 0)
        return rc == HB_ENOTFOUND ? hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "%s", hb_error_last())
                                  : rc;
    hb_policy_target target = { scheme.jurisdiction, scheme.org, serves };
    return hb_http_authorize(req, HB_ACT_VOUCHER_READ, &target, false);
}

int hb_h_voucher_get(hb_request *req, hb_response *res)
{
    const char *holder;
    hb_date today, on;
    int rc = path_holder(req, true, &holder, &today);
    if (rc < 0)
        return rc;
    const char *day = hb_http_query(req, "on");
    on = today;
    if (day && hb_date_parse(&on, day, strlen(day)) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter 'on': %s", hb_error_last());
    hb_voucher_status s;
    if ((rc = hb_voucher_balance(&s, req->db, holder, on)) < 0)
        return settle_fail(req, rc);
    char date[HB_DATE_STRLEN];
    json_t *optometry =
        s.optometry_cap_minor < 0
            ? json_null()
            : json_pack("{s:I, s:I, s:s, s:s}", "cap_minor", (json_int_t)s.optometry_cap_minor,
                        "used_minor", (json_int_t)s.optometry_used_minor, "cycle_from",
                        s.cycle_from, "cycle_to", s.cycle_to);
    json_t *doc = json_pack("{s:s, s:s, s:b, s:b, s:s, s:I, s:I, s:o}", "holder", holder, "on",
                            hb_date_format(date, on), "member", s.member, "eligible", s.eligible,
                            "currency", "HKD", "balance_minor", (json_int_t)s.balance_minor,
                            "cap_minor", (json_int_t)s.cap_minor, "optometry", optometry);
    return hb_http_json(res, 200, doc);
}

int hb_h_voucher_statement(hb_request *req, hb_response *res)
{
    const char *holder;
    hb_date today;
    int rc = path_holder(req, false, &holder, &today);
    hb_table *t = NULL;
    if (rc == 0 && (rc = hb_voucher_statement(req->db, holder, HB_MONEY_MINOR, &t)) < 0)
        rc = settle_fail(req, rc);
    json_t *items = rc == 0 ? rows_json(t) : NULL;
    hb_table_free(t);
    if (rc < 0)
        return rc;
    return hb_http_json(
        res, 200,
        json_pack("{s:s, s:s, s:o}", "holder", holder, "currency", "HKD", "items", items));
}

/* ---- settlement ---- */

/* The run: any authority settles the whole area, so the object names no jurisdiction. */
static const hb_policy_target area = { NULL, NULL, false };

static int respond_run(hb_request *req, hb_response *res, unsigned status,
                       const hb_settlement_result *r)
{
    hb_table *t = NULL;
    int rc = hb_settlement_instructions(req->db, r->period, HB_MONEY_MINOR, &t);
    json_t *payments = rc == 0 ? rows_json(t) : NULL;
    hb_table_free(t);
    if (rc < 0)
        return rc;
    return hb_http_json(res, status,
                        json_pack("{s:s, s:I, s:I, s:o}", "period", r->period, "claims",
                                  (json_int_t)r->claims, "obligations", (json_int_t)r->obligations,
                                  "payments", payments));
}

static const hb_field run_fields[] = { { "period", HB_FIELD_STRING, true, 7, 7, 0 } };

int hb_h_settlement_run(hb_request *req, hb_response *res)
{
    snprintf(req->object, sizeof req->object, "settlement");
    int rc = hb_http_authorize(req, HB_ACT_SETTLEMENT_RUN, &area, true);
    json_t *body = NULL;
    if (rc == 0)
        rc = hb_http_body(req, run_fields, COUNT(run_fields), &body);
    hb_date month = 0;
    if (rc == 0 && hb_month_parse(&month, hb_http_body_str(body, "period"), 7) < 0) {
        hb_field_error(&req->errors, "/period", "%s", hb_error_last());
        rc = hb_http_fail(req, HB_PROBLEM_VALIDATION, "the period is not valid");
    }
    json_decref(body);
    hb_settle_caller caller = caller_of(req);
    hb_settlement_result r;
    if (rc == 0 && (rc = hb_settlement_run(&r, req->db, &caller, month)) < 0)
        rc = settle_fail(req, rc);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "settlement/%s", r.period);
    if (!r.already)
        snprintf(res->location, sizeof res->location, "/api/v1/settlement/runs/%s", r.period);
    return respond_run(req, res, r.already ? 200 : 201, &r);
}

/* The settled period in the path; 404 when it is not one. */
static int path_run(hb_request *req, hb_settlement_result *r)
{
    const char *period = hb_route_param(&req->params, "period");
    hb_date month;
    if (strlen(period) != 7 || hb_month_parse(&month, period, 7) < 0)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "'%s' is not a period (YYYY-MM)", period);
    int rc = hb_settlement_get(r, req->db, period);
    return rc == HB_ENOTFOUND ? hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "%s", hb_error_last()) : rc;
}

int hb_h_settlement_get(hb_request *req, hb_response *res)
{
    int rc = hb_http_authorize(req, HB_ACT_SETTLEMENT_READ, &area, true);
    hb_settlement_result r;
    if (rc == 0)
        rc = path_run(req, &r);
    return rc < 0 ? rc : respond_run(req, res, 200, &r);
}

int hb_h_settlement_statement(hb_request *req, hb_response *res)
{
    const char *code = hb_route_param(&req->params, "payer");
    hb_settle_party payer;
    int rc = hb_settle_party_get(req->db, "payer", code, &payer);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "%s", hb_error_last());
    hb_policy_target target = { payer.jurisdiction, payer.org, false };
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_SETTLEMENT_READ, &target, true);
    hb_settlement_result r;
    if (rc == 0)
        rc = path_run(req, &r);
    hb_table *t = NULL;
    hb_statement_check check;
    if (rc == 0)
        rc = hb_settlement_statement(req->db, r.period, payer.code, HB_MONEY_MINOR, &t, &check);
    json_t *lines = rc == 0 ? rows_json(t) : NULL;
    hb_table_free(t);
    if (rc < 0)
        return rc;
    return hb_http_json(res, 200,
                        json_pack("{s:s, s:s, s:I, s:b, s:o}", "period", r.period, "payer",
                                  payer.code, "claim_lines", (json_int_t)check.lines, "reconciles",
                                  check.mismatches == 0, "lines", lines));
}
