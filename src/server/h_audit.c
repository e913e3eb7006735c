/*
 * server/h_audit.c — GET /api/v1/audit: the audit log, for auditors.
 *
 * ?jurisdiction (default: the caller's) and ?org narrow the list; the policy (scope) decides what
 * the caller may see: an authority's auditor its whole jurisdiction, any other auditor its own
 * organisation's entries. Entries come oldest first from ?cursor, so a collector (a SIEM) can
 * poll for what is new. Reading the log is itself audited: it reveals who accessed which records.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/parse.h"

static json_t *entry_json(const hb_audit_entry *e)
{
    return json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s, s:s, s:s, s:s, s:s}", "seq",
                     (json_int_t)e->seq, "at", e->at, "org", e->org[0] ? e->org : NULL,
                     "jurisdiction", e->jurisdiction[0] ? e->jurisdiction : NULL, "token_id",
                     e->token_id[0] ? e->token_id : NULL, "source", e->source, "action", e->action,
                     "object", e->object, "outcome", e->outcome, "hash", e->hash);
}

static int read_filter(hb_request *req, hb_audit_filter *filter, size_t *limit)
{
    char after[32];
    int rc = hb_http_page(req, limit, after, sizeof after);
    if (rc < 0)
        return rc;
    const char *j = hb_http_query(req, "jurisdiction"), *org = hb_http_query(req, "org");
    if (j && hb_jurisdiction_check(j) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'jurisdiction' must be GD, HK or MO");
    if (org && hb_org_code_check(org) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'org' is not an organisation code");
    hb_policy_scope scope;
    if (hb_policy_scope_for(&scope, req->who, HB_ACT_AUDIT_READ, j, org) < 0)
        return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    filter->jurisdiction = scope.jurisdiction;
    filter->org = scope.org;
    filter->after_seq = 0;
    if (after[0] &&
        (hb_parse_int64(&filter->after_seq, after, strlen(after)) < 0 || filter->after_seq < 0))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'cursor' is not a cursor this server gave out");
    snprintf(req->object, sizeof req->object, "audit/%s%s%s", scope.jurisdiction,
             scope.org ? "/" : "", scope.org ? scope.org : "");
    return 0;
}

int hb_h_audit_list(hb_request *req, hb_response *res)
{
    hb_audit_filter filter;
    size_t limit, count;
    int rc = read_filter(req, &filter, &limit);
    if (rc < 0)
        return rc;
    hb_audit_entry *entries = hb_xcalloc(limit + 1, sizeof *entries);
    rc = hb_audit_list(req->db, entries, limit + 1, &count, &filter);
    json_t *items = json_array();
    for (size_t i = 0; rc == 0 && i < count && i < limit; i++)
        if (json_array_append_new(items, entry_json(&entries[i])) < 0)
            rc = HB_ENOMEM;
    json_t *doc = json_pack("{s:o}", "items", items);
    char last[32] = "";
    if (count > limit)
        snprintf(last, sizeof last, "%" PRId64, entries[limit - 1].seq);
    if (rc == 0 && doc)
        rc = hb_http_page_end(doc, count > limit, last);
    hb_free(entries);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    return hb_http_json(res, 200, doc);
}
