/*
 * server/h_registry.c — the registries over HTTP (docs/registries.md): the items of each kind,
 * their import as CSV and their history; may-use and may-practise; expiry alerts, usage and
 * accreditations; the FHIR R4 export.
 *
 * Each handler reads its parameters strictly and makes one call into src/registry/. The route's
 * action (registry.read, .write, .usage.read) admits the caller's roles at all; what it may then
 * write, and which practitioners' restricted fields it sees, the registry decides row by row from
 * its own records (who is the home regulator, who issued a permit, who employs the person) —
 * the sharing rules of the policy's `shared` reach. The one thing decided here is who the caller
 * is to the registry: registry_caller() below.
 *
 * Listings, histories and the FHIR export are routes with personal = true: one route serves
 * every kind, and a practitioners' listing may hold restricted fields, so each call is audited
 * (object: what was read). An import is audited as a write, its object the batch it created.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "healthybay/date.h"
#include "registry/accreditation.h"
#include "registry/fhir.h"
#include "registry/products.h"
#include "registry/rules.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/parse.h"

/*
 * THE place where the server's principal becomes the registry's caller. The organisation's kind
 * says which caller it can be — a health authority of its jurisdiction; a hospital or clinic, an
 * institution whose organisation code is its institution code; anyone else the public — and the
 * policy says whether this token's roles give it that standing for `standing`: registry.write
 * (imports), registry.personal.read (restricted practitioner fields), registry.usage.read (usage
 * figures). Without it the caller is the public: it reads the public register, writes nothing.
 * Never the operator: that is the command line, with the database in its hands.
 */
static hb_registry_caller registry_caller(const hb_request *req, hb_action standing)
{
    const hb_principal *who = req->who;
    hb_registry_caller c = { HB_REGISTRY_PUBLIC, who->org, NULL, req->source };
    if (!hb_policy_allows_some(who, standing))
        return c;
    if (who->org_kind == HB_ORG_HEALTH_AUTHORITY)
        c.role = HB_REGISTRY_AUTHORITY;
    else if (who->org_kind == HB_ORG_HOSPITAL || who->org_kind == HB_ORG_CLINIC)
        c.role = HB_REGISTRY_INSTITUTION;
    else
        return c;
    c.jurisdiction = who->jurisdiction;
    return c;
}

/* Reading a kind: usage figures need registry.usage.read, restricted fields
 * registry.personal.read. */
static hb_action read_standing(const char *kind)
{
    return strcmp(kind, "usage") == 0 ? HB_ACT_REGISTRY_USAGE_READ : HB_ACT_REGISTRY_PERSONAL_READ;
}

/*
 * A registry call that failed, as the client's problem. The registry's messages about a request
 * name only what the request itself said (an unknown product, a column, a refused row), so they
 * are shown; any other failure passes up and becomes a 500 that says nothing. invalid: the
 * problem for HB_EINVAL (a query parameter: malformed; a body: validation).
 */
static int registry_fail(hb_request *req, int rc, hb_problem invalid)
{
    if (rc == HB_EINVAL)
        return hb_http_fail(req, invalid, "%s", hb_error_last());
    if (rc == HB_EPERM)
        return hb_http_fail(req, HB_PROBLEM_FORBIDDEN, "%s", hb_error_last());
    if (rc == HB_ENOTFOUND)
        return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "%s", hb_error_last());
    return rc;
}

/* The {kind} of the path; 404 when the registry has no such kind. */
static int path_kind(hb_request *req, const char **kind)
{
    *kind = hb_route_param(&req->params, "kind");
    for (size_t i = 0; hb_registry_kind_name(i); i++)
        if (strcmp(hb_registry_kind_name(i), *kind) == 0)
            return 0;
    return hb_http_fail(req, HB_PROBLEM_NOT_FOUND, "there is no registry kind '%s'", *kind);
}

static int query_required(hb_request *req, const char *name, const char **out)
{
    *out = hb_http_query(req, name);
    if (!*out || !**out)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' is required", name);
    return 0;
}

/* ?on=YYYY-MM-DD, the day a question is about; today in the Greater Bay Area by default. */
static int query_day(hb_request *req, hb_date *out)
{
    const char *v = hb_http_query(req, "on");
    *out = hb_registry_today();
    if (v && hb_date_parse(out, v, strlen(v)) < 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'on' must be a date (YYYY-MM-DD)");
    return 0;
}

/* A YYYY-MM month parameter, or NULL when absent. */
static int query_month(hb_request *req, const char *name, const char **out)
{
    hb_date d;
    *out = hb_http_query(req, name);
    if (*out && (strlen(*out) != 7 || hb_month_parse(&d, *out, 7) < 0))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter '%s' must be a month (YYYY-MM)", name);
    return 0;
}

/* ?true or false; false when absent. */
static int query_bool(hb_request *req, const char *name, bool *out)
{
    const char *v = hb_http_query(req, name);
    *out = v && strcmp(v, "true") == 0;
    if (v && !*out && strcmp(v, "false") != 0)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' must be true or false",
                            name);
    return 0;
}

