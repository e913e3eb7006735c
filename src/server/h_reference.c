/*
 * server/h_reference.c — reference data: GET /api/v1/regions, /diseases, /holidays.
 *
 * Small, bounded lists (tens to hundreds of rows), so they come whole, without pagination,
 * filtered by query parameters as the CLI listings are.
 */
#include <string.h>

#include "core/refdata.h"
#include "server/routes.h"

static bool jurisdiction_ok(hb_request *req, const char *name, const char *value)
{
    if (!value || strcmp(value, "GD") == 0 || strcmp(value, "HK") == 0 || strcmp(value, "MO") == 0)
        return true;
    hb_http_fail(req, HB_PROBLEM_MALFORMED, "query parameter '%s' must be GD, HK or MO", name);
    return false;
}

static int send_table(hb_response *res, int rc, hb_table *t)
{
    if (rc == 0)
        rc = hb_http_table(res, t);
    hb_table_free(t);
    return rc;
}

int hb_h_regions(hb_request *req, hb_response *res)
{
    hb_region_filter filter = { hb_http_query(req, "jurisdiction"), hb_http_query(req, "level") };
    if (!jurisdiction_ok(req, "jurisdiction", filter.jurisdiction))
        return HB_EINVAL;
    static const char *const levels[] = { "jurisdiction", "city", "district", "parish", "area" };
    bool level_ok = !filter.level;
    for (size_t i = 0; i < sizeof levels / sizeof levels[0] && !level_ok; i++)
        level_ok = strcmp(filter.level, levels[i]) == 0;
    if (!level_ok)
        return hb_http_fail(req, HB_PROBLEM_MALFORMED,
                            "query parameter 'level' must be jurisdiction, city, district, "
                            "parish or area");
    hb_table *t = NULL;
    int rc = hb_refdata_regions(req->db, &filter, &t);
    return send_table(res, rc, t);
}

int hb_h_diseases(hb_request *req, hb_response *res)
{
    const char *j = hb_http_query(req, "notifiable_in");
    if (!jurisdiction_ok(req, "notifiable_in", j))
        return HB_EINVAL;
    hb_table *t = NULL;
    int rc = hb_refdata_diseases(req->db, j, &t);
    return send_table(res, rc, t);
}

int hb_h_holidays(hb_request *req, hb_response *res)
{
    const char *j = hb_http_query(req, "jurisdiction");
    int64_t year;
    if (!jurisdiction_ok(req, "jurisdiction", j))
        return HB_EINVAL;
    int rc = hb_http_query_int(req, "year", 1900, 2999, 0, &year);
    if (rc < 0)
        return rc;
    hb_table *t = NULL;
    rc = hb_refdata_holidays(req->db, j, (int)year, &t);
    return send_table(res, rc, t);
}
