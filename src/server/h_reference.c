/*
 * server/h_reference.c — reference data: GET /api/v1/regions, /diseases, /holidays.
 *
 * Small, bounded lists (tens to hundreds of rows), so they come whole, without pagination,
 * filtered by query parameters as the CLI listings are. They change only with a migration, so
 * the rendered JSON is kept per process (server/cache.h), validated against the schema version
 * on every request; the version is also the ETag, and a matching If-None-Match gets 304.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/refdata.h"
#include "core/schema.h"
#include "server/cache.h"
#include "server/metrics.h"
#include "server/routes.h"

typedef enum listing { REGIONS, DISEASES, HOLIDAYS } listing;

/* One validated listing request: its parameters and its cache key. */
typedef struct ref_query {
    listing what;
    hb_region_filter filter;  /* REGIONS */
    const char *jurisdiction; /* DISEASES (notifiable in), HOLIDAYS */
    int year;                 /* HOLIDAYS; 0 = all */
    char key[96];
} ref_query;

static bool jurisdiction_ok(hb_request *req, const char *name, const char *value)
{
    if (!value || hb_jurisdiction_check(value) == 0)
        return true;
    hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' must be GD, HK or MO", name);
    return false;
}

static int render(hb_request *req, hb_response *res, const ref_query *q)
{
    hb_table *t = NULL;
    int rc = q->what == REGIONS    ? hb_refdata_regions(req->db, &q->filter, &t)
             : q->what == DISEASES ? hb_refdata_diseases(req->db, q->jurisdiction, &t)
                                   : hb_refdata_holidays(req->db, q->jurisdiction, q->year, &t);
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

/* Answer q: 304 when the client has this version, else from the cache or freshly rendered. */
static int serve(hb_request *req, hb_response *res, const ref_query *q)
{
    int64_t version;
    int rc = hb_schema_version(req->db, &version);
    if (rc < 0)
        return rc;
    res->extra_name = "ETag";
    snprintf(res->extra_value, sizeof res->extra_value, "\"ref-%" PRId64 "\"", version);
    res->cache_control = "private, no-cache"; /* public knowledge: keep it, but revalidate */
    const char *wanted = hb_http_header(req, "If-None-Match");
    if (wanted && (strstr(wanted, res->extra_value) || strcmp(wanted, "*") == 0)) {
        hb_metrics_count(req->metrics, HB_METRIC_CACHE_HIT);
        res->status = 304;
        return 0;
    }
    if (hb_cache_get(req->cache, q->key, version, &res->body)) {
        hb_metrics_count(req->metrics, HB_METRIC_CACHE_HIT);
        res->status = 200;
        snprintf(res->content_type, sizeof res->content_type, "application/json");
        return 0;
    }
    hb_metrics_count(req->metrics, HB_METRIC_CACHE_MISS);
    rc = render(req, res, q);
    if (rc == 0)
        hb_cache_put(req->cache, q->key, version, res->body.ptr, res->body.len);
    return rc;
}

int hb_h_regions(hb_request *req, hb_response *res)
{
    ref_query q = { .what = REGIONS };
    q.filter.jurisdiction = hb_http_query(req, "jurisdiction");
    q.filter.level = hb_http_query(req, "level");
    if (!jurisdiction_ok(req, "jurisdiction", q.filter.jurisdiction))
        return HB_EINVAL;
    static const char *const levels[] = { "jurisdiction", "city", "district", "parish", "area" };
    bool level_ok = !q.filter.level;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0] && !level_ok; i++)
        level_ok = strcmp(q.filter.level, levels[i]) == 0;
    if (!level_ok)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'level' must be jurisdiction, city, district, "
                            "parish or area");
    snprintf(q.key, sizeof q.key, "regions %s %s",
             q.filter.jurisdiction ? q.filter.jurisdiction : "*",
             q.filter.level ? q.filter.level : "*");
    return serve(req, res, &q);
}

int hb_h_diseases(hb_request *req, hb_response *res)
{
    ref_query q = { .what = DISEASES, .jurisdiction = hb_http_query(req, "notifiable_in") };
    if (!jurisdiction_ok(req, "notifiable_in", q.jurisdiction))
        return HB_EINVAL;
    snprintf(q.key, sizeof q.key, "diseases %s", q.jurisdiction ? q.jurisdiction : "*");
    return serve(req, res, &q);
}

int hb_h_holidays(hb_request *req, hb_response *res)
{
    ref_query q = { .what = HOLIDAYS, .jurisdiction = hb_http_query(req, "jurisdiction") };
    int64_t year;
    if (!jurisdiction_ok(req, "jurisdiction", q.jurisdiction))
        return HB_EINVAL;
    int rc = hb_http_query_int(req, "year", 1900, 2999, 0, &year);
    if (rc < 0)
        return rc;
    q.year = (int)year;
    snprintf(q.key, sizeof q.key, "holidays %s %d", q.jurisdiction ? q.jurisdiction : "*", q.year);
    return serve(req, res, &q);
}