/* ?where=COLUMN:VALUE into opt (column copied into column[size]). */
static int query_where(hb_request *req, hb_registry_list_options *opt, char *column, size_t size)
{
    const char *w = hb_http_query(req, "where");
    const char *colon = w ? strchr(w, ':') : NULL;
    if (!w)
        return 0;
    if (!colon || colon == w || (size_t)(colon - w) >= size)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'where' must be COLUMN:VALUE");
    snprintf(column, size, "%.*s", (int)(colon - w), w);
    opt->filter_column = column;
    opt->filter_value = colon + 1;
    return 0;
}

/* ?limit and ?cursor: a cursor is the offset of the next page (items are never deleted). */
static int query_page(hb_request *req, hb_registry_list_options *opt, size_t *limit)
{
    char after[24];
    int64_t offset = 0;
    int rc = hb_http_page(req, limit, after, sizeof after);
    if (rc < 0)
        return rc;
    if (after[0] && (hb_parse_int64(&offset, after, strlen(after)) < 0 || offset < 0))
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'cursor' is not a cursor this server gave out");
    opt->offset = (uint64_t)offset;
    opt->limit = *limit + 1; /* one more, to learn whether another page follows */
    return 0;
}

int hb_h_registry_list(hb_request *req, hb_response *res)
{
    const char *kind;
    char column[HB_REGISTRY_VALUE_MAX];
    hb_registry_list_options opt = { 0 };
    size_t limit;
    int rc = path_kind(req, &kind);
    if (rc == 0)
        rc = query_page(req, &opt, &limit);
    if (rc == 0)
        rc = query_day(req, &opt.on);
    if (rc == 0)
        rc = query_where(req, &opt, column, sizeof column);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "registry/%.32s%s%.64s%s%.200s", kind,
             opt.filter_column ? "?" : "", opt.filter_column ? opt.filter_column : "",
             opt.filter_column ? "=" : "", opt.filter_column ? opt.filter_value : "");
    hb_registry_caller caller = registry_caller(req, read_standing(kind));
    hb_table *t = NULL;
    rc = hb_registry_list(req->db, &caller, kind, &opt, &t, NULL);
    if (rc < 0)
        return registry_fail(req, rc, HB_PROBLEM_MALFORMED);
    bool more = hb_table_row_count(t) > limit;
    char next[24];
    snprintf(next, sizeof next, "%" PRIu64, opt.offset + limit);
    hb_table_truncate(t, limit);
    rc = hb_http_table_page(res, t, more, next);
    hb_table_free(t);
    return rc;
}

/* The import's outcome: counts and the batch that holds the changes (null: nothing changed). */
static int import_done(hb_response *res, const char *kind, const hb_registry_import_report *r)
{
    json_t *doc = json_pack("{s:s, s:I, s:I, s:I, s:I}", "kind", kind, "rows", (json_int_t)r->rows,
                            "created", (json_int_t)r->created, "updated", (json_int_t)r->updated,
                            "unchanged", (json_int_t)r->unchanged);
    if (doc && json_object_set_new(doc, "batch",
                                   r->batch_id ? json_integer(r->batch_id) : json_null()) < 0) {
        json_decref(doc);
        doc = NULL;
    }
    return hb_http_json(res, 200, doc);
}

/* A rejected file: every listed problem at its line, column and field; the summary as detail. */
static int import_refused(hb_request *req, int rc, const hb_registry_import_report *r)
{
    if (rc != HB_EINVAL && rc != HB_EPERM)
        return rc;
    char summary[HB_ERROR_MESSAGE_MAX];
    snprintf(summary, sizeof summary, "%s", hb_error_last());
    for (size_t i = 0; i < r->nlisted; i++)
        hb_field_error_csv(&req->errors, r->errors[i].line, r->errors[i].column, r->errors[i].field,
                           "%s", r->errors[i].reason);
    return hb_http_fail(req, rc == HB_EPERM ? HB_PROBLEM_FORBIDDEN : HB_PROBLEM_VALIDATION, "%s",
                        summary);
}

int hb_h_registry_import(hb_request *req, hb_response *res)
{
    const char *kind;
    int rc = path_kind(req, &kind);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "registry/%s", kind);
    hb_registry_caller caller = registry_caller(req, HB_ACT_REGISTRY_WRITE);
    hb_registry_import_options opt = { .source = "api" };
    hb_registry_import_report r;
    /* In the request's transaction: the changes, the audit entry and the Idempotency-Key record
     * commit together. */
    rc = hb_registry_import_memory(req->db, &caller, kind, "body", req->body, req->body_len, &opt,
                                   &r);
    if (rc == 0 && r.batch_id)
        snprintf(req->object, sizeof req->object, "registry/%s/batch/%" PRId64, kind, r.batch_id);
    rc = rc == 0 ? import_done(res, kind, &r) : import_refused(req, rc, &r);
    hb_registry_import_report_dispose(&r);
    return rc;
}

