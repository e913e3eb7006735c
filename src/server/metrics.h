/*
 * server/metrics.h — counters for GET /metrics, in the Prometheus text format (version 0.0.4).
 *
 * Per route (the pattern, never the concrete path, so the number of series stays fixed):
 * requests by status and a latency histogram. Plus requests in flight, the database connection
 * pool, audit appends and idempotent replays. Updates are relaxed atomic adds: a scrape may see
 * one counter a request ahead of another, which Prometheus tolerates.
 *
 * These describe one process; several servers on one database are several scrape targets, summed
 * by Prometheus (`sum by (route) (rate(healthybay_http_requests_total[5m]))`).
 */
#ifndef HB_SERVER_METRICS_H
#define HB_SERVER_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "server/router.h"
#include "util/buf.h"

typedef struct hb_metrics hb_metrics;

typedef enum hb_metric_event {
    HB_METRIC_DB_OPENED,         /* a pooled connection was opened */
    HB_METRIC_DB_CLOSED,         /* … closed (after an error, or at shutdown) */
    HB_METRIC_DB_OPEN_FAILED,    /* opening one failed */
    HB_METRIC_AUDIT_APPENDED,    /* an audit entry was committed */
    HB_METRIC_IDEMPOTENT_REPLAY, /* a stored response was replayed */
    HB_METRIC_BODY_TIMEOUT,      /* a body arrived too slowly and the connection was closed */
    HB_METRIC_HEADER_TIMEOUT,    /* headers not complete by the deadline: connection cut */
    HB_METRIC_CACHE_HIT,         /* a reference listing answered from the cache (or 304) */
    HB_METRIC_CACHE_MISS,        /* … rendered from the database */
    HB_METRIC_EVENT_COUNT
} hb_metric_event;

/* Metrics for the routes routes[0..count) (borrowed; must outlive the metrics). */
int hb_metrics_new(hb_metrics **out, const hb_route *routes, size_t count);
void hb_metrics_free(hb_metrics *m);

/* One answered request: route is an index into the table, or NULL for requests that matched
 * none. */
void hb_metrics_observe(hb_metrics *m, const hb_route *route, unsigned status,
                        uint64_t duration_ns);
void hb_metrics_in_flight(hb_metrics *m, int delta);
void hb_metrics_count(hb_metrics *m, hb_metric_event event);

/* The exposition text; db_up and db_ping_seconds come from a check made by the caller. */
int hb_metrics_render(hb_metrics *m, hb_buf *out, int db_up, double db_ping_seconds);

#endif
