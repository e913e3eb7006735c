/*
 * server/h_tokens.c — tokens: GET and POST /api/v1/orgs/{org}/tokens, DELETE
 * /api/v1/tokens/{token}.
 *
 * A token's secret appears in exactly one response: the 201 of its creation. The copy kept for
 * Idempotency-Key replays has the secret removed (a replay says "token": null) — the database
 * must never hold a usable secret. A client that lost the response revokes and creates anew.
 */
#include <stdio.h>
#include <string.h>

#include "server/routes.h"
#include "util/alloc.h"

static json_t *token_json(const hb_token_info *t)
{
    json_t *roles = json_array();
    for (unsigned r = 0; r < HB_ROLE_COUNT; r++)
        if (t->roles & (1u << r))
            json_array_append_new(roles, json_string(hb_role_name((hb_role)r)));
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s?}", "id", t->id, "org", t->org, "roles",
                     roles, "label", t->label, "created_at", t->created_at, "expires_at",
                     t->expires_at, "revoked_at", t->revoked_at[0] ? t->revoked_at : NULL);
}

/* The organisation named in the path; 404 when there is none. */
static int path_org(hb_request *req, hb_org *org)
{
    const char *code = hb_route_param(&req->params, "org");
    int rc = hb_org_get(req->db, org, code);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no organisation '%s'", code);
    return rc;
}

int hb_h_token_list(hb_request *req, hb_response *res)
{
    hb_org org;
    size_t limit, count;
    char after[HB_TOKEN_ID_HEXLEN + 1];
    int rc = hb_http_page(req, &limit, after, sizeof after);
    if (rc == 0)
        rc = path_org(req, &org);
    hb_policy_target target = { org.jurisdiction, org.code, false };
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_TOKEN_READ, &target, true);
    if (rc < 0)
        return rc;
    hb_token_info *tokens = hb_xcalloc(limit + 1, sizeof *tokens);
    rc = hb_token_list(req->db, tokens, limit + 1, &count, org.code, after);
    json_t *items = json_array();
    for (size_t i = 0; rc == 0 && i < count && i < limit; i++)
        if (json_array_append_new(items, token_json(&tokens[i])) < 0)
            rc = HB_ENOMEM;
    json_t *doc = json_pack("{s:o}", "items", items);
    if (rc == 0 && doc)
        rc = hb_http_page_end(doc, count > limit, count > limit ? tokens[limit - 1].id : "");
    hb_free(tokens);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    return hb_http_json(res, 200, doc);
}

static const hb_field token_fields[] = {
    { "roles", HB_FIELD_STRING_LIST, true, 1, HB_ROLE_COUNT, 32 },
    { "label", HB_FIELD_STRING, false, 0, HB_NAME_MAX, 0 },
    { "lifetime_days", HB_FIELD_INTEGER, false, 1, HB_TOKEN_LIFETIME_DAYS_MAX, 0 },
};

/* Roles, label and lifetime from the checked body. */
static int read_request(hb_request *req, const json_t *body, hb_roles *roles, const char **label,
                        int *days)
{
    *roles = 0;
    const json_t *list = json_object_get(body, "roles");
    for (size_t i = 0; i < json_array_size(list); i++) {
        hb_role role;
        if (hb_role_parse(&role, json_string_value(json_array_get(list, i))) < 0) {
            char ptr[32];
            snprintf(ptr, sizeof ptr, "/roles/%zu", i);
            hb_field_error(&req->errors, ptr, "%s", hb_error_last());
        } else {
            *roles |= 1u << role;
        }
    }
    *label = json_object_get(body, "label") ? hb_http_body_str(body, "label") : "";
    if (hb_text_check("label", *label, false) < 0)
        hb_field_error(&req->errors, "/label", "%s", hb_error_last());
    const json_t *d = json_object_get(body, "lifetime_days");
    *days = d ? (int)json_integer_value(d) : HB_TOKEN_LIFETIME_DAYS_DEFAULT;
    return req->errors.count ? hb_http_fail(req, HB_PROBLEM_VALIDATION,
                                            "the token request is "
                                            "not valid")
                             : 0;
}

/* The response body, and the copy kept for replays without the secret. */
static int respond_created(hb_response *res, const hb_token_info *t, const char *text)
{
    json_t *doc = token_json(t);
    if (!doc || json_object_set_new(doc, "token", json_null()) < 0)
        return hb_error_set(HB_ENOMEM, "out of memory");
    res->replay_body = json_dumps(doc, JSON_COMPACT);
    if (!res->replay_body || json_object_set_new(doc, "token", json_string(text)) < 0) {
        json_decref(doc);
        return hb_error_set(HB_ENOMEM, "out of memory");
    }
    return hb_http_json(res, 201, doc);
}

int hb_h_token_create(hb_request *req, hb_response *res)
{
    hb_org org;
    snprintf(req->object, sizeof req->object, "org/%s/tokens", hb_route_param(&req->params, "org"));
    int rc = path_org(req, &org);
    hb_policy_target target = { org.jurisdiction, org.code, false };
    if (rc == 0)
        rc = hb_http_authorize(req, HB_ACT_TOKEN_CREATE, &target, true);
    json_t *body = NULL;
    if (rc == 0)
        rc = hb_http_body(req, token_fields, sizeof token_fields / sizeof token_fields[0], &body);
    hb_roles roles;
    const char *label;
    int days;
    if (rc == 0)
        rc = read_request(req, body, &roles, &label, &days);
    hb_token_info t;
    char text[HB_TOKEN_TEXT_LEN + 1];
    if (rc == 0)
        rc = hb_token_create(req->db, &t, text, org.code, roles, label, days);
    json_decref(body);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "token/%s", t.id);
    rc = respond_created(res, &t, text);
    memset(text, 0, sizeof text);
    return rc;
}

static bool token_id_ok(const char *id)
{
    if (strlen(id) != HB_TOKEN_ID_HEXLEN)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

int hb_h_token_revoke(hb_request *req, hb_response *res)
{
    const char *id = hb_route_param(&req->params, "token");
    snprintf(req->object, sizeof req->object, "token/%s", id);
    hb_token_info t;
    hb_org org;
    int rc = token_id_ok(id) ? hb_token_get(req->db, &t, id) : HB_ENOTFOUND;
    if (rc == 0)
        rc = hb_org_get(req->db, &org, t.org);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no token '%s'", id);
    if (rc < 0)
        return rc;
    /* Someone who may not see the organisation's tokens is told there is no such token. */
    hb_policy_target target = { org.jurisdiction, org.code, false };
    bool visible = hb_policy_check(req->who, HB_ACT_TOKEN_READ, &target) == 0;
    rc = hb_http_authorize(req, HB_ACT_TOKEN_REVOKE, &target, visible);
    if (rc == 0)
        rc = hb_token_revoke(req->db, &t, id);
    return rc < 0 ? rc : hb_http_json(res, 200, token_json(&t));
}
