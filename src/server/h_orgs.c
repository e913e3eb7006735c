/*
 * server/h_orgs.c — organisations: GET /api/v1/orgs, GET /api/v1/orgs/{org}, POST /api/v1/orgs.
 *
 * The directory is readable by every caller (the policy grants org.read to every role), so a
 * refused registration is a 403, not a 404.
 */
#include <stdio.h>
#include <string.h>

#include "server/routes.h"
#include "util/alloc.h"

static json_t *org_json(const hb_org *org)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", org->code, "name", org->name, "kind",
                     hb_org_kind_name(org->kind), "jurisdiction", org->jurisdiction, "created_at",
                     org->created_at);
}

int hb_h_org_list(hb_request *req, hb_response *res)
{
    size_t limit, count;
    char after[HB_ORG_CODE_MAX + 1];
    const char *j = hb_http_query(req, "jurisdiction");
    int rc = hb_http_page(req, &limit, after, sizeof after);
    if (rc < 0)
        return rc;
    if (j && strcmp(j, "GD") != 0 && strcmp(j, "HK") != 0 && strcmp(j, "MO") != 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'jurisdiction' must be GD, HK or MO");
    hb_org *orgs = hb_xcalloc(limit + 1, sizeof *orgs);
    rc = hb_org_list(req->db, orgs, limit + 1, &count, j, after);
    json_t *items = json_array();
    for (size_t i = 0; rc == 0 && i < count && i < limit; i++)
        if (json_array_append_new(items, org_json(&orgs[i])) < 0)
            rc = HB_ENOMEM;
    json_t *doc = json_pack("{s:o}", "items", items);
    if (rc == 0 && doc)
        rc = hb_http_page_end(doc, count > limit, count > limit ? orgs[limit - 1].code : "");
    hb_free(orgs);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    return hb_http_json(res, 200, doc);
}

int hb_h_org_get(hb_request *req, hb_response *res)
{
    const char *code = hb_route_param(&req->params, "org");
    hb_org org;
    int rc = hb_org_get(req->db, &org, code);
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "no organisation '%s'", code);
    if (rc < 0)
        return rc;
    hb_policy_target target = { org.jurisdiction, org.code, false };
    rc = hb_http_authorize(req, HB_ACT_ORG_READ, &target, true);
    return rc < 0 ? rc : hb_http_json(res, 200, org_json(&org));
}

static const hb_field org_fields[] = {
    { "code", HB_FIELD_STRING, true, 2, HB_ORG_CODE_MAX, 0 },
    { "name", HB_FIELD_STRING, true, 1, HB_NAME_MAX, 0 },
    { "kind", HB_FIELD_STRING, true, 1, 64, 0 },
    { "jurisdiction", HB_FIELD_STRING, true, 2, 2, 0 },
};

/* The body as an organisation, each invalid field reported at its pointer. */
static int read_org(hb_request *req, hb_org *org)
{
    json_t *body;
    int rc = hb_http_body(req, org_fields, sizeof org_fields / sizeof org_fields[0], &body);
    if (rc < 0)
        return rc;
    memset(org, 0, sizeof *org);
    snprintf(org->code, sizeof org->code, "%s", hb_http_body_str(body, "code"));
    snprintf(org->name, sizeof org->name, "%s", hb_http_body_str(body, "name"));
    snprintf(org->jurisdiction, sizeof org->jurisdiction, "%s",
             hb_http_body_str(body, "jurisdiction"));
    if (hb_org_code_check(org->code) < 0)
        hb_field_error(&req->errors, "/code", "%s", hb_error_last());
    if (hb_text_check("name", org->name, true) < 0)
        hb_field_error(&req->errors, "/name", "%s", hb_error_last());
    if (hb_org_kind_parse(&org->kind, hb_http_body_str(body, "kind")) < 0)
        hb_field_error(&req->errors, "/kind", "%s", hb_error_last());
    if (hb_jurisdiction_check(org->jurisdiction) < 0)
        hb_field_error(&req->errors, "/jurisdiction", "%s", hb_error_last());
    json_decref(body);
    if (req->errors.count > 0)
        return hb_http_fail(req, HB_PROBLEM_VALIDATION, "the organisation is not valid");
    return 0;
}

int hb_h_org_create(hb_request *req, hb_response *res)
{
    hb_org org;
    int rc = read_org(req, &org);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "org/%s", org.code);
    hb_policy_target target = { org.jurisdiction, org.code, false };
    rc = hb_http_authorize(req, HB_ACT_ORG_CREATE, &target, true);
    if (rc < 0)
        return rc;
    rc = hb_org_create(req->db, &org);
    if (rc == HB_ECONFLICT)
        return hb_http_fail(req, HB_PROBLEM_CONFLICT, "organisation '%s' exists already", org.code);
    if (rc < 0)
        return rc;
    snprintf(res->location, sizeof res->location, "/api/v1/orgs/%s", org.code);
    return hb_http_json(res, 201, org_json(&org));
}