int hb_h_registry_history(hb_request *req, hb_response *res)
{
    const char *kind = NULL, *item = NULL;
    int rc = path_kind(req, &kind);
    if (rc == 0)
        rc = query_required(req, "item", &item);
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "registry/%s/%s", kind, item);
    hb_registry_caller caller = registry_caller(req, read_standing(kind));
    hb_table *t = NULL;
    rc = hb_registry_history(req->db, &caller, kind, item, &t);
    if (rc < 0)
        return registry_fail(req, rc, HB_PROBLEM_MALFORMED);
    rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

/* {"answer": "yes"|"no", "reason", "basis", "on"}: the command line's row, and the day. */
static int answer(hb_response *res, const hb_registry_answer *a, hb_date on)
{
    char day[HB_DATE_STRLEN];
    return hb_http_json(res, 200,
                        json_pack("{s:s, s:s, s:s?, s:s}", "answer", a->yes ? "yes" : "no",
                                  "reason", a->reason, "basis", a->basis[0] ? a->basis : NULL, "on",
                                  hb_date_format(day, on)));
}

int hb_h_registry_may_use(hb_request *req, hb_response *res)
{
    const char *product = NULL, *institution = NULL;
    hb_date on;
    int rc = query_required(req, "product", &product);
    if (rc == 0)
        rc = query_required(req, "institution", &institution);
    if (rc == 0)
        rc = query_day(req, &on);
    if (rc < 0)
        return rc;
    hb_registry_answer a;
    rc = hb_registry_may_use(req->db, &a, product, institution, on,
                             hb_http_query(req, "department"));
    return rc < 0 ? registry_fail(req, rc, HB_PROBLEM_MALFORMED) : answer(res, &a, on);
}

int hb_h_registry_may_practise(hb_request *req, hb_response *res)
{
    const char *person = NULL, *institution = NULL;
    hb_date on;
    int rc = query_required(req, "person", &person);
    if (rc == 0)
        rc = query_required(req, "institution", &institution);
    if (rc == 0)
        rc = query_day(req, &on);
    if (rc < 0)
        return rc;
    hb_registry_answer a;
    rc = hb_registry_may_practise(req->db, &a, person, institution, on);
    return rc < 0 ? registry_fail(req, rc, HB_PROBLEM_MALFORMED) : answer(res, &a, on);
}

/* Send a report table whole: these are bounded by the registries' size, not by time. */
static int report(hb_request *req, hb_response *res, int rc, hb_table *t)
{
    if (rc < 0)
        return registry_fail(req, rc, HB_PROBLEM_MALFORMED);
    rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

int hb_h_registry_expiring(hb_request *req, hb_response *res)
{
    int64_t within;
    hb_date on;
    int rc = hb_http_query_int(req, "within", 0, HB_REGISTRY_EXPIRY_DAYS_MAX, 90, &within);
    if (rc == 0)
        rc = query_day(req, &on);
    if (rc < 0)
        return rc;
    hb_table *t = NULL;
    rc = hb_registry_expiring(req->db, hb_http_query(req, "kind"), on, (int)within, &t);
    return report(req, res, rc, t);
}

int hb_h_registry_usage(hb_request *req, hb_response *res)
{
    const char *from, *to;
    int rc = query_month(req, "from", &from);
    if (rc == 0)
        rc = query_month(req, "to", &to);
    if (rc < 0)
        return rc;
    hb_registry_caller caller = registry_caller(req, HB_ACT_REGISTRY_USAGE_READ);
    hb_table *t = NULL;
    rc =
        hb_registry_usage_report(req->db, &caller, from, to, hb_http_query(req, "institution"), &t);
    return report(req, res, rc, t);
}

int hb_h_registry_accreditations(hb_request *req, hb_response *res)
{
    hb_date on;
    bool all;
    int rc = query_day(req, &on);
    if (rc == 0)
        rc = query_bool(req, "all", &all);
    if (rc < 0)
        return rc;
    hb_table *t = NULL;
    rc = hb_registry_accreditations(req->db, hb_http_query(req, "standard"), on, all, &t);
    return report(req, res, rc, t);
}

int hb_h_registry_fhir(hb_request *req, hb_response *res)
{
    hb_registry_fhir_options opt = { .base = HB_REGISTRY_FHIR_BASE, .resources = HB_FHIR_ALL };
    const char *resources = hb_http_query(req, "resources");
    int rc = query_day(req, &opt.on);
    if (rc == 0 && resources && hb_registry_fhir_parse_resources(&opt.resources, resources) < 0)
        rc = hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter 'resources': %s",
                          hb_error_last());
    if (rc < 0)
        return rc;
    snprintf(req->object, sizeof req->object, "registry/fhir/%s", resources ? resources : "all");
    hb_registry_caller caller = registry_caller(req, HB_ACT_REGISTRY_PERSONAL_READ);
    char *bundle = NULL;
    rc = hb_registry_fhir_export(req->db, &caller, &opt, &bundle);
    if (rc == 0) {
        hb_buf_reset(&res->body);
        rc = hb_buf_puts(&res->body, bundle);
        res->status = 200;
        snprintf(res->content_type, sizeof res->content_type, "application/fhir+json");
    }
    hb_free(bundle);
    return rc < 0 ? registry_fail(req, rc, HB_PROBLEM_MALFORMED) : 0;
}
