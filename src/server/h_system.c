/*
 * server/h_system.c — the server's own resources: /healthz, /metrics, /api/v1/openapi.json.
 */
#include <stdio.h>

#include "server/metrics.h"
#include "server/routes.h"
#include "util/clock.h"

/* A trivial query: the database answers and this connection works. */
static int ping(hb_store *db, double *seconds)
{
    uint64_t start = hb_monotonic_ns();
    int rc = hb_store_run(db, "SELECT 1");
    *seconds = (double)(hb_monotonic_ns() - start) / 1e9;
    return rc;
}

/* For load balancers: 200 when this process can serve, 503 when its database is unreachable. */
int hb_h_healthz(hb_request *req, hb_response *res)
{
    double seconds;
    if (ping(req->db, &seconds) < 0)
        return hb_http_fail(req, HB_PROBLEM_UNAVAILABLE, "the database does not answer");
    return hb_http_json(res, 200, json_pack("{s:s}", "status", "ok"));
}

int hb_h_metrics(hb_request *req, hb_response *res)
{
    double seconds = 0;
    int up = ping(req->db, &seconds) == 0;
    hb_buf_reset(&res->body);
    int rc = hb_metrics_render(req->metrics, &res->body, up, seconds);
    res->status = 200;
    snprintf(res->content_type, sizeof res->content_type, "text/plain; version=0.0.4");
    return rc;
}

int hb_h_openapi(hb_request *req, hb_response *res)
{
    (void)req;
    size_t len;
    const char *doc = hb_openapi_document(&len);
    hb_buf_reset(&res->body);
    res->status = 200;
    snprintf(res->content_type, sizeof res->content_type, "application/json");
    return hb_buf_put(&res->body, doc, len);
}
